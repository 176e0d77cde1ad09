package quadrature

import "math"

// Expect2 returns E[f(u1) g(u2)] for (u1, u2) ~ N(0, [[q11, q12], [q12, q22]]),
// with breaksF and breaksG the breakpoints of f and g. Let
// c = q12/√(q11 q22) be the correlation.
//
// Smooth f and g (neither has a breakpoint) take a fast path built on
// trapezoid rules in the standardized variables, whose steps are chosen by
// halving until the rule agrees with the rule on twice the step (see
// smooth2.go): for |c| ≤ 0.5 Mehler's series Σ_k c^k a_k b_k in Hermite
// coefficients, which gives the covariance part E[f g] - E f E g to full
// relative precision however small c is; beyond, a product rule with the
// bivariate density as weight, or near |c| = 1 a trapezoid rule in u1
// around Gauss–Hermite rules for u2 given u1. It costs a few hundred to a
// few thousand evaluations for tanh at q ≲ 10. The smooth path assumes f
// and g analytic near the real axis on the scale of its grid (about σ/10):
// a narrower feature, and anything the path cannot resolve within its
// budget (tanh at q ≳ 1e3, nearly a step), falls back to the adaptive path
// below, and a feature narrower than the grid's step can be missed unless
// it is declared as a breakpoint, which also selects the adaptive path.
//
// With breakpoints (or on fallback), |c| ≤ 0.25 sums Mehler's series with
// coefficients from Expect. Otherwise u2 is conditioned on u1:
// u2 | u1 ~ N(β u1, s²) with β = q12/q11 and s² = q22(1-c)(1+c), and the
// result is the breakpoint-aware integral (as in Expect) over u1 of
// f(u1)·E[g(β u1 + sZ)]. The inner expectation changes steeply, over a
// width s/|β| in u1, where the conditional mean crosses a breakpoint of g,
// so those points b/β join breaksF as breakpoints of the outer integral,
// with a mesh graded geometrically down to that width around each when it
// is small; points b/β beyond the integration range are dropped. The cost
// is bounded for every c (TestExpect2BoundedCost).
//
// Special cases are exact: q11 = 0 or q22 = 0 (u1 or u2 is 0), q12 = 0 (the
// product E[f(u1)]·E[g(u2)]), and |c| = 1 (u2 = ±√(q22/q11) u1, a single
// integral). A |c| that exceeds 1 by no more than 1e-12 (rounding in the
// caller's covariance) is treated as ±1. NaN is returned for negative or
// non-finite variances and for |c| > 1 + 1e-12. See doc.go for the accuracy
// achieved.
func Expect2(f, g func(float64) float64, q11, q22, q12 float64, breaksF, breaksG []float64) float64 {
	if !(q11 >= 0) || !(q22 >= 0) || math.IsInf(q11, 1) || math.IsInf(q22, 1) ||
		math.IsNaN(q12) || math.IsInf(q12, 0) {
		return math.NaN()
	}
	if q11 == 0 || q22 == 0 {
		if q12 != 0 {
			return math.NaN()
		}
		return Expect(f, q11, breaksF) * Expect(g, q22, breaksG)
	}
	s1, s2 := math.Sqrt(q11), math.Sqrt(q22)
	c := q12 / s1 / s2
	if math.Abs(c) > 1 {
		if math.Abs(c) > 1+1e-12 {
			return math.NaN()
		}
		c = math.Copysign(1, c)
	}
	if c == 0 {
		return Expect(f, q11, breaksF) * Expect(g, q22, breaksG)
	}
	bf := cleanBreaks(breaksF)
	bg := cleanBreaks(breaksG)
	if math.Abs(c) < 1 {
		if len(bf) == 0 && len(bg) == 0 {
			if v, ok := smoothExpect2(f, g, s1, s2, c); ok {
				return v
			}
		}
		if math.Abs(c) <= mehlerBreaksMax {
			return mehlerAdaptive(f, g, q11, q22, c, bf, bg)
		}
	}
	return adaptiveExpect2(f, g, s1, s2, c, bf, bg)
}

// adaptiveExpect2 is the breakpoint-aware path of Expect2 for 0 < |c| ≤ 1,
// with bf and bg cleaned.
func adaptiveExpect2(f, g func(float64) float64, s1, s2, c float64, bf, bg []float64) float64 {
	beta := c * s2 / s1
	outer := make([]float64, 0, len(bf)+len(bg))
	outer = append(outer, bf...)
	for _, b := range bg {
		if u := b / beta; math.Abs(u) < zDead*s1 {
			outer = append(outer, u)
		}
	}
	if math.Abs(c) == 1 {
		outer = cleanBreaks(outer)
		return gaussIntegral(func(u float64) float64 {
			fu := f(u)
			if fu == 0 {
				return 0
			}
			return fu * g(beta*u)
		}, 0, s1, outer)
	}
	s := s2 * math.Sqrt((1-c)*(1+c))
	// Near b/β the inner expectation is a smoothed step of width w = s/|β|
	// in u1, which for |c| → 1 is far narrower than a panel, and narrower
	// than the gap between a panel's end and its first node (0.5% of the
	// width), where the resolution checks cannot see it. Breakpoints at
	// b/β ± w, 2w, 4w, 8w confine the step and its tail (Φ(-8) = 6e-16 of
	// the jump) to regions of its own scale, and b/β ± 8w·4^j, up to σ1/2,
	// grade the mesh beyond. (With only w·4^j, a breakpoint of f between 4w
	// and 8w left a tail of amplitude ~1e-10 and width w at the end of a
	// 2σ panel, below the resolution test but integrated to ~1e-14 only.)
	w := s / math.Abs(beta)
	for _, b := range bg {
		if math.Abs(b/beta) >= zDead*s1 {
			continue // beyond the integration range: no step to resolve
		}
		for d := w; d < s1/2; {
			outer = append(outer, b/beta-d, b/beta+d)
			if d < 8*w {
				d *= 2
			} else {
				d *= 4
			}
		}
	}
	outer = cleanBreaks(outer)
	// The inner integrals are accurate to a few ε of their own scale (the
	// sum of |panel contributions|), not of their value, which is small
	// where g nearly averages out: that noise floor, scaled by |f|, is
	// where the outer bisection stops (without it, a small E[g | u1] made
	// the outer integrand look unresolved down to maxPanels panels).
	floor := 0.0
	it := integrator{mu: 0, sigma: s1, floor: &floor}
	it.f = func(u float64) float64 {
		fu := f(u)
		if fu == 0 {
			return 0 // spares the inner integral, e.g. where a ReLU is off
		}
		in := integrator{f: g, mu: beta * u, sigma: s}
		v := in.run(bg)
		floor = max(floor, noiseFloor*math.Abs(fu)*in.abs)
		return fu * v
	}
	return it.run(outer)
}

const (
	// mehlerBreaksMax: up to this |c|, Expect2 with breakpoints sums Mehler's
	// series with coefficients from Expect (mehlerAdaptive): at most 27
	// terms, 56 one-dimensional integrals, several times cheaper than the
	// nested adaptive rule there.
	mehlerBreaksMax = 0.25
	// noiseFloor: relative noise assumed in an inner integral of Expect2's
	// adaptive path, amplified by the Legendre-coefficient functionals
	// (Σ|c1_i| ≤ 2n-1 = 31 for 16 points).
	noiseFloor = 1e-14
)

// mehlerAdaptive returns E[f(u1) g(u2)] for |c| ≤ mehlerBreaksMax by
// Mehler's series Σ_{k≤K} c^k a_k b_k (see smooth2.go), a_k = E[f(u1)
// h_k(u1/√q11)] and b_k likewise by Expect, which honours the breakpoints.
// Each coefficient is accurate relative to √(E f²) (resp. √(E g²)), so the
// covariance part Σ_{k≥1} is accurate relative to |c|·√(E f² E g²) however
// small c is, at a cost of 2(K+1) one-dimensional integrals, K ≤ 27. Expect
// truncates at |z| ≈ 9.6, where |c|^k h_k(z) φ(z) ≤ (9.6|c|)^k/√k! φ(9.6)
// (h_k has its zeros inside |z| < √(4k+2), so |He_k(z)| ≤ |z|^k beyond
// them; inside, |h_k φ| ≤ 0.4 e^{-z²/4}) stays below 1e-19 for |c| ≤ 0.25.
func mehlerAdaptive(f, g func(float64) float64, q11, q22, c float64, bf, bg []float64) float64 {
	K := mehlerTerms(c)
	coef := func(f func(float64) float64, q float64, b []float64, k int) float64 {
		inv := 1 / math.Sqrt(q)
		return Expect(func(u float64) float64 {
			fu := f(u)
			if fu == 0 {
				return 0
			}
			return fu * hermiteH(k, u*inv)
		}, q, b)
	}
	a0, b0 := coef(f, q11, bf, 0), coef(g, q22, bg, 0)
	cov := 0.0
	for k := K; k >= 1; k-- {
		cov = c * (cov + coef(f, q11, bf, k)*coef(g, q22, bg, k))
	}
	return a0*b0 + cov
}

// hermiteH returns the orthonormal Hermite polynomial h_k(z) = He_k(z)/√k!.
func hermiteH(k int, z float64) float64 {
	p, pm := 1.0, 0.0
	for j := 1; j <= k; j++ {
		p, pm = (z*p-sqrtInt[j-1]*pm)/sqrtInt[j], p
	}
	return p
}
