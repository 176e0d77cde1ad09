package solver

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/lmax-project/lmax/meanfield"
)

// unsignedGeneral returns uquant:n as meanfield's general quantizer (the
// O(n²) bivariate-CDF sums), the independent route the tests hold
// unsignedLattice to.
func unsignedGeneral(t testing.TB, n int) meanfield.Activation {
	t.Helper()
	phi, err := meanfield.Parse(fmt.Sprintf("uquant:%d", n))
	if err != nil {
		t.Fatal(err)
	}
	return phi
}

func mustUnsigned(t testing.TB, n int) Init {
	t.Helper()
	r, err := OptimizeUnsigned(n)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// unsignedXi returns ξ_c at (σ_w, σ_b) through phi, or NaN where undefined.
func unsignedXi(phi meanfield.Activation, sw, sb float64) float64 {
	net, err := meanfield.New(phi, sw, sb)
	if err != nil {
		return math.NaN()
	}
	fp, err := net.Solve(meanfield.DefaultQ0)
	if err != nil {
		return math.NaN()
	}
	return fp.XiC
}

// TestUnsignedLatticeMoments: the O(n) lattice moments against meanfield's
// O(n²) bivariate-CDF and density sums, over variances and correlations up
// to 1 − 1e−10: cross moments within 4e−15 of E[φ²] (observed 1.7e−15 at
// N = 256, ≤ 7e−16 below), slope moments within 4e−15·max(1, g_1²/q)
// relative (observed 1.3e−15), the factor the conditioning of the
// exponentials e^{−x²/(1+ρ)} far out in the tail (N = 2, q = 0.01). Unequal variances and ρ < 0 go to meanfield's sums (equal bit
// for bit), ρ = 1 gives E[φ²] and +Inf.
func TestUnsignedLatticeMoments(t *testing.T) {
	levels := []int{2, 3, 4, 8, 17, 64, 256}
	if testing.Short() {
		levels = []int{2, 3, 8, 64}
	}
	for _, n := range levels {
		fast, err := UnsignedActivation(n)
		if err != nil {
			t.Fatal(err)
		}
		slow := unsignedGeneral(t, n)
		if fast.String() != slow.String() {
			t.Errorf("String %q, want %q", fast, slow)
		}
		fc, sc := fast.(meanfield.CrossMomenter), slow.(meanfield.CrossMomenter)
		fs, ss := fast.(meanfield.SlopeMomenter), slow.(meanfield.SlopeMomenter)
		var worstC, worstS float64
		for _, q := range []float64{0.01, 0.05, 0.45, 2, 30} {
			second := meanfield.SecondMoment(slow, q)
			// The densities are exponentials of up to x²/(1 + ρ), x = g_1/√q
			// the nearest normalized threshold; rounding that exponent costs
			// both routes x² ulps.
			g1 := 0.5 / float64(n-1)
			cond := math.Max(1, g1*g1/q)
			for _, rho := range []float64{0, 0.1, 0.3, 0.6, 0.9, 0.99, 0.999, 0.9999, 0.99999, 1 - 1e-7, 1 - 1e-10} {
				worstC = math.Max(worstC, math.Abs(fc.CrossMoment(q, q, rho)-sc.CrossMoment(q, q, rho))/second)
				a, b := fs.SlopeMoment(q, q, rho), ss.SlopeMoment(q, q, rho)
				worstS = math.Max(worstS, math.Abs(a-b)/b/cond)
			}
			if got := fc.CrossMoment(q, q, 1); got != second {
				t.Errorf("N=%d q=%v: E[φ(u)φ(u)] = %v, E[φ²] = %v", n, q, got, second)
			}
			if got := fs.SlopeMoment(q, q, 1); !math.IsInf(got, 1) {
				t.Errorf("N=%d q=%v: slope moment at ρ = 1 = %v", n, q, got)
			}
			for _, c := range [][3]float64{{q, 2 * q, 0.5}, {q, q, -0.5}, {q, q, -1}} {
				if fc.CrossMoment(c[0], c[1], c[2]) != sc.CrossMoment(c[0], c[1], c[2]) ||
					fs.SlopeMoment(c[0], c[1], c[2]) != ss.SlopeMoment(c[0], c[1], c[2]) {
					t.Errorf("N=%d: %v not delegated", n, c)
				}
			}
		}
		if worstC > 4e-15 || worstS > 4e-15 {
			t.Errorf("N=%d: cross moments differ by %.3g of E[φ²], slope moments by %.3g relative (over max(1, x²))", n, worstC, worstS)
		}
		t.Logf("N=%d: cross %.2g, slope %.2g", n, worstC, worstS)
	}
	for _, bad := range []int{1, 0, MaxUnsignedLevels + 1} {
		if _, err := UnsignedActivation(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("UnsignedActivation(%d): %v", bad, err)
		}
		if _, err := OptimizeUnsigned(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("OptimizeUnsigned(%d): %v", bad, err)
		}
	}
}

// TestUnsignedMatchesMeanfield: OptimizeUnsigned against the same search
// (box, options) run through meanfield's general quantizer — what
// `lmax optimize --activation uquant:N --sigma-w 1..2.5 --sigma-b 0..0.6`
// computes. The searches take different paths once the objectives differ
// in the last bits, so σ_w and σ_b agree to the search tolerance (within
// 4(TolSigmaW + TolSigmaB) of each other) and ξ_c to 1e−11 relative
// (observed ≤ 1e−13).
func TestUnsignedMatchesMeanfield(t *testing.T) {
	levels := []int{2, 4, 5, 8, 16}
	if testing.Short() {
		levels = []int{2, 5, 8}
	}
	for _, n := range levels {
		fast := mustUnsigned(t, n)
		slow, err := OptimizeInit(unsignedGeneral(t, n), UnsignedBox(), InitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		tol := 4 * (fast.TolSigmaW + fast.TolSigmaB + slow.TolSigmaW + slow.TolSigmaB)
		if math.Abs(fast.SigmaW-slow.SigmaW) > tol || math.Abs(fast.SigmaB-slow.SigmaB) > tol ||
			math.Abs(fast.XiC-slow.XiC) > 1e-11*slow.XiC || fast.Activation != slow.Activation {
			t.Errorf("N=%d: lattice %+v\nmeanfield %+v", n, fast, slow)
		}
		t.Logf("N=%d: Δσ_w %.2g Δσ_b %.2g Δξ/ξ %.2g (tol %.2g)", n, fast.SigmaW-slow.SigmaW,
			fast.SigmaB-slow.SigmaB, (fast.XiC-slow.XiC)/slow.XiC, tol)
	}
}

// naiveOneMinusM returns 1 − M(1 − e) = σ_w² a² ∫_0^{θ(e)} G(θ) dθ/q for
// the canonical unsigned quantizer, independently of unsignedLattice: G as
// the plain double sum over threshold pairs, integrated by gonum's
// Gauss–Legendre (24 nodes) on panels in u = sin(θ/2) (ratio 1.5 towards
// u = 0, down to D/64).
func naiveOneMinusM(n int, sw, q, e float64) float64 {
	d := 1 / float64(n-1) / math.Sqrt(q)
	a := 1 / float64(n-1)
	g := func(u float64) float64 {
		// G(θ) dθ with θ = 2 arcsin u: dθ = 2 du/√(1 − u²).
		c2 := 1 - u*u
		var sum float64
		for k := 1; k < n; k++ {
			for m := 1; m < n; m++ {
				p, q := float64(k+m-1)*d, float64(k-m)*d
				sum += math.Exp(-p*p/(8*c2) - q*q/(8*u*u))
			}
		}
		return sum / (2 * math.Pi) * 2 / math.Sqrt(c2)
	}
	x, w := make([]float64, 24), make([]float64, 24)
	var total float64
	hi := math.Sqrt(e / 2)
	for hi > 0 {
		lo := hi / 1.5
		if hi < d/64 {
			lo = 0
		}
		quad.Legendre{}.FixedLocations(x, w, lo, hi)
		for i := range x {
			total += w[i] * g(x[i])
		}
		hi = lo
	}
	return sw * sw * a * a * total / q
}

// naiveUnsignedChi returns χ(1 − e) = σ_w² a² G(θ)/(q sin θ), sin(θ/2) = √(e/2), G
// as the plain double sum (see naiveOneMinusM).
func naiveUnsignedChi(n int, sw, q, e float64) float64 {
	d := 1 / float64(n-1) / math.Sqrt(q)
	a := 1 / float64(n-1)
	s2, c2 := e/2, 1-e/2
	var sum float64
	for k := 1; k < n; k++ {
		for m := 1; m < n; m++ {
			p, q := float64(k+m-1)*d, float64(k-m)*d
			sum += math.Exp(-p*p/(8*c2) - q*q/(8*s2))
		}
	}
	return sw * sw * a * a * sum / (2 * math.Pi) / (q * 2 * math.Sqrt(s2*c2))
}

// TestUnsignedOneMinusChi: c* and 1 − χ(c*) of the scheme against an
// independent solution of e = 1 − M(1 − e) (naiveOneMinusM, by the
// Illinois variant of regula falsi) at the scheme's σ_w and q*, which like
// the scheme uses M(1) = 1 rather than subtracting numbers near 1: 1 − c*
// within 1e−13 relative, χ(c*) and 1 − χ(c*) within 1e−13 (observed ≤ 2e−15
// up to N = 64). meanfield's own c* (OptimizeInit's, from M(c) − c) is
// off by up to 1e−16/(1 − χ) absolute: 2.5e−12 relative in 1 − c* and
// 1 − χ at N = 64, the reason the scheme re-solves for c*.
func TestUnsignedOneMinusChi(t *testing.T) {
	levels := []int{2, 3, 8, 16, 64}
	if testing.Short() {
		levels = []int{2, 3, 8}
	}
	for _, n := range levels {
		s, err := Unsigned.Canonical(n, DefaultKappa)
		if err != nil {
			t.Fatal(err)
		}
		f := func(e float64) float64 { return e - naiveOneMinusM(n, s.SigmaW, s.QStar, e) }
		// Bracket around the scheme's e* and shrink by regula falsi.
		e0 := 1 - s.CStar
		a, b := e0*(1-1e-6), e0*(1+1e-6)
		fa, fb := f(a), f(b)
		if !(fa < 0 && fb > 0) {
			t.Fatalf("N=%d: no bracket: f(%v) = %v, f(%v) = %v", n, a, fa, b, fb)
		}
		side := 0
		for iter := 0; iter < 100 && b-a > 2e-16*b; iter++ {
			c := (a*fb - b*fa) / (fb - fa)
			fc := f(c)
			if fc == 0 {
				a, b = c, c
				break
			}
			if fc < 0 {
				a, fa = c, fc
				if side == -1 {
					fb /= 2
				}
				side = -1
			} else {
				b, fb = c, fc
				if side == 1 {
					fa /= 2
				}
				side = 1
			}
		}
		e := (a + b) / 2
		// χ(c*) as the plain double sum of densities at sin(θ/2) = √(e/2),
		// so that ρ = 1 − e is never rounded.
		chi := naiveUnsignedChi(n, s.SigmaW, s.QStar, e)
		re := math.Abs(e-e0) / e
		rc := math.Abs(s.OneMinusChi-(1-chi)) / s.OneMinusChi
		if re > 1e-13 || rc > 1e-13 || math.Abs(s.ChiMax-chi) > 1e-13*chi {
			t.Errorf("N=%d: 1 − c* %v vs %v (rel %.2g), 1 − χ %v vs %v (rel %.2g)", n, e0, e, re, s.OneMinusChi, 1-chi, rc)
		}
		r := mustUnsigned(t, n)
		t.Logf("N=%d: 1 − χ = %.6g; rel. difference in 1 − c* %.2g, in 1 − χ %.2g; meanfield's c*: %.2g, %.2g", n, s.OneMinusChi,
			re, rc, math.Abs(1-r.CStar-e)/e, math.Abs(1-r.ChiCStar-(1-chi))/(1-chi))
	}
}

// TestUnsignedIsMaximum: ξ_c, evaluated through meanfield's general
// quantizer, falls when σ_w or σ_b moves by 1e−3 relative (σ_b by 1e−3
// absolute from 0) either way inside the box, and along the diagonals.
func TestUnsignedIsMaximum(t *testing.T) {
	levels := []int{2, 3, 4, 5, 8, 16}
	if testing.Short() {
		levels = []int{3, 8}
	}
	for _, n := range levels {
		r := mustUnsigned(t, n)
		phi := unsignedGeneral(t, n)
		xi := unsignedXi(phi, r.SigmaW, r.SigmaB)
		hw, hb := 1e-3*r.SigmaW, math.Max(1e-3*r.SigmaB, 1e-3)
		for _, d := range [][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, -1}, {1, -1}, {-1, 1}} {
			sb := r.SigmaB + d[1]*hb
			if sb < 0 {
				continue // σ_b = 0 is the edge of the box
			}
			if v := unsignedXi(phi, r.SigmaW+d[0]*hw, sb); !(v < xi) {
				t.Errorf("N=%d: ξ(%v, %v) = %v ≥ ξ at the optimum %v", n, r.SigmaW+d[0]*hw, sb, v, xi)
			}
		}
	}
}

// TestUnsignedDenseScan: an independent dense scan (meanfield's general
// quantizer on a 41 × 41 grid over the box, then 21 × 21 grids of steps
// 5e−3, 5e−4 and 5e−5 around the best point so far) finds no ξ_c above the
// optimum's (beyond 1e−13 relative, rounding), and its best point lies
// within two fine steps (1e−4) of the optimum in σ_w and σ_b (the ridge of
// ξ_c runs diagonally, so the best grid point need not be the nearest).
func TestUnsignedDenseScan(t *testing.T) {
	n := 6
	if testing.Short() {
		t.Skip("3000 fixed-point solves")
	}
	r := mustUnsigned(t, n)
	phi := unsignedGeneral(t, n)
	box := UnsignedBox()
	scan := func(w0, w1, b0, b1 float64, k int) (bw, bb, bx float64) {
		xs := make([]float64, k*k)
		parallelFor(k*k, func(i int) {
			w := w0 + (w1-w0)*float64(i%k)/float64(k-1)
			b := b0 + (b1-b0)*float64(i/k)/float64(k-1)
			xs[i] = unsignedXi(phi, w, math.Max(b, 0))
		})
		bx = math.Inf(-1)
		for i, x := range xs {
			if x > bx {
				bx = x
				bw = w0 + (w1-w0)*float64(i%k)/float64(k-1)
				bb = math.Max(0, b0+(b1-b0)*float64(i/k)/float64(k-1))
			}
		}
		return bw, bb, bx
	}
	w, b, _ := scan(box.SigmaWMin, box.SigmaWMax, box.SigmaBMin, box.SigmaBMax, 41)
	const h = 5e-5
	var x float64
	for _, step := range []float64{100 * h, 10 * h, h} {
		w, b, x = scan(w-10*step, w+10*step, b-10*step, b+10*step, 21)
	}
	if x > r.XiC*(1+1e-13) || math.Abs(w-r.SigmaW) > 2*h || math.Abs(b-r.SigmaB) > 2*h {
		t.Errorf("scan: ξ(%v, %v) = %v; optimum ξ(%v, %v) = %v", w, b, x, r.SigmaW, r.SigmaB, r.XiC)
	}
}

// TestUnsignedBias: whether σ_b > 0 helps. The search with σ_b fixed at 0
// (a zero-width side of the box) against the full box: for N ≤ 4 the
// optimum is σ_b = 0 (the full search returns it), from N = 5 on a bias
// lengthens ξ_c, by a growing margin (observed +0.0026 % at N = 5,
// +0.16 % at 8, +0.86 % at 16, +3.1 % at 64).
func TestUnsignedBias(t *testing.T) {
	levels := []int{2, 3, 4, 5, 6, 8, 16}
	if testing.Short() {
		levels = []int{2, 4, 5, 8}
	}
	prev := 0.0
	for _, n := range levels {
		full := mustUnsigned(t, n)
		phi, _ := UnsignedActivation(n)
		box := UnsignedBox()
		box.SigmaBMax = 0
		zero, err := OptimizeInit(phi, box, InitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		gain := full.XiC/zero.XiC - 1
		t.Logf("N=%d: σ_b = %.4g, gain %.3g %% (ξ %v against %v at σ_b = 0, σ_w %v)", n, full.SigmaB, 100*gain, full.XiC, zero.XiC, zero.SigmaW)
		if n <= 4 {
			if full.SigmaB > 1e-6 || math.Abs(gain) > 1e-12 {
				t.Errorf("N=%d: σ_b = %v, gain %v; want the edge σ_b = 0", n, full.SigmaB, gain)
			}
			continue
		}
		if !(full.SigmaB > 0.05 && gain > prev) {
			t.Errorf("N=%d: σ_b = %v, gain %v (previous %v)", n, full.SigmaB, gain, prev)
		}
		prev = gain
	}
}

// TestUnsignedScheme checks the scheme against the definitions it claims,
// through meanfield's general quantizer at the scheme's (σ_w, σ_b):
// V(q*) = q*, M(c*) = c*, χ(c*) = ChiMax, Spacing = δ/√q*, VarHat =
// E[φ(√q* z)²], the unsigned STE condition σ_w² s² P(0 ≤ u ≤ 1) = 1,
// ξ = −1/ln χ, L_max = κξ, the quantizer's levels, thresholds and window,
// and the JSON keys.
func TestUnsignedScheme(t *testing.T) {
	for _, n := range []int{2, 3, 8} {
		s, err := Unsigned.Canonical(n, 4)
		if err != nil {
			t.Fatal(err)
		}
		phi := unsignedGeneral(t, n)
		net, _ := meanfield.New(phi, s.SigmaW, s.SigmaB)
		delta := 1 / float64(n-1)
		if s.Family != Unsigned || s.Method != Exact || s.Delta != delta || s.Amplitude != 1 || s.Levels != n ||
			s.Bits != math.Log2(float64(n)) || s.Kappa != 4 || !s.HasSpacing() {
			t.Errorf("N=%d: %+v", n, s)
		}
		if rel := math.Abs(net.V(s.QStar)-s.QStar) / s.QStar; rel > 1e-15 {
			t.Errorf("N=%d: V(q*) − q* = %.3g relative", n, rel)
		}
		if d := math.Abs(net.M(s.QStar, s.CStar) - s.CStar); d > 1e-15 || !(s.CStar > 0.5 && s.CStar < 1) {
			t.Errorf("N=%d: c* = %v, M(c*) − c* = %v", n, s.CStar, d)
		}
		if rel := math.Abs(net.Chi(s.QStar, s.CStar)-s.ChiMax) / s.ChiMax; rel > 1e-14 {
			t.Errorf("N=%d: χ(c*) %v vs %v", n, net.Chi(s.QStar, s.CStar), s.ChiMax)
		}
		if s.Spacing != delta/math.Sqrt(s.QStar) || math.Abs(s.VarHat-meanfield.SecondMoment(phi, s.QStar)) > 1e-16 {
			t.Errorf("N=%d: spacing %v, var_hat %v", n, s.Spacing, s.VarHat)
		}
		ste := s.STE()
		// P(0 ≤ u ≤ 1) by the complementary tails, independently of erf.
		p := 0.5 - 0.5*math.Erfc(1/math.Sqrt(2*s.QStar))
		if ste.Lo != 0 || ste.Hi != 1 || math.Abs(s.SigmaW*s.SigmaW*s.STESlope*s.STESlope*p-1) > 4e-16 {
			t.Errorf("N=%d: STE %+v, σ_w² s² P − 1 = %v", n, ste, s.SigmaW*s.SigmaW*s.STESlope*s.STESlope*p-1)
		}
		if math.Abs(s.Xi+1/math.Log(s.ChiMax)) > 1e-14*s.Xi || s.LMax != 4*s.Xi || s.OneMinusChi != 1-s.ChiMax {
			t.Errorf("N=%d: ξ %v L_max %v", n, s.Xi, s.LMax)
		}
		q, err := s.Quantizer()
		if err != nil {
			t.Fatal(err)
		}
		g, y := s.Thresholds(), s.LevelValues()
		qg, qy := q.Thresholds(), q.Levels()
		for k := range g {
			if g[k] != qg[k] || g[k] != delta*(float64(k)+0.5) {
				t.Errorf("N=%d: threshold %d = %v, quantizer %v", n, k, g[k], qg[k])
			}
		}
		for k := range y {
			if y[k] != qy[k] || y[k] != float64(k)/float64(n-1) {
				t.Errorf("N=%d: level %d = %v, quantizer %v", n, k, y[k], qy[k])
			}
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var rec map[string]any
		if err := json.Unmarshal(b, &rec); err != nil {
			t.Fatal(err)
		}
		if rec["quantizer"] != "unsigned" || rec["c_star"].(float64) != s.CStar || rec["sigma_b"].(float64) != s.SigmaB ||
			rec["spacing"].(float64) != s.Spacing || rec["delta"].(float64) != delta || rec["thresholds"] != nil {
			t.Errorf("N=%d: JSON %s", n, b)
		}
	}
	for _, c := range []struct {
		n     int
		kappa float64
	}{{1, 6}, {MaxUnsignedLevels + 1, 6}, {4, 0}, {4, math.NaN()}} {
		if _, err := Unsigned.Canonical(c.n, c.kappa); !errors.Is(err, ErrInvalid) {
			t.Errorf("Canonical(%d, %v): %v", c.n, c.kappa, err)
		}
	}
	if _, err := Unsigned.Sweep([]int{4, 300}, 6); !errors.Is(err, ErrInvalid) {
		t.Errorf("Sweep beyond MaxUnsignedLevels: %v", err)
	}
}

// unsignedMonotoneLevels are the N of TestUnsignedLMaxIncreases: every N to
// 24 and 32, 48, 64 (every N to 12 in -short); with LMAX_LONG=1 every N to
// 64, then steps of 16 to 128 and of 32 to MaxUnsignedLevels.
func unsignedMonotoneLevels() []int {
	switch {
	case os.Getenv("LMAX_LONG") != "":
		out := levelsRange(2, 64)
		for n := 80; n <= 128; n += 16 {
			out = append(out, n)
		}
		for n := 160; n <= MaxUnsignedLevels; n += 32 {
			out = append(out, n)
		}
		return out
	case testing.Short():
		return levelsRange(2, 12)
	}
	return append(levelsRange(2, 24), 32, 48, 64)
}

// TestUnsignedLMaxIncreases: L_max of the Unsigned schemes rises strictly
// with N (the premise of LevelsFor), the optima stay inside the box (off
// every edge but σ_b = 0), and LevelsFor returns the smallest N that
// reaches a depth. LMAX_LONG=1 extends the ladder to MaxUnsignedLevels
// (about 5 minutes on two cores; notebooks/compare also covers the powers
// of 2 to 256).
func TestUnsignedLMaxIncreases(t *testing.T) {
	levels := unsignedMonotoneLevels()
	ss, err := Unsigned.Sweep(levels, 4)
	if err != nil {
		t.Fatal(err)
	}
	box := UnsignedBox()
	for i, s := range ss {
		if i > 0 && !(s.LMax > ss[i-1].LMax) {
			t.Errorf("L_max(%d) = %v ≤ L_max(%d) = %v", s.Levels, s.LMax, ss[i-1].Levels, ss[i-1].LMax)
		}
		margin := 0.1
		if s.SigmaW < box.SigmaWMin+margin || s.SigmaW > box.SigmaWMax-margin || s.SigmaB > box.SigmaBMax-margin ||
			(s.Levels > 4 && s.SigmaB < 0.05) {
			t.Errorf("N=%d: optimum σ_w = %v, σ_b = %v near the edge of %+v", s.Levels, s.SigmaW, s.SigmaB, box)
		}
	}
	for _, i := range []int{0, 1, 6} {
		s := ss[i]
		for _, c := range []struct {
			depth float64
			want  int
		}{{s.LMax, s.Levels}, {math.Nextafter(s.LMax, math.Inf(1)), s.Levels + 1}} {
			n, bits, got, err := Unsigned.LevelsFor(c.depth, 4)
			if err != nil || n != c.want || bits != bitsFor(n) || got.Family != Unsigned || got.LMax < c.depth {
				t.Errorf("depth %v: N = %d, want %d (%v)", c.depth, n, c.want, err)
			}
		}
	}
}

// TestUnsignedLevelsForLimit: a depth beyond L_max(MaxUnsignedLevels) is
// rejected at once, naming the limit; the tabulated ξ(MaxUnsignedLevels)
// is the computed one rounded up (1e−12 relative).
func TestUnsignedLevelsForLimit(t *testing.T) {
	if _, _, _, err := Unsigned.LevelsFor(1e6, 6); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "beyond") {
		t.Errorf("unreachable depth: %v", err)
	}
	if os.Getenv("LMAX_LONG") == "" {
		t.Skip("optimizes N = 256 (half a minute); set LMAX_LONG=1")
	}
	s, err := Unsigned.Canonical(MaxUnsignedLevels, 6)
	if err != nil {
		t.Fatal(err)
	}
	if !(xiMaxUnsigned >= s.Xi && xiMaxUnsigned-s.Xi < 1e-12*s.Xi) {
		t.Errorf("xiMaxUnsigned = %v, ξ(%d) = %v", xiMaxUnsigned, MaxUnsignedLevels, s.Xi)
	}
}

func BenchmarkUnsignedLatticeCrossMoment256(b *testing.B) {
	phi, _ := UnsignedActivation(256)
	cm := phi.(meanfield.CrossMomenter)
	for b.Loop() {
		cm.CrossMoment(0.45, 0.45, 0.999)
	}
}

func BenchmarkUnsignedGeneralCrossMoment256(b *testing.B) {
	cm := unsignedGeneral(b, 256).(meanfield.CrossMomenter)
	for b.Loop() {
		cm.CrossMoment(0.45, 0.45, 0.999)
	}
}

// BenchmarkUnsignedOptimize16 is one search (OptimizeUnsigned without its
// memo).
func BenchmarkUnsignedOptimize16(b *testing.B) {
	phi, _ := UnsignedActivation(16)
	for b.Loop() {
		if _, err := OptimizeInit(phi, UnsignedBox(), InitOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// The unsigned quantizer's best initialization has a bias: its mean
// E[φ] > 0 already puts c* above 0.
func ExampleFamily_unsigned() {
	s, err := Unsigned.Canonical(8, DefaultKappa)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("σ_w = %.4f, σ_b = %.4f, c* = %.4f, ξ = %.3f, L_max = %.2f\n", s.SigmaW, s.SigmaB, s.CStar, s.Xi, s.LMax)
	// Output:
	// σ_w = 1.5859, σ_b = 0.1095, c* = 0.9197, ξ = 7.379, L_max = 44.28
}

// TestUnsignedDeterministic: the search gives the same bits whatever
// GOMAXPROCS (the coarse grid runs in parallel).
func TestUnsignedDeterministic(t *testing.T) {
	phi, _ := UnsignedActivation(6)
	a, err := OptimizeInit(phi, UnsignedBox(), InitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	prev := runtime.GOMAXPROCS(1)
	b, err := OptimizeInit(phi, UnsignedBox(), InitOptions{})
	runtime.GOMAXPROCS(prev)
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Errorf("GOMAXPROCS %d: %+v\nGOMAXPROCS 1: %+v", prev, a, b)
	}
}
