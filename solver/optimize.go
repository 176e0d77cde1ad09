package solver

import (
	"errors"
	"fmt"
	"math"

	"github.com/lmax-project/lmax/internal/roots"
)

// ErrNoConvergence is wrapped by the errors of a root search that fails to
// bracket or to converge; it signals a bug or an input outside the tested
// range rather than a bad argument.
var ErrNoConvergence = errors.New("no convergence")

// Optimum is the maximum of χ(D) over the normalized spacing D for one N
// (THEORY.md §3).
type Optimum struct {
	Levels int // N
	// Spacing is D_opt, the root of ∂χ/∂D = 0; NaN for N = 2, where χ = 2/π
	// does not depend on D (see HasSpacing).
	Spacing float64
	// Chi is χ_max = χ(D_opt).
	Chi float64
	// OneMinusChi is 1 − χ_max, to full relative precision.
	OneMinusChi float64
	// Var is Σ_{i,j∈K} Ψ(min(i,j)D_opt) Ψ(−max(i,j)D_opt), the variance of
	// the unit-jump quantizer at the optimum (1/4 for N = 2).
	Var float64
	// Evaluations counts the evaluations of χ used by the root search.
	Evaluations int
	// Method is how the sums were evaluated at D_opt (Exact for N = 2).
	Method Method
}

// HasSpacing reports whether the optimum has a spacing: false for N = 2
// (sign), whose χ does not depend on D.
func (o Optimum) HasSpacing() bool { return !math.IsNaN(o.Spacing) }

// Optimize returns the maximum of χ(D) for the n-level uniform symmetric
// quantizer with σ_b = 0, evaluating the sums by MethodFor(n) (exact for
// n ≤ AsymptoticLevels, asymptotic above); 2 ≤ n ≤ MaxLevels. D_opt solves
// ∂χ/∂D = 0, which by the identities of doc.go is the equation 1 − χ(D) =
// τ(D) = 1 − D Σ_{i∈K} ϕ(iD); it is found by Brent's method
// (internal/roots) on f(D) = 1 − τ/(1 − χ) in ln D to within
// 2e−15·max(1, |ln D|), from a
// bracket around an asymptotic guess (bracketGuess) that is widened until f
// changes sign. f is negative below D_opt and positive above it (tested for
// every N up to 2000 against a scan of χ).
func Optimize(n int) (Optimum, error) {
	if err := checkLevels(n); err != nil {
		return Optimum{}, err
	}
	return optimize(n, MethodFor(n))
}

// OptimizeMethod is Optimize with the sums evaluated by method m: Exact
// (n ≤ MaxExactLevels) or Asymptotic (any n ≤ MaxLevels; where its series
// are not valid, at small n and large D, single evaluations fall back to
// the exact sums, and the Optimum reports the method of its final
// evaluation).
func OptimizeMethod(n int, m Method) (Optimum, error) {
	if err := checkLevels(n); err != nil {
		return Optimum{}, err
	}
	switch m {
	case Exact:
		if n > MaxExactLevels {
			return Optimum{}, invalid("levels %d: the exact method supports at most %d", n, MaxExactLevels)
		}
	case Asymptotic:
	default:
		return Optimum{}, invalid("method %d: unknown", int(m))
	}
	return optimize(n, m)
}

func optimize(n int, m Method) (Optimum, error) {
	if n == 2 {
		return Optimum{Levels: 2, Spacing: math.NaN(), Chi: 2 / math.Pi,
			OneMinusChi: 1 - 2/math.Pi, Var: 0.25, Method: Exact}, nil
	}
	evals := 0
	f := func(lnD float64) float64 {
		evals++
		s, _ := sumsFor(n, math.Exp(lnD), m)
		return 1 - s.tau*s.s/s.r
	}
	lo, hi := bracketGuess(n)
	flo, fhi := f(lo), f(hi)
	// Widen the bracket geometrically if the guess missed, at most to
	// D ∈ [1e−12/N, 4] (D_opt < 1.3 for every N ≥ 3).
	for step := hi - lo; flo > 0 && lo > math.Log(1e-12/float64(n)); step *= 2 {
		hi, fhi = lo, flo
		lo -= step
		flo = f(lo)
	}
	for step := hi - lo; fhi < 0 && hi < math.Log(4); step *= 2 {
		lo, flo = hi, fhi
		hi = math.Min(hi+step, math.Log(4))
		fhi = f(hi)
	}
	if !(flo <= 0 && fhi >= 0) {
		return Optimum{}, fmt.Errorf("%w: levels %d: no sign change of ∂χ/∂D for D in [%g, %g]",
			ErrNoConvergence, n, math.Exp(lo), math.Exp(hi))
	}
	lnD, err := roots.Brent(f, lo, hi, flo, fhi, roots.Options{Tol: func(x float64) float64 { return 2e-15 * math.Max(1, math.Abs(x)) }})
	if err != nil {
		return Optimum{}, fmt.Errorf("%w: levels %d: %w", ErrNoConvergence, n, err)
	}
	d := math.Exp(lnD)
	s, used := sumsFor(n, d, m)
	p := s.point(n, d)
	return Optimum{Levels: n, Spacing: d, Chi: p.Chi, OneMinusChi: p.OneMinusChi,
		Var: p.Var, Evaluations: evals + 1, Method: used}, nil
}

// bracketGuess returns a bracket [lo, hi] of ln D_opt(n), n ≥ 3. For large N
// the optimum balances the rounding error D²/12 against the clipping error
// ≈ 4ϕ(T)/T³ beyond the clip point T ≈ DN/2; setting the derivative in T to
// zero gives ϕ(T) ≈ T³/(6N²), i.e. T² = 4 ln N + 2 ln(6/√(2π)) − 6 ln T,
// solved by fixed-point iteration. The guess is within 4% of D_opt for
// N ≥ 64 and 1% for N ≥ 1000 (checked in the tests), hence the brackets
// ±5% and ±1.5% there; below, the bracket is wide and the guess rough.
func bracketGuess(n int) (lo, hi float64) {
	nf := float64(n)
	t := 3.0
	for i := 0; i < 8; i++ {
		t = math.Sqrt(math.Max(1, 4*math.Log(nf)+2*math.Log(6/math.Sqrt(2*math.Pi))-6*math.Log(t)))
	}
	g := math.Log(t / (nf/2 - 1))
	switch {
	case n >= 1000:
		return g - 0.015, g + 0.015
	case n >= 64:
		return g - 0.05, g + 0.05
	}
	return g - 1, math.Min(g+0.2, math.Log(4))
}
