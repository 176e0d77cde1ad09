package meanfield

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// ErrInvalid is wrapped by the errors of New and of the solvers for bad
// arguments, so callers can test with errors.Is.
var ErrInvalid = errors.New("invalid mean-field network")

// Network is the mean-field description of a deep fully connected network
// (THEORY.md §1): activation Phi, weights W_ij ~ N(0, SigmaW²/n), biases
// b_i ~ N(0, SigmaB²). Build one with New, which validates it; the methods
// assume a valid network. A Network is a small value, safe for concurrent
// use when its activation is.
//
// The map methods (V, VDeriv, Step, M, Chi, Chi1, CorrelationByIntegral)
// are numerical functions in the manner of package math: arguments outside
// their domain (q < 0, |c| > 1, NaN) give NaN or ±Inf, never a panic.
type Network struct {
	Phi    Activation
	SigmaW float64
	SigmaB float64
}

// New returns the network (phi, sigmaW, sigmaB) after checking that σ_w is
// finite and positive, σ_b finite and non-negative, and that phi carries the
// derivative information χ needs (Differentiable, Stepper or
// SlopeMomenter); for a Noisy activation, that its noise is finite and
// non-negative and its inner activation valid.
func New(phi Activation, sigmaW, sigmaB float64) (Network, error) {
	n := Network{Phi: phi, SigmaW: sigmaW, SigmaB: sigmaB}
	return n, n.validate()
}

func (n Network) validate() error {
	if math.IsNaN(n.SigmaW) || math.IsInf(n.SigmaW, 0) || n.SigmaW <= 0 {
		return fmt.Errorf("%w: sigma_w %v: must be finite and positive", ErrInvalid, n.SigmaW)
	}
	if math.IsNaN(n.SigmaB) || math.IsInf(n.SigmaB, 0) || n.SigmaB < 0 {
		return fmt.Errorf("%w: sigma_b %v: must be finite and non-negative", ErrInvalid, n.SigmaB)
	}
	return validActivation(n.Phi)
}

func validActivation(phi Activation) error {
	switch a := phi.(type) {
	case nil:
		return fmt.Errorf("%w: nil activation", ErrInvalid)
	case Quantized:
		if a.Quantizer == nil {
			return fmt.Errorf("%w: Quantized with a nil quantizer", ErrInvalid)
		}
	case Noisy:
		if math.IsNaN(a.S) || math.IsInf(a.S, 0) || a.S < 0 {
			return fmt.Errorf("%w: noise std %v: must be finite and non-negative", ErrInvalid, a.S)
		}
		return validActivation(a.Phi)
	}
	if !hasSlope(phi) {
		return fmt.Errorf("%w: activation %s: needs Deriv, Jumps or SlopeMoment for χ", ErrInvalid, phi)
	}
	return nil
}

// String describes the network as phi=…, sigma_w=…, sigma_b=….
func (n Network) String() string {
	return fmt.Sprintf("phi=%v sigma_w=%s sigma_b=%s", n.Phi, fmtFloat(n.SigmaW), fmtFloat(n.SigmaB))
}

func (n Network) w2() float64 { return n.SigmaW * n.SigmaW }
func (n Network) b2() float64 { return n.SigmaB * n.SigmaB }

// V returns the variance map V(q) = σ_w² E[φ(√q z)²] + σ_b² (THEORY.md §1),
// output noise included.
func (n Network) V(q float64) float64 {
	if !(q >= 0) {
		return math.NaN()
	}
	return n.w2()*SecondMoment(n.Phi, q) + n.b2()
}

// VDeriv returns V'(q) = σ_w² d/dq E[φ(√q z)²] for q > 0, whose value at q*
// sets ξ_q: in closed form where the activation has one, otherwise by
// Gaussian integration by parts and quadrature (see SecondMomentDeriv).
func (n Network) VDeriv(q float64) float64 {
	if !(q >= 0) {
		return math.NaN()
	}
	return n.w2() * SecondMomentDeriv(n.Phi, q)
}

// Step applies one layer to the covariance of the pre-activations of two
// inputs (THEORY.md §1): from (q11, q22, q12) of layer l it returns those of
// layer l+1,
//
//	q11' = σ_w² E[φ(u1)²] + σ_b²,  q22' = σ_w² E[φ(u2)²] + σ_b²,
//	q12' = σ_w² E[φ(u1)φ(u2)] + σ_b²,
//
// output noise in the variances only. q11, q22 must be ≥ 0 and
// |q12| ≤ √(q11 q22); a correlation beyond ±1 by at most 1e-12 (rounding)
// is clamped, a larger one gives NaN.
func (n Network) Step(q11, q22, q12 float64) (float64, float64, float64) {
	if !(q11 >= 0 && q22 >= 0) || math.IsNaN(q12) {
		nan := math.NaN()
		return nan, nan, nan
	}
	rho := 0.0
	if s := math.Sqrt(q11 * q22); s > 0 {
		rho = q12 / s
	} else if q12 != 0 {
		rho = math.Inf(1)
	}
	if math.Abs(rho) > 1+1e-12 {
		nan := math.NaN()
		return nan, nan, nan
	}
	return n.V(q11), n.V(q22), n.w2()*CrossMoment(n.Phi, q11, q22, rho) + n.b2()
}

// M returns the correlation map at variance q > 0 (THEORY.md §1):
// M(c) = (σ_w² E[φ(u1)φ(u2)] + σ_b²)/q with u1, u2 of variance q and
// correlation c ∈ [-1, 1]. At the fixed point q = q*, M(1) = V(q*)/q* = 1
// for a noise-free activation.
func (n Network) M(q, c float64) float64 {
	if !(q > 0) || !(c >= -1 && c <= 1) {
		return math.NaN()
	}
	return (n.w2()*CrossMoment(n.Phi, q, q, c) + n.b2()) / q
}

// Chi returns χ(c) = M'(c) = σ_w² E[φ'(u1)φ'(u2)] at variance q (Price's
// theorem, THEORY.md §1); for a step function σ_w² Σ a_k a_m p(g_k, g_m)
// with p the density of (u1, u2).
func (n Network) Chi(q, c float64) float64 {
	if !(q >= 0) || !(c >= -1 && c <= 1) {
		return math.NaN()
	}
	v, _ := slopeMoment(n.Phi, q, q, c)
	return n.w2() * v
}

// Chi1 returns χ1 = χ(1) = σ_w² E[φ'(u)²] at variance q: +Inf for a
// discontinuous activation.
func (n Network) Chi1(q float64) float64 { return n.Chi(q, 1) }

// CorrelationByIntegral returns M(c) at variance q > 0 by the second route of
// THEORY.md §2, M(c) = M(0) + ∫_0^c χ(r) dr, independent of the bivariate
// CDFs of M: for a step function (or Noisy wrapping one) through the
// substitution r = cos φ = sin θ, which removes the 1/√(1-r²) singularity of
// χ, and Gauss–Legendre panels graded towards r = ±1 (see stepFunc); for
// other activations with Gauss–Legendre panels over θ on χ from SlopeMoment.
// It agrees with M to a few 1e-15 (TestCorrelationRoutes) and costs tens to
// hundreds of χ evaluations: a check, not a replacement for M.
func (n Network) CorrelationByIntegral(q, c float64) float64 {
	if !(q > 0) || !(c >= -1 && c <= 1) {
		return math.NaN()
	}
	phi := n.Phi
	if nz, ok := phi.(Noisy); ok {
		phi = nz.Phi // the noise does not enter E[φ(u1)φ(u2)]
	}
	m := Mean(phi, q)
	m0 := (n.w2()*m*m + n.b2()) / q
	if s, ok := phi.(Stepper); ok {
		return m0 + n.w2()*stepOf(phi, s).covByIntegral(math.Sqrt(q), c)/q
	}
	// ∫_0^c χ(r) dr = ∫_0^{asin c} χ(sin θ) cos θ dθ, χ bounded for a
	// continuous φ; panels graded towards θ = ±π/2 (down to 2⁻⁸), where
	// the χ of a kinked φ varies fastest. For tanh, erf, relu and hardtanh
	// this reproduces M to 1e-15 (TestCorrelationRoutes).
	theta := math.Asin(c)
	lo, hi, sign := 0.0, theta, 1.0
	if theta < 0 {
		lo, hi, sign = theta, 0, -1
	}
	breaks := []float64{lo, hi}
	for p := math.Pi / 4; p > 0x1p-8; p /= 2 {
		for _, b := range []float64{math.Pi/2 - p, p - math.Pi/2} {
			if b > lo && b < hi {
				breaks = append(breaks, b)
			}
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
		for t, th := range nodes {
			total += weights[t] * n.Chi(q, math.Sin(th)) * math.Cos(th)
		}
	}
	return m0 + sign*total
}
