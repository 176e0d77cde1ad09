package meanfield

import (
	"math"

	"github.com/lmax-project/lmax/quadrature"
)

// Activation is a scalar nonlinearity φ of a network. Eval returns φ(x);
// String returns its spec in the grammar of Parse, so that
// Parse(a.String()) rebuilds an equal activation.
//
// Everything the mean-field maps need beyond Eval is optional: an
// activation implements Breakpointer, Differentiable, Stepper, Meaner,
// SecondMomenter, SecondMomentDeriver, CrossMomenter or SlopeMomenter when
// it can, and the package falls back to breakpoint-aware Gaussian
// quadrature (package quadrature) for every moment it lacks in closed form.
// The map slopes χ need derivative information: an activation used in a
// Network must implement Differentiable, Stepper or SlopeMomenter.
type Activation interface {
	Eval(x float64) float64
	String() string
}

// Breakpointer is implemented by piecewise-smooth activations. Breakpoints
// returns the points where φ or φ' is discontinuous, in increasing order;
// the quadrature fallbacks split the integration range there.
type Breakpointer interface {
	Breakpoints() []float64
}

// Differentiable is implemented by continuous activations with a derivative
// almost everywhere (kinks allowed, listed by Breakpoints). Deriv returns
// φ'(x); its value at a kink is immaterial for Gaussian expectations.
type Differentiable interface {
	Deriv(x float64) float64
}

// Stepper is implemented by piecewise-constant activations (THEORY.md §2):
// φ(x) = φ(-∞) + Σ_k a_k H(x - g_k), with φ(-∞) = Eval(-Inf). Jumps returns
// the increasing thresholds g_k and the jump heights a_k. Its derivative is
// Σ_k a_k δ(x - g_k), so that E[φ'(u1) φ'(u2)] is a sum of bivariate normal
// densities and χ(1) = +Inf. A Stepper may also implement
// Levels() []float64 (the N values y_0 ≤ … ≤ y_{N-1}, as
// *quantize.Quantizer does); the closed forms then use the exact levels
// instead of cumulative sums of the jumps.
type Stepper interface {
	Jumps() (g, a []float64)
}

// Meaner is implemented by activations with a closed-form Gaussian mean.
// Mean returns E[φ(√q z)], z standard normal, q ≥ 0.
type Meaner interface {
	Mean(q float64) float64
}

// SecondMomenter is implemented by activations with a closed-form Gaussian
// second moment. SecondMoment returns E[φ(√q z)²] for q ≥ 0, including the
// variance of any output noise (see Noisy).
type SecondMomenter interface {
	SecondMoment(q float64) float64
}

// SecondMomentDeriver is implemented by activations that know the slope of
// their second moment in closed form. SecondMomentDeriv returns
// d/dq E[φ(√q z)²] for q > 0; σ_w² times it is the slope V'(q) of the
// variance map.
type SecondMomentDeriver interface {
	SecondMomentDeriv(q float64) float64
}

// CrossMomenter is implemented by activations with a closed-form Gaussian
// cross moment. CrossMoment returns E[φ(u1) φ(u2)] for zero-mean jointly
// normal (u1, u2) with variances q11, q22 ≥ 0 and correlation rho ∈ [-1, 1]
// (covariance rho·√(q11 q22)). It never includes output noise: the noise
// of two distinct inputs is independent.
//
// The correlation rather than the covariance is the argument so that 1 - ρ
// is exact near ρ = 1, where the cross moment of a step function has a
// √(1-ρ) cusp and its slope diverges.
type CrossMomenter interface {
	CrossMoment(q11, q22, rho float64) float64
}

// SlopeMomenter is implemented by activations whose slope moment is known in
// closed form. SlopeMoment returns E[φ'(u1) φ'(u2)] with (u1, u2) as for
// CrossMomenter; by Price's theorem it is ∂E[φ(u1)φ(u2)]/∂q12, so it exists
// (possibly +Inf at |ρ| = 1) for step functions as a sum of densities.
type SlopeMomenter interface {
	SlopeMoment(q11, q22, rho float64) float64
}

// NoiseStder is implemented by activations that add independent Gaussian
// noise to their output (Noisy). NoiseStd returns the standard deviation
// that a simulator must add to Eval(x); the moments of this package already
// account for it.
type NoiseStder interface {
	NoiseStd() float64
}

// Breakpoints returns the breakpoints of phi: those of a Breakpointer, the
// thresholds of a Stepper, otherwise none.
func Breakpoints(phi Activation) []float64 {
	switch a := phi.(type) {
	case Breakpointer:
		return a.Breakpoints()
	case Stepper:
		g, _ := a.Jumps()
		return g
	}
	return nil
}

// Mean returns E[φ(√q z)] for q ≥ 0: in closed form for a Meaner or a
// Stepper, otherwise by quadrature.
func Mean(phi Activation, q float64) float64 {
	switch a := phi.(type) {
	case Meaner:
		return a.Mean(q)
	case Stepper:
		return stepOf(phi, a).mean(q)
	}
	return quadrature.Expect(phi.Eval, q, Breakpoints(phi))
}

// SecondMoment returns E[φ(√q z)²] for q ≥ 0, output noise included: in
// closed form for a SecondMomenter or a Stepper, otherwise by quadrature.
func SecondMoment(phi Activation, q float64) float64 {
	switch a := phi.(type) {
	case SecondMomenter:
		return a.SecondMoment(q)
	case Stepper:
		return stepOf(phi, a).secondMoment(q)
	}
	return quadrature.Expect(func(x float64) float64 { v := phi.Eval(x); return v * v }, q, Breakpoints(phi))
}

// SecondMomentDeriv returns d/dq E[φ(√q z)²] for q > 0. Without a closed
// form it uses Gaussian integration by parts, which needs no second
// derivative: E[φ(u) φ'(u) u]/q for a Differentiable φ, and otherwise the
// heat-equation form E[φ(u)² (u²/q - 1)]/(2q), both by quadrature.
func SecondMomentDeriv(phi Activation, q float64) float64 {
	switch a := phi.(type) {
	case SecondMomentDeriver:
		return a.SecondMomentDeriv(q)
	case Stepper:
		return stepOf(phi, a).secondMomentDeriv(q)
	case Differentiable:
		return quadrature.Expect(func(x float64) float64 {
			return phi.Eval(x) * a.Deriv(x) * x / q
		}, q, Breakpoints(phi))
	}
	return quadrature.Expect(func(x float64) float64 {
		v := phi.Eval(x)
		return v * v * (x*x/q - 1) / (2 * q)
	}, q, Breakpoints(phi))
}

// CrossMoment returns E[φ(u1) φ(u2)] for zero-mean jointly normal (u1, u2)
// with variances q11, q22 ≥ 0 and correlation rho (clamped to [-1, 1]),
// output noise excluded: in closed form for a CrossMomenter or a Stepper
// (THEORY.md §2, through bivariate normal CDFs), otherwise by 2-D
// quadrature.
func CrossMoment(phi Activation, q11, q22, rho float64) float64 {
	rho = clampCorr(rho)
	switch a := phi.(type) {
	case CrossMomenter:
		return a.CrossMoment(q11, q22, rho)
	case Stepper:
		return stepOf(phi, a).crossMoment(q11, q22, rho)
	}
	if rho == 0 {
		// Independent: exact, and spares the 2-D rule (slow as ρ → 0).
		return Mean(phi, q11) * Mean(phi, q22)
	}
	b := Breakpoints(phi)
	return expect2(phi.Eval, phi.Eval, q11, q22, rho, b, b)
}

// slopeMoment returns E[φ'(u1) φ'(u2)] as for CrossMoment, and false when
// phi carries no derivative information.
func slopeMoment(phi Activation, q11, q22, rho float64) (float64, bool) {
	rho = clampCorr(rho)
	switch a := phi.(type) {
	case SlopeMomenter:
		return a.SlopeMoment(q11, q22, rho), true
	case Stepper:
		return stepOf(phi, a).slopeMoment(q11, q22, rho), true
	case Differentiable:
		if rho == 0 {
			m1 := quadrature.Expect(a.Deriv, q11, Breakpoints(phi))
			m2 := quadrature.Expect(a.Deriv, q22, Breakpoints(phi))
			return m1 * m2, true
		}
		b := Breakpoints(phi)
		return expect2(a.Deriv, a.Deriv, q11, q22, rho, b, b), true
	}
	return math.NaN(), false
}

// hasSlope reports whether slopeMoment can serve phi.
func hasSlope(phi Activation) bool {
	if n, ok := phi.(Noisy); ok {
		return n.Phi != nil && hasSlope(n.Phi)
	}
	switch phi.(type) {
	case SlopeMomenter, Stepper, Differentiable:
		return true
	}
	return false
}

// clampCorr clamps a correlation into [-1, 1]; rounding in q12/√(q11 q22)
// can push it a few ulps outside. NaN stays NaN.
func clampCorr(rho float64) float64 {
	switch {
	case rho > 1:
		return 1
	case rho < -1:
		return -1
	}
	return rho
}

// expect2 returns E[f(u1) g(u2)] by quadrature, reducing the degenerate
// cases (a zero variance, |ρ| = 1) to one dimension so that the 2-D rule
// never sees a singular covariance.
func expect2(f, g func(float64) float64, q11, q22, rho float64, bf, bg []float64) float64 {
	switch {
	case q11 == 0 && q22 == 0:
		return f(0) * g(0)
	case q11 == 0:
		return f(0) * quadrature.Expect(g, q22, bg)
	case q22 == 0:
		return g(0) * quadrature.Expect(f, q11, bf)
	case rho == 1 || rho == -1:
		// u2 = s·u1 with s = ρ√(q22/q11).
		s := rho * math.Sqrt(q22/q11)
		breaks := append([]float64(nil), bf...)
		for _, b := range bg {
			breaks = append(breaks, b/s)
		}
		sortFloats(breaks)
		return quadrature.Expect(func(x float64) float64 { return f(x) * g(s*x) }, q11, breaks)
	}
	return quadrature.Expect2(f, g, q11, q22, rho*math.Sqrt(q11*q22), bf, bg)
}
