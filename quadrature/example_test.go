package quadrature_test

import (
	"fmt"
	"math"

	"github.com/lmax-project/lmax/quadrature"
)

func ExampleNormalCDF() {
	fmt.Printf("%.6f %.6e\n", quadrature.NormalCDF(1.96), quadrature.NormalCDF(-30))
	// Output: 0.975002 4.906714e-198
}

func ExampleHermite() {
	// E[Z⁴] = 3, exact for a rule of 3 or more points.
	x, w := quadrature.Hermite(3)
	sum := 0.0
	for i := range x {
		sum += w[i] * math.Pow(x[i], 4)
	}
	fmt.Printf("%.15f\n", sum)
	// Output: 3.000000000000000
}

func ExampleExpect() {
	// E[φ(u)²] for the 3-level quantizer φ = -1, 0, 1 with thresholds ±1/2
	// at q = 1: the breakpoints make the result exact to rounding.
	phi := func(x float64) float64 {
		switch {
		case x < -0.5:
			return -1
		case x < 0.5:
			return 0
		}
		return 1
	}
	got := quadrature.Expect(func(x float64) float64 { return phi(x) * phi(x) }, 1, []float64{-0.5, 0.5})
	fmt.Printf("%.15f\n%.15f\n", got, 2*quadrature.NormalCDF(-0.5))
	// Output:
	// 0.617075077451974
	// 0.617075077451974
}

func ExampleExpect2() {
	// E[sign(u1) sign(u2)] = (2/π) arcsin c (THEORY.md §6).
	sign := func(x float64) float64 {
		if x < 0 {
			return -1
		}
		return 1
	}
	c := 0.5
	got := quadrature.Expect2(sign, sign, 1, 1, c, []float64{0}, []float64{0})
	fmt.Printf("%.15f\n%.15f\n", got, 2/math.Pi*math.Asin(c))
	// Output:
	// 0.333333333333333
	// 0.333333333333333
}

func ExampleBivariateCDF() {
	// Φ2(0, 0; ρ) = 1/4 + arcsin(ρ)/(2π), here at ρ = 1/2.
	fmt.Printf("%.15f\n", quadrature.BivariateCDF(0, 0, 0.5))
	fmt.Printf("%.15f\n", quadrature.BivariateCDF(0.3, -1.2, 0.999999))
	// Output:
	// 0.333333333333333
	// 0.115069670221708
}

func ExampleBivariateDensity() {
	fmt.Printf("%.15f\n", quadrature.BivariateDensity(0, 0, 0))
	// Output: 0.159154943091895
}
