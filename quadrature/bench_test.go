package quadrature

import (
	"fmt"
	"math"
	"testing"
)

var sink float64

// BenchmarkBivariateCDF cycles through arguments that exercise both branches
// (|ρ| < 0.925 and the large-|ρ| transformation).
func BenchmarkBivariateCDF(b *testing.B) {
	args := [][3]float64{
		{0.3, -0.7, 0.1}, {1.5, 1.2, 0.5}, {-2, 0.4, -0.8}, {0.1, 0.2, 0.92},
		{0.5, 0.6, 0.95}, {-1, -1.3, 0.999}, {2, -0.5, -0.97}, {0.3, 0.3, 0.9999999},
	}
	for i := 0; b.Loop(); i++ {
		a := args[i%len(args)]
		sink = BivariateCDF(a[0], a[1], a[2])
	}
}

// BenchmarkExpect: E[φ(√q Z)²] of the canonical 256-level quantizer-like
// step function at q = 1.
func BenchmarkExpect(b *testing.B) {
	s := uniformStep(256, false)
	f := func(x float64) float64 { v := s.eval(x); return v * v }
	for b.Loop() {
		sink = Expect(f, 1, s.g)
	}
}

func BenchmarkExpectTanh(b *testing.B) {
	f := func(x float64) float64 { v := math.Tanh(x); return v * v }
	for b.Loop() {
		sink = Expect(f, 1, nil)
	}
}

// BenchmarkExpect2: E[φ(u1)φ(u2)] of the 256-level step function at q = 1,
// c = 0.5.
func BenchmarkExpect2(b *testing.B) {
	s := uniformStep(256, false)
	for b.Loop() {
		sink = Expect2(s.eval, s.eval, 1, 1, 0.5, s.g, s.g)
	}
}

// BenchmarkExpect2Tanh: E[tanh(u1) tanh(u2)] at q11 = q22 = 1 over the
// correlations that reach each method of the smooth path (Mehler's series
// up to 0.5, the product rule up to 0.999, the nested rule beyond), and at
// q = 100 (tanh(10 z)).
func BenchmarkExpect2Tanh(b *testing.B) {
	for _, tc := range []struct {
		q, rho float64
	}{{1, 1e-6}, {1, 0.18}, {1, 0.5}, {1, 0.9}, {1, 0.99}, {1, 0.999}, {1, 0.99999}, {100, 0.5}} {
		b.Run(fmt.Sprintf("q=%g/rho=%g", tc.q, tc.rho), func(b *testing.B) {
			for b.Loop() {
				sink = Expect2(math.Tanh, math.Tanh, tc.q, tc.q, tc.rho*tc.q, nil, nil)
			}
		})
	}
}

// BenchmarkExpect2Kinked: E[elu(u1) elu(u2)] (a kink at 0, declared) at
// q = 1, through the adaptive path, and through Mehler's series with
// adaptive coefficients at ρ = 1e-6.
func BenchmarkExpect2Kinked(b *testing.B) {
	elu := func(x float64) float64 {
		if x > 0 {
			return x
		}
		return math.Expm1(x)
	}
	for _, rho := range []float64{1e-6, 0.5} {
		b.Run(fmt.Sprintf("rho=%g", rho), func(b *testing.B) {
			for b.Loop() {
				sink = Expect2(elu, elu, 1, 1, rho, []float64{0}, []float64{0})
			}
		})
	}
}
