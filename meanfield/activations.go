package meanfield

import (
	"math"
	"strconv"

	"github.com/lmax-project/lmax/quadrature"
	"github.com/lmax-project/lmax/quantize"
)

// fmtFloat formats v so that strconv.ParseFloat returns exactly v.
func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Sign is φ(x) = sign(x), with sign(0) = +1 (the right-continuous step of
// package quantize, so that Sign and quant:2 agree everywhere). Its moments
// are those of THEORY.md §6: E[φ(u1)φ(u2)] = (2/π) arcsin ρ.
type Sign struct{}

// String returns the Parse spec "sign".
func (Sign) String() string { return "sign" }

// Eval returns sign(x), +1 at 0; NaN for NaN.
func (Sign) Eval(x float64) float64 {
	switch {
	case x >= 0:
		return 1
	case x < 0:
		return -1
	}
	return x
}

// Jumps returns the single jump of height 2 at 0.
func (Sign) Jumps() (g, a []float64) { return []float64{0}, []float64{2} }

// Mean returns 0.
func (Sign) Mean(q float64) float64 {
	if q == 0 {
		return 1
	}
	return 0
}

// SecondMoment returns 1.
func (Sign) SecondMoment(q float64) float64 { return 1 }

// SecondMomentDeriv returns 0.
func (Sign) SecondMomentDeriv(q float64) float64 { return 0 }

// CrossMoment returns (2/π) arcsin ρ (THEORY.md §6).
func (Sign) CrossMoment(q11, q22, rho float64) float64 {
	if q11 == 0 || q22 == 0 {
		return Sign{}.Mean(q11) * Sign{}.Mean(q22)
	}
	return 2 / math.Pi * math.Asin(rho)
}

// SlopeMoment returns 4 p2(0, 0; ρ)/√(q11 q22) = 2/(π √(q11 q22 (1-ρ²))),
// +Inf at |ρ| = 1.
func (Sign) SlopeMoment(q11, q22, rho float64) float64 {
	if q11 == 0 || q22 == 0 {
		return math.Inf(1)
	}
	return 2 / (math.Pi * math.Sqrt(q11*q22) * math.Sqrt((1-rho)*(1+rho)))
}

// Quantized is an N-level quantized activation (THEORY.md §2), a
// *quantize.Quantizer that also knows its Gaussian moments in closed form:
// sums of normal and bivariate normal CDFs and densities over the
// thresholds. The zero value is not usable.
type Quantized struct {
	*quantize.Quantizer
}

// String returns quant:N or uquant:N for the canonical members and
// quant:N:delta=D,amp=A or uquant:N:delta=D,amp=A otherwise; the
// description of package quantize for a quantizer outside both families.
func (q Quantized) String() string {
	n := q.N()
	if d, a, ok := q.Quantizer.Uniform(); ok {
		if d == 2/float64(n-1) && a == 1 {
			return "quant:" + strconv.Itoa(n)
		}
		return "quant:" + strconv.Itoa(n) + ":delta=" + fmtFloat(d) + ",amp=" + fmtFloat(a)
	}
	if d, a, ok := q.Quantizer.Unsigned(); ok {
		if d == 1/float64(n-1) && a == 1 {
			return "uquant:" + strconv.Itoa(n)
		}
		return "uquant:" + strconv.Itoa(n) + ":delta=" + fmtFloat(d) + ",amp=" + fmtFloat(a)
	}
	return q.Quantizer.String()
}

func (q Quantized) step() *stepFunc {
	g, a := q.Jumps()
	return newStepFunc(g, q.Levels(), a)
}

// Breakpoints returns the thresholds.
func (q Quantized) Breakpoints() []float64 { return q.Thresholds() }

// Mean returns E[φ(√q z)] = y_0 + Σ a_k Ψ(-g_k/√q), exactly 0 for a
// symmetric quantizer.
func (q Quantized) Mean(v float64) float64 { return q.step().mean(v) }

// SecondMoment returns E[φ(√q z)²], the levels squared weighted by the
// probabilities of their bins.
func (q Quantized) SecondMoment(v float64) float64 { return q.step().secondMoment(v) }

// SecondMomentDeriv returns d/dq E[φ(√q z)²] = Σ_k (y_k² - y_{k-1}²) ψ(ĝ_k) ĝ_k/(2q).
func (q Quantized) SecondMomentDeriv(v float64) float64 { return q.step().secondMomentDeriv(v) }

// CrossMoment returns E[φ(u1) φ(u2)] through bivariate normal CDFs, for any
// variances q11, q22 and correlation ρ.
func (q Quantized) CrossMoment(q11, q22, rho float64) float64 {
	return q.step().crossMoment(q11, q22, rho)
}

// SlopeMoment returns E[φ'(u1) φ'(u2)] = Σ a_k a_m p(g_k, g_m), p the density
// of (u1, u2); +Inf at ρ = 1 and equal variances.
func (q Quantized) SlopeMoment(q11, q22, rho float64) float64 {
	return q.step().slopeMoment(q11, q22, rho)
}

// Identity is φ(x) = x.
type Identity struct{}

// String returns the Parse spec "identity".
func (Identity) String() string { return "identity" }

// Eval returns x.
func (Identity) Eval(x float64) float64 { return x }

// Deriv returns 1.
func (Identity) Deriv(x float64) float64 { return 1 }

// Mean returns 0.
func (Identity) Mean(q float64) float64 { return 0 }

// SecondMoment returns q.
func (Identity) SecondMoment(q float64) float64 { return q }

// SecondMomentDeriv returns 1.
func (Identity) SecondMomentDeriv(q float64) float64 { return 1 }

// CrossMoment returns the covariance ρ√(q11 q22).
func (Identity) CrossMoment(q11, q22, rho float64) float64 { return rho * math.Sqrt(q11*q22) }

// SlopeMoment returns 1.
func (Identity) SlopeMoment(q11, q22, rho float64) float64 { return 1 }

// Tanh is φ(x) = tanh(x). Its second and cross moments have no closed form
// and come from quadrature.
type Tanh struct{}

// String returns the Parse spec "tanh".
func (Tanh) String() string { return "tanh" }

// Eval returns tanh(x).
func (Tanh) Eval(x float64) float64 { return math.Tanh(x) }

// Deriv returns 1 - tanh²(x), computed as 1/cosh²(x) to keep its tails.
func (Tanh) Deriv(x float64) float64 {
	c := math.Cosh(x)
	return 1 / (c * c)
}

// Mean returns 0 (tanh is odd).
func (Tanh) Mean(q float64) float64 { return 0 }

// Erf is φ(x) = erf(x). With a = 1 in THEORY.md §6,
// E[erf(u1) erf(u2)] = (2/π) arcsin(2q12/√((1+2q11)(1+2q22))), and
// E[φ'(u1)φ'(u2)] = (4/π)/√((1+2q11)(1+2q22) - 4q12²).
type Erf struct{}

// String returns the Parse spec "erf".
func (Erf) String() string { return "erf" }

// Eval returns erf(x).
func (Erf) Eval(x float64) float64 { return math.Erf(x) }

// Deriv returns (2/√π) e^{-x²}.
func (Erf) Deriv(x float64) float64 { return 2 / math.SqrtPi * math.Exp(-x*x) }

// Mean returns 0 (erf is odd).
func (Erf) Mean(q float64) float64 { return 0 }

// SecondMoment returns (2/π) arcsin(2q/(1+2q)).
func (Erf) SecondMoment(q float64) float64 { return 2 / math.Pi * math.Asin(2*q/(1+2*q)) }

// SecondMomentDeriv returns 4/(π (1+2q) √(1+4q)).
func (Erf) SecondMomentDeriv(q float64) float64 {
	return 4 / (math.Pi * (1 + 2*q) * math.Sqrt(1+4*q))
}

// CrossMoment returns (2/π) arcsin(2ρ√(q11 q22)/√((1+2q11)(1+2q22))).
func (Erf) CrossMoment(q11, q22, rho float64) float64 {
	return 2 / math.Pi * math.Asin(2*rho*math.Sqrt(q11*q22)/math.Sqrt((1+2*q11)*(1+2*q22)))
}

// SlopeMoment returns (4/π)/√((1+2q11)(1+2q22) - 4ρ²q11q22), the determinant
// written as 1 + 2q11 + 2q22 + 4q11q22(1-ρ)(1+ρ) to avoid cancellation.
func (Erf) SlopeMoment(q11, q22, rho float64) float64 {
	det := 1 + 2*q11 + 2*q22 + 4*q11*q22*(1-rho)*(1+rho)
	return 4 / (math.Pi * math.Sqrt(det))
}

// ReLU is φ(x) = max(x, 0). Its cross moment is the arc-cosine kernel of
// THEORY.md §6: E[φ(u1)φ(u2)] = (√(q11 q22)/2π)(√(1-ρ²) + (π - arccos ρ) ρ).
type ReLU struct{}

// String returns the Parse spec "relu".
func (ReLU) String() string { return "relu" }

// Eval returns max(x, 0).
func (ReLU) Eval(x float64) float64 {
	if x > 0 {
		return x
	}
	if x <= 0 {
		return 0
	}
	return x // NaN
}

// Deriv returns 1 for x > 0, else 0.
func (ReLU) Deriv(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

// Breakpoints returns the kink at 0.
func (ReLU) Breakpoints() []float64 { return []float64{0} }

// Mean returns √(q/(2π)).
func (ReLU) Mean(q float64) float64 { return math.Sqrt(q / (2 * math.Pi)) }

// SecondMoment returns q/2.
func (ReLU) SecondMoment(q float64) float64 { return q / 2 }

// SecondMomentDeriv returns 1/2.
func (ReLU) SecondMomentDeriv(q float64) float64 { return 0.5 }

// CrossMoment returns the arc-cosine kernel, with π - arccos ρ written as
// arccos(-ρ) and 1-ρ² as (1-ρ)(1+ρ).
func (ReLU) CrossMoment(q11, q22, rho float64) float64 {
	return math.Sqrt(q11*q22) / (2 * math.Pi) * reluKernel(rho)
}

// reluKernel returns √(1-ρ²) + ρ arccos(-ρ), 2π E[relu(z1) relu(z2)].
func reluKernel(rho float64) float64 {
	return math.Sqrt((1-rho)*(1+rho)) + rho*math.Acos(-rho)
}

// SlopeMoment returns Φ2(0, 0; ρ) = arccos(-ρ)/(2π).
func (ReLU) SlopeMoment(q11, q22, rho float64) float64 {
	if q11 == 0 || q22 == 0 {
		return 0
	}
	return math.Acos(-rho) / (2 * math.Pi)
}

// LeakyReLU is φ(x) = x for x > 0, Alpha·x otherwise. As
// φ = Alpha·x + (1-Alpha)·relu(x) and E[u1 relu(u2)] = q12/2, its cross
// moment is Alpha·q12 + (1-Alpha)² times the ReLU kernel.
type LeakyReLU struct {
	Alpha float64
}

// String returns the Parse spec lrelu:ALPHA.
func (l LeakyReLU) String() string { return "lrelu:" + fmtFloat(l.Alpha) }

// Eval returns x for x > 0, Alpha·x otherwise.
func (l LeakyReLU) Eval(x float64) float64 {
	if x > 0 {
		return x
	}
	return l.Alpha * x
}

// Deriv returns 1 for x > 0, Alpha otherwise.
func (l LeakyReLU) Deriv(x float64) float64 {
	if x > 0 {
		return 1
	}
	return l.Alpha
}

// Breakpoints returns the kink at 0.
func (LeakyReLU) Breakpoints() []float64 { return []float64{0} }

// Mean returns (1-Alpha) √(q/(2π)).
func (l LeakyReLU) Mean(q float64) float64 { return (1 - l.Alpha) * math.Sqrt(q/(2*math.Pi)) }

// SecondMoment returns q (1+Alpha²)/2.
func (l LeakyReLU) SecondMoment(q float64) float64 { return q * (1 + l.Alpha*l.Alpha) / 2 }

// SecondMomentDeriv returns (1+Alpha²)/2.
func (l LeakyReLU) SecondMomentDeriv(q float64) float64 { return (1 + l.Alpha*l.Alpha) / 2 }

// CrossMoment returns √(q11 q22) (Alpha ρ + (1-Alpha)² (√(1-ρ²) + ρ arccos(-ρ))/(2π)).
func (l LeakyReLU) CrossMoment(q11, q22, rho float64) float64 {
	b := 1 - l.Alpha
	return math.Sqrt(q11*q22) * (l.Alpha*rho + b*b*reluKernel(rho)/(2*math.Pi))
}

// SlopeMoment returns Alpha + (1-Alpha)² arccos(-ρ)/(2π).
func (l LeakyReLU) SlopeMoment(q11, q22, rho float64) float64 {
	b := 1 - l.Alpha
	if q11 == 0 || q22 == 0 {
		return l.Alpha * l.Alpha
	}
	return l.Alpha + b*b*math.Acos(-rho)/(2*math.Pi)
}

// HardTanh is φ(x) = clip(x, -1, 1). Its moments are closed forms: a
// truncated normal moment, a rectangle probability through Φ2, and the
// cross moment through the ramp products that stochastic rounding also
// uses (clipCross).
type HardTanh struct{}

// String returns the Parse spec "hardtanh".
func (HardTanh) String() string { return "hardtanh" }

// Eval returns clip(x, -1, 1).
func (HardTanh) Eval(x float64) float64 {
	switch {
	case x > 1:
		return 1
	case x < -1:
		return -1
	}
	return x
}

// Deriv returns 1 for |x| < 1, else 0.
func (HardTanh) Deriv(x float64) float64 {
	if x > -1 && x < 1 {
		return 1
	}
	return 0
}

// Breakpoints returns the kinks at ±1.
func (HardTanh) Breakpoints() []float64 { return []float64{-1, 1} }

// Mean returns 0 (hardtanh is odd).
func (HardTanh) Mean(q float64) float64 { return 0 }

// truncSecond returns E[z² 1{|z| < a}] = erf(a/√2) - 2aψ(a) for a standard
// normal z. For small a the two terms cancel (both ≈ 2aψ(0)); there the
// series 2ψ(0) Σ_n (-1)^n a^{2n+3}/(2^n n! (2n+3)) is used instead.
func truncSecond(a float64) float64 {
	if a > 0.5 {
		return math.Erf(a/math.Sqrt2) - 2*a*quadrature.NormalPDF(a)
	}
	// Terms fall by a²/2·(2n+3)/((n+1)(2n+5)) ≤ 1/8 per step: 20 terms reach
	// 8^-20 ≈ 1e-18 relative.
	a2 := a * a
	term := a2 * a / 3 // n = 0
	sum := term
	t := a2 * a
	for n := 1; n < 24; n++ {
		t *= -a2 / (2 * float64(n))
		sum += t / float64(2*n+3)
	}
	return 2 / math.Sqrt(2*math.Pi) * sum
}

// SecondMoment returns q E[z² 1{|z|<a}] + P(|z| ≥ a), a = 1/√q.
func (HardTanh) SecondMoment(q float64) float64 {
	if q == 0 {
		return 0
	}
	a := 1 / math.Sqrt(q)
	return q*truncSecond(a) + math.Erfc(a/math.Sqrt2)
}

// SecondMomentDeriv returns E[z² 1{|z|<a}], a = 1/√q: with f = φ²,
// d/dq E[f(u)] = E[f”(u)]/2 = P(|u| < 1) - 2 p_u(1).
func (HardTanh) SecondMomentDeriv(q float64) float64 {
	if q == 0 {
		return 1
	}
	return truncSecond(1 / math.Sqrt(q))
}

// SlopeMoment returns P(|u1| < 1, |u2| < 1), a sum of four Φ2 with tail
// arguments: for a = 1/√q11, b = 1/√q22,
// P = 1 - 2Ψ(-a) - 2Ψ(-b) + 2Φ2(-a,-b;ρ) + 2Φ2(-a,-b;-ρ).
func (HardTanh) SlopeMoment(q11, q22, rho float64) float64 {
	if q11 == 0 || q22 == 0 {
		q := math.Max(q11, q22)
		if q == 0 {
			return 1
		}
		return math.Erf(1 / math.Sqrt(2*q))
	}
	a, b := 1/math.Sqrt(q11), 1/math.Sqrt(q22)
	// Inclusion–exclusion over the four tails u ≷ ±1, each of which is a
	// Φ2 or Ψ with negative arguments, computed to full relative accuracy;
	// the result is accurate to a few ulps of 1 in absolute terms.
	ta, tb := quadrature.NormalCDF(-a), quadrature.NormalCDF(-b)
	pp := quadrature.BivariateCDF(-a, -b, rho)  // u1 > 1, u2 > 1 (= u1 < -1, u2 < -1)
	pm := quadrature.BivariateCDF(-a, -b, -rho) // u1 > 1, u2 < -1 (= u1 < -1, u2 > 1)
	// P(|u1| ≥ 1 or |u2| ≥ 1) = 2ta + 2tb - 2pp - 2pm.
	return 1 - 2*(ta+tb) + 2*(pp+pm)
}

// ELU is φ(x) = x for x > 0, Alpha(e^x - 1) otherwise. Its moments come from
// quadrature.
type ELU struct {
	Alpha float64
}

// String returns the Parse spec elu:ALPHA.
func (e ELU) String() string { return "elu:" + fmtFloat(e.Alpha) }

// Eval returns x for x > 0, Alpha·expm1(x) otherwise.
func (e ELU) Eval(x float64) float64 {
	if x > 0 {
		return x
	}
	return e.Alpha * math.Expm1(x)
}

// Deriv returns 1 for x > 0, Alpha·e^x otherwise.
func (e ELU) Deriv(x float64) float64 {
	if x > 0 {
		return 1
	}
	return e.Alpha * math.Exp(x)
}

// Breakpoints returns the kink at 0 (a kink of φ' only when Alpha = 1).
func (ELU) Breakpoints() []float64 { return []float64{0} }

// Noisy is the activation Phi with independent Gaussian noise of standard
// deviation S added to its output (the noisy activations of Gulcehre et
// al.). Eval returns the noise-free Phi(x); a simulator adds noise of
// NoiseStd(). The noise adds S² to E[φ(u)²] (so the variance map V includes
// it) and leaves E[φ(u1)φ(u2)] of two distinct inputs unchanged (so the
// correlation map M excludes it, and M(1) = 1 - σ_w²S²/q* < 1).
type Noisy struct {
	S   float64
	Phi Activation
}

// String returns the Parse spec noisy:S:SPEC, SPEC that of Phi.
func (n Noisy) String() string { return "noisy:" + fmtFloat(n.S) + ":" + n.Phi.String() }

// Eval returns the noise-free Phi(x).
func (n Noisy) Eval(x float64) float64 { return n.Phi.Eval(x) }

// NoiseStd returns S.
func (n Noisy) NoiseStd() float64 { return n.S }

// Breakpoints returns those of Phi.
func (n Noisy) Breakpoints() []float64 { return Breakpoints(n.Phi) }

// Mean returns the mean of Phi (the noise has mean zero).
func (n Noisy) Mean(q float64) float64 { return Mean(n.Phi, q) }

// SecondMoment returns E[Phi(√q z)²] + S².
func (n Noisy) SecondMoment(q float64) float64 { return SecondMoment(n.Phi, q) + n.S*n.S }

// SecondMomentDeriv returns that of Phi.
func (n Noisy) SecondMomentDeriv(q float64) float64 { return SecondMomentDeriv(n.Phi, q) }

// CrossMoment returns that of Phi: the noise of two inputs is independent.
func (n Noisy) CrossMoment(q11, q22, rho float64) float64 { return CrossMoment(n.Phi, q11, q22, rho) }

// SlopeMoment returns that of Phi (NaN when Phi has no derivative
// information; New rejects such a network).
func (n Noisy) SlopeMoment(q11, q22, rho float64) float64 {
	v, _ := slopeMoment(n.Phi, q11, q22, rho)
	return v
}

// CrossMoment returns E[clip(u1) clip(u2)] in closed form (clipCross); a
// zero variance puts its input at 0, where clip vanishes.
func (HardTanh) CrossMoment(q11, q22, rho float64) float64 {
	if q11 == 0 || q22 == 0 {
		return 0
	}
	return clipCross(true, 1, q11, q22, rho)
}
