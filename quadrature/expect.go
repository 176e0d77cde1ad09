package quadrature

import (
	"math"
	"slices"
)

// Expect returns E[f(√q Z)] for a piecewise-smooth f whose discontinuities
// or kinks lie at breaks (in the units of the argument of f). q must be ≥ 0.
//
// breaks need not be sorted and may repeat; NaN and ±Inf entries are
// ignored, and breakpoints far out in the tails cost nothing. q = 0 returns
// f(0); q < 0, NaN or +Inf return NaN. f must be finite wherever the normal
// density is non-zero (|u| < 38.6√q) and may grow at most polynomially.
//
// The line is cut at the breakpoints into regions, each region truncated
// where the Gaussian mass beyond is below e^{-46} (1e-20) of the mass at
// its end nearest 0, and split into panels no wider than 2σ (narrower in
// the tails, where the density changes faster). Each panel is integrated
// against the normal density by Gauss–Legendre with 4, 8 or 16 points
// (chosen from how fast the density changes across it, and raised when f
// is not resolved) and bisected until the two highest Legendre coefficients
// of f's interpolant are below 1e-10 of f, and f agrees with the
// interpolant at two probes next to the panel ends and at the ends
// themselves unless they are breakpoints (where f may take either side's
// value); for an analytic f that
// puts the panel's error near 1e-20 relative. Panels whose possible error
// is below 1e-18 of the sum so far are accepted as they are. The density is
// factored as φ(m)·exp(-t(m + t/2)) about the panel end m nearest 0, so
// that even tail-only expectations are accurate relative to themselves.
// Features of f narrower than about 1e-3σ must be declared as breaks. See
// doc.go for the accuracies achieved.
func Expect(f func(float64) float64, q float64, breaks []float64) float64 {
	if q == 0 {
		return f(0)
	}
	if !(q > 0) || math.IsInf(q, 1) {
		return math.NaN()
	}
	return gaussIntegral(f, 0, math.Sqrt(q), cleanBreaks(breaks))
}

// cleanBreaks returns the finite entries of b sorted and without repeats.
// It returns b itself, without allocating, when b is already so.
func cleanBreaks(b []float64) []float64 {
	clean := true
	for i, v := range b {
		if math.IsNaN(v) || math.IsInf(v, 0) || (i > 0 && !(v > b[i-1])) {
			clean = false
			break
		}
	}
	if clean {
		return b
	}
	out := make([]float64, 0, len(b))
	for _, v := range b {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

const (
	// tailLog: a region is truncated at T with φ(T)/φ(m) = e^{-tailLog}, m
	// its end nearest 0; since the Mills ratio decreases, the mass beyond T
	// is at most e^{-46} ≈ 1e-20 of the mass beyond m, which leaves room for
	// an f that grows like a polynomial of degree ≲ 6.
	tailLog = 46
	// zDead: φ(z) underflows to 0 for |z| > 38.6, so regions that far out
	// contribute exactly nothing in float64.
	zDead = 38.6
	// panelWidth and panelSlope cap a panel's width h (in units of σ) by
	// h ≤ 2 and h·|m| ≤ 8, so that across a panel the density factor
	// exp(-t(m + t/2)) changes its exponent by at most 10, which the
	// 16-point rule integrates to ~1e-23 (Legendre coefficients of e^{-λt}
	// on [0, h] fall like (λh/4)^k/k!, and those of e^{-t²/2} on a width 2
	// like (1/2)^{k/2}/(k/2)!).
	panelWidth = 2.0
	panelSlope = 8.0
	// The rule's order is chosen from d = h·max(1, |m|), the density's rate
	// of change across the panel, so that the density factor exp(-t(m+t/2))
	// is integrated to ~1e-18 against any f the panel accepts: its Legendre
	// coefficients are about I_k(d/2) ≈ (d/4)^k/k!, and an n-point rule
	// errs by ~a_{2n}: (0.025)^8/8! ≈ 4e-18 for 4 points at d ≤ 0.1,
	// (0.25)^16/16! ≈ 1e-23 for 8 points at d ≤ 1, and (0.5)^32/32! ≈ 1e-45
	// for 16 points. Cross terms a_j(f)·a_k(density), j + k ≥ 2n, are
	// smaller still once f passes the test below.
	easyPanel4 = 0.1
	easyPanel8 = 1.0
	// coefTol: a panel is accepted when the two highest Legendre
	// coefficients of f's interpolant through the nodes are ≤ coefTol of
	// f's largest value there. With geometric decay a_k ~ r^k that bounds
	// r ≤ 1e-10^{1/(n-1)} and the Gauss error, ~a_{2n}(f), by ~1e-20
	// relative (n = 8; 4-point panels are only chosen when f is constant
	// or nearly polynomial, and n = 16 gives 1e-21).
	coefTol = 1e-10
	// probeTol: allowed mismatch between f and its interpolant at the two
	// probes; for a resolved f it is of the order of the first neglected
	// coefficient, r·a_{n-1}.
	probeTol = 1e-9
	// maxDepth, minWidth and maxPanels stop bisection at discontinuities
	// that were not declared as breaks (the error is then ~jump·minWidth),
	// and bound the work for integrands that are not piecewise smooth.
	// negligible: an unresolved panel is accepted when its possible error is
	// below this fraction of the absolute sum so far.
	negligible = 1e-18
	maxDepth   = 48
	minWidth   = 1e-13
	maxPanels  = 1 << 15
)

// panelRule is an n-point Gauss–Legendre rule mapped to [0, 1], with the
// linear functionals that extract the Legendre coefficients of degree n-1
// and n-2 of the interpolant through its nodes.
type panelRule struct {
	s, sc  []float64 // nodes (1+x)/2 and (1-x)/2
	w      []float64 // weights for [0, 1]
	c1, c2 []float64 // a_{n-1} = Σ c1_i v_i, a_{n-2} = Σ c2_i v_i
	// Probes: points between each end and its nearest node, where the
	// integrand is compared with the interpolant through the nodes
	// (interpolant value = Σ lag_i v_i). The coefficients alone are blind to
	// a feature that sits entirely between an end and the first node, e.g.
	// erf(1000z) on [0, 1], whose nodes all see 1.
	probe, probeC [2]float64 // positions in [0, 1] and 1 - positions
	lag           [2][]float64
	// lagEnd: the interpolant at the panel ends themselves, where an end
	// that is not a declared breakpoint is probed: a steep feature between
	// the last node and the end (0.5% of the panel) would otherwise pass
	// unseen whenever it also misses the inner probe, e.g. the inner
	// integrals of Expect2 for erf(300u), whose step sweeps across the
	// panel ends as the conditional mean moves.
	lagEnd [2][]float64
}

func newPanelRule(n int) *panelRule {
	x, w := Legendre(n)
	r := &panelRule{
		s: make([]float64, n), sc: make([]float64, n), w: make([]float64, n),
		c1: make([]float64, n), c2: make([]float64, n),
	}
	for i := range x {
		r.s[i] = (1 + x[i]) / 2
		r.sc[i] = (1 - x[i]) / 2
		r.w[i] = w[i] / 2
		// a_k = (2k+1)/2 Σ w_i P_k(x_i) v_i, exact for the interpolant
		// because deg(P_k · interpolant) ≤ 2n-2.
		pk1, pk2 := legendreValues(n-1, x[i])
		r.c1[i] = float64(2*n-1) / 2 * w[i] * pk1
		r.c2[i] = float64(2*n-3) / 2 * w[i] * pk2
	}
	r.probe = [2]float64{r.s[0] / 3, 1 - r.s[0]/3}
	r.probeC = [2]float64{1 - r.s[0]/3, r.s[0] / 3}
	for p, xp := range [2]float64{-1, 1} {
		r.lagEnd[p] = make([]float64, n)
		for i := range x {
			l := 1.0
			for j := range x {
				if j != i {
					l *= (xp - x[j]) / (x[i] - x[j])
				}
			}
			r.lagEnd[p][i] = l
		}
	}
	for p := range r.probe {
		xp := 2*r.probe[p] - 1
		r.lag[p] = make([]float64, n)
		for i := range x {
			l := 1.0
			for j := range x {
				if j != i {
					l *= (xp - x[j]) / (x[i] - x[j])
				}
			}
			r.lag[p][i] = l
		}
	}
	return r
}

// legendreValues returns P_k(x) and P_{k-1}(x).
func legendreValues(k int, x float64) (pk, pkm1 float64) {
	p0, p1 := 1.0, x
	if k == 0 {
		return 1, 0
	}
	for j := 1; j < k; j++ {
		fj := float64(j)
		p0, p1 = p1, ((2*fj+1)*x*p1-fj*p0)/(fj+1)
	}
	return p1, p0
}

var (
	rule4  = newPanelRule(4)
	rule8  = newPanelRule(8)
	rule16 = newPanelRule(16)
)

// integrator accumulates ∫ f(mu + sigma z) φ(z) dz over panels in z.
type integrator struct {
	f         func(float64) float64
	mu, sigma float64
	sum, comp float64 // Neumaier-compensated sum
	abs       float64 // Σ |panel contributions|
	panels    int
	// floor, when set, is an absolute level of noise in f (Expect2's inner
	// integrals carry rounding of order ε times their own scale): a panel
	// whose Legendre coefficients and probes are below it is resolved, since
	// bisection cannot resolve noise.
	floor *float64
	// ra, rb: the ends of the region being integrated, which are declared
	// breakpoints unless infinite; f is not probed exactly there.
	ra, rb float64
	// ends caches f at the two ends of the last panel: neighbours and
	// halves share ends, so the end probes cost about one evaluation a
	// panel rather than two.
	endZ, endF [2]float64
	endOK      [2]bool
}

// endValue returns f at the panel end z (= za + h·s, s ∈ {0, 1}),
// from the cache when the previous panel shared that end.
func (it *integrator) endValue(m, za, h, s, z float64) float64 {
	for k := range it.endZ {
		if it.endOK[k] && it.endZ[k] == z {
			return it.endF[k]
		}
	}
	v, _ := it.eval(m, za, h, s, 1-s)
	return v
}

func (it *integrator) add(x float64) {
	t := it.sum + x
	if math.Abs(it.sum) >= math.Abs(x) {
		it.comp += (it.sum - t) + x
	} else {
		it.comp += (x - t) + it.sum
	}
	it.sum = t
}

// gaussIntegral returns E[f(mu + sigma Z)] for sigma > 0, with breaks the
// sorted, distinct breakpoints of f in its own units.
func gaussIntegral(f func(float64) float64, mu, sigma float64, breaks []float64) float64 {
	it := integrator{f: f, mu: mu, sigma: sigma}
	return it.run(breaks)
}

// run integrates over the regions between breaks and returns the sum.
func (it *integrator) run(breaks []float64) float64 {
	mu, sigma := it.mu, it.sigma
	z := func(j int) float64 { // region j is [z(j-1), z(j)]
		switch {
		case j < 0:
			return math.Inf(-1)
		case j >= len(breaks):
			return math.Inf(1)
		}
		return (breaks[j] - mu) / sigma
	}
	// Regions are visited from the one holding z = 0 outwards, so that the
	// bulk of the mass is summed first and the tails can be accepted once
	// they are negligible against it (see panel).
	j0 := 0
	for j0 < len(breaks) && z(j0) <= 0 {
		j0++
	}
	it.region(z(j0-1), z(j0))
	for j := j0 - 1; j >= 0; j-- {
		it.region(z(j-1), z(j))
	}
	for j := j0 + 1; j <= len(breaks); j++ {
		it.region(z(j-1), z(j))
	}
	return it.sum + it.comp
}

// region integrates over [a, b] in z; it does nothing unless a < b.
func (it *integrator) region(a, b float64) {
	if !(a < b) {
		return
	}
	it.ra, it.rb = a, b
	m := min(max(0, a), b) // the point of the region with the largest density
	if math.Abs(m) > zDead {
		return
	}
	r := math.Sqrt(m*m + 2*tailLog)
	lo, hi := a, b
	if m <= 0 {
		lo = max(a, -r)
	}
	if m >= 0 {
		hi = min(b, r)
	}
	if lo < 0 && hi > 0 {
		it.walk(0, hi)
		it.walk(0, lo)
		return
	}
	if m >= 0 {
		it.walk(lo, hi)
	} else {
		it.walk(hi, lo)
	}
}

// walk covers the segment from `from` (nearer 0) to `to` with panels whose
// width follows the density's rate of change.
func (it *integrator) walk(from, to float64) {
	sign := 1.0
	if to < from {
		sign = -1
	}
	pos := from
	for pos != to {
		h := panelWidth
		if s := panelSlope / math.Abs(pos); s < h {
			h = s
		}
		next := pos + sign*h
		// Avoid a sliver at the end: merge a last piece under h/4.
		if sign*(to-next) < h/4 {
			next = to
		}
		if sign > 0 {
			it.panel(pos, next, 0, 0)
		} else {
			it.panel(next, pos, 0, 0)
		}
		pos = next
	}
}

// panel integrates over [za, zb] (on one side of 0), bisecting until the
// integrand is resolved; order is the least number of points to use.
func (it *integrator) panel(za, zb float64, depth, order int) {
	it.panels++
	h := zb - za
	m := za // the end nearest 0
	if math.Abs(zb) < math.Abs(za) {
		m = zb
	}
	r := rule16
	if d := h * max(1, math.Abs(m)); order < 16 && d <= easyPanel8 && h < 0.5 {
		r = rule8
		if order < 8 && d <= easyPanel4 {
			r = rule4
		}
	}
	// The acceptance test looks at f alone (the density is resolved by the
	// choice of rule): a constant f passes at once, whatever the density.
	// Besides the probes next to the ends, probe exactly at an end that is
	// not a declared breakpoint (f may take either side's value at a jump).
	endA, endB := za != it.ra, zb != it.rb
	scale, total, a1, a2, l0, l1, e0, e1 := 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
	for i := range r.s {
		fi, ei := it.eval(m, za, h, r.s[i], r.sc[i])
		scale = max(scale, math.Abs(fi))
		total += r.w[i] * fi * ei
		a1 += r.c1[i] * fi
		a2 += r.c2[i] * fi
		l0 += r.lag[0][i] * fi
		l1 += r.lag[1][i] * fi
		e0 += r.lagEnd[0][i] * fi
		e1 += r.lagEnd[1][i] * fi
	}
	p0, _ := it.eval(m, za, h, r.probe[0], r.probeC[0])
	p1, _ := it.eval(m, za, h, r.probe[1], r.probeC[1])
	scale = max(scale, math.Abs(p0), math.Abs(p1))
	probe := math.Abs(p0-l0) + math.Abs(p1-l1)
	var fa, fb float64
	if endA {
		fa = it.endValue(m, za, h, 0, za)
		scale = max(scale, math.Abs(fa))
		probe += math.Abs(fa - e0)
	}
	if endB {
		fb = it.endValue(m, za, h, 1, zb)
		scale = max(scale, math.Abs(fb))
		probe += math.Abs(fb - e1)
	}
	it.endZ, it.endF, it.endOK = [2]float64{za, zb}, [2]float64{fa, fb}, [2]bool{endA, endB}
	coef := math.Abs(a1) + math.Abs(a2)
	// Resolved relative to the panel itself, or unresolved by an amount
	// that is negligible against what has been summed so far: the density
	// factor is at most φ(m) on the panel, so the interpolation error
	// contributes at most about (coef + probe)·h·φ(m). Without the second
	// test a far-tail panel of, say, sech⁴(100u) at q = 1e4, where f falls
	// by e^{-400} across the panel, would be bisected without end.
	phiM := NormalPDF(m)
	resolved := (coef <= coefTol*scale && probe <= probeTol*scale) ||
		(coef+probe)*h*phiM <= negligible*it.abs ||
		(it.floor != nil && coef+probe <= *it.floor)
	if !resolved && !math.IsInf(scale, 0) && !math.IsNaN(scale) &&
		depth < maxDepth && h > minWidth*max(1, math.Abs(m)) && it.panels < maxPanels {
		// A low order is only a guess that f is nearly polynomial here; if
		// it fails, retry with more points before bisecting, since
		// bisecting with 4 points converges only like h⁴ on a smooth f.
		if n := len(r.s); n < 16 {
			it.panel(za, zb, depth, 2*n)
			return
		}
		mid := za + h/2
		it.panel(za, mid, depth+1, 16)
		it.panel(mid, zb, depth+1, 16)
		return
	}
	c := phiM * h * total
	it.add(c)
	it.abs += math.Abs(c)
}

// eval returns f(u) and φ(z)/φ(m) at z = za + h·s (= zb - h·sc), where
// m ∈ {za, zb}. t = z - m is measured from the anchor m, so that
// exp(-t(m + t/2)) carries no error from forming z² far in the tail.
func (it *integrator) eval(m, za, h, s, sc float64) (f, e float64) {
	t := h * s
	if m != za {
		t = -h * sc
	}
	return it.f(it.mu + it.sigma*(m+t)), math.Exp(-t * (m + t/2))
}
