package quantize

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// MaxLevels is the largest number of levels a Quantizer may have. It bounds
// the memory of a quantizer (two float64 slices of this length) far above
// any bit-width in use while keeping a typo such as 1e30 from allocating.
const MaxLevels = 1 << 32

// ErrInvalid is wrapped by every validation error of this package, so
// callers can test with errors.Is.
var ErrInvalid = errors.New("invalid quantizer")

// Quantizer is an N-level non-decreasing step function. The zero value is not
// usable; build one with New, Uniform, Canonical, Unsigned or
// CanonicalUnsigned.
type Quantizer struct {
	thresholds []float64 // g_1 … g_{N-1}, strictly increasing
	levels     []float64 // y_0 … y_{N-1}, non-decreasing
	clip       float64   // clip point t of the straight-through estimator
	uniform    bool      // built by Uniform: thresholds δ(k - N/2)
	unsigned   bool      // built by Unsigned
	delta, amp float64   // spacing and amplitude of the uniform families
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

func checkLevels(n int) error {
	if n < 2 {
		return invalid("levels %d: need at least 2", n)
	}
	// uint64, so that the package also builds where int has 32 bits (n ≥ 2
	// here, so the conversion is exact).
	if uint64(n) > MaxLevels {
		return invalid("levels %d: at most %d supported", n, uint64(MaxLevels))
	}
	return nil
}

func checkPositive(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return invalid("%s %v: must be finite and positive", name, v)
	}
	return nil
}

// New returns the quantizer with the given thresholds g_1 < … < g_{N-1} and
// levels y_0 ≤ … ≤ y_{N-1}; len(levels) must be len(thresholds)+1. The
// slices are copied. The straight-through clip point is set to half the
// range of the thresholds extended by half a bin at each end, which is
// t = δ(N-1)/2 for a uniform grid; for N = 2 it is 1 (the hard-tanh window
// of sign).
func New(thresholds, levels []float64) (*Quantizer, error) {
	n := len(levels)
	if err := checkLevels(n); err != nil {
		return nil, err
	}
	if len(thresholds) != n-1 {
		return nil, invalid("%d thresholds for %d levels: need %d", len(thresholds), n, n-1)
	}
	for i, g := range thresholds {
		if math.IsNaN(g) || math.IsInf(g, 0) {
			return nil, invalid("threshold %d = %v: must be finite", i+1, g)
		}
		if i > 0 && !(g > thresholds[i-1]) {
			return nil, invalid("threshold %d = %v: not above threshold %d = %v", i+1, g, i, thresholds[i-1])
		}
	}
	for i, y := range levels {
		if math.IsNaN(y) || math.IsInf(y, 0) {
			return nil, invalid("level %d = %v: must be finite", i, y)
		}
		if i > 0 && y < levels[i-1] {
			return nil, invalid("level %d = %v: below level %d = %v", i, y, i-1, levels[i-1])
		}
	}
	q := &Quantizer{
		thresholds: append([]float64(nil), thresholds...),
		levels:     append([]float64(nil), levels...),
	}
	q.clip = 1
	if n > 2 {
		lo, hi := thresholds[0], thresholds[n-2]
		halfBin := (hi - lo) / float64(2*(n-2))
		q.clip = math.Max(math.Abs(lo), math.Abs(hi)) + halfBin
		if math.IsInf(q.clip, 0) {
			return nil, invalid("thresholds %v … %v: straight-through clip point overflows", lo, hi)
		}
	}
	return q, nil
}

// checkGrid reports thresholds or levels that a family constructor computed
// from finite arguments but that overflowed, or thresholds that collapsed
// (a spacing so small that neighbouring thresholds round to the same value).
func checkGrid(n int, delta, amp float64, g, y []float64, clip float64) error {
	for i, v := range g {
		if math.IsInf(v, 0) {
			return invalid("delta %v with %d levels: threshold %d overflows", delta, n, i+1)
		}
		if i > 0 && !(v > g[i-1]) {
			return invalid("delta %v with %d levels: thresholds %d and %d are not distinct", delta, n, i, i+1)
		}
	}
	for i, v := range y {
		if math.IsInf(v, 0) {
			return invalid("amplitude %v with %d levels: level %d overflows", amp, n, i)
		}
	}
	if math.IsInf(clip, 0) {
		return invalid("delta %v with %d levels: straight-through clip point overflows", delta, n)
	}
	return nil
}

// Uniform returns the uniform symmetric quantizer of THEORY.md §2 with n
// levels y_k = A(-1 + 2k/(n-1)) and thresholds g_k = δ(k - n/2),
// k = 1 … n-1. Its straight-through clip point is t = δ(n-1)/2.
func Uniform(n int, delta, amp float64) (*Quantizer, error) {
	if err := checkLevels(n); err != nil {
		return nil, err
	}
	if err := checkPositive("delta", delta); err != nil {
		return nil, err
	}
	if err := checkPositive("amplitude", amp); err != nil {
		return nil, err
	}
	g := make([]float64, n-1)
	y := make([]float64, n)
	// 2k-(n-1) and 2k-n are exact integers and the rounding of a quotient or
	// product is symmetric in sign, so levels and thresholds are exactly
	// antisymmetric (Odd holds). The form A(-1 + 2k/(n-1)) would not be: it
	// rounds 2k/(n-1) before the cancelling subtraction, so y_k and
	// -y_{n-1-k} could differ in the last bit, and levels near 0 would carry
	// an absolute rather than a relative rounding error.
	for k := range y {
		y[k] = amp * (float64(2*k-(n-1)) / float64(n-1))
	}
	for k := 1; k < n; k++ {
		g[k-1] = delta * float64(2*k-n) / 2
	}
	clip := delta * float64(n-1) / 2
	if err := checkGrid(n, delta, amp, g, y, clip); err != nil {
		return nil, err
	}
	return &Quantizer{thresholds: g, levels: y, clip: clip,
		uniform: true, delta: delta, amp: amp}, nil
}

// Canonical returns the canonical uniform quantizer: amplitude 1 and
// threshold spacing δ = 2/(n-1), which rounds clip(x, -1, 1) to the nearest
// of n evenly spaced levels in [-1, 1]. Its clip point is 1.
func Canonical(n int) (*Quantizer, error) {
	if err := checkLevels(n); err != nil {
		return nil, err
	}
	return Uniform(n, 2/float64(n-1), 1)
}

// Unsigned returns the unsigned (ReLU-style) quantizer with n levels
// y_k = A k/(n-1) and thresholds g_k = δ(k - 1/2), k = 1 … n-1. Its
// straight-through clip point is t = δ(n-1), the top of its range; the window
// of its estimator is [0, t] rather than [-t, t] (see STE).
func Unsigned(n int, delta, amp float64) (*Quantizer, error) {
	if err := checkLevels(n); err != nil {
		return nil, err
	}
	if err := checkPositive("delta", delta); err != nil {
		return nil, err
	}
	if err := checkPositive("amplitude", amp); err != nil {
		return nil, err
	}
	g := make([]float64, n-1)
	y := make([]float64, n)
	// The ratio k/(n-1) ≤ 1 first, so that amp·k cannot overflow.
	for k := range y {
		y[k] = amp * (float64(k) / float64(n-1))
	}
	for k := 1; k < n; k++ {
		g[k-1] = delta * (float64(k) - 0.5)
	}
	clip := delta * float64(n-1)
	if err := checkGrid(n, delta, amp, g, y, clip); err != nil {
		return nil, err
	}
	return &Quantizer{thresholds: g, levels: y, clip: clip,
		unsigned: true, delta: delta, amp: amp}, nil
}

// CanonicalUnsigned returns the unsigned quantizer with amplitude 1 and
// spacing δ = 1/(n-1): it rounds clip(x, 0, 1) to the nearest of n levels.
func CanonicalUnsigned(n int) (*Quantizer, error) {
	if err := checkLevels(n); err != nil {
		return nil, err
	}
	return Unsigned(n, 1/float64(n-1), 1)
}

// N returns the number of levels.
func (q *Quantizer) N() int { return len(q.levels) }

// Eval returns φ(x). A NaN argument gives NaN.
func (q *Quantizer) Eval(x float64) float64 {
	if math.IsNaN(x) {
		return x
	}
	// Index of the first threshold above x = number of thresholds ≤ x.
	k := sort.Search(len(q.thresholds), func(i int) bool { return q.thresholds[i] > x })
	return q.levels[k]
}

// Thresholds returns a copy of g_1 … g_{N-1}.
func (q *Quantizer) Thresholds() []float64 { return append([]float64(nil), q.thresholds...) }

// Levels returns a copy of y_0 … y_{N-1}.
func (q *Quantizer) Levels() []float64 { return append([]float64(nil), q.levels...) }

// Jumps returns the thresholds g_k and jump heights a_k = y_k - y_{k-1},
// k = 1 … N-1, so that φ(x) = y_0 + Σ a_k H(x - g_k). Jumps of height zero
// (repeated levels) are kept so that indices match the thresholds.
func (q *Quantizer) Jumps() (g, a []float64) {
	g = q.Thresholds()
	a = make([]float64, len(g))
	for k := range a {
		a[k] = q.levels[k+1] - q.levels[k]
	}
	return g, a
}

// Uniform reports whether q belongs to the uniform symmetric family, and if
// so its threshold spacing δ and amplitude A.
func (q *Quantizer) Uniform() (delta, amp float64, ok bool) {
	return q.delta, q.amp, q.uniform
}

// Unsigned reports whether q belongs to the unsigned family, and if so its
// spacing δ and amplitude A.
func (q *Quantizer) Unsigned() (delta, amp float64, ok bool) {
	return q.delta, q.amp, q.unsigned
}

// Odd reports whether φ is odd up to the measure-zero values at the
// thresholds: thresholds and levels symmetric about zero.
func (q *Quantizer) Odd() bool {
	n := len(q.levels)
	for k := 0; k < n; k++ {
		if q.levels[k] != -q.levels[n-1-k] {
			return false
		}
	}
	m := len(q.thresholds)
	for k := 0; k < m; k++ {
		if q.thresholds[k] != -q.thresholds[m-1-k] {
			return false
		}
	}
	return true
}

// Clip returns the clip point t of the straight-through estimator: δ(N-1)/2
// for the uniform family (1 for the canonical member), δ(N-1) for the
// unsigned family.
func (q *Quantizer) Clip() float64 { return q.clip }

// String describes q in the activation grammar of the CLI where it can
// (quant:N:delta=…,amp=…, uquant:N:…), otherwise as its levels.
func (q *Quantizer) String() string {
	switch {
	case q.uniform:
		return fmt.Sprintf("quant:%d:delta=%g,amp=%g", q.N(), q.delta, q.amp)
	case q.unsigned:
		return fmt.Sprintf("uquant:%d:delta=%g,amp=%g", q.N(), q.delta, q.amp)
	default:
		return fmt.Sprintf("quantizer(%d levels)", q.N())
	}
}

// STE returns the straight-through estimator of q with slope s:
// φ'_STE(x) = s·1{|x| ≤ t} with t = q.Clip() for a symmetric quantizer, and
// s·1{0 ≤ x ≤ t} for an unsigned one.
func (q *Quantizer) STE(slope float64) STE {
	lo := -q.clip
	if q.unsigned {
		lo = 0
	}
	return STE{Slope: slope, Lo: lo, Hi: q.clip}
}

// STE is a straight-through estimator φ'_STE(x) = Slope·1{Lo ≤ x ≤ Hi}
// (THEORY.md §4): the surrogate derivative used in the backward pass of a
// quantized network.
type STE struct {
	Slope  float64
	Lo, Hi float64
}

// Deriv returns the surrogate derivative at x.
func (s STE) Deriv(x float64) float64 {
	if x >= s.Lo && x <= s.Hi {
		return s.Slope
	}
	return 0
}
