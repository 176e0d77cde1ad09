package solver

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/lmax-project/lmax/quantize"
)

// DefaultKappa is the default trainability multiple κ of L_max = κ ξ
// (THEORY.md §3, after Schoenholz et al.: networks train when L ≲ 6 ξ).
const DefaultKappa = 6.0

// Scheme is the optimal initialization of a deep network with an N-level
// quantizer (THEORY.md §3–§4): for the uniform symmetric quantizer of
// amplitude A and threshold spacing δ (Family Uniform, σ_b = 0), the weight
// scale that puts the quantizer at the spacing D_opt maximizing χ; for the
// Lloyd–Max quantizer (Family LloydMax, σ_b = 0, see NewLloydMaxScheme), the
// weight scale that puts the input at the variance it was designed for; for
// the canonical unsigned quantizer (Family Unsigned), the (σ_w, σ_b) that
// maximizes χ(c*), c* > 0 (OptimizeUnsigned). Then
// the resulting depth scale ξ and maximal depth L_max = κ ξ, and the slope of
// the straight-through estimator that keeps gradient norms through depth.
//
// The zero Family and Method (Uniform, Exact) keep schemes built by older
// callers meaningful.
type Scheme struct {
	Levels int     // N
	Bits   float64 // log2 N (fractional for N not a power of 2)
	// Spacing is the normalized spacing D_opt = δ/√q*; NaN for N = 2 (sign),
	// whose χ = 2/π for every D, and for non-uniform quantizers. Test with
	// HasSpacing; encode as null. For Unsigned it is δ/√q* at the optimum
	// (for N = 2, twice the normalized threshold g_1/√q*), one of the two
	// numbers (with σ_b²/q*) that fix χ(c*).
	Spacing     float64
	ChiMax      float64 // χ_max = χ(D_opt); for Unsigned χ(c*)
	OneMinusChi float64 // 1 − χ_max, to full relative precision
	Xi          float64 // ξ = −1/ln χ_max, computed as 1/(−log1p(−(1−χ_max)))
	Kappa       float64 // κ
	LMax        float64 // L_max = κ ξ
	// SigmaW is σ_w^opt = δ/(A·D_opt·√V̂) with V̂ = (2/(N−1))² Σ_{i,j∈K}
	// Ψ(min(i,j)D_opt) Ψ(−max(i,j)D_opt); 1 for uniform N = 2, where every
	// σ_w is optimal. For LloydMax, 1/√χ_max.
	SigmaW float64
	SigmaB float64 // σ_b: 0 but for Unsigned
	// QStar is the fixed point q* of the variance map: (δ/D_opt)², and
	// σ_w² A² = A² for uniform N = 2; (A/y_{N−1})² for LloydMax (1 for its
	// canonical scheme); for Unsigned from OptimizeUnsigned.
	QStar float64
	// CStar is the stable fixed point c* of the correlation map: 0 for the
	// odd quantizers at σ_b = 0, positive for Unsigned.
	CStar float64
	// Delta is δ, the uniform quantizer's threshold spacing; NaN (null) for
	// LloydMax.
	Delta     float64
	Amplitude float64 // A, the quantizer's amplitude (outermost level)
	// VarHat is V̂ = E[φ(√q* z)²]/A² at the optimum (1 for N = 2).
	VarHat float64
	// STESlope is the slope s of the straight-through estimator
	// φ'_STE = s·1{|x| ≤ t} (THEORY.md §4) that solves
	// σ_w² s² erf(t/√(2q*)) = 1; t = δ(N−1)/2 for Uniform, t = A for
	// LloydMax (NewLloydMaxScheme explains the choice). For Unsigned the
	// window is [0, t], t = δ(N−1), and σ_w² s² P(0 ≤ u ≤ t) = 1 with
	// P = erf(t/√(2q*))/2.
	STESlope float64
	// Family is the quantizer family (Uniform, LloydMax or Unsigned).
	Family Family
	// Method is how the sums over K were evaluated (Exact or Asymptotic,
	// by MethodFor(N) for Uniform; Exact for LloydMax and Unsigned).
	Method Method
	// thresholds and values are the quantizer of a LloydMax scheme, in the
	// scheme's units (Thresholds, LevelValues).
	thresholds, values []float64
}

// Thresholds returns a copy of the quantizer's thresholds g_1 < … < g_{N−1}
// in the scheme's units (δ(k − N/2) for Uniform, δ(k − 1/2) for Unsigned).
func (s Scheme) Thresholds() []float64 {
	if s.Family == LloydMax {
		return append([]float64(nil), s.thresholds...)
	}
	g := make([]float64, s.Levels-1)
	for k := 1; k < s.Levels; k++ {
		if s.Family == Unsigned {
			g[k-1] = s.Delta * (float64(k) - 0.5)
		} else {
			g[k-1] = s.Delta * float64(2*k-s.Levels) / 2
		}
	}
	return g
}

// LevelValues returns a copy of the quantizer's levels y_0 < … < y_{N−1}
// in the scheme's units (A(−1 + 2k/(N−1)) for Uniform, A k/(N−1) for
// Unsigned).
func (s Scheme) LevelValues() []float64 {
	if s.Family == LloydMax {
		return append([]float64(nil), s.values...)
	}
	y := make([]float64, s.Levels)
	for k := range y {
		if s.Family == Unsigned {
			y[k] = s.Amplitude * float64(k) / float64(s.Levels-1)
		} else {
			y[k] = s.Amplitude * (-1 + 2*float64(k)/float64(s.Levels-1))
		}
	}
	return y
}

// HasSpacing reports whether the scheme has an optimal spacing D_opt: false
// for N = 2 (sign).
func (s Scheme) HasSpacing() bool { return !math.IsNaN(s.Spacing) }

// Quantizer returns the quantizer of the scheme: quantize.Uniform(N, δ, A)
// for Uniform, quantize.New(Thresholds, LevelValues) for LloydMax (whose
// own Clip differs from the scheme's STE window t = A),
// quantize.Unsigned(N, δ, A) for Unsigned.
func (s Scheme) Quantizer() (*quantize.Quantizer, error) {
	switch s.Family {
	case LloydMax:
		return quantize.New(s.thresholds, s.values)
	case Unsigned:
		return quantize.Unsigned(s.Levels, s.Delta, s.Amplitude)
	}
	return quantize.Uniform(s.Levels, s.Delta, s.Amplitude)
}

// STE returns the straight-through estimator of the scheme: slope STESlope
// on the window |x| ≤ t, t = δ(N−1)/2 for Uniform and A for LloydMax; on
// [0, t], t = δ(N−1), for Unsigned.
func (s Scheme) STE() quantize.STE {
	switch s.Family {
	case LloydMax:
		return quantize.STE{Slope: s.STESlope, Lo: -s.Amplitude, Hi: s.Amplitude}
	case Unsigned:
		return quantize.STE{Slope: s.STESlope, Lo: 0, Hi: s.Delta * float64(s.Levels-1)}
	}
	t := s.Delta * float64(s.Levels-1) / 2
	return quantize.STE{Slope: s.STESlope, Lo: -t, Hi: t}
}

// MarshalJSON encodes the scheme as an object with snake_case keys in the
// order levels, bits, spacing (null for N = 2 and non-uniform quantizers),
// sigma_w, chi, one_minus_chi, xi, lmax, ste_slope, kappa, sigma_b, q_star,
// c_star, delta (null for non-uniform quantizers), amplitude, var_hat,
// quantizer ("uniform", "lloyd-max" or "unsigned"), method ("exact" or
// "asymptotic"), and for LloydMax thresholds and level_values.
func (s Scheme) MarshalJSON() ([]byte, error) {
	var spacing, delta *float64
	if s.HasSpacing() {
		spacing = &s.Spacing
	}
	if !math.IsNaN(s.Delta) {
		delta = &s.Delta
	}
	return json.Marshal(struct {
		Levels      int       `json:"levels"`
		Bits        float64   `json:"bits"`
		Spacing     *float64  `json:"spacing"`
		SigmaW      float64   `json:"sigma_w"`
		Chi         float64   `json:"chi"`
		OneMinusChi float64   `json:"one_minus_chi"`
		Xi          float64   `json:"xi"`
		LMax        float64   `json:"lmax"`
		STESlope    float64   `json:"ste_slope"`
		Kappa       float64   `json:"kappa"`
		SigmaB      float64   `json:"sigma_b"`
		QStar       float64   `json:"q_star"`
		CStar       float64   `json:"c_star"`
		Delta       *float64  `json:"delta"`
		Amplitude   float64   `json:"amplitude"`
		VarHat      float64   `json:"var_hat"`
		Quantizer   Family    `json:"quantizer"`
		Method      Method    `json:"method"`
		Thresholds  []float64 `json:"thresholds,omitempty"`
		LevelValues []float64 `json:"level_values,omitempty"`
	}{s.Levels, s.Bits, spacing, s.SigmaW, s.ChiMax, s.OneMinusChi, s.Xi, s.LMax,
		s.STESlope, s.Kappa, s.SigmaB, s.QStar, s.CStar, delta, s.Amplitude, s.VarHat,
		s.Family, s.Method, s.thresholds, s.values})
}

// NewScheme returns the optimal scheme for the n-level uniform symmetric
// quantizer with threshold spacing delta and amplitude amp, and trainability
// multiple kappa. All of delta, amp and kappa must be finite and positive,
// and not so extreme that σ_w, q*, the STE slope or L_max leave the normal
// range of float64 (an error too); 2 ≤ n ≤ MaxLevels.
func NewScheme(n int, delta, amp, kappa float64) (Scheme, error) {
	if err := checkArgs(n, delta, amp, kappa); err != nil {
		return Scheme{}, err
	}
	o, err := Optimize(n)
	if err != nil {
		return Scheme{}, err
	}
	s := fromOptimum(o, delta, amp, kappa)
	if err := s.checkRange(); err != nil {
		return Scheme{}, err
	}
	return s, nil
}

// checkRange rejects a scheme whose derived quantities left the normal
// range of float64: finite positive inputs so extreme (δ = 1e−300,
// A = 1e300, κ = MaxFloat64, …) that σ_w, q*, the STE slope or L_max
// overflow to Inf, underflow to 0 or lose digits as subnormals.
func (s Scheme) checkRange() error {
	for _, f := range [...]struct {
		name string
		v    float64
	}{{"sigma_w", s.SigmaW}, {"q*", s.QStar}, {"STE slope", s.STESlope}, {"L_max", s.LMax}} {
		if !(f.v >= 0x1p-1022 && f.v <= math.MaxFloat64) {
			return invalid("levels %d, delta %v, amplitude %v, kappa %v: %s = %v is outside the normal range of float64",
				s.Levels, s.Delta, s.Amplitude, s.Kappa, f.name, f.v)
		}
	}
	return nil
}

// Canonical returns the optimal scheme for the canonical n-level quantizer
// (A = 1, δ = 2/(n−1)), with trainability multiple kappa.
func Canonical(n int, kappa float64) (Scheme, error) {
	if err := checkLevels(n); err != nil {
		return Scheme{}, err
	}
	return NewScheme(n, 2/float64(n-1), 1, kappa)
}

func checkArgs(n int, delta, amp, kappa float64) error {
	if err := checkLevels(n); err != nil {
		return err
	}
	if err := checkPositive("delta", delta); err != nil {
		return err
	}
	if err := checkPositive("amplitude", amp); err != nil {
		return err
	}
	return checkPositive("kappa", kappa)
}

func fromOptimum(o Optimum, delta, amp, kappa float64) Scheme {
	n := o.Levels
	s := Scheme{
		Levels:      n,
		Bits:        math.Log2(float64(n)),
		Spacing:     o.Spacing,
		ChiMax:      o.Chi,
		OneMinusChi: o.OneMinusChi,
		// −ln χ = −log1p(−(1−χ)) keeps the digits of 1 − χ ≪ 1.
		Xi:        1 / -math.Log1p(-o.OneMinusChi),
		Kappa:     kappa,
		Delta:     delta,
		Amplitude: amp,
		Family:    Uniform,
		Method:    o.Method,
	}
	s.LMax = kappa * s.Xi
	t := delta * float64(n-1) / 2 // clip point of the STE
	if n == 2 {
		// Sign: q* = σ_w² A² E[sign²] for any σ_w; report σ_w = 1.
		s.SigmaW = 1
		s.VarHat = 1
		s.QStar = amp * amp
	} else {
		s.VarHat = 4 / float64(n-1) / float64(n-1) * o.Var
		s.SigmaW = delta / (amp * o.Spacing * math.Sqrt(s.VarHat))
		s.QStar = (delta / o.Spacing) * (delta / o.Spacing)
	}
	// σ_w² s² erf(t/√(2q*)) = 1 (THEORY.md §4).
	s.STESlope = 1 / (s.SigmaW * math.Sqrt(math.Erf(t/math.Sqrt(2*s.QStar))))
	return s
}

// Sweep returns the canonical schemes for each number of levels in levels,
// in input order, computed concurrently on GOMAXPROCS goroutines; each
// result depends only on its own N, so the output is bit-identical whatever
// GOMAXPROCS. The first invalid entry is reported before any work is done.
func Sweep(levels []int, kappa float64) ([]Scheme, error) {
	if err := checkPositive("kappa", kappa); err != nil {
		return nil, err
	}
	for i, n := range levels {
		if err := checkLevels(n); err != nil {
			return nil, fmt.Errorf("levels[%d]: %w", i, err)
		}
	}
	return sweep(levels, func(n int) (Scheme, error) { return Canonical(n, kappa) })
}

// sweep runs scheme(n) for each n on GOMAXPROCS goroutines, results in
// input order.
func sweep(levels []int, scheme func(int) (Scheme, error)) ([]Scheme, error) {
	out := make([]Scheme, len(levels))
	errs := make([]error, len(levels))
	next := make(chan int)
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(levels))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = scheme(levels[i])
			}
		}()
	}
	// Largest N first would balance better, but input order keeps the
	// schedule simple; results do not depend on it.
	for i := range levels {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LevelsFor returns the smallest number of levels n whose canonical scheme
// reaches L_max ≥ depth with trainability multiple kappa, bits = ⌈log2 n⌉
// and that scheme. L_max increases with N (tested for every N up to 2000 and
// on a geometric grid to MaxLevels), so the search is exponential (doubling
// N) and then a safeguarded interpolation in ln L_max against ln N over the
// integers. depth and kappa must be finite and positive, and depth at most
// L_max(MaxLevels).
func LevelsFor(depth, kappa float64) (n int, bits int, s Scheme, err error) {
	return levelsFor(depth, kappa, MaxLevels, xiMaxLevels, func(n int) (Scheme, error) { return Canonical(n, kappa) })
}

// levelsFor is LevelsFor over the schemes canonical(n), n ≤ maxN; xiMax is
// ξ(maxN) if known (NaN otherwise), to reject unreachable depths at once.
func levelsFor(depth, kappa float64, maxN int, xiMax float64, canonical func(int) (Scheme, error)) (n int, bits int, s Scheme, err error) {
	if err := checkPositive("depth", depth); err != nil {
		return 0, 0, Scheme{}, err
	}
	if err := checkPositive("kappa", kappa); err != nil {
		return 0, 0, Scheme{}, err
	}
	if depth > kappa*xiMax {
		return 0, 0, Scheme{}, invalid("depth %v: beyond L_max = %v of the largest supported N = %d (κ = %v)",
			depth, kappa*xiMax, maxN, kappa)
	}
	cache := map[int]Scheme{}
	at := func(n int) (Scheme, error) {
		if s, ok := cache[n]; ok {
			return s, nil
		}
		s, err := canonical(n)
		cache[n] = s
		return s, err
	}
	result := func(n int) (int, int, Scheme, error) {
		s, err := at(n)
		return n, bitsFor(n), s, err
	}
	lo, hi := 1, 2 // L(lo) < depth ≤ L(hi) once the loop ends; L(1) := 0
	for {
		s, err := at(hi)
		if err != nil {
			return 0, 0, Scheme{}, err
		}
		if s.LMax >= depth {
			break
		}
		if hi == maxN {
			return 0, 0, Scheme{}, invalid("depth %v: beyond L_max = %v of the largest supported N = %d (κ = %v)",
				depth, s.LMax, maxN, kappa)
		}
		lo, hi = hi, min(2*hi, maxN)
	}
	if lo < 2 {
		return result(hi)
	}
	bisect := false
	for hi-lo > 1 {
		var m int
		if bisect {
			m = lo + (hi-lo)/2
		} else {
			// L_max ∝ N^p locally: interpolate ln N linearly in ln L.
			slo, _ := at(lo)
			shi, _ := at(hi)
			f := (math.Log(depth) - math.Log(slo.LMax)) / (math.Log(shi.LMax) - math.Log(slo.LMax))
			m = int(math.Round(math.Exp(math.Log(float64(lo)) + f*math.Log(float64(hi)/float64(lo)))))
			m = max(lo+1, min(hi-1, m))
		}
		s, err := at(m)
		if err != nil {
			return 0, 0, Scheme{}, err
		}
		width := hi - lo
		if s.LMax >= depth {
			hi = m
		} else {
			lo = m
		}
		// Fall back to bisection for one step whenever interpolation failed
		// to halve the bracket, which bounds the search by twice the
		// bisection count.
		bisect = !bisect && 2*(hi-lo) > width
	}
	return result(hi)
}

// xiMaxLevels is ξ(MaxLevels), so that LevelsFor rejects an unreachable
// depth without optimizing the largest N (checked by TestXiMaxLevels).
const xiMaxLevels = 6.980542495107863e17

// bitsFor returns ⌈log2 n⌉ exactly, for n ≥ 1.
func bitsFor(n int) int {
	b := 0
	for 1<<b < n {
		b++
	}
	return b
}
