package meanfield

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/lmax-project/lmax/quadrature"
	"github.com/lmax-project/lmax/quantize"
)

// Sampler is implemented by stochastic activations, whose output is a
// random variable given the input. Sample draws one output for input x
// from r, consuming a fixed number of values from r whatever x is, so that
// a simulation seeded once is reproducible. Eval is then the conditional
// mean E[φ | x]. Package simulate checks for this method.
type Sampler interface {
	Sample(x float64, r *rand.Rand) float64
}

// OutputVariancer is implemented by stochastic activations.
// OutputVariance returns E[Var(φ(u) | u)] for u ~ N(0, q), q ≥ 0: the part
// of E[φ(u)²] that two distinct inputs do not share, because the
// randomness of their outputs is independent. SecondMoment includes it and
// CrossMoment excludes it, so the correlation map jumps at c = 1:
// M(1⁻) = 1 - σ_w² OutputVariance(q*)/q* < 1 at the fixed point.
type OutputVariancer interface {
	OutputVariance(q float64) float64
}

// OutputVariance returns E[Var(φ(u) | u)] for u ~ N(0, q): S² plus that of
// the inner activation for Noisy, the method's value for an
// OutputVariancer, 0 for a deterministic activation. A positive value means
// that c = 1 is not a fixed point of the correlation map.
func OutputVariance(phi Activation, q float64) float64 {
	switch a := phi.(type) {
	case Noisy:
		return a.S*a.S + OutputVariance(a.Phi, q)
	case OutputVariancer:
		return a.OutputVariance(q)
	}
	return 0
}

// HasOutputNoise reports whether phi's output is random given its input
// (Noisy with S > 0, or wrapping a stochastic activation; any
// OutputVariancer), so that E[φ(u)²] exceeds the limit of E[φ(u1)φ(u2)] as
// the inputs merge, M(1⁻) < 1 at q*, and c = 1 is never a fixed point of M
// whatever χ1. Code that treats χ1 ≤ 1 as the ordered phase (c* = 1) must
// check this first.
func HasOutputNoise(phi Activation) bool {
	switch a := phi.(type) {
	case Noisy:
		return a.S > 0 || HasOutputNoise(a.Phi)
	case OutputVariancer:
		return true
	}
	return false
}

// Sample draws Phi's output for input x (Phi's own draw when it is a
// Sampler, Phi.Eval(x) otherwise) without the additive noise, which the
// simulator adds from NoiseStd. It makes noisy:S:sround:N simulate
// correctly.
func (n Noisy) Sample(x float64, r *rand.Rand) float64 {
	if s, ok := n.Phi.(Sampler); ok {
		return s.Sample(x, r)
	}
	return n.Phi.Eval(x)
}

// StochasticRounding is the stochastically rounded version of the uniform
// symmetric or unsigned quantizer Q (THEORY.md §2): with x_0 < … < x_{N-1}
// the centers of Q's bins (equally spaced by δ; x_k = δ(k - (N-1)/2) for
// the symmetric family, δk for the unsigned one), an input x in
// [x_k, x_{k+1}] gives the level y_{k+1} with probability
// p = (x - x_k)/δ and y_k otherwise; inputs beyond the outer centers give
// the outer levels. Rounding happens in the level domain: for the
// canonical quantizer x_k = y_k, and φ rounds clip(x, -1, 1) up or down to
// a neighbouring level, unbiasedly. Given x, φ has
//
//	mean      m(x) = s·clip(x, a, b),    s = A/t,
//	variance  v(x) = (m(x) - y_k)(y_{k+1} - m(x)) = s²(x - x_k)(x_{k+1} - x),
//
// with t = δ(N-1)/2, [a, b] = [-t, t] for the symmetric family and
// t = δ(N-1), [a, b] = [0, t] for the unsigned one: the mean is a scaled
// hard tanh (a clipped ReLU) whatever N, and N enters only through the
// rounding variance, about s²δ²/6 where the input is inside [a, b] (twice
// the δ²/12 of deterministic rounding).
//
// Eval returns the mean m(x), Sample a random output. Its moments are in
// closed form: E[m], E[m²] and d/dq E[m²] through Ψ and ψ, E[m(u1)m(u2)]
// for any variances through bivariate normal CDFs (four ramp-product
// moments), E[m'(u1)m'(u2)] = s² P(a < u1 < b, a < u2 < b) through Φ2, and
// E[v(u)] as a sum over the bins. SecondMoment is E[m²] + E[v]; CrossMoment
// is E[m(u1)m(u2)] for every ρ, ρ = 1 included: the roundings of two
// distinct inputs are independent, so, as for Noisy, M(1⁻) < 1 and c* < 1.
//
// Q must be a quantizer of package quantize's Uniform or Unsigned families
// (NewStochasticRounding checks); with any other Q every method returns
// NaN.
type StochasticRounding struct {
	Q *quantize.Quantizer
}

// NewStochasticRounding returns the stochastic rounding of q, or an error
// when q is nil or outside the uniform symmetric and unsigned families
// (whose bin centers are equally spaced).
func NewStochasticRounding(q *quantize.Quantizer) (StochasticRounding, error) {
	r := StochasticRounding{Q: q}
	if _, ok := r.grid(); !ok {
		if q == nil {
			return r, fmt.Errorf("%w: stochastic rounding of a nil quantizer", ErrInvalid)
		}
		return r, fmt.Errorf("%w: stochastic rounding of %v: need a uniform symmetric or unsigned quantizer", ErrInvalid, q)
	}
	return r, nil
}

// srGrid is the geometry of a stochastic rounding: the mean is
// s·clip(x, lo, hi), the bin centers are lo + kh, k = 0 … n-1.
type srGrid struct {
	lo, hi float64
	s, h   float64
	n      int
	odd    bool // symmetric family: lo = -hi, E[m] = 0
}

func (r StochasticRounding) grid() (srGrid, bool) {
	if r.Q == nil {
		return srGrid{}, false
	}
	n := r.Q.N()
	if d, a, ok := r.Q.Uniform(); ok {
		t := d * float64(n-1) / 2
		if d == 2/float64(n-1) {
			t = 1 // canonical spacing: exactly the clip point of hardtanh
		}
		return srGrid{lo: -t, hi: t, s: a / t, h: d, n: n, odd: true}, true
	}
	if d, a, ok := r.Q.Unsigned(); ok {
		t := d * float64(n-1)
		if d == 1/float64(n-1) {
			t = 1
		}
		return srGrid{lo: 0, hi: t, s: a / t, h: d, n: n}, true
	}
	return srGrid{}, false
}

// String returns sround:N or usround:N for the canonical members and
// sround:N:delta=D,amp=A or usround:N:delta=D,amp=A otherwise.
func (r StochasticRounding) String() string {
	if r.Q == nil {
		return "sround(nil)"
	}
	n := r.Q.N()
	if d, a, ok := r.Q.Uniform(); ok {
		if d == 2/float64(n-1) && a == 1 {
			return "sround:" + strconv.Itoa(n)
		}
		return "sround:" + strconv.Itoa(n) + ":delta=" + fmtFloat(d) + ",amp=" + fmtFloat(a)
	}
	if d, a, ok := r.Q.Unsigned(); ok {
		if d == 1/float64(n-1) && a == 1 {
			return "usround:" + strconv.Itoa(n)
		}
		return "usround:" + strconv.Itoa(n) + ":delta=" + fmtFloat(d) + ",amp=" + fmtFloat(a)
	}
	return "sround(" + r.Q.String() + ")"
}

// clip returns clip(x, lo, hi); NaN stays NaN.
func (g srGrid) clip(x float64) float64 {
	switch {
	case x > g.hi:
		return g.hi
	case x < g.lo:
		return g.lo
	}
	return x
}

// Eval returns the conditional mean m(x) = s·clip(x, a, b); exactly
// clip(x, -1, 1) for the canonical symmetric quantizer.
func (r StochasticRounding) Eval(x float64) float64 {
	g, ok := r.grid()
	if !ok {
		return math.NaN()
	}
	return g.s * g.clip(x)
}

// Deriv returns m'(x): s inside (a, b), 0 outside.
func (r StochasticRounding) Deriv(x float64) float64 {
	g, ok := r.grid()
	if !ok {
		return math.NaN()
	}
	if x > g.lo && x < g.hi {
		return g.s
	}
	return 0
}

// Breakpoints returns the kinks a, b of the mean m (the kinks of the
// variance at the inner bin centers do not enter Eval).
func (r StochasticRounding) Breakpoints() []float64 {
	g, ok := r.grid()
	if !ok {
		return nil
	}
	return []float64{g.lo, g.hi}
}

// position returns the bin index k and the fractional position p ∈ [0, 1)
// of x between the centers x_k and x_{k+1} (k = n-1, p = 0 at or beyond the
// top center).
//
// The position is x/δ + (N-1)/2 (symmetric) or x/δ (unsigned) rather than
// (x - a)/δ, so that it is exact at x = 0, a bin center for odd N.
func (g srGrid) position(x float64) (k int, p float64) {
	switch {
	case x >= g.hi:
		return g.n - 1, 0
	case x <= g.lo:
		return 0, 0
	}
	u := x / g.h
	if g.odd {
		u += float64(g.n-1) / 2
	}
	f := math.Floor(u)
	switch {
	case f >= float64(g.n-1):
		return g.n - 1, 0
	case f < 0:
		return 0, 0
	}
	return int(f), u - f
}

// Variance returns Var(φ | x) = s²δ²p(1-p), p the fractional position of x
// between two bin centers; 0 outside [a, b] and at the centers.
func (r StochasticRounding) Variance(x float64) float64 {
	g, ok := r.grid()
	if !ok || math.IsNaN(x) {
		return math.NaN()
	}
	_, p := g.position(x)
	sh := g.s * g.h
	return sh * sh * p * (1 - p)
}

// Sample returns a random output for input x: the level of bin k+1 with
// probability p and of bin k otherwise, (k, p) the position of x between
// the bin centers, always one of Q's levels. It consumes exactly one
// r.Float64() per call. NaN gives NaN.
func (r StochasticRounding) Sample(x float64, src *rand.Rand) float64 {
	v := src.Float64()
	g, ok := r.grid()
	if !ok || math.IsNaN(x) {
		return math.NaN()
	}
	k, p := g.position(x)
	if v < p {
		k++
	}
	// The bin center lies δ/2 from the thresholds, so Q.Eval returns
	// exactly level k.
	return r.Q.Eval(g.lo + float64(k)*g.h)
}

// Mean returns E[m(√q z)]: 0 for the symmetric family, and for the
// unsigned one s√q (ψ(0) - ψ(β) + βΨ(-β)), β = b/√q.
func (r StochasticRounding) Mean(q float64) float64 {
	g, ok := r.grid()
	if !ok || !(q >= 0) {
		return math.NaN()
	}
	if g.odd || q == 0 {
		return 0
	}
	sd := math.Sqrt(q)
	beta := g.hi / sd
	// ψ(0) - ψ(β) = -ψ(0) expm1(-β²/2), exact for small β.
	d := -quadrature.NormalPDF(0) * math.Expm1(-beta*beta/2)
	return g.s * sd * (d + beta*quadrature.NormalCDF(-beta))
}

// meanSquare returns E[m(√q z)²] = s²(q E[z² 1{α<z<β}] + a²Ψ(α) + b²Ψ(-β)).
func (g srGrid) meanSquare(q float64) float64 {
	if q == 0 {
		m := g.s * g.clip(0)
		return m * m
	}
	beta := g.hi / math.Sqrt(q)
	tb := quadrature.NormalCDF(-beta)
	if g.odd {
		return g.s * g.s * (q*truncSecond(beta) + 2*g.hi*g.hi*tb)
	}
	return g.s * g.s * (q*truncSecond(beta)/2 + g.hi*g.hi*tb)
}

// SecondMoment returns E[φ(√q z)²] = E[m²] + E[v], the rounding variance
// included.
func (r StochasticRounding) SecondMoment(q float64) float64 {
	g, ok := r.grid()
	if !ok || !(q >= 0) {
		return math.NaN()
	}
	if q == 0 {
		m := g.s * g.clip(0)
		return m*m + r.Variance(0)
	}
	ev, _ := g.varSums(math.Sqrt(q))
	return g.meanSquare(q) + g.s*g.s*q*ev
}

// OutputVariance returns E[v(√q z)], the mean rounding variance: s²q times
// the sum over bins of ∫ (z - α_k)(β_k - z) ψ(z) dz, the bin [α_k, β_k] in
// units of √q.
func (r StochasticRounding) OutputVariance(q float64) float64 {
	g, ok := r.grid()
	if !ok || !(q >= 0) {
		return math.NaN()
	}
	if q == 0 {
		return r.Variance(0)
	}
	ev, _ := g.varSums(math.Sqrt(q))
	return g.s * g.s * q * ev
}

// SecondMomentDeriv returns d/dq E[φ(√q z)²] = d/dq E[m²] + d/dq E[v]. By
// Gaussian integration by parts d/dq E[f(u)] = E[u f'(u)]/(2q): for m² it
// is s² E[z² 1{α<z<β}], for v it is -s² Σ_k ∫ z (z - c_k) ψ(z) dz over the
// bins [α_k, β_k] with centers c_k (see varSums). At q = 0 it is the limit:
// 0 when 0 lies strictly inside a bin (the rounding variance falls as fast
// as E[m²] grows), +Inf when 0 is a bin center (E[v] grows like √q).
func (r StochasticRounding) SecondMomentDeriv(q float64) float64 {
	g, ok := r.grid()
	if !ok || !(q >= 0) {
		return math.NaN()
	}
	if q == 0 {
		if _, p := g.position(0); p == 0 {
			return math.Inf(1)
		}
		return 0
	}
	sd := math.Sqrt(q)
	beta := g.hi / sd
	dm := truncSecond(beta)
	if !g.odd {
		dm /= 2
	}
	_, dv := g.varSums(sd)
	return g.s * g.s * (dm - dv)
}

// CrossMoment returns E[m(u1) m(u2)] for any variances q11, q22 and
// correlation ρ, the rounding variance excluded (independent for distinct
// inputs; see StochasticRounding). With R_b(x) = (x - b)+, R_a(x) = (a - x)+:
//
//	symmetric: clip(x) = x - R_b(x) + R_a(x), and
//	E = q12 (1 - 2Ψ(-β1) - 2Ψ(-β2)) + 2√(q11 q22) (G(β1, β2; ρ) - G(β1, β2; -ρ));
//	unsigned:  clip(x) = (x)+ - R_b(x), and
//	E = √(q11 q22) (G(0, 0; ρ) - G(0, β2; ρ) - G(β1, 0; ρ) + G(β1, β2; ρ)),
//
// βi = b/√qii, G(h, k; ρ) = E[(z1 - h)+ (z2 - k)+] (see rampProduct), the
// linear terms by Stein's lemma E[u1 f(u2)] = q12 E[f'(u2)].
func (r StochasticRounding) CrossMoment(q11, q22, rho float64) float64 {
	g, ok := r.grid()
	if !ok || !(q11 >= 0 && q22 >= 0) || !(rho >= -1 && rho <= 1) {
		return math.NaN()
	}
	if q11 == 0 || q22 == 0 {
		// A degenerate input sits at 0, where m(0) = 0 for both families.
		return 0
	}
	return g.s * g.s * clipCross(g.odd, g.hi, q11, q22, rho)
}

// clipCross returns E[clip(u1, a, b) clip(u2, a, b)] with a = -b (odd) or
// a = 0, q11, q22 > 0. The absolute error is a few ulps of
// max(√(q11 q22), b²) (the terms are that large), so relative to the
// moment's natural scale min(q, b²) it grows like q/b² for q ≫ b².
func clipCross(odd bool, b, q11, q22, rho float64) float64 {
	r1, r2 := math.Sqrt(q11), math.Sqrt(q22)
	b1, b2 := b/r1, b/r2
	if odd {
		if rho == 0 {
			return 0
		}
		lin := rho * r1 * r2 * (1 - 2*quadrature.NormalCDF(-b1) - 2*quadrature.NormalCDF(-b2))
		return lin + 2*r1*r2*(rampProduct(b1, b2, rho)-rampProduct(b1, b2, -rho))
	}
	return r1 * r2 * (rampProduct(0, 0, rho) - rampProduct(0, b2, rho) - rampProduct(b1, 0, rho) + rampProduct(b1, b2, rho))
}

// rampProduct returns G(h, k; ρ) = E[(z1 - h)+ (z2 - k)+] for standard
// normals of correlation ρ ∈ [-1, 1]. Expanding (z1 - h)(z2 - k) over the
// orthant z1 > h, z2 > k with the truncated moments of Rosenbaum (1961)
// gives, with s = √(1-ρ²),
//
//	G = (ρ + hk) Φ2(-h, -k; ρ) - k ψ(h) Ψ((ρh - k)/s) - h ψ(k) Ψ((ρk - h)/s) + s² p2(h, k; ρ),
//
// and its limits G(h, k; 1) = (1 + hk) Ψ(-M) - min(h, k) ψ(M), M = max(h, k),
// and G(h, k; -1) = (hk - 1) P(h < z < -k) - h ψ(k) - k ψ(h) for h + k < 0
// (0 otherwise). ∂G/∂ρ = Φ2(-h, -k; ρ) (Price's theorem) is what the tests
// check it against.
func rampProduct(h, k, rho float64) float64 {
	pdf, cdf := quadrature.NormalPDF, quadrature.NormalCDF
	switch rho {
	case 1:
		m, l := math.Max(h, k), math.Min(h, k)
		return (1+h*k)*cdf(-m) - l*pdf(m)
	case -1:
		if h+k >= 0 {
			return 0
		}
		// P(h < z < -k), on the side of 0 where it is not a difference of
		// numbers close to 1.
		var p float64
		switch {
		case h >= 0:
			p = cdf(-h) - cdf(k)
		case -k <= 0:
			p = cdf(-k) - cdf(h)
		default:
			p = 1 - cdf(h) - cdf(k)
		}
		return (h*k-1)*p - h*pdf(k) - k*pdf(h)
	}
	om, op := 1-rho, 1+rho
	s := math.Sqrt(om * op)
	// ρh - k and ρk - h written around ρ = ±1, where they are differences of
	// nearly equal numbers.
	var dh, dk float64
	switch {
	case rho > 0.5:
		dh, dk = (h-k)-om*h, (k-h)-om*k
	case rho < -0.5:
		dh, dk = -(h+k)+op*h, -(h+k)+op*k
	default:
		dh, dk = rho*h-k, rho*k-h
	}
	l := quadrature.BivariateCDF(-h, -k, rho)
	d := s * s * quadrature.BivariateDensity(h, k, rho)
	return (rho+h*k)*l - k*pdf(h)*cdf(dh/s) - h*pdf(k)*cdf(dk/s) + d
}

// SlopeMoment returns E[m'(u1) m'(u2)] = s² P(a < u1 < b, a < u2 < b),
// through tail probabilities: for the symmetric family
// 1 - 2Ψ(-β1) - 2Ψ(-β2) + 2Φ2(-β1, -β2; ρ) + 2Φ2(-β1, -β2; -ρ) (as for
// HardTanh), for the unsigned one the rectangle [0, b]² by inclusion and
// exclusion of orthants, Φ2(0, 0; ρ) = 1/4 + arcsin(ρ)/(2π).
func (r StochasticRounding) SlopeMoment(q11, q22, rho float64) float64 {
	g, ok := r.grid()
	if !ok || !(q11 >= 0 && q22 >= 0) || !(rho >= -1 && rho <= 1) {
		return math.NaN()
	}
	return g.s * g.s * g.rectangle(q11, q22, rho)
}

// rectangle returns P(a < u1 < b, a < u2 < b); a degenerate u at 0 counts
// as inside for the symmetric family and outside (m'(0) = 0, as for ReLU)
// for the unsigned one.
func (g srGrid) rectangle(q11, q22, rho float64) float64 {
	cdf := quadrature.NormalCDF
	in := func(q float64) float64 { // P(a < u < b)
		if q == 0 {
			if g.odd {
				return 1
			}
			return 0
		}
		beta := g.hi / math.Sqrt(q)
		if g.odd {
			return math.Erf(beta / math.Sqrt2)
		}
		return 0.5 - cdf(-beta)
	}
	if q11 == 0 || q22 == 0 || rho == 0 {
		// Independent (ρ = 0: the χ(0) that sets ξ_c at σ_b = 0): the
		// product keeps its relative accuracy for q ≫ b², where the
		// inclusion–exclusion below cancels down to O(b²/q).
		return in(q11) * in(q22)
	}
	b1, b2 := g.hi/math.Sqrt(q11), g.hi/math.Sqrt(q22)
	if g.odd {
		t1, t2 := cdf(-b1), cdf(-b2)
		pp := quadrature.BivariateCDF(-b1, -b2, rho)
		pm := quadrature.BivariateCDF(-b1, -b2, -rho)
		return 1 - 2*(t1+t2) + 2*(pp+pm)
	}
	f00 := 0.25 + math.Asin(rho)/(2*math.Pi)
	return f00 - quadrature.BivariateCDF(-b1, 0, rho) - quadrature.BivariateCDF(0, -b2, rho) +
		quadrature.BivariateCDF(-b1, -b2, rho)
}

// seriesMaxWidth is the bin width (in units of √q) up to which varSums
// integrates a bin by its Hermite series; wider bins use the closed form,
// whose cancellation costs a relative (1 + c²)·6/w² ulps.
const seriesMaxWidth = 1

// varSums returns, for the bins [α_k, β_k] = [x_k, x_{k+1}]/σ with centers
// c_k and half-width t,
//
//	ev = Σ_k ∫ (z - α_k)(β_k - z) ψ(z) dz = Σ_k (t² T0 - T2),
//	dv = Σ_k ∫ z (z - c_k) ψ(z) dz       = Σ_k (c_k T1 + T2),
//
// T_j = ∫_{-t}^{t} v^j ψ(c_k + v) dv. Then E[v(u)] = s²σ² ev and
// d/dq E[v(u)] = E[u v'(u)]/(2q) = -s² dv.
//
// A narrow bin is a short interval on which the closed forms
// (βψ(α) - αψ(β) - (1+αβ)P and P - t(ψ(α) + ψ(β))) lose a relative
// 1/w² to cancellation, so for w = 2t ≤ 1 the Hermite generating function
// ψ(c+v) = ψ(c) Σ_n He_n(c) (-v)^n/n! is integrated term by term instead:
// with a_n = He_n(c) tⁿ/n! (a_{n+1} = (ct a_n - t² a_{n-1})/(n+1)),
//
//	t²T0 - T2 = 4t³ψ(c) Σ_{n even} a_n/((n+1)(n+3)),
//	cT1 + T2  = 2t²ψ(c) (t Σ_{n even} a_n/(n+3) - c Σ_{n odd} a_n/(n+2)).
//
// The first has no cancellation at all; the second cancels where the
// integrand changes sign, |c| ≈ 1, which is inherent. Bins beyond
// |z| = 40 underflow and are skipped. Sums are compensated (Neumaier), so
// N up to 2^20 bins keeps full accuracy.
func (g srGrid) varSums(sigma float64) (ev, dv float64) {
	w := g.h / sigma
	t := w / 2
	var se, ce, sd, cd float64 // sums and compensations
	add := func(s, c *float64, x float64) {
		y := *s + x
		if math.Abs(*s) >= math.Abs(x) {
			*c += (*s - y) + x
		} else {
			*c += (x - y) + *s
		}
		*s = y
	}
	for k := 0; k < g.n-1; k++ {
		c := (g.lo + (float64(k)+0.5)*g.h) / sigma
		if math.Abs(c)-t > 40 {
			continue
		}
		var e, d float64
		if w <= seriesMaxWidth {
			e, d = binSeries(c, t)
		} else {
			e, d = binClosed(c, t)
		}
		add(&se, &ce, e)
		add(&sd, &cd, d)
	}
	return se + ce, sd + cd
}

// binSeries returns t²T0 - T2 and cT1 + T2 for the bin [c-t, c+t] by the
// Hermite series (see varSums); t ≤ 1/2.
func binSeries(c, t float64) (e, d float64) {
	pc := quadrature.NormalPDF(c)
	if pc == 0 {
		return 0, 0
	}
	var se, sEven3, sOdd2 float64
	am, a := 0.0, 1.0 // a_{n-1}, a_n at n = 0
	mag := 0.0
	for n := 0; n < 400; n++ {
		fn := float64(n)
		if n%2 == 0 {
			se += a / ((fn + 1) * (fn + 3))
			sEven3 += a / (fn + 3)
		} else {
			sOdd2 += a / (fn + 2)
		}
		mag = math.Max(mag, math.Abs(a))
		next := (c*t*a - t*t*am) / (fn + 1)
		am, a = a, next
		// Terms fall off once n exceeds |c|t by a few; stop when two in a
		// row are negligible against the largest.
		if n > 4 && math.Abs(a)+math.Abs(am) < 0x1p-60*mag {
			break
		}
	}
	e = 4 * t * t * t * pc * se
	d = 2 * t * t * pc * (t*sEven3 - c*sOdd2)
	return e, d
}

// binClosed returns t²T0 - T2 and cT1 + T2 for the bin [α, β] = [c-t, c+t]
// in closed form: βψ(α) - αψ(β) - (1+αβ)P and P - t(ψ(α) + ψ(β)),
// P = Ψ(β) - Ψ(α).
func binClosed(c, t float64) (e, d float64) {
	al, be := c-t, c+t
	pdf, cdf := quadrature.NormalPDF, quadrature.NormalCDF
	var p float64
	switch {
	case al >= 0:
		p = cdf(-al) - cdf(-be)
	case be <= 0:
		p = cdf(be) - cdf(al)
	default:
		p = 1 - cdf(al) - cdf(-be)
	}
	pa, pb := pdf(al), pdf(be)
	e = be*pa - al*pb - (1+al*be)*p
	d = p - t*(pa+pb)
	return e, d
}
