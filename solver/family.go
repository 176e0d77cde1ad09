package solver

import (
	"fmt"
	"math"
	"strings"
)

// Family names a family of N-level quantizers whose optimal scheme the
// solver computes: odd ones at σ_b = 0, c* = 0 (Uniform, LloydMax), and
// the unsigned one at its optimal (σ_w, σ_b), c* > 0 (Unsigned). The zero
// value is Uniform.
type Family int

const (
	// Uniform is the uniform symmetric family of THEORY.md §2, optimized
	// over its spacing (Optimize).
	Uniform Family = iota
	// LloydMax is the best of all odd N-level quantizers, the Lloyd–Max
	// quantizer of N(0, 1) (OptimizeLloydMax).
	LloydMax
	// Unsigned is the canonical unsigned (ReLU-style) quantizer of
	// THEORY.md §2 (A = 1, δ = 1/(N−1)), at the (σ_w, σ_b) that maximizes
	// ξ_c (OptimizeUnsigned).
	Unsigned
)

// families lists the families with their names, in the order of the
// constants; ParseFamily and String use it.
var families = []string{Uniform: "uniform", LloydMax: "lloyd-max", Unsigned: "unsigned"}

// String returns "uniform", "lloyd-max" or "unsigned".
func (f Family) String() string {
	if f >= 0 && int(f) < len(families) {
		return families[f]
	}
	return fmt.Sprintf("Family(%d)", int(f))
}

// MarshalText encodes the family as its String.
func (f Family) MarshalText() ([]byte, error) {
	if !f.valid() {
		return nil, fmt.Errorf("solver: unknown quantizer family %d", int(f))
	}
	return []byte(f.String()), nil
}

func (f Family) valid() bool { return f >= 0 && int(f) < len(families) }

// FamilyNames returns the names ParseFamily accepts, in a fixed order.
func FamilyNames() []string { return append([]string(nil), families...) }

// ParseFamily returns the family named s ("uniform", "lloyd-max" or
// "unsigned").
func ParseFamily(s string) (Family, error) {
	for f, name := range families {
		if s == name {
			return Family(f), nil
		}
	}
	return 0, invalid("quantizer %q: unknown (want %s)", s, strings.Join(families, ", "))
}

// MaxLevels returns the largest N the family's schemes support: MaxLevels
// for Uniform, MaxLloydMaxLevels for LloydMax, MaxUnsignedLevels for
// Unsigned.
func (f Family) MaxLevels() int {
	switch f {
	case LloydMax:
		return MaxLloydMaxLevels
	case Unsigned:
		return MaxUnsignedLevels
	}
	return MaxLevels
}

func (f Family) checkLevels(n int) error {
	if !f.valid() {
		return invalid("quantizer family %d: unknown", int(f))
	}
	if n < 2 {
		return invalid("levels %d: need at least 2", n)
	}
	if n > f.MaxLevels() {
		return invalid("levels %d: at most %d supported for the %s quantizer", n, f.MaxLevels(), f)
	}
	return nil
}

// Canonical returns the optimal scheme for the canonical n-level member of
// the family with trainability multiple kappa: for Uniform the quantizer
// with A = 1, δ = 2/(n−1) (as the package-level Canonical); for LloydMax the
// Lloyd–Max quantizer of N(0, 1) itself, used at q* = 1 (see
// NewLloydMaxScheme); for Unsigned the quantizer with A = 1, δ = 1/(n−1)
// at the (σ_w, σ_b) of OptimizeUnsigned, with Spacing δ/√q*, ChiMax =
// χ(c*), SigmaB and CStar set, and the straight-through window [0, 1].
func (f Family) Canonical(n int, kappa float64) (Scheme, error) {
	if err := f.checkLevels(n); err != nil {
		return Scheme{}, err
	}
	switch f {
	case LloydMax:
		return lloydMaxScheme(n, math.NaN(), kappa)
	case Unsigned:
		return unsignedScheme(n, kappa)
	}
	return Canonical(n, kappa)
}

// Sweep returns the canonical schemes of the family for each number of
// levels, in input order, as the package-level Sweep does for Uniform: on
// GOMAXPROCS goroutines, one N each (the Unsigned searches parallelize
// their coarse grids too), with results independent of GOMAXPROCS.
func (f Family) Sweep(levels []int, kappa float64) ([]Scheme, error) {
	if err := checkPositive("kappa", kappa); err != nil {
		return nil, err
	}
	for i, n := range levels {
		if err := f.checkLevels(n); err != nil {
			return nil, fmt.Errorf("levels[%d]: %w", i, err)
		}
	}
	return sweep(levels, func(n int) (Scheme, error) { return f.Canonical(n, kappa) })
}

// LevelsFor returns the smallest number of levels n whose canonical scheme
// in the family reaches L_max ≥ depth, as the package-level LevelsFor does
// for Uniform. It relies on L_max increasing with N, which is tested for
// LloydMax up to N = 300 and for Unsigned over every N to 24 and 32, 48,
// 64 (to MaxUnsignedLevels with LMAX_LONG=1; TestUnsignedLMaxIncreases).
// An Unsigned search optimizes about 2 log2 n schemes (up to a minute or
// two near MaxUnsignedLevels).
func (f Family) LevelsFor(depth, kappa float64) (n int, bits int, s Scheme, err error) {
	if !f.valid() {
		return 0, 0, Scheme{}, invalid("quantizer family %d: unknown", int(f))
	}
	xiMax := xiMaxLevels
	switch f {
	case LloydMax:
		xiMax = math.NaN() // not tabulated: the search reports the limit
	case Unsigned:
		xiMax = xiMaxUnsigned
	}
	return levelsFor(depth, kappa, f.MaxLevels(), xiMax, func(n int) (Scheme, error) { return f.Canonical(n, kappa) })
}

// NewLloydMaxScheme returns the optimal scheme for the n-level Lloyd–Max
// quantizer rescaled so that its outermost level is amp: thresholds and
// levels of OptimizeLloydMax both multiplied by s = amp/y_{N−1}, so that
// φ_amp(x) = s φ_LM(x/s). Then q* = s² puts the input at the scale the
// quantizer was designed for, and σ_w² = q*/E[φ_amp(√q* z)²] = 1/χ_max for
// every amp. With kappa the trainability multiple. The straight-through
// estimator's clip point is t = amp, the outermost level: φ_amp(x) ≈ x in the
// bulk (levels are centroids, close to the inputs they stand for) and the
// identity reaches the outermost level at x = amp, so s·1{|x| ≤ amp} is the
// derivative of the clipped identity the quantizer approximates (for the
// canonical uniform quantizer, t = A = 1 likewise). amp and kappa must be
// finite and positive, and not so extreme that q* or L_max leave the normal
// range of float64.
func NewLloydMaxScheme(n int, amp, kappa float64) (Scheme, error) {
	if err := LloydMax.checkLevels(n); err != nil {
		return Scheme{}, err
	}
	if err := checkPositive("amplitude", amp); err != nil {
		return Scheme{}, err
	}
	return lloydMaxScheme(n, amp, kappa)
}

// lloydMaxScheme builds the scheme; amp NaN means the canonical amplitude
// y_{N−1} (scale factor exactly 1).
func lloydMaxScheme(n int, amp, kappa float64) (Scheme, error) {
	if err := checkPositive("kappa", kappa); err != nil {
		return Scheme{}, err
	}
	o, err := OptimizeLloydMax(n)
	if err != nil {
		return Scheme{}, err
	}
	top := o.Values[n-1]
	scale := 1.0
	if math.IsNaN(amp) {
		amp = top
	} else {
		scale = amp / top
	}
	g := make([]float64, len(o.Thresholds))
	y := make([]float64, len(o.Values))
	for i, v := range o.Thresholds {
		g[i] = scale * v
	}
	for i, v := range o.Values {
		y[i] = scale * v
	}
	s := Scheme{
		Levels:      n,
		Bits:        math.Log2(float64(n)),
		Spacing:     math.NaN(),
		ChiMax:      o.Chi,
		OneMinusChi: o.OneMinusChi,
		Xi:          1 / -math.Log1p(-o.OneMinusChi),
		Kappa:       kappa,
		SigmaW:      1 / math.Sqrt(o.Chi),
		QStar:       scale * scale,
		Delta:       math.NaN(),
		Amplitude:   amp,
		VarHat:      o.Chi / (top * top),
		Family:      LloydMax,
		Method:      Exact,
		thresholds:  g,
		values:      y,
	}
	s.LMax = kappa * s.Xi
	// σ_w² s² erf(t/√(2q*)) = 1 with t/√q* = y_{N−1} (THEORY.md §4).
	s.STESlope = 1 / (s.SigmaW * math.Sqrt(math.Erf(top/math.Sqrt2)))
	if err := s.checkRange(); err != nil {
		return Scheme{}, err
	}
	return s, nil
}
