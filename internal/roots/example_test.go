package roots_test

import (
	"fmt"
	"math"

	"github.com/lmax-project/lmax/internal/roots"
)

// The Dottie number: the root of cos x = x, to within 4 ulps.
func ExampleBrent() {
	f := func(x float64) float64 { return math.Cos(x) - x }
	x, err := roots.Brent(f, 0, 1, f(0), f(1), roots.Options{})
	fmt.Printf("%.15f %v\n", x, err)
	// Output: 0.739085133215161 <nil>
}

// The minimum of cos on (2, 4), to a relative tolerance of 1e-10 (the
// answer is good to √ε only: cos is flat to rounding that close to π).
func ExampleMinimize() {
	f := func(x float64) (float64, error) { return math.Cos(x), nil }
	m, err := roots.Minimize(f, 2, 4, roots.Options{Tol: func(x float64) float64 { return 1e-10 * math.Abs(x) }})
	fmt.Printf("x = %.6f, f = %.12f, %v\n", m.X, m.F, err)
	// Output: x = 3.141593, f = -1.000000000000, <nil>
}
