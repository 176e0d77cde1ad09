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

func ExampleNew() {
	// An asymmetric 3-level quantizer: thresholds -0.5 and 1, levels 0, 1, 3.
	q, err := quantize.New([]float64{-0.5, 1}, []float64{0, 1, 3})
	if err != nil {
		panic(err)
	}
	g, a := q.Jumps() // φ(x) = y_0 + Σ a_k H(x - g_k)
	fmt.Println("jumps at", g, "of height", a)
	fmt.Println(q.Eval(-1), q.Eval(-0.5), q.Eval(2), q.Odd())
	_, err = quantize.New([]float64{1, 0}, []float64{0, 1, 2})
	fmt.Println(err)
	// Output:
	// jumps at [-0.5 1] of height [1 2]
	// 0 1 3 false
	// invalid quantizer: threshold 2 = 0: not above threshold 1 = 1
}

func ExampleUnsigned() {
	q, err := quantize.Unsigned(4, 0.5, 3) // levels 0, 1, 2, 3; thresholds 0.25, 0.75, 1.25
	if err != nil {
		panic(err)
	}
	fmt.Println(q.Levels(), q.Thresholds(), q.Clip())
	fmt.Println(q.Eval(-1), q.Eval(0.3), q.Eval(9))
	fmt.Println(q)
	// Output:
	// [0 1 2 3] [0.25 0.75 1.25] 1.5
	// 0 1 3
	// uquant:4:delta=0.5,amp=3
}
