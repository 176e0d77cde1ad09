package meanfield

import (
	"errors"
	"fmt"
	"math"

	"github.com/lmax-project/lmax/internal/roots"
)

// DefaultQ0 is the input variance from which Solve starts by convention:
// inputs normalized to unit second moment per coordinate.
const DefaultQ0 = 1.0

// ErrDiverged is wrapped by the error of QStar and Solve when the variance
// map has no finite fixed point above the start: q^l → ∞ (e.g. ReLU with
// σ_w² > 2, or σ_w² = 2 and σ_b > 0).
var ErrDiverged = errors.New("variance map diverges")

// ErrCollapsed is wrapped by the error of QStar and Solve when the variance
// collapses to the fixed point q* = 0 (σ_b = 0 and no positive fixed point
// of V at or below the start, e.g. tanh with σ_w ≤ 1 or an odd-N quantizer
// with σ_w too small). The correlation of vanishing signals is then not
// defined by the maps; Solve still reports the q → 0 limits of V'(q) and χ1.
var ErrCollapsed = errors.New("variance map collapses to q* = 0")

// FixedPoint gathers the fixed points of the mean-field maps of a Network
// and the depth scales they set (THEORY.md §1).
type FixedPoint struct {
	QStar    float64 // q*: positive stable fixed point of V reached from q0
	VPrime   float64 // V'(q*)
	CStar    float64 // c*: stable fixed point of M at q* in [0, 1]
	ChiCStar float64 // χ(c*)
	Chi1     float64 // χ1 = χ(1) at q*; +Inf for a discontinuous φ
	XiQ      float64 // ξ_q = -1/ln V'(q*)
	XiC      float64 // ξ_c = -1/ln χ(c*); +Inf at criticality
}

// Iteration and search limits of QStar.
const (
	maxPlainIter  = 500     // plain iterations q ← V(q) before bracketing
	qDivergeRatio = 1e100   // q beyond this multiple of the start is divergence
	qCollapseFrac = 1e-12   // with σ_b = 0, no fixed point above this fraction of the start is collapse
	iterRelTol    = 1e-13   // relative step below which the plain iteration has converged
	maxSearch     = 2000    // bracket-search steps
	rootRelTol    = 0x1p-51 // relative tolerance of the Brent polish (4 ulps; internal/roots)
	fixedTol      = 0x1p-50 // |V(q) - q| ≤ 4 ulps of q: fixed to working precision
	slopeTol      = 0x1p-50 // slopes within 4 ulps of 1 are critical
	linearCStar   = 1e-10   // M(0) below which c* is linearized at 0
)

// QStar returns q*, the fixed point of the variance map V reached by
// iterating q ← V(q) from q0 > 0, polished to full precision by Brent's
// method on V(q) - q. It iterates until the steps stall (or 500 times), then
// brackets the root in the direction of motion with geometrically growing
// steps; the bracket search starts at the last iterate, so the root found
// is the first one in that direction, the attractor of the iteration for a
// monotone V (for a non-monotone V, a pair of fixed points closer together
// than a search step could be skipped).
//
// Results other than a positive q*: q* = 0 with ErrCollapsed (σ_b = 0 and
// V(q) < q all the way down to 1e-12·min(q0, V(q0)) — the first layer's
// variance sets the scale, so that a bounded activation started from a
// huge q0 is not mistaken for a collapse), and ErrDiverged when q grows past
// 1e100·q0. When the iteration stalls at a q with |V(q) - q| ≤ 4 ulps of q,
// that q is returned: with V(q) = q identically (ReLU at σ_w² = 2,
// σ_b = 0) every q is fixed and q* = q0, and σ_w = fl(√2) must not turn that
// into a divergence by one ulp per layer.
func (n Network) QStar(q0 float64) (float64, error) {
	if err := n.validate(); err != nil {
		return math.NaN(), err
	}
	if math.IsNaN(q0) || math.IsInf(q0, 0) || q0 <= 0 {
		return math.NaN(), fmt.Errorf("%w: q0 %v: must be finite and positive", ErrInvalid, q0)
	}
	f := func(q float64) float64 { return n.V(q) - q }
	// Below floor (with σ_b = 0) the signal has collapsed. The scale is the
	// smaller of q0 and the first layer's V(q0): a bounded φ maps any q0 to
	// at most σ_w² max φ², so q0 alone would misjudge a huge start.
	floor := qCollapseFrac * q0
	if v := n.V(q0); v > 0 && v < q0 {
		floor = qCollapseFrac * v
	}
	q := q0
	converged := false
	for i := 0; i < maxPlainIter; i++ {
		next := n.V(q)
		if math.IsNaN(next) || math.IsInf(next, 0) {
			return math.NaN(), fmt.Errorf("variance map from q0 = %v: V(%v) = %v", q0, q, next)
		}
		if next > qDivergeRatio*q0 {
			return math.Inf(1), fmt.Errorf("%w from q0 = %v: q > %g after %d layers", ErrDiverged, q0, qDivergeRatio*q0, i+1)
		}
		if n.SigmaB == 0 && next < floor {
			return 0, fmt.Errorf("%w from q0 = %v: q < %g after %d layers", ErrCollapsed, q0, floor, i+1)
		}
		step := next - q
		q = next
		if math.Abs(step) <= iterRelTol*q {
			converged = true
			break
		}
	}
	fq := f(q)
	if fq == 0 || converged && math.Abs(fq) <= fixedTol*q {
		// V(q) = q to working precision: no bracket can do better, and a
		// map with slope 1 ± ulps (ReLU at σ_w = fl(√2), whose square is
		// 2(1+2⁻⁵²)) may have no exact root at all.
		return q, nil
	}
	// Bracket the root next to q in the direction of motion, V(q) - q > 0
	// meaning upwards. After convergence the first step is tiny; otherwise it
	// starts at 1% of q. Steps double, capped so that q at most halves.
	up := fq > 0
	step := 0.01 * q
	if converged {
		step = 1e-9 * q
	}
	a, fa := q, fq
	for i := 0; ; i++ {
		if i == maxSearch {
			return math.NaN(), fmt.Errorf("variance map from q0 = %v: no fixed point bracketed near q = %v", q0, a)
		}
		var b float64
		if up {
			b = a + step
			if b > qDivergeRatio*q0 {
				return math.Inf(1), fmt.Errorf("%w from q0 = %v: V(q) > q up to q = %g", ErrDiverged, q0, qDivergeRatio*q0)
			}
		} else {
			b = math.Max(a-step, a/2)
			if n.SigmaB == 0 && b < floor {
				return 0, fmt.Errorf("%w from q0 = %v: V(q) < q down to q = %g", ErrCollapsed, q0, floor)
			}
		}
		fb := f(b)
		if math.IsNaN(fb) {
			return math.NaN(), fmt.Errorf("variance map from q0 = %v: V(%v) is NaN", q0, b)
		}
		if fb == 0 {
			return b, nil
		}
		if (fb > 0) != up {
			r, err := brent(f, a, b, fa, fb, func(x float64) float64 { return rootRelTol * math.Abs(x) })
			if err != nil {
				return math.NaN(), fmt.Errorf("variance fixed point: %w", err)
			}
			return r, nil
		}
		a, fa = b, fb
		step *= 2
	}
}

// CStar returns c*, the stable fixed point of the correlation map M at
// variance q (normally q*), and χ(c*) (THEORY.md §1). M is non-decreasing
// and convex on [0, 1] with M(0) ≥ 0, which fixes the cases:
//
//   - no output noise (HasOutputNoise false) and χ1 ≤ 1 (within 4 ulps;
//     smooth φ in the ordered phase): c* = 1;
//   - M(0) = 0 (odd φ, σ_b = 0): c* = 0;
//   - 0 < M(0) < 1e-10: c* = M(0)/(1 - χ(0)), exact up to O(M(0)²);
//   - otherwise c* ∈ (0, 1), found by Brent's method on M(c) - c in a bracket
//     [0, 1 - 2^{-j}] (always so for a discontinuous φ, where χ(c) → ∞ as
//     c → 1, and for a noisy or stochastic one, where M(1) < 1).
func (n Network) CStar(q float64) (cStar, chi float64, err error) {
	if err := n.validate(); err != nil {
		return math.NaN(), math.NaN(), err
	}
	if math.IsNaN(q) || math.IsInf(q, 0) || q <= 0 {
		return math.NaN(), math.NaN(), fmt.Errorf("%w: q %v: must be finite and positive", ErrInvalid, q)
	}
	// With output noise (Noisy, StochasticRounding) M(1) < 1 at q*, so
	// c* < 1 whatever χ1.
	noisy := HasOutputNoise(n.Phi)
	chi1 := n.Chi1(q)
	if !noisy && chi1 <= 1+slopeTol {
		return 1, chi1, nil
	}
	f := func(c float64) float64 { return n.M(q, c) - c }
	f0 := f(0)
	if f0 <= 0 {
		// M(0) = (σ_w² E[φ]² + σ_b²)/q is never negative: f0 = 0 exactly.
		return 0, n.Chi(q, 0), nil
	}
	if f0 < linearCStar {
		// c* = M(0)/(1 - χ(0)) + O(M(0)²): one Newton step from 0 is exact to
		// working precision, and spares Brent evaluations of M at tiny c,
		// where 2-D quadrature (the fallback for tanh, ELU, …) is slow.
		if chi0 := n.Chi(q, 0); chi0 < 1 {
			return f0 / (1 - chi0), chi0, nil
		}
	}
	hi, fhi := 1.0, f(1)
	if !noisy {
		// M(1) = 1 at q*: step in from 1 until M(c) < c.
		hi, fhi = math.NaN(), math.NaN()
		for j := 1; j <= 52; j++ {
			c := 1 - math.Ldexp(1, -j)
			if fc := f(c); fc < 0 {
				hi, fhi = c, fc
				break
			}
		}
		if math.IsNaN(hi) {
			return math.NaN(), math.NaN(), fmt.Errorf("correlation map at q = %v: M(c) ≥ c up to c = 1 - 2^-52 although χ1 = %v > 1", q, chi1)
		}
	}
	if fhi >= 0 {
		return math.NaN(), math.NaN(), fmt.Errorf("correlation map at q = %v: M(1) - 1 = %v, no fixed point in [0, 1)", q, fhi)
	}
	c, err := brent(f, 0, hi, f0, fhi, func(float64) float64 { return 0x1p-52 })
	if err != nil {
		return math.NaN(), math.NaN(), fmt.Errorf("correlation fixed point: %w", err)
	}
	return c, n.Chi(q, c), nil
}

// Solve returns the fixed points of the network reached from input variance
// q0 (DefaultQ0 for unit-variance inputs) and the depth scales
// ξ_q = -1/ln V'(q*) and ξ_c = -1/ln χ(c*), the logarithms taken as
// log1p(x - 1) so that a slope next to 1 keeps its digits. ξ is +Inf at
// criticality (slope 1). On ErrCollapsed, QStar = 0 and only VPrime, Chi1 and
// XiQ are set (the q → 0 limits); the correlation fields are NaN. On other
// errors the result is all NaN.
func (n Network) Solve(q0 float64) (FixedPoint, error) {
	nan := math.NaN()
	fp := FixedPoint{QStar: nan, VPrime: nan, CStar: nan, ChiCStar: nan, Chi1: nan, XiQ: nan, XiC: nan}
	q, err := n.QStar(q0)
	if errors.Is(err, ErrCollapsed) {
		fp.QStar = 0
		fp.VPrime = n.VDeriv(qCollapseFrac * math.Min(q0, 1) * 1e-4) // the q → 0 limit
		fp.Chi1 = n.Chi1(0)
		fp.XiQ = depthScale(fp.VPrime)
		return fp, err
	}
	if err != nil {
		return fp, err
	}
	fp.QStar = q
	fp.VPrime = n.VDeriv(q)
	fp.Chi1 = n.Chi1(q)
	fp.XiQ = depthScale(fp.VPrime)
	c, chi, err := n.CStar(q)
	if err != nil {
		return fp, err
	}
	fp.CStar, fp.ChiCStar = c, chi
	fp.XiC = depthScale(chi)
	return fp, nil
}

// depthScale returns ξ = -1/ln s for a map slope s at a fixed point:
// +Inf at s = 1 (within 4 ulps: criticality to working precision), 0 at
// s = 0, negative for an unstable fixed point (s > 1).
func depthScale(s float64) float64 {
	if math.Abs(s-1) <= slopeTol {
		return math.Inf(1)
	}
	return -1 / math.Log1p(s-1)
}

// brent is roots.Brent with the tolerance tol(x): the root is within
// tol(x) + 4ε|x| of a sign change of f. (meanfield/stochastic_test.go
// calls it too.)
func brent(f func(float64) float64, a, b, fa, fb float64, tol func(float64) float64) (float64, error) {
	return roots.Brent(f, a, b, fa, fb, roots.Options{Tol: tol})
}
