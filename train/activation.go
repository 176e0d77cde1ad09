package train

import (
	"fmt"
	"math"

	"github.com/lmax-project/lmax/quantize"
)

// Activation is the pointwise nonlinearity φ of the hidden layers together
// with the derivative used by the backward pass. For a smooth φ, Deriv is the
// true derivative φ'; for a quantizer it is the straight-through estimator
// φ'_STE of THEORY.md §4, since the true derivative vanishes almost
// everywhere. Implementations must be safe for concurrent use.
type Activation interface {
	Eval(x float64) float64
	Deriv(x float64) float64
}

// Quantized is the activation of a quantized network: the forward pass
// evaluates the N-level quantizer Q, the backward pass uses its
// straight-through estimator φ'_STE(x) = s·1{|x| ≤ t} (THEORY.md §4; the
// window is [0, t] for an unsigned quantizer). Build it with NewQuantized.
type Quantized struct {
	Q   *quantize.Quantizer
	STE quantize.STE
}

// NewQuantized returns the activation that quantizes with q and back-propagates
// through the straight-through estimator of q with the given slope s, which
// must be finite and positive.
func NewQuantized(q *quantize.Quantizer, slope float64) (Quantized, error) {
	if q == nil {
		return Quantized{}, invalid("quantizer: nil")
	}
	if !(slope > 0) || math.IsInf(slope, 0) {
		return Quantized{}, invalid("STE slope %v: must be finite and positive", slope)
	}
	return Quantized{Q: q, STE: q.STE(slope)}, nil
}

// Eval returns φ(x).
func (a Quantized) Eval(x float64) float64 { return a.Q.Eval(x) }

// Deriv returns the straight-through derivative φ'_STE(x).
func (a Quantized) Deriv(x float64) float64 { return a.STE.Deriv(x) }

// String describes the quantizer and the estimator's slope.
func (a Quantized) String() string {
	return fmt.Sprintf("%v, STE slope %g", a.Q, a.STE.Slope)
}

// Tanh is the smooth activation tanh, with its exact derivative; the
// gradient checks use it.
type Tanh struct{}

// Eval returns tanh(x).
func (Tanh) Eval(x float64) float64 { return math.Tanh(x) }

// Deriv returns 1 - tanh²(x).
func (Tanh) Deriv(x float64) float64 {
	t := math.Tanh(x)
	return 1 - t*t
}

// HardTanh is φ(x) = Slope·clip(x, -Clip, Clip), whose derivative
// Slope·1{|x| ≤ Clip} equals the straight-through estimator of a symmetric
// quantizer with clip point Clip: a network with this activation has, as its
// true gradient, exactly what the straight-through backward pass of the
// quantized network computes from the same pre-activations. Tests use it to
// check the straight-through path against finite differences.
type HardTanh struct {
	Slope, Clip float64
}

// Eval returns Slope·clip(x, -Clip, Clip).
func (h HardTanh) Eval(x float64) float64 {
	return h.Slope * math.Max(-h.Clip, math.Min(h.Clip, x))
}

// Deriv returns Slope·1{|x| ≤ Clip}.
func (h HardTanh) Deriv(x float64) float64 {
	if x >= -h.Clip && x <= h.Clip {
		return h.Slope
	}
	return 0
}
