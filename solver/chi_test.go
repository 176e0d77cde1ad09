package solver

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

// naiveSums evaluates the sums of THEORY.md §3 in float64: β' = Σ e^{−i²D²/2}
// and S by the plain O(N²) double loop over K (quadratic) or by the O(N)
// prefix sums Σ_i P_i Q_i + 2 Σ_j Q_j Σ_{i<j} P_i with K sorted.
func naiveSums(n int, d float64, quadratic bool) (sumE, s float64) {
	k := make([]float64, n-1)
	p := make([]float64, n-1)
	q := make([]float64, n-1)
	for j := 1; j < n; j++ {
		k[j-1] = float64(2*j-n) / 2 * d
		p[j-1] = 0.5 * math.Erfc(-k[j-1]/math.Sqrt2)
		q[j-1] = 0.5 * math.Erfc(k[j-1]/math.Sqrt2)
		sumE += math.Exp(-k[j-1] * k[j-1] / 2)
	}
	if quadratic {
		for a := range k {
			for b := range k {
				s += p[min(a, b)] * q[max(a, b)]
			}
		}
		return sumE, s
	}
	var prefix float64
	for j := range k {
		s += p[j]*q[j] + 2*q[j]*prefix
		prefix += p[j]
	}
	return sumE, s
}

func naiveChi(n int, d float64) float64 {
	e, s := naiveSums(n, d, false)
	return e * e / (2 * math.Pi * s)
}

func rel(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Abs(want)
}

func mustOptimum(t testing.TB, n int) Optimum {
	t.Helper()
	o, err := Optimize(n)
	if err != nil {
		t.Fatalf("Optimize(%d): %v", n, err)
	}
	return o
}

// TestChiAgainstBig holds χ, 1 − χ and S to the 320-bit evaluation of the
// literal formula (double loop and prefix sums) at D_opt, D_opt/2 and 2D_opt.
// The bound 2e−15 (≈ 10 ulp) is what the bin route guarantees (doc.go);
// the errors observed are below 5e−16.
func TestChiAgainstBig(t *testing.T) {
	const tol = 2e-15
	for _, n := range []int{2, 3, 4, 5, 6, 7, 8, 9, 16, 31, 64} {
		d0 := 0.7
		if n > 2 {
			d0 = mustOptimum(t, n).Spacing
		}
		for _, f := range []float64{0.5, 1, 2, 4} {
			d := d0 * f
			p, err := Chi(n, d)
			if err != nil {
				t.Fatal(err)
			}
			chi, omc, s, _ := bigChi(n, d, n <= 16)
			if e := relBig(p.Chi, chi); e > tol {
				t.Errorf("N=%d D=%v: χ rel error %.3g", n, d, e)
			}
			if e := relBig(p.OneMinusChi, omc); e > tol {
				t.Errorf("N=%d D=%v: 1−χ rel error %.3g", n, d, e)
			}
			if e := relBig(p.Var, s); e > tol {
				t.Errorf("N=%d D=%v: S rel error %.3g", n, d, e)
			}
		}
	}
}

// TestChiAgainstDoubleDouble checks 1 − χ where it is far below 1 (down to
// 1e−11 at N = 2^20, where plain float64 subtraction keeps no digit) against
// the double-double evaluation of the literal formula.
func TestChiAgainstDoubleDouble(t *testing.T) {
	const tol = 2e-15
	levels := []int{100, 1023, 1024, 4099, 1 << 14, 1 << 16}
	if !testing.Short() {
		levels = append(levels, 1<<20)
	}
	for _, n := range levels {
		d0 := mustOptimum(t, n).Spacing
		for _, f := range []float64{1, 1.5} {
			if n > 1<<14 && f != 1 {
				continue
			}
			d := d0 * f
			p, _ := Chi(n, d)
			chi, omc := ddChi(n, d)
			if e := relDD(p.Chi, chi); e > tol {
				t.Errorf("N=%d D=%v: χ rel error %.3g", n, d, e)
			}
			if e := relDD(p.OneMinusChi, omc); e > tol {
				t.Errorf("N=%d D=%v: 1−χ = %v rel error %.3g", n, d, p.OneMinusChi, e)
			}
		}
	}
}

// TestReferencesAgree checks the two high-precision references against each
// other (to 1e−22, far beyond float64), so that each validates the other.
func TestReferencesAgree(t *testing.T) {
	for _, n := range []int{64, 255, 1024} {
		d := mustOptimum(t, n).Spacing
		_, omcBig, _, _ := bigChi(n, d, false)
		_, omcDD := ddChi(n, d)
		diff := bnew().Sub(omcBig, bnew().Add(bf(omcDD.hi), bf(omcDD.lo)))
		diff.Quo(diff, omcBig)
		// Both carry ~1e−30 relative in χ; 1 − χ ≈ 1e−5 amplifies it.
		if r, _ := diff.Float64(); math.Abs(r) > 1e-22 {
			t.Errorf("N=%d: big and double-double 1−χ differ by %.3g relative", n, r)
		}
	}
}

// TestSumsFastVsQuadratic: the library's S (bins), the O(N) prefix sums and
// the O(N²) double loop agree to 1e−13 for N up to 300 (the double loop's own
// rounding over N² terms is the limit).
func TestSumsFastVsQuadratic(t *testing.T) {
	for n := 2; n <= 300; n += 1 + n/8 {
		for _, d := range []float64{0.01, 0.1, 0.5, 1.3} {
			e2, s2 := naiveSums(n, d, true)
			e1, s1 := naiveSums(n, d, false)
			p, _ := Chi(n, d)
			if r := rel(s1, s2); r > 1e-13 {
				t.Errorf("N=%d D=%v: prefix S %v vs loop %v (rel %.3g)", n, d, s1, s2, r)
			}
			if r := rel(p.Var, s2); r > 1e-13 {
				t.Errorf("N=%d D=%v: library S %v vs loop %v (rel %.3g)", n, d, p.Var, s2, r)
			}
			if r := rel(p.Chi, e2*e2/(2*math.Pi*s2)); r > 1e-13 || e1 != e2 {
				t.Errorf("N=%d D=%v: χ %v vs loop (rel %.3g)", n, d, p.Chi, r)
			}
		}
	}
}

// TestChiPlusOneMinusChi: χ and 1 − χ come from different sums (β²/S and
// R/S); they must add to 1 within rounding.
func TestChiPlusOneMinusChi(t *testing.T) {
	for _, n := range []int{2, 3, 10, 100, 1000, 1 << 15} {
		for _, d := range []float64{1e-4, 0.003, 0.05, 0.3, 1, 3, 10} {
			p, err := Chi(n, d)
			if err != nil {
				t.Fatal(err)
			}
			if s := p.Chi + p.OneMinusChi; math.Abs(s-1) > 6.7e-16 { // 3 ulp of 1
				t.Errorf("N=%d D=%v: χ + (1−χ) = 1 %+.3g", n, d, s-1)
			}
			if !(p.OneMinusChi > 0 && p.Chi > 0) {
				t.Errorf("N=%d D=%v: χ = %v, 1−χ = %v", n, d, p.Chi, p.OneMinusChi)
			}
		}
	}
}

// TestDChi compares ∂χ/∂D with the Richardson-extrapolated central difference
// of 1 − χ (accurate at any N, unlike χ itself). 1 − χ varies on the scale
// D/(1+T²), T = DN/2 the clip point, so h = 1e−3 D/(1+T²): truncation
// ~1e−12 after extrapolation, rounding ~1e−13 (1+T²)(1−χ)/D.
func TestDChi(t *testing.T) {
	for _, n := range []int{2, 3, 4, 8, 64, 1000, 1 << 16} {
		d0 := 0.5
		if n > 2 {
			d0 = mustOptimum(t, n).Spacing
		}
		for _, f := range []float64{0.6, 1, 1.4} {
			d := d0 * f
			g := func(x float64) float64 { p, _ := Chi(n, x); return p.OneMinusChi }
			cd := func(h float64) float64 { return (g(d+h) - g(d-h)) / (2 * h) }
			tt := d * float64(n) / 2
			h := 1e-3 * d / (1 + tt*tt)
			fd := -(4*cd(h/2) - cd(h)) / 3
			p, _ := Chi(n, d)
			scale := (1 + tt*tt) * p.OneMinusChi / d
			if e := math.Abs(p.DChi - fd); e > 1e-8*scale {
				t.Errorf("N=%d D=%v: ∂χ/∂D = %v, finite difference %v (diff %.3g of scale %.3g)",
					n, d, p.DChi, fd, e, scale)
			}
		}
	}
}

// TestTauAgainstBig checks τ = 1 − βD (Poisson + tail, direct and
// Euler–Maclaurin branches) against 320-bit arithmetic.
func TestTauAgainstBig(t *testing.T) {
	for _, c := range []struct {
		n int
		d float64
	}{{2, 0.5}, {3, 1.2}, {4, 1}, {5, 3.9}, {6, 4.5}, {64, 0.1}, {65, 0.1}, {300, 0.02}, {301, 0.03}, {1000, 0.009}, {999, 0.01}, {400, 0.05}, {90, 0.22}} {
		s := evaluate(c.n, c.d)
		D := bf(c.d)
		beta := bnew()
		for j := 1; j < c.n; j++ {
			beta.Add(beta, bigPdf(bnew().Mul(bf(float64(2*j-c.n)/2), D)))
		}
		want := bnew().Sub(bf(1), beta.Mul(beta, D))
		if e := relBig(s.tau, want); e > 1e-14 {
			t.Errorf("N=%d D=%v: τ = %v rel error %.3g", c.n, c.d, s.tau, e)
		}
	}
}

func TestMillsTails(t *testing.T) {
	for _, x := range []float64{3, 3.5, 5, 8, 20, 36} {
		v0, v1, v2 := millsTails(x)
		// Deep fraction as reference.
		v := 0.0
		var w [3]float64
		for k := 100000; k >= 0; k-- {
			v = 1 / (x + float64(k+1)*v)
			if k < 3 {
				w[k] = v
			}
		}
		for k, got := range []float64{v0, v1, v2} {
			if r := rel(got, w[k]); r > 4e-16 {
				t.Errorf("x=%v: v_%d = %v, deep fraction %v", x, k, got, w[k])
			}
		}
		// Q(x)/ϕ(x) from math.Erfc, within its argument-rounding error ~x²ε.
		if r := rel(v0, upperTail(x)/pdf(x)); r > 4e-16*(1+x*x) {
			t.Errorf("x=%v: Mills ratio %v vs erfc/pdf (rel %.3g)", x, v0, r)
		}
	}
}

// TestBernoulli checks the table B_{2j}/(2j)! against 2(−1)^{j+1}ζ(2j)/(2π)^{2j}.
func TestBernoulli(t *testing.T) {
	for j := 1; j < len(bernoulliOverFact); j++ {
		// ζ(2j): Σ_{k ≤ 200} k^{−2j} plus the midpoint tail
		// ∫_{200.5}^∞ x^{−2j} dx (error ~200^{−2j−2}); exact for j ≤ 2.
		zeta := bnew()
		for k := 200; k >= 1; k-- {
			term := bf(1)
			for range 2 * j {
				term.Quo(term, bf(float64(k)))
			}
			zeta.Add(zeta, term)
		}
		tail := bf(1)
		for range 2*j - 1 {
			tail.Quo(tail, bf(200.5))
		}
		zeta.Add(zeta, tail.Quo(tail, bf(float64(2*j-1))))
		pi2 := bnew().Mul(bigPi, bigPi)
		switch j {
		case 1:
			zeta = bnew().Quo(pi2, bf(6))
		case 2:
			zeta = bnew().Quo(bnew().Mul(pi2, pi2), bf(90))
		}
		want := bnew().Mul(bf(2), zeta)
		tp := bnew().Mul(bf(2), bigPi)
		for range 2 * j {
			want.Quo(want, tp)
		}
		if j%2 == 0 {
			want.Neg(want)
		}
		if e := relBig(bernoulliOverFact[j], want); e > 1e-15 {
			t.Errorf("j=%d: B/(2j)! = %v rel error %.3g", j, bernoulliOverFact[j], e)
		}
	}
}

// TestPieceAgainstBig checks the series moments of a narrow and a wide piece.
func TestPieceAgainstBig(t *testing.T) {
	for _, c := range []struct{ m, h float64 }{{0, 0.7}, {0.3, 0.6}, {2, 0.2}, {6.5, 1e-5}, {-3, 0.15}, {12, 0.04}} {
		i0, i1, i2 := piece(c.m, c.h, pdf(c.m))
		// Reference: 320-bit composite Simpson would be slow; use the exact
		// antiderivatives ∫u^kϕ(m+u) in big arithmetic instead.
		m, h := bf(c.m), bf(c.h)
		a, b := bnew().Sub(m, h), bnew().Add(m, h)
		pa, pb := bigPdf(a), bigPdf(b)
		j0 := bnew().Sub(bigCDF(b), bigCDF(a))
		// ∫_a^b zϕ = ϕ(a) − ϕ(b); ∫_a^b z²ϕ = J0 + aϕ(a) − bϕ(b).
		z1 := bnew().Sub(pa, pb)
		z2 := bnew().Add(j0, bnew().Sub(bnew().Mul(a, pa), bnew().Mul(b, pb)))
		// Moments about m: I1 = Z1 − mJ0; I2 = Z2 − 2mZ1 + m²J0.
		w1 := bnew().Sub(z1, bnew().Mul(m, j0))
		w2 := bnew().Sub(z2, bnew().Mul(bf(2), bnew().Mul(m, z1)))
		w2.Add(w2, bnew().Mul(bnew().Mul(m, m), j0))
		for k, pair := range []struct {
			got  float64
			want *big.Float
		}{{i0, j0}, {i1, w1}, {i2, w2}} {
			if c.m == 0 && k == 1 {
				if pair.got != 0 {
					t.Errorf("m=0: I1 = %v, want 0", pair.got)
				}
				continue
			}
			if e := relBig(pair.got, pair.want); e > 1e-14 {
				t.Errorf("m=%v h=%v: I%d = %v rel error %.3g", c.m, c.h, k, pair.got, e)
			}
		}
	}
}

func TestChiErrors(t *testing.T) {
	for _, c := range []struct {
		n int
		d float64
	}{{1, 1}, {0, 1}, {-3, 1}, {MaxLevels + 1, 1}, {4, 0}, {4, -1}, {4, math.NaN()}, {4, math.Inf(1)}} {
		if _, err := Chi(c.n, c.d); !errors.Is(err, ErrInvalid) {
			t.Errorf("Chi(%d, %v): err = %v, want ErrInvalid", c.n, c.d, err)
		}
	}
}

// TestChiSign: N = 2 gives χ = 2/π at every D (THEORY.md §6).
func TestChiSign(t *testing.T) {
	for _, d := range []float64{1e-9, 0.1, 1, 7, 1e6} {
		p, err := Chi(2, d)
		if err != nil {
			t.Fatal(err)
		}
		if rel(p.Chi, 2/math.Pi) > 4e-16 || rel(p.OneMinusChi, 1-2/math.Pi) > 4e-16 || math.Abs(p.DChi) > 1e-15 {
			t.Errorf("D=%v: χ = %v, 1−χ = %v, χ' = %v", d, p.Chi, p.OneMinusChi, p.DChi)
		}
	}
}

// TestChiNaiveAgreement: where the plain float64 formula still has digits
// (χ itself), it agrees with the library at rounding level, across spacings
// from 1e−6 to 50 (every branch of the evaluation).
func TestChiNaiveAgreement(t *testing.T) {
	for _, n := range []int{3, 4, 17, 128, 2000} {
		// Not beyond D = 5: the naive erfc(x/√2) loses x²ε to its argument.
		for _, d := range []float64{1e-6, 1e-3, 0.02, 0.2, 1, 2.5, 5} {
			p, _ := Chi(n, d)
			if r := rel(p.Chi, naiveChi(n, d)); r > 4e-15 {
				t.Errorf("N=%d D=%v: χ %v vs naive %v (rel %.3g)", n, d, p.Chi, naiveChi(n, d), r)
			}
		}
	}
}
