package solver

import (
	"fmt"
	"math"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/quantize"
)

// MaxUnsignedLevels is the largest N of the Unsigned family, chosen by
// cost: each scheme is a two-dimensional search (OptimizeInit) of 500 to
// 1000 fixed-point solves, and each solve evaluates the correlation map a
// few dozen times at O(N) cost per quadrature node (unsignedLattice). One
// scheme takes about 0.1 s at N = 8, 4 s at 64 and 20–30 s at 256 on one
// core, and would take minutes at 1024 (measured: 157 s); with the O(N²)
// bivariate-CDF sums of meanfield's general quantizer it would take 47 s
// at N = 64 already. 256 levels are 8 bits.
const MaxUnsignedLevels = 256

// xiMaxUnsigned is ξ of the Unsigned scheme at MaxUnsignedLevels (97.379238436178…),
// rounded up, so that LevelsFor rejects an unreachable depth without the
// search (checked by TestUnsignedLevelsForLimit).
const xiMaxUnsigned = 97.37923843618

// UnsignedBox returns the box of initializations searched for the canonical
// unsigned quantizer: σ_w ∈ [1, 2.5], σ_b ∈ [0, 0.6]. The optima for
// 2 ≤ N ≤ MaxUnsignedLevels lie inside it, away from every edge but
// σ_b = 0 (σ_w falls from 1.895 at N = 2 to 1.527 at N = 256, σ_b rises
// from 0 for N ≤ 4 to 0.203 at N = 256; TestUnsignedLMaxIncreases and
// notebooks/compare), and
// the default 16 × 16 coarse grid of OptimizeInit (steps 0.1 in σ_w, 0.04
// in σ_b) puts grid points on both sides of each. The search uses
// OptimizeInit's default options (InitOptions{}: DefaultInitGrid,
// DefaultInitXTol, q0 = 1), so that
//
//	lmax optimize --activation uquant:N --sigma-w 1..2.5 --sigma-b 0..0.6
//
// searches the same box with the same options (through meanfield's
// general quantizer rather than unsignedLattice; TestUnsignedMatchesMeanfield).
func UnsignedBox() Box { return Box{SigmaWMin: 1, SigmaWMax: 2.5, SigmaBMin: 0, SigmaBMax: 0.6} }

// UnsignedActivation returns the canonical n-level unsigned quantizer
// (meanfield spec uquant:n: levels k/(n−1), thresholds (k − 1/2)/(n−1), so
// that it rounds clip(x, 0, 1) to the nearest level) as the activation the
// Unsigned family optimizes: the same function and moments as meanfield's
// Quantized, with the cross and slope moments at equal variances and
// correlation ρ ≥ 0 evaluated in O(n) operations per quadrature node
// instead of O(n²) (see unsignedLattice). 2 ≤ n ≤ MaxUnsignedLevels.
func UnsignedActivation(n int) (meanfield.Activation, error) {
	if err := Unsigned.checkLevels(n); err != nil {
		return nil, err
	}
	q, err := quantize.CanonicalUnsigned(n)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return unsignedLattice{Quantized: meanfield.Quantized{Quantizer: q}, n: n}, nil
}

// OptimizeUnsigned returns the initialization (σ_w, σ_b) in UnsignedBox
// that maximizes ξ_c for the canonical n-level unsigned quantizer, found by
// OptimizeInit(UnsignedActivation(n), UnsignedBox(), InitOptions{}), with
// the mean-field quantities there. Results are deterministic and memoized
// for the life of the process (one costs up to half a minute at
// MaxUnsignedLevels).
func OptimizeUnsigned(n int) (Init, error) {
	unsignedMemo.Lock()
	r, ok := unsignedMemo.m[n]
	unsignedMemo.Unlock()
	if ok {
		return r, nil
	}
	phi, err := UnsignedActivation(n)
	if err != nil {
		return Init{}, err
	}
	r, err = OptimizeInit(phi, UnsignedBox(), InitOptions{})
	if err != nil {
		return Init{}, fmt.Errorf("unsigned quantizer with %d levels: %w", n, err)
	}
	unsignedMemo.Lock()
	if unsignedMemo.m == nil {
		unsignedMemo.m = map[int]Init{}
	}
	unsignedMemo.m[n] = r
	unsignedMemo.Unlock()
	return r, nil
}

var unsignedMemo struct {
	sync.Mutex
	m map[int]Init
}

// unsignedScheme returns the scheme of the canonical n-level unsigned
// quantizer at its optimal initialization (see Family Unsigned).
func unsignedScheme(n int, kappa float64) (Scheme, error) {
	if err := checkPositive("kappa", kappa); err != nil {
		return Scheme{}, err
	}
	r, err := OptimizeUnsigned(n)
	if err != nil {
		return Scheme{}, err
	}
	phi, _ := UnsignedActivation(n)
	e, chi, err := phi.(unsignedLattice).anchoredFixedPoint(r.SigmaW, r.QStar, 1-r.CStar)
	if err != nil {
		return Scheme{}, err
	}
	delta := 1 / float64(n-1)
	s := Scheme{
		Levels:  n,
		Bits:    math.Log2(float64(n)),
		Spacing: delta / math.Sqrt(r.QStar),
		ChiMax:  chi,
		// χ(c*) ∈ (1/2, 1): the subtraction is exact (Sterbenz), and the
		// accuracy is χ's own (doc.go, "Unsigned quantizers").
		OneMinusChi: 1 - chi,
		Kappa:       kappa,
		SigmaW:      r.SigmaW,
		SigmaB:      r.SigmaB,
		QStar:       r.QStar,
		CStar:       1 - e,
		Delta:       delta,
		Amplitude:   1,
		VarHat:      meanfield.SecondMoment(phi, r.QStar),
		Family:      Unsigned,
		Method:      Exact,
	}
	s.Xi = 1 / -math.Log1p(-s.OneMinusChi)
	s.LMax = kappa * s.Xi
	// σ_w² s² P(0 ≤ u ≤ t) = 1 (THEORY.md §4 with the unsigned window
	// [0, t], t = δ(N−1) = 1): P = erf(t/√(2q*))/2.
	s.STESlope = 1 / (s.SigmaW * math.Sqrt(math.Erf(1/math.Sqrt(2*s.QStar))/2))
	if err := s.checkRange(); err != nil { // kappa so large that L_max overflows
		return Scheme{}, err
	}
	return s, nil
}

// unsignedLattice is the canonical unsigned quantizer φ(x) =
// Σ_{k=1}^{n−1} a H(x − g_k), a = δ = 1/(n−1), g_k = (k − 1/2)δ. It embeds
// meanfield.Quantized for everything but CrossMoment and SlopeMoment at
// q11 = q22 and ρ ≥ 0, which it evaluates on the lattice of thresholds.
//
// With x_k = g_k/√q = (k − 1/2)D, D = δ/√q, and r = cos θ, the quadratic
// form of the bivariate normal density splits along the diagonals,
//
//	(x² − 2rxy + y²)/(2(1 − r²)) = (x + y)²/(8cos²(θ/2)) + (x − y)²/(8sin²(θ/2)),
//
// and x_k ± x_m are multiples of D: (k + m − 1)D and (k − m)D. So
//
//	G(θ) := sin θ Σ_{k,m} p2(x_k, x_m; cos θ)
//	      = (1/2π) Σ_d e^{−d²D²/(8sin²(θ/2))} B_d,  B_d = Σ_{t} e^{−t²D²/(8cos²(θ/2))},
//
// t running over d+1, d+3, …, 2(n−1)−d−1: B_d = B_{d+2} + (two new terms)
// gives every B_d in O(n), with additions of positive numbers only. Then
// (Price's theorem, THEORY.md §2)
//
//	E[φ'(u1)φ'(u2)] = a² G(θ)/(q sin θ),
//	E[φ(u1)φ(u2)] = E[φ²] − a² ∫_ρ^1 Σ p2 dr = E[φ²] − a² ∫_0^{arccos ρ} G(θ) dθ.
//
// G is smooth on [0, π/2] (the d ≠ 0 terms switch on like
// e^{−d²D²/(2θ²)}), so the integral is taken by Gauss–Legendre on panels
// halving towards θ = 0 down to θ ≤ D/16, below which the d ≠ 0 terms are
// under e^{−128} of the d = 0 term and G is as smooth as that term. This
// is meanfield's second route (CorrelationByIntegral), made O(n) per node
// by the lattice.
type unsignedLattice struct {
	meanfield.Quantized
	n int
}

// latticePanelNodes is the Gauss–Legendre order on each panel: 12 already
// reaches rounding (TestUnsignedLatticeMoments), 16 leaves a margin.
const latticePanelNodes = 16

// legendreNodes and legendreWeights are the Gauss–Legendre rule on [−1, 1].
var legendreNodes, legendreWeights = func() ([]float64, []float64) {
	x, w := make([]float64, latticePanelNodes), make([]float64, latticePanelNodes)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	return x, w
}()

// spacing returns the normalized spacing D = δ/√q.
func (u unsignedLattice) spacing(q float64) float64 { return 1 / float64(u.n-1) / math.Sqrt(q) }

// lattice returns G(θ) given s = sin(θ/2) and c = cos(θ/2) (as defined on
// unsignedLattice), for normalized spacing d.
func (u unsignedLattice) lattice(d, s, c float64) float64 {
	m := u.n - 1 // number of thresholds
	beta := d * d / (8 * c * c)
	e := func(t int) float64 { ft := float64(t); return math.Exp(-ft * ft * beta) }
	alpha := math.Inf(1) // θ = 0: only d = 0 survives
	if s > 0 {
		alpha = d * d / (8 * s * s)
	}
	// B_d for d = m−1 down to 0 in two chains by the parity of d, each a
	// compensated (Neumaier, ksum) sum of positive terms; Σ_{d≥1} e^{−d²α} B_d
	// likewise. B_{m−1} = e(m); B_d = B_{d+2} + e(d+1) + e(2m−d−1) below.
	// Terms with d²α > cut are below e^{−45}/m of the d = 0 term (B_d ≤ B_0)
	// and are left out of the sum; the chains still run to d = 0.
	cut := 45 + math.Log(float64(m))
	var chain [2]ksum
	var total ksum
	for dd := m - 1; dd > 0; dd-- {
		b := &chain[dd&1]
		if dd == m-1 {
			b.add(e(m))
		} else {
			b.add(e(dd + 1))
			b.add(e(2*m - dd - 1))
		}
		if x := float64(dd) * float64(dd) * alpha; x < cut {
			total.add(math.Exp(-x) * b.sum())
		}
	}
	b0 := &chain[0]
	if m == 1 {
		b0.add(e(1))
	} else {
		b0.add(e(1))
		b0.add(e(2*m - 1))
	}
	return (b0.sum() + 2*total.sum()) / (2 * math.Pi)
}

// SlopeMoment returns E[φ'(u1) φ'(u2)]: on the lattice for q11 = q22 > 0 and
// ρ ≥ 0 (+Inf at ρ = 1), by meanfield's sums otherwise.
func (u unsignedLattice) SlopeMoment(q11, q22, rho float64) float64 {
	if q11 != q22 || !(q11 > 0) || !(rho >= 0) {
		return u.Quantized.SlopeMoment(q11, q22, rho)
	}
	if rho >= 1 {
		return math.Inf(1)
	}
	// sin²(θ/2) = (1 − ρ)/2 and cos²(θ/2) = (1 + ρ)/2, exact in ρ.
	s, c := math.Sqrt((1-rho)/2), math.Sqrt((1+rho)/2)
	a := 1 / float64(u.n-1)
	return a * a * u.lattice(u.spacing(q11), s, c) / (q11 * 2 * s * c)
}

// CrossMoment returns E[φ(u1) φ(u2)]: on the lattice for q11 = q22 > 0 and
// ρ ≥ 0, by meanfield's bivariate-CDF sums otherwise.
func (u unsignedLattice) CrossMoment(q11, q22, rho float64) float64 {
	if q11 != q22 || !(q11 > 0) || !(rho >= 0) {
		return u.Quantized.CrossMoment(q11, q22, rho)
	}
	second := u.Quantized.SecondMoment(q11)
	if rho >= 1 {
		return second
	}
	a := 1 / float64(u.n-1)
	return second - a*a*u.integral(u.spacing(q11), rho)
}

// integral returns ∫_0^{arccos ρ} G(θ) dθ for normalized spacing d.
func (u unsignedLattice) integral(d, rho float64) float64 {
	// arccos ρ = 2 arcsin √((1 − ρ)/2), accurate as ρ → 1.
	return u.integralTo(d, 2*math.Asin(math.Sqrt((1-rho)/2)))
}

// integralTo returns ∫_0^top G(θ) dθ for normalized spacing d, by
// Gauss–Legendre on the panels [top/2^{j+1}, top/2^j] down to the first
// below d/16, then [0, that].
func (u unsignedLattice) integralTo(d, top float64) float64 {
	var total ksum
	hi := top
	for {
		lo := hi / 2
		if hi <= d/16 {
			lo = 0
		}
		mid, half := (lo+hi)/2, (hi-lo)/2
		var panel float64
		for i, x := range legendreNodes {
			s, c := math.Sincos((mid + half*x) / 2)
			panel += legendreWeights[i] * u.lattice(d, s, c)
		}
		total.add(half * panel)
		if lo == 0 {
			return total.sum()
		}
		hi = lo
	}
}

// anchoredFixedPoint returns e* = 1 − c* and χ(c*) at (σ_w, q*) with q* the
// variance fixed point, starting from a guess e0 of e*. It solves the
// fixed-point equation in the form
//
//	e = h(e) := 1 − M(1 − e) = σ_w² a² ∫_0^{θ(e)} G(θ) dθ / q*,  θ(e) = 2 arcsin √(e/2),
//
// which uses M(1) = V(q*)/q* = 1 exactly instead of subtracting two
// numbers near 1: h is computed to a few ulps relative, so e* is known to
// about 1e−16 e*/(1 − χ(c*)) rather than meanfield's 1e−16/(1 − χ(c*))
// absolute, which matters as c* → 1 (χ(c) grows like (1 − c)^{−1/2} there).
// Newton's method: h'(e) = χ(1 − e), evaluated on the lattice from e
// directly (sin(θ/2) = √(e/2), cos(θ/2) = √(1 − e/2)), never from 1 − e.
func (u unsignedLattice) anchoredFixedPoint(sw, q, e0 float64) (e, chi float64, err error) {
	d := u.spacing(q)
	a := 1 / float64(u.n-1)
	scale := sw * sw * a * a / q
	chiAt := func(e float64) float64 {
		s, c := math.Sqrt(e/2), math.Sqrt(1-e/2)
		return scale * u.lattice(d, s, c) / (2 * s * c)
	}
	e = e0
	for iter := 0; iter < 20; iter++ {
		h := scale * u.integralTo(d, 2*math.Asin(math.Sqrt(e/2)))
		chi = chiAt(e)
		step := (e - h) / (1 - chi)
		next := e - step
		if !(next > 0 && next <= 1) {
			next = math.Max(e/2, math.Min(next, (e+1)/2)) // stay in (0, 1]
		}
		// h is known to a few ulps, so e* to about ε e/(1 − χ): stop at
		// 8 times that, where Newton's steps are rounding noise.
		converged := math.Abs(step) <= 8*0x1p-52*e/(1-chi)
		e = next
		if converged {
			return e, chiAt(e), nil
		}
	}
	return 0, 0, fmt.Errorf("%w: correlation fixed point of %v at σ_w = %v, q* = %v: Newton from 1 − c* = %v",
		ErrNoConvergence, u, sw, q, e0)
}
