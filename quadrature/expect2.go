package quadrature

import "math"

// Expect2 returns E[f(u1) g(u2)] for (u1, u2) ~ N(0, [[q11, q12], [q12, q22]]),
// with breaksF and breaksG the breakpoints of f and g.
//
// u2 is conditioned on u1: u2 | u1 ~ N(β u1, s²) with β = q12/q11 and
// s² = q22(1-c)(1+c), c = q12/√(q11 q22), and the result is the
// breakpoint-aware integral (as in Expect) over u1 of f(u1)·E[g(β u1 + sZ)].
// The inner expectation changes steeply, over a width s/|β| in u1, where the
// conditional mean crosses a breakpoint of g, so those points b/β join
// breaksF as breakpoints of the outer integral, with a mesh graded
// geometrically down to that width around each when it is small.
//
// Special cases are exact: q11 = 0 or q22 = 0 (u1 or u2 is 0), q12 = 0 (the
// product E[f(u1)]·E[g(u2)]), and |c| = 1 (u2 = ±√(q22/q11) u1, a single
// integral). A |c| that exceeds 1 by no more than 1e-12 (rounding in the
// caller's covariance) is treated as ±1. NaN is returned for negative or
// non-finite variances and for |c| > 1 + 1e-12. See doc.go for the accuracy
// achieved as |c| → 1.
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
	beta := c * s2 / s1
	bf := cleanBreaks(breaksF)
	bg := cleanBreaks(breaksG)
	outer := make([]float64, 0, len(bf)+len(bg))
	outer = append(outer, bf...)
	for _, b := range bg {
		outer = append(outer, b/beta)
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
	// b/β ± w·4^j, up to σ1/2, grade the mesh down to the step's own scale.
	w := s / math.Abs(beta)
	for _, b := range bg {
		for d := w; d < s1/2; d *= 4 {
			outer = append(outer, b/beta-d, b/beta+d)
		}
	}
	outer = cleanBreaks(outer)
	return gaussIntegral(func(u float64) float64 {
		fu := f(u)
		if fu == 0 {
			return 0 // spares the inner integral, e.g. where a ReLU is off
		}
		return fu * gaussIntegral(g, beta*u, s, bg)
	}, 0, s1, outer)
}
