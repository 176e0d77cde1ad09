package quadrature

import (
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

func BenchmarkExpect2Tanh(b *testing.B) {
	for b.Loop() {
		sink = Expect2(math.Tanh, math.Tanh, 1, 1, 0.5, nil, nil)
	}
}
