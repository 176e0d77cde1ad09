package solver

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/quantize"
	"gonum.org/v1/gonum/lapack/gonum"
)

func mustLloydMax(t testing.TB, n int) LloydMaxOptimum {
	t.Helper()
	o, err := OptimizeLloydMax(n)
	if err != nil {
		t.Fatalf("OptimizeLloydMax(%d): %v", n, err)
	}
	return o
}

// TestLloydMaxTables checks the published tables: Max (1960), Table 1, to
// one unit of the last digit printed (positive thresholds and levels; the
// distortion for N = 3, 5, 6, 7; Max's 0.5006 for N = 8 is 0.500550), and the 10-decimal Lloyd–Max centroids and 6-digit
// distortions for N = 2, 4, 8, 16 of an independent codebook table. Max's
// distortion for N = 8 (0.03454) is off in its last digit, and for N = 16
// (0.009497) by 4e−6; the second table has 0.034548 and 0.009501.
func TestLloydMaxTables(t *testing.T) {
	for _, c := range []struct {
		n          int
		thresholds []float64 // positive ones, ascending
		levels     []float64 // non-negative ones, ascending
		tol        float64   // a unit of the last digit printed (half for the 10-decimal table)
		dist       float64
		distTol    float64
	}{
		{3, []float64{0.6120}, []float64{0, 1.2240}, 1e-4, 0.1902, 1e-4},
		{4, []float64{0, 0.9816}, []float64{0.4528}, 1e-4, 0.1175, 1e-4},
		{4, nil, []float64{1.510}, 1e-3, 0.1175, 1e-4},
		{5, []float64{0.3823}, []float64{0, 0.7646}, 1e-4, 0.07994, 1e-5},
		{5, []float64{1.244}, []float64{1.724}, 1e-3, 0.07994, 1e-5},
		{6, []float64{0, 0.6589}, []float64{0.3177}, 1e-4, 0.05798, 1e-5},
		{6, []float64{1.447}, []float64{1.000, 1.894}, 1e-3, 0.05798, 1e-5},
		{7, []float64{0.2803, 0.8744}, []float64{0, 0.5606}, 1e-4, 0.04400, 1e-5},
		{7, []float64{1.611}, []float64{1.188, 2.033}, 1e-3, 0.04400, 1e-5},
		{8, []float64{0, 0.5006}, []float64{0.2451, 0.7560}, 1e-4, 0.034548, 5e-7},
		{8, []float64{1.050, 1.748}, []float64{1.344, 2.152}, 1e-3, 0.034548, 5e-7},
		{2, []float64{0}, []float64{0.7978845608}, 6e-11, 0.363380, 5e-7},
		{4, nil, []float64{0.4527800346, 1.5104176085}, 6e-11, 0.117482, 5e-7},
		{8, nil, []float64{0.2450941789, 0.7560052812, 1.3439092785, 2.1519457045}, 6e-11, 0.034548, 5e-7},
		{16, nil, []float64{0.1283950299, 0.3880482995, 0.6567591185, 0.9423404565, 1.2562311973,
			1.618046386, 2.0690172265, 2.732589571}, 6e-11, 0.009501, 5e-7},
	} {
		o := mustLloydMax(t, c.n)
		contains := func(xs []float64, v float64) bool {
			for _, x := range xs {
				if math.Abs(x-v) <= c.tol {
					return true
				}
			}
			return false
		}
		for _, g := range c.thresholds {
			if !contains(o.Thresholds, g) {
				t.Errorf("N=%d: no threshold within %g of %v: %v", c.n, c.tol, g, o.Thresholds)
			}
		}
		for _, y := range c.levels {
			if !contains(o.Values, y) {
				t.Errorf("N=%d: no level within %g of %v: %v", c.n, c.tol, y, o.Values)
			}
		}
		if math.Abs(o.OneMinusChi-c.dist) > c.distTol {
			t.Errorf("N=%d: distortion %v, table %v", c.n, o.OneMinusChi, c.dist)
		}
	}
}

// TestLloydMaxClosedForms: N = 2 is sign with levels ±√(2/π) and χ = 2/π;
// N = 3 is a uniform symmetric quantizer (every odd 3-level quantizer is),
// so its thresholds are ±D_opt(3)/2 and χ_max equals the uniform optimum.
func TestLloydMaxClosedForms(t *testing.T) {
	o := mustLloydMax(t, 2)
	if o.Thresholds[0] != 0 || o.Values[1] != math.Sqrt(2/math.Pi) || o.Values[0] != -o.Values[1] ||
		o.Chi != 2/math.Pi || o.OneMinusChi != 1-2/math.Pi {
		t.Errorf("N=2: %+v", o)
	}
	o3 := mustLloydMax(t, 3)
	u := mustOptimum(t, 3)
	if rel(o3.Thresholds[1], u.Spacing/2) > 1e-14 || rel(o3.OneMinusChi, u.OneMinusChi) > 2e-15 ||
		rel(o3.Chi, u.Chi) > 2e-16 || o3.Values[1] != 0 {
		t.Errorf("N=3: Lloyd–Max %v (1−χ %v), uniform D/2 %v (1−χ %v)",
			o3.Thresholds, o3.OneMinusChi, u.Spacing/2, u.OneMinusChi)
	}
}

// bigCentroid returns E[z | a < z < b] in 320-bit arithmetic (b = +Inf
// allowed): (ϕ(a) − ϕ(b))/(Ψ(b) − Ψ(a)).
func bigCentroid(a, b float64) *big.Float {
	num := bigPdf(bf(a))
	den := bnew().Neg(bigCDF(bf(a)))
	if math.IsInf(b, 1) {
		den.Add(den, bf(1))
	} else {
		num.Sub(num, bigPdf(bf(b)))
		den.Add(den, bigCDF(bf(b)))
	}
	return num.Quo(num, den)
}

// TestLloydMaxAgainstBig verifies the solution independently: the
// optimality conditions F_k = p_k − (c_below + c_above)/2 are evaluated at
// the returned thresholds in 320-bit arithmetic, and one Newton step
// δ = −J⁻¹F (float64 Jacobian; Newton converges quadratically, so p + δ is
// the exact solution to far below float64 rounding) measures the error of
// each threshold. Thresholds are within 5e−15 relative (|δ|/p), levels within
// 5e−15 of the 320-bit centroids at p + δ, and 1 − χ within 1e−15 relative
// of its 320-bit value 1 − Σ c_j² P_j (observed at N ≤ 256: 1.1e−15,
// 1.05e−15 and 2.2e−16).
func TestLloydMaxAgainstBig(t *testing.T) {
	levels := []int{3, 4, 5, 8, 9, 16, 33, 64}
	if !testing.Short() {
		levels = append(levels, 256)
	}
	for _, n := range levels {
		o := mustLloydMax(t, n)
		k := (n - 1) / 2
		p := o.Thresholds[n-1-k:]
		lm := lloydMax{n: n, even: n%2 == 0}
		f := make([]float64, k)
		lm.residual(p, f) // fills the float64 Jacobian's ingredients
		// Big residual.
		edgeLo := func(j int) float64 { a, _ := lm.edges(p, j); return a }
		edgeHi := func(j int) float64 { _, b := lm.edges(p, j); return b }
		cent := make([]*big.Float, lm.bins(p))
		for j := range cent {
			cent[j] = bigCentroid(edgeLo(j), edgeHi(j))
		}
		rhs := make([]float64, k)
		for i := 0; i < k; i++ {
			below, above := lm.around(i)
			cb := bnew()
			if below >= 0 {
				cb = cent[below]
			}
			fk := bnew().Add(cb, cent[above])
			fk.Quo(fk, bf(2))
			fk.Sub(bf(p[i]), fk)
			v, _ := fk.Float64()
			rhs[i] = -v
		}
		dl, d, du := make([]float64, k), make([]float64, k), make([]float64, k)
		for i := 0; i < k; i++ {
			below, above := lm.around(i)
			db := 0.0
			if below >= 0 {
				db = lm.dcb[below]
			}
			d[i] = 1 - (db+lm.dca[above])/2
			if i > 0 {
				dl[i-1] = -lm.dca[below] / 2
			}
			if i+1 < k {
				du[i] = -lm.dcb[above] / 2
			}
		}
		if !(gonum.Implementation{}).Dgtsv(k, 1, dl, d, du, rhs, 1) {
			t.Fatal("singular")
		}
		worst := 0.0
		for i := range p {
			worst = math.Max(worst, math.Abs(rhs[i])/p[i])
		}
		if worst > 5e-15 {
			t.Errorf("N=%d: thresholds off by up to %.3g relative", n, worst)
		}
		// Levels and χ at the corrected thresholds p + δ.
		pc := make([]float64, k)
		for i := range p {
			pc[i] = p[i] + rhs[i]
		}
		sum := bnew()
		for j := range cent {
			a, b := lm.edges(pc, j)
			c := bigCentroid(a, b)
			y := o.Values[n-len(cent)+j]
			if e := relBig(y, c); e > 5e-15 {
				t.Errorf("N=%d: level %d = %v, 320-bit %v (rel %.3g)", n, j, y, c, e)
			}
			pr := bnew().Neg(bigCDF(bf(a)))
			if math.IsInf(b, 1) {
				pr.Add(pr, bf(1))
			} else {
				pr.Add(pr, bigCDF(bf(b)))
			}
			pr.Mul(pr, bnew().Mul(c, c))
			sum.Add(sum, pr.Add(pr, pr))
		}
		omc := bnew().Sub(bf(1), sum)
		if e := relBig(o.OneMinusChi, omc); e > 1e-15 {
			t.Errorf("N=%d: 1 − χ = %v, 320-bit %v (rel %.3g)", n, o.OneMinusChi, omc, e)
		}
	}
}

// naiveLloydChi returns χ = (E[zφ])²/E[φ²] for thresholds g (any order-
// preserving set) with centroid levels, by plain erfc and exp:
// χ = Σ_j m_j²/P_j, m_j = ϕ(g_j) − ϕ(g_{j+1}). It shares no code with the
// solver.
func naiveLloydChi(g []float64) float64 {
	var chi float64
	for j := 0; j <= len(g); j++ {
		a, b := math.Inf(-1), math.Inf(1)
		if j > 0 {
			a = g[j-1]
		}
		if j < len(g) {
			b = g[j]
		}
		dens := func(x float64) float64 {
			if math.IsInf(x, 0) {
				return 0
			}
			return math.Exp(-x*x/2) / math.Sqrt(2*math.Pi)
		}
		pr := 0.5*math.Erfc(-b/math.Sqrt2) - 0.5*math.Erfc(-a/math.Sqrt2)
		if a > 0 {
			pr = 0.5*math.Erfc(a/math.Sqrt2) - 0.5*math.Erfc(b/math.Sqrt2)
		}
		m := dens(a) - dens(b)
		chi += m * m / pr
	}
	return chi
}

// TestLloydMaxIsMaximum: χ is stationary and maximal at the returned
// thresholds. Moving any one threshold, or all of them along a smooth or an
// alternating direction, by ±h lowers the independently evaluated χ
// (naiveLloydChi) by a loss that scales as h² (ratio of the losses at h =
// 1e−3 and 2e−3 within 10% of 1/4); the gradient along each direction,
// extracted from the odd part of the loss by Richardson's rule (which
// removes the h³ term), is below 1e−10, against a curvature of order
// 1e−3 and the naive sums' rounding noise of ~1e−13.
func TestLloydMaxIsMaximum(t *testing.T) {
	for _, n := range []int{4, 5, 8, 13, 32} {
		o := mustLloydMax(t, n)
		chi0 := naiveLloydChi(o.Thresholds)
		if rel(chi0, o.Chi) > 1e-14 {
			t.Errorf("N=%d: naive χ %v, solver %v", n, chi0, o.Chi)
		}
		m := len(o.Thresholds)
		dirs := [][]float64{}
		for i := 0; i < m; i++ {
			e := make([]float64, m)
			e[i] = 1
			dirs = append(dirs, e)
		}
		smooth := make([]float64, m)
		alt := make([]float64, m)
		for i := range smooth {
			smooth[i] = math.Sin(float64(i+1) / float64(m+1) * math.Pi)
			alt[i] = float64(1 - 2*(i%2))
		}
		dirs = append(dirs, smooth, alt)
		const h = 1e-3
		for di, dir := range dirs {
			loss := func(h float64) float64 {
				g := make([]float64, m)
				for i := range g {
					g[i] = o.Thresholds[i] + h*dir[i]
				}
				return chi0 - naiveLloydChi(g)
			}
			l1p, l1m, l2p, l2m := loss(h), loss(-h), loss(2*h), loss(-2*h)
			if !(l1p > 0 && l1m > 0 && l2p > 0 && l2m > 0) {
				t.Errorf("N=%d dir %d: χ rises: %v %v %v %v", n, di, l1p, l1m, l2p, l2m)
				continue
			}
			if r := (l1p + l1m) / (l2p + l2m); math.Abs(r-0.25) > 0.025 {
				t.Errorf("N=%d dir %d: loss ratio %v, want 1/4", n, di, r)
			}
			// odd(h) = −(g h + b h³): g = −(8 odd(h) − odd(2h))/(6h).
			odd1, odd2 := (l1p-l1m)/2, (l2p-l2m)/2
			if grad := math.Abs(8*odd1-odd2) / (6 * h); grad > 1e-10 {
				t.Errorf("N=%d dir %d: gradient %.3g", n, di, grad)
			}
		}
	}
}

// TestLloydMaxBeatsUniform: 1 − χ_max of the Lloyd–Max quantizer is below
// that of the optimal uniform quantizer for every N from 4 to 400 and on a
// grid to 2^16 (equal for N = 2, 3, where the uniform family holds every odd
// quantizer); and the optimality conditions hold: g_k = (y_{k−1} + y_k)/2 to
// the rounding of the stored numbers (2 ulp of g_k plus 4 of the bin), both
// sequences strictly increasing and exactly antisymmetric, χ + (1 − χ) = 1
// to 3 ulp.
func TestLloydMaxBeatsUniform(t *testing.T) {
	levels := levelsRange(2, 400)
	for n := 512; n <= MaxLloydMaxLevels; n *= 2 {
		levels = append(levels, n, n+1)
	}
	if testing.Short() {
		levels = levels[:len(levels)-4]
	}
	for _, n := range levels {
		if n > MaxLloydMaxLevels {
			continue
		}
		o := mustLloydMax(t, n)
		u := mustOptimum(t, n)
		switch {
		case n <= 3:
			if rel(o.OneMinusChi, u.OneMinusChi) > 2e-15 {
				t.Errorf("N=%d: %v vs uniform %v", n, o.OneMinusChi, u.OneMinusChi)
			}
		case !(o.OneMinusChi < u.OneMinusChi):
			t.Errorf("N=%d: Lloyd–Max 1−χ %v not below uniform %v", n, o.OneMinusChi, u.OneMinusChi)
		}
		if math.Abs(o.Chi+o.OneMinusChi-1) > 7e-16 {
			t.Errorf("N=%d: χ + (1−χ) − 1 = %.3g", n, o.Chi+o.OneMinusChi-1)
		}
		g, y := o.Thresholds, o.Values
		if len(g) != n-1 || len(y) != n {
			t.Fatalf("N=%d: %d thresholds, %d levels", n, len(g), len(y))
		}
		for k := range g {
			if g[k] != -g[n-2-k] || (k > 0 && !(g[k] > g[k-1])) {
				t.Errorf("N=%d: thresholds not ordered/antisymmetric at %d", n, k)
				break
			}
			w := y[k+1] - y[k]
			if mid := (y[k] + y[k+1]) / 2; math.Abs(mid-g[k]) > 0x1p-52*(2*math.Abs(g[k])+4*w) {
				t.Errorf("N=%d: g_%d = %v, midpoint %v", n, k+1, g[k], mid)
				break
			}
		}
		for j := range y {
			if y[j] != -y[n-1-j] || (j > 0 && !(y[j] > y[j-1])) {
				t.Errorf("N=%d: levels not ordered/antisymmetric at %d", n, j)
				break
			}
		}
	}
}

// TestLloydMaxPanterDite: N²(1 − χ_max) rises monotonically to the
// Panter–Dite constant √3π/2 of the normal density (Panter and Dite 1951;
// Gersho and Gray §6.3): within 1e−4 at N = 2^16, and the local exponent
// log2((1 − χ(N))/(1 − χ(2N))) rises towards 2 from below.
func TestLloydMaxPanterDite(t *testing.T) {
	pd := math.Sqrt(3) * math.Pi / 2
	top := MaxLloydMaxLevels
	if testing.Short() {
		top = 1 << 12
	}
	prevC, prevExp := 0.0, 0.0
	var prev LloydMaxOptimum
	for n := 2; n <= top; n *= 2 {
		o := mustLloydMax(t, n)
		c := float64(n) * float64(n) * o.OneMinusChi
		if !(c > prevC && c < pd) {
			t.Errorf("N=%d: N²(1−χ) = %v after %v (limit %v)", n, c, prevC, pd)
		}
		if n > 2 {
			p := math.Log2(prev.OneMinusChi / o.OneMinusChi)
			if !(p > prevExp && p < 2) {
				t.Errorf("N=%d: local exponent %v after %v", n, p, prevExp)
			}
			prevExp = p
		}
		prevC, prev = c, o
	}
	if top == MaxLloydMaxLevels && rel(prevC, pd) > 1e-4 {
		t.Errorf("N=2^16: N²(1−χ) = %v, Panter–Dite %v", prevC, pd)
	}
}

// TestLloydMaxMeanfield cross-checks χ through package meanfield's general
// quantized activation: quantize.New(thresholds, levels) wrapped in
// meanfield.Quantized, in a network with σ_w² = 1/χ_max, σ_b = 0, has the
// variance fixed point q* = 1 (V(1) = 1) and χ(c* = 0) = σ_w² (Σ a_k
// ϕ(g_k))² = χ_max, both to 1e−13; and the slope at c = 0 computed from the
// correlation map by finite differences agrees to 1e−7.
func TestLloydMaxMeanfield(t *testing.T) {
	for _, n := range []int{2, 3, 4, 7, 8, 16, 64, 255} {
		o := mustLloydMax(t, n)
		q, err := quantize.New(o.Thresholds, o.Values)
		if err != nil {
			t.Fatal(err)
		}
		if !q.Odd() {
			t.Errorf("N=%d: quantizer not odd", n)
		}
		net, err := meanfield.New(meanfield.Quantized{Quantizer: q}, 1/math.Sqrt(o.Chi), 0)
		if err != nil {
			t.Fatal(err)
		}
		if v := net.V(1); math.Abs(v-1) > 1e-13 {
			t.Errorf("N=%d: V(1) = %v", n, v)
		}
		if c := net.Chi(1, 0); rel(c, o.Chi) > 1e-13 {
			t.Errorf("N=%d: meanfield χ(0) = %v, Lloyd–Max χ = %v (rel %.3g)", n, c, o.Chi, rel(c, o.Chi))
		}
		h := 1e-4
		fd := (net.M(1, h) - net.M(1, -h)) / (2 * h)
		if rel(fd, o.Chi) > 1e-7 {
			t.Errorf("N=%d: M'(0) by differences %v, χ %v", n, fd, o.Chi)
		}
	}
}

func TestLloydMaxErrors(t *testing.T) {
	for _, n := range []int{-1, 0, 1, MaxLloydMaxLevels + 1} {
		if _, err := OptimizeLloydMax(n); !errors.Is(err, ErrInvalid) {
			t.Errorf("OptimizeLloydMax(%d): %v", n, err)
		}
	}
	for _, c := range []struct{ amp, kappa float64 }{
		{0, 6}, {math.NaN(), 6}, {1, math.Inf(1)},
		// q* or L_max out of the normal range of float64.
		{1e-300, 6}, {1e300, 6}, {1, math.MaxFloat64}, {1, 1e-320}} {
		if _, err := NewLloydMaxScheme(4, c.amp, c.kappa); !errors.Is(err, ErrInvalid) {
			t.Errorf("NewLloydMaxScheme(4, %v, %v): %v", c.amp, c.kappa, err)
		}
	}
	if _, err := Unsigned.Canonical(2, math.MaxFloat64); !errors.Is(err, ErrInvalid) {
		t.Errorf("Unsigned.Canonical(2, MaxFloat64): %v", err)
	}
}
