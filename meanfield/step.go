package meanfield

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/lmax-project/lmax/quadrature"
)

// stepFunc holds a non-decreasing step function
//
//	φ(x) = y_0 + Σ_{k=1}^{N-1} a_k H(x - g_k),   a_k = y_k - y_{k-1}
//
// (THEORY.md §2) in the form its closed-form Gaussian moments use.
type stepFunc struct {
	g    []float64 // thresholds g_1 < … < g_{N-1}
	y    []float64 // levels y_0 … y_{N-1}
	a    []float64 // jumps a_k = y_k - y_{k-1}
	odd  bool      // thresholds, jumps and levels antisymmetric: E[φ] = 0 exactly
	zero int       // number of thresholds below 0: y[zero] is the level just below 0

	// The thresholds grouped by magnitude: ax holds the distinct |g_k| in
	// increasing order, wp[i] the total jump at +ax[i] (g ≥ 0) and wn[i] the
	// total jump at -ax[i] (g < 0). Bivariate normal CDFs and densities are
	// invariant under flipping both signs and flip ρ under one, so the double
	// sums need only one term per pair of magnitudes (a quarter of the pairs
	// of thresholds for a symmetric quantizer).
	ax, wp, wn []float64
}

// leveler is implemented by steppers that know their levels exactly.
type leveler interface {
	Levels() []float64
}

// stepOf builds the stepFunc of a Stepper. phi must be s.
func stepOf(phi Activation, s Stepper) *stepFunc {
	g, a := s.Jumps()
	var y []float64
	if l, ok := s.(leveler); ok {
		y = l.Levels()
	}
	if len(y) != len(g)+1 {
		y = make([]float64, len(g)+1)
		y[0] = phi.Eval(math.Inf(-1))
		for k, ak := range a {
			y[k+1] = y[k] + ak
		}
	}
	return newStepFunc(g, y, a)
}

func newStepFunc(g, y, a []float64) *stepFunc {
	n := len(g)
	s := &stepFunc{g: g, y: y, a: a}
	s.zero = sort.Search(n, func(i int) bool { return g[i] >= 0 })
	// Odd up to rounding: quantize.Uniform's levels are exactly
	// antisymmetric, but levels from quantize.New (e.g. a Lloyd–Max solver's)
	// or computed as A(-1 + 2k/(N-1)) need not be, and a mean of 1e-17
	// instead of 0 would move c* off 0 for σ_b = 0. A mean within 4 ulps of
	// the amplitude is 0 to working precision, so tolerating that much
	// asymmetry loses nothing.
	ys := math.Max(math.Abs(y[0]), math.Abs(y[n]))
	gs := 0.0
	if n > 0 {
		gs = math.Max(math.Abs(g[0]), math.Abs(g[n-1]))
	}
	const oddTol = 4 * 0x1p-52
	s.odd = math.Abs(y[0]+y[n]) <= oddTol*ys
	for k := 0; k < n && s.odd; k++ {
		s.odd = math.Abs(g[k]+g[n-1-k]) <= oddTol*gs && math.Abs(y[k]+y[n-k]) <= oddTol*ys
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return math.Abs(g[idx[i]]) < math.Abs(g[idx[j]]) })
	for _, k := range idx {
		x := math.Abs(g[k])
		if m := len(s.ax); m == 0 || s.ax[m-1] != x {
			s.ax = append(s.ax, x)
			s.wp = append(s.wp, 0)
			s.wn = append(s.wn, 0)
		}
		m := len(s.ax) - 1
		if g[k] >= 0 {
			s.wp[m] += a[k]
		} else {
			s.wn[m] += a[k]
		}
	}
	return s
}

// at0 returns φ(0) (right-continuous: a threshold at 0 gives the upper level).
func (s *stepFunc) at0() float64 {
	return s.y[sort.Search(len(s.g), func(i int) bool { return s.g[i] > 0 })]
}

// mean returns E[φ(√q z)] = y_0 + Σ a_k Ψ(-ĝ_k), written around the level
// just below 0 so that every Ψ is a tail probability (≤ 1/2) and no large
// constant cancels.
func (s *stepFunc) mean(q float64) float64 {
	if s.odd {
		return 0
	}
	if q == 0 {
		return s.at0()
	}
	r := math.Sqrt(q)
	var m float64
	for k, g := range s.g {
		if g >= 0 {
			m += s.a[k] * quadrature.NormalCDF(-g/r)
		} else {
			m -= s.a[k] * quadrature.NormalCDF(g/r)
		}
	}
	return s.y[s.zero] + m
}

// secondMoment returns E[φ(√q z)²] = Σ_j y_j² P(bin j), rewritten as
// y_z² + Σ_{g_k≥0} (y_k²-y_{k-1}²) Ψ(-ĝ_k) + Σ_{g_k<0} (y_{k-1}²-y_k²) Ψ(ĝ_k)
// with y_z the level just below 0: tail probabilities only, and for levels
// that grow in magnitude away from 0 every term is non-negative, so the sum
// is free of cancellation (a bin-by-bin sum differences nearby Ψ values).
func (s *stepFunc) secondMoment(q float64) float64 {
	if q == 0 {
		v := s.at0()
		return v * v
	}
	r := math.Sqrt(q)
	var m float64
	for k, g := range s.g {
		d := s.a[k] * (s.y[k+1] + s.y[k]) // y_k² - y_{k-1}² without cancellation
		if g >= 0 {
			m += d * quadrature.NormalCDF(-g/r)
		} else {
			m -= d * quadrature.NormalCDF(g/r)
		}
	}
	z := s.y[s.zero]
	return z*z + m
}

// secondMomentDeriv returns d/dq E[φ(√q z)²] = Σ_k (y_k²-y_{k-1}²) ψ(ĝ_k) ĝ_k/(2q),
// the derivative of the tail form of secondMoment (dΨ(-ĝ)/dq = ψ(ĝ) ĝ/(2q)).
func (s *stepFunc) secondMomentDeriv(q float64) float64 {
	if q == 0 {
		return 0 // every term vanishes faster than any power of q
	}
	r := math.Sqrt(q)
	var m float64
	for k, g := range s.g {
		h := g / r
		m += s.a[k] * (s.y[k+1] + s.y[k]) * quadrature.NormalPDF(h) * h
	}
	return m / (2 * q)
}

// crossMoment returns E[φ(u1) φ(u2)] = E[φ(u1)] E[φ(u2)] + Σ_{k,m} a_k a_m C_km,
// where C_km = Φ2(ĝ_k, ĝ'_m; ρ) - Ψ(ĝ_k) Ψ(ĝ'_m) is the covariance of the
// indicators H(u1 - g_k), H(u2 - g_m) (ĝ = g/√q11, ĝ' = g/√q22). This is
// THEORY.md §2's y_0² + y_0 Σ a_k 2Ψ(-ĝ_k) + Σ a_k a_m Φ2(-ĝ_k, -ĝ_m; c)
// with the constant and mean terms taken out exactly, so that no O(y_0²)
// terms cancel.
func (s *stepFunc) crossMoment(q11, q22, rho float64) float64 {
	switch {
	case q11 == 0 && q22 == 0:
		v := s.at0()
		return v * v
	case q11 == 0:
		return s.at0() * s.mean(q22)
	case q22 == 0:
		return s.at0() * s.mean(q11)
	}
	return s.mean(q11)*s.mean(q22) + s.cov(math.Sqrt(q11), math.Sqrt(q22), rho)
}

// pruneRel bounds the terms cov drops relative to the natural scale of the
// cross moment, S = √(E[φ(u1)²] E[φ(u2)²]) ≥ |E[φ(u1)φ(u2)]| (Cauchy–Schwarz):
// a pair of magnitudes (x, y) contributes at most (|w_x| + |w_y|)²·min(Ψ(-x), Ψ(-y))
// (|F| ≤ min of the tails), and pairs are dropped only while that bound is
// below pruneRel·S/n², so all dropped terms together stay below
// pruneRel·S, far under the rounding of the sum, even for the tiny moments
// of thresholds many standard deviations out.
const pruneRel = 0x1p-60

// cov returns Σ_{k,m} a_k a_m C_km for thresholds scaled by 1/r1 and 1/r2.
// With F(x, y; r) = Φ2(-x, -y; r) - Ψ(-x)Ψ(-y) for magnitudes x, y ≥ 0,
// C(±x, ±y; ρ) = F(x, y; ρ) and C(±x, ∓y; ρ) = -F(x, y; -ρ); arguments are
// thus always tails, where Φ2 is computed to full relative accuracy.
//
// Cost: for n distinct threshold magnitudes, at most n² calls of Φ2 (n(n+1)
// when both signs occur, halved when r1 = r2 by the symmetry of F). For the
// uniform symmetric quantizer with N levels that is about N²/4 calls instead
// of the N² of the plain double sum; pairs far out in the tails are skipped
// (pruneRel). The sum is inherently O(N²): Φ2 does not separate.
func (s *stepFunc) cov(r1, r2, rho float64) float64 {
	n := len(s.ax)
	x, tx := s.scaled(r1)
	y, ty := x, tx
	sym := r1 == r2
	if !sym {
		y, ty = s.scaled(r2)
	}
	var amax float64
	for i := range s.ax {
		amax = math.Max(amax, math.Abs(s.wp[i])+math.Abs(s.wn[i]))
	}
	scale := math.Sqrt(s.secondMoment(r1*r1) * s.secondMoment(r2*r2))
	cut := pruneRel * scale / float64(n*n)
	var sum float64
	for i := 0; i < n && amax*amax*tx[i] >= cut; i++ {
		ai := math.Abs(s.wp[i]) + math.Abs(s.wn[i])
		j0 := 0
		if sym {
			j0 = i
		}
		var row float64
		for j := j0; j < n && ai*amax*ty[j] >= cut; j++ {
			same := s.wp[i]*s.wp[j] + s.wn[i]*s.wn[j]
			cross := s.wp[i]*s.wn[j] + s.wn[i]*s.wp[j]
			var t float64
			if same != 0 {
				t += same * (quadrature.BivariateCDF(-x[i], -y[j], rho) - tx[i]*ty[j])
			}
			if cross != 0 {
				t -= cross * (quadrature.BivariateCDF(-x[i], -y[j], -rho) - tx[i]*ty[j])
			}
			if sym && j != i {
				t *= 2
			}
			row += t
		}
		sum += row
	}
	return sum
}

// scaled returns the magnitudes ax/r and their tails Ψ(-ax/r).
func (s *stepFunc) scaled(r float64) (x, tail []float64) {
	x = make([]float64, len(s.ax))
	tail = make([]float64, len(s.ax))
	for i, v := range s.ax {
		x[i] = v / r
		tail[i] = quadrature.NormalCDF(-x[i])
	}
	return x, tail
}

// slopeMoment returns E[φ'(u1) φ'(u2)] = Σ_{k,m} a_k a_m p(g_k, g_m), p the
// density of (u1, u2): p2(ĝ_k, ĝ'_m; ρ)/√(q11 q22) (THEORY.md §2). It is +Inf
// at |ρ| = 1 when two thresholds meet on the support line u2 = ρ√(q22/q11) u1
// (always for q11 = q22, ρ = 1).
func (s *stepFunc) slopeMoment(q11, q22, rho float64) float64 {
	if q11 == 0 || q22 == 0 {
		// A degenerate u sits at 0: the delta function of a threshold at 0
		// makes the moment infinite, any other threshold contributes 0.
		if n := len(s.ax); n > 0 && s.ax[0] == 0 && s.wp[0] != 0 {
			return math.Inf(1)
		}
		return 0
	}
	r1, r2 := math.Sqrt(q11), math.Sqrt(q22)
	x, _ := s.scaled(r1)
	y := x
	sym := r1 == r2
	if !sym {
		y, _ = s.scaled(r2)
	}
	om, op := 1-rho, 1+rho // exact for the rho of a network map
	det := om * op
	n := len(s.ax)
	var sum float64
	// No pruning: every term is positive and costs one exp.
	for i := 0; i < n; i++ {
		j0 := 0
		if sym {
			j0 = i
		}
		var row float64
		for j := j0; j < n; j++ {
			same := s.wp[i]*s.wp[j] + s.wn[i]*s.wn[j]
			cross := s.wp[i]*s.wn[j] + s.wn[i]*s.wp[j]
			var t float64
			if same != 0 {
				t += same * densityCore(x[i], y[j], rho, om, op)
			}
			if cross != 0 {
				t += cross * densityCore(x[i], y[j], -rho, op, om)
			}
			if sym && j != i {
				t *= 2
			}
			row += t
		}
		sum += row
	}
	if det == 0 {
		return sum // 0 or +Inf from densityCore
	}
	return sum / (2 * math.Pi * math.Sqrt(det) * r1 * r2)
}

// densityCore returns exp(-(x² - 2rxy + y²)/(2(1-r²))), the bivariate normal
// density p2(x, y; r) without its normalization 1/(2π√(1-r²)), given
// om = 1-r and op = 1+r. The quadratic form is written as
// (x-y)² + 2(1-r)xy for r ≥ 0 and (x+y)² - 2(1+r)xy for r < 0, which avoids
// the cancellation of x² - 2rxy + y² as r → ±1. At |r| = 1 it returns +Inf
// on the support line and 0 off it (the limit of the normalized density).
func densityCore(x, y, r, om, op float64) float64 {
	var num float64
	if r >= 0 {
		d := x - y
		num = d*d + 2*om*x*y
	} else {
		d := x + y
		num = d*d - 2*op*x*y
	}
	det := om * op
	if det == 0 {
		if num == 0 {
			return math.Inf(1)
		}
		return 0
	}
	return math.Exp(-num / (2 * det))
}

// integralNodes is the Gauss–Legendre order on each panel of covByIntegral.
const integralNodes = 24

// covByIntegral returns Σ_{k,m} a_k a_m C_km at equal variances q = r² and
// correlation c, the other route of THEORY.md §2: C(h, k; c) = ∫_0^c p2(h, k; t) dt
// (dΦ2/dρ = p2). With t = cos φ the integrable 1/√(1-t²) singularity of p2
// cancels exactly against dt = -sin φ dφ:
//
//	∫_0^c p2(x, y; t) dt = ∫_{arccos c}^{π/2} e^{-E(φ)}/(2π) dφ,
//	E(φ) = (x-y)²/(2 sin²φ) + xy/(2 cos²(φ/2))        (φ ≤ π/2)
//	     = (x+y)²/(2 sin²φ) - xy/(2 sin²(φ/2))        (φ > π/2),
//
// forms free of cancellation near φ = 0 and φ = π. (θ = π/2 - φ is the
// r = sin θ of THEORY.md.) The integrand changes on the scale
// sin φ ~ |x ∓ y|, which for closely spaced thresholds is far below the
// range, so the φ range is cut into panels graded geometrically towards 0
// and π down to a sixteenth of the smallest |x ∓ y|; below that the
// off-diagonal terms are < e^{-128} and the diagonal ones smooth.
// Every term of the sum is positive (a_k ≥ 0 for a non-decreasing φ).
func (s *stepFunc) covByIntegral(r, c float64) float64 {
	x, _ := s.scaled(r)
	n := len(x)
	// Smallest positive |x_i - x_j| and x_i + x_j.
	dmin := math.Inf(1)
	for i := 1; i < n; i++ {
		dmin = math.Min(dmin, x[i]-x[i-1])
	}
	for _, v := range x {
		if v > 0 {
			dmin = math.Min(dmin, v)
			break
		}
	}
	phiC := math.Acos(c)
	lo, hi, sign := phiC, math.Pi/2, 1.0
	if phiC > math.Pi/2 {
		lo, hi, sign = math.Pi/2, phiC, -1
	}
	breaks := []float64{lo, hi}
	for p := math.Pi / 4; p > dmin/16 && p > 0x1p-60; p /= 2 {
		if p > lo && p < hi {
			breaks = append(breaks, p)
		}
		if q := math.Pi - p; q > lo && q < hi {
			breaks = append(breaks, q)
		}
	}
	sortFloats(breaks)

	nodes := make([]float64, integralNodes)
	weights := make([]float64, integralNodes)
	var total float64
	for b := 1; b < len(breaks); b++ {
		if !(breaks[b] > breaks[b-1]) {
			continue
		}
		quad.Legendre{}.FixedLocations(nodes, weights, breaks[b-1], breaks[b])
		var panel float64
		for t, phi := range nodes {
			panel += weights[t] * s.pairKernel(x, phi)
		}
		total += panel
	}
	return sign * total / (2 * math.Pi)
}

// pairKernel returns Σ_{k,m} a_k a_m e^{-E(φ)} over the grouped magnitudes:
// the same-sign pairs at correlation cos φ, the opposite-sign pairs at
// -cos φ = cos(π - φ).
func (s *stepFunc) pairKernel(x []float64, phi float64) float64 {
	n := len(x)
	sp := math.Sin(phi)
	sh, ch := math.Sin(phi/2), math.Cos(phi/2)
	var sum float64
	for i := 0; i < n; i++ {
		var row float64
		for j := i; j < n; j++ {
			same := s.wp[i]*s.wp[j] + s.wn[i]*s.wn[j]
			cross := s.wp[i]*s.wn[j] + s.wn[i]*s.wp[j]
			var t float64
			if same != 0 {
				t += same * math.Exp(-expo(x[i], x[j], sp, sh, ch))
			}
			if cross != 0 {
				// φ' = π - φ: sin φ' = sin φ, sin(φ'/2) = cos(φ/2), cos(φ'/2) = sin(φ/2).
				t += cross * math.Exp(-expo(x[i], x[j], sp, ch, sh))
			}
			if j != i {
				t *= 2
			}
			row += t
		}
		sum += row
	}
	return sum
}

// expo returns E(φ) of covByIntegral given sin φ, sin(φ/2) and cos(φ/2);
// φ ≤ π/2 exactly when sin(φ/2) ≤ cos(φ/2).
func expo(x, y, sp, sh, ch float64) float64 {
	if sh <= ch {
		d := x - y
		return d*d/(2*sp*sp) + x*y/(2*ch*ch)
	}
	d := x + y
	return d*d/(2*sp*sp) - x*y/(2*sh*sh)
}

func sortFloats(v []float64) { sort.Float64s(v) }
