package quantize_test

import (
	"fmt"

	"github.com/lmax-project/lmax/quantize"
)

func ExampleCanonical() {
	q, err := quantize.Canonical(4) // 2 bits: levels -1, -1/3, 1/3, 1
	if err != nil {
		panic(err)
	}
	for _, x := range []float64{-2, -0.5, 0.1, 0.7} {
		fmt.Printf("φ(%4.1f) = %+.4f\n", x, q.Eval(x))
	}
	fmt.Println("thresholds:", q.Thresholds())
	// Output:
	// φ(-2.0) = -1.0000
	// φ(-0.5) = -0.3333
	// φ( 0.1) = +0.3333
	// φ( 0.7) = +1.0000
	// thresholds: [-0.6666666666666666 0 0.6666666666666666]
}

func ExampleQuantizer_STE() {
	q, _ := quantize.Canonical(8)
	ste := q.STE(1.25) // slope s, window |x| ≤ t = 1
	fmt.Println(ste.Deriv(0.3), ste.Deriv(1.5))
	// Output: 1.25 0
}
