package solver

import (
	"errors"
	"math"
	"testing"
)

// bigSign returns the sign of ∂χ/∂D at d, i.e. of β − D·S, in 320 bits.
func bigSign(n int, d float64) int {
	_, _, _, g := bigChi(n, d, false)
	return g.Sign()
}

// TestOptimizeAgainstBig brackets D_opt independently: in 320-bit
// arithmetic, ∂χ/∂D ∝ β − D S must be positive at D_opt(1 − 1e−13) and
// negative at D_opt(1 + 1e−13), so D_opt is within 1e−13 relative of the
// true root (the target is 1e−12).
func TestOptimizeAgainstBig(t *testing.T) {
	levels := []int{3, 4, 5, 6, 7, 8, 16, 17, 64, 255}
	if !testing.Short() {
		levels = append(levels, 1024)
	}
	for _, n := range levels {
		o := mustOptimum(t, n)
		if lo, hi := bigSign(n, o.Spacing*(1-1e-13)), bigSign(n, o.Spacing*(1+1e-13)); lo != 1 || hi != -1 {
			t.Errorf("N=%d: D_opt = %v not bracketed to 1e−13: signs %d, %d", n, o.Spacing, lo, hi)
		}
	}
}

// TestOptimizeGoldenSection finds the maximum of the naive O(N) χ by
// golden-section search in ln D plus a fine local scan; χ is flat at its
// maximum (χ − χ_max ∝ (D − D_opt)²), so float64 locates it only to ~1e−7
// relative, the tolerance used here. It also checks that the derivative at
// the library's root vanishes within its rounding.
func TestOptimizeGoldenSection(t *testing.T) {
	for _, n := range []int{3, 4, 5, 9, 10, 33, 100, 257, 1000} {
		o := mustOptimum(t, n)
		f := func(lnD float64) float64 { return -naiveChi(n, math.Exp(lnD)) }
		a, b := math.Log(1e-4), math.Log(3.0)
		const r = 0.6180339887498949
		x1, x2 := b-r*(b-a), a+r*(b-a)
		f1, f2 := f(x1), f(x2)
		for i := 0; i < 80; i++ {
			if f1 < f2 {
				b, x2, f2 = x2, x1, f1
				x1 = b - r*(b-a)
				f1 = f(x1)
			} else {
				a, x1, f1 = x1, x2, f2
				x2 = a + r*(b-a)
				f2 = f(x2)
			}
		}
		// Fine scan around the golden-section estimate: the centre of the
		// set of points within rounding of the best value.
		c := (a + b) / 2
		best := math.Inf(1)
		for k := -2000; k <= 2000; k++ {
			best = math.Min(best, f(c+float64(k)*1e-9))
		}
		var lo, hi float64 = math.Inf(1), math.Inf(-1)
		for k := -2000; k <= 2000; k++ {
			x := c + float64(k)*1e-9
			if f(x) <= best+4e-16 {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
		est := math.Exp((lo + hi) / 2)
		if r := rel(est, o.Spacing); r > 1e-6 {
			t.Errorf("N=%d: golden section %v, Optimize %v (rel %.3g)", n, est, o.Spacing, r)
		}
		// The naive sums round at ~Nε, and the maximum over the scan
		// picks the largest rounding error.
		if r := rel(-best, o.Chi); r > 8e-16+2e-17*float64(n) {
			t.Errorf("N=%d: naive χ_max %v, Optimize %v", n, -best, o.Chi)
		}
		p, _ := Chi(n, o.Spacing)
		// χ' = (2 M2/S)(τ − (1−χ)) with τ and 1 − χ good to ~1e−15 relative.
		if bound := 1e-14 * p.OneMinusChi / o.Spacing * float64(n); math.Abs(p.DChi) > bound {
			t.Errorf("N=%d: ∂χ/∂D at the root = %v, above %v", n, p.DChi, bound)
		}
	}
}

// TestSingleMaximum checks the premise of the root search: f(D) = 1 −
// τ/(1−χ) (the sign of −∂χ/∂D) is negative below D_opt and positive above,
// on a grid of 300 spacings from 1e−3 D_opt to 4 for every N up to 200 and on
// a sample up to 2000.
func TestSingleMaximum(t *testing.T) {
	var levels []int
	for n := 3; n <= 200; n++ {
		levels = append(levels, n)
	}
	for n := 201; n <= 2000; n += 53 {
		levels = append(levels, n)
	}
	if testing.Short() {
		levels = levels[:60]
	}
	for _, n := range levels {
		o := mustOptimum(t, n)
		lo, hi := math.Log(1e-3*o.Spacing), math.Log(4.0)
		for k := 0; k <= 300; k++ {
			d := math.Exp(lo + (hi-lo)*float64(k)/300)
			p, _ := Chi(n, d)
			if r := rel(d, o.Spacing); r < 1e-9 {
				continue
			}
			if (d < o.Spacing) != (p.DChi > 0) {
				t.Fatalf("N=%d: ∂χ/∂D = %v at D = %v, D_opt = %v", n, p.DChi, d, o.Spacing)
			}
		}
	}
}

// TestBracketGuess checks the accuracy claimed for bracketGuess.
func TestBracketGuess(t *testing.T) {
	for _, n := range []int{64, 100, 500, 999, 1000, 5000, 1 << 16, 1 << 20} {
		if testing.Short() && n > 1<<16 {
			continue
		}
		lo, hi := bracketGuess(n)
		g := math.Exp((lo + hi) / 2)
		d := mustOptimum(t, n).Spacing
		tol := 0.04
		if n >= 1000 {
			tol = 0.01
		}
		if r := rel(g, d); r > tol {
			t.Errorf("N=%d: guess %v, D_opt %v (rel %.3g > %v)", n, g, d, r, tol)
		}
	}
}

func TestOptimizeN2(t *testing.T) {
	o := mustOptimum(t, 2)
	if o.HasSpacing() || o.Chi != 2/math.Pi || o.OneMinusChi != 1-2/math.Pi || o.Var != 0.25 {
		t.Errorf("N=2: %+v", o)
	}
	if o3 := mustOptimum(t, 3); !o3.HasSpacing() {
		t.Errorf("N=3 has no spacing: %+v", o3)
	}
}

func TestOptimizeErrors(t *testing.T) {
	for _, n := range []int{-1, 0, 1, MaxLevels + 1} {
		if _, err := Optimize(n); !errors.Is(err, ErrInvalid) {
			t.Errorf("Optimize(%d): err = %v", n, err)
		}
	}
}
