package solver

import (
	"math"
	"testing"
)

func levelsRange(lo, hi int) []int {
	var l []int
	for n := lo; n <= hi; n++ {
		l = append(l, n)
	}
	return l
}

// BenchmarkSweep1024 optimizes every N from 2 to 1024 (Sweep, all cores).
func BenchmarkSweep1024(b *testing.B) {
	levels := levelsRange(2, 1024)
	for b.Loop() {
		if _, err := Sweep(levels, DefaultKappa); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOptimize times single optimizations, N = 2^20 among them by
// both methods (MethodFor(2^20) is Asymptotic).
func BenchmarkOptimize(b *testing.B) {
	for _, c := range []struct {
		name string
		n    int
		m    Method
	}{{"N=16", 16, Exact}, {"N=1024", 1024, Exact}, {"N=2^20", 1 << 20, Exact}, {"N=2^20-asymptotic", 1 << 20, Asymptotic}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := OptimizeMethod(c.n, c.m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkChi times one exact evaluation of χ(D) at N = 2^20.
func BenchmarkChi(b *testing.B) {
	for b.Loop() {
		if _, err := ChiMethod(1<<20, 1.288e-5, Exact); err != nil {
			b.Fatal(err)
		}
	}
}

// naiveMax is the baseline the solver replaces: χ by the O(N²) double loop
// of THEORY.md §3 on 2000 spacings log-spaced over D ∈ [0.01, 3] (which
// contains D_opt for every N ≤ 128), keeping the best. It finds D_opt only to
// the grid step (0.3%).
func naiveMax(n int) (dBest, chiBest float64) {
	lo, hi := math.Log(0.01), math.Log(3.0)
	for k := range 2000 {
		d := math.Exp(lo + (hi-lo)*float64(k)/1999)
		e, s := naiveSums(n, d, true)
		if c := e * e / (2 * math.Pi * s); c > chiBest {
			dBest, chiBest = d, c
		}
	}
	return dBest, chiBest
}

// BenchmarkNaiveGrid128 runs the naive baseline (2000-point grid in
// D ∈ [0.01, 3], O(N²) sums) for every N from 2 to 128 on one core;
// BenchmarkSweep128 does the same N set with the solver, for the ratio.
func BenchmarkNaiveGrid128(b *testing.B) {
	for b.Loop() {
		for n := 2; n <= 128; n++ {
			naiveMax(n)
		}
	}
}

// BenchmarkSweep128 optimizes every N from 2 to 128 on one goroutine
// (Optimize in a loop), to compare with BenchmarkNaiveGrid128.
func BenchmarkSweep128(b *testing.B) {
	for b.Loop() {
		for n := 2; n <= 128; n++ {
			if _, err := Optimize(n); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestNaiveGridContainsOptimum keeps the baseline honest: its grid brackets
// D_opt for every N it is run on, and its χ_max is below the solver's.
func TestNaiveGridContainsOptimum(t *testing.T) {
	for _, n := range []int{3, 10, 128} {
		d, c := naiveMax(n)
		o := mustOptimum(t, n)
		if rel(d, o.Spacing) > 0.005 || c > o.Chi*(1+1e-15) {
			t.Errorf("N=%d: grid D %v χ %v, solver %v %v", n, d, c, o.Spacing, o.Chi)
		}
	}
}

// BenchmarkLloydMax256 computes the 256-level (8-bit) Lloyd–Max quantizer
// (Newton from the companding guess).
func BenchmarkLloydMax256(b *testing.B) {
	for b.Loop() {
		if _, err := OptimizeLloydMax(256); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAsymptotic2p32 optimizes the uniform quantizer at N = 2^32 (the
// asymptotic sums, about a dozen evaluations of χ).
func BenchmarkAsymptotic2p32(b *testing.B) {
	for b.Loop() {
		if _, err := Optimize(1 << 32); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChiAsymptotic2p32 times one asymptotic evaluation of χ(D) at
// N = 2^32.
func BenchmarkChiAsymptotic2p32(b *testing.B) {
	for b.Loop() {
		if _, err := Chi(1<<32, 4.0954152829560399e-09); err != nil {
			b.Fatal(err)
		}
	}
}
