package meanfield

import (
	"fmt"
	"math"
)

// Trajectory returns the mean-field variance q^l and correlation c^l,
// l = 1 … depth (q[l-1], c[l-1]), of a pair of inputs with per-coordinate
// mean square q0 > 0 and cosine c0 ∈ [−1, 1] (THEORY.md §1). Layer 1 is
// linear in the input, h^1 = W^1 x + b^1, so q^1 = σ_w² q0 + σ_b² and
// q12^1 = σ_w² c0 q0 + σ_b²; deeper layers follow the covariance map
// (Step). This is the curve that Monte Carlo runs of the same inputs
// (package simulate) are compared with.
func (n Network) Trajectory(q0, c0 float64, depth int) (q, c []float64, err error) {
	if err := n.validate(); err != nil {
		return nil, nil, err
	}
	switch {
	case math.IsNaN(q0) || math.IsInf(q0, 0) || q0 <= 0:
		return nil, nil, fmt.Errorf("%w: q0 %v: must be finite and positive", ErrInvalid, q0)
	case !(c0 >= -1 && c0 <= 1):
		return nil, nil, fmt.Errorf("%w: c0 %v: must lie in [-1, 1]", ErrInvalid, c0)
	case depth < 1:
		return nil, nil, fmt.Errorf("%w: depth %d: must be at least 1", ErrInvalid, depth)
	}
	q, c = make([]float64, depth), make([]float64, depth)
	w2, b2 := n.w2(), n.b2()
	q11, q22, q12 := w2*q0+b2, w2*q0+b2, w2*c0*q0+b2
	for l := range depth {
		if l > 0 {
			q11, q22, q12 = n.Step(q11, q22, q12)
		}
		q[l] = q11
		c[l] = q12 / math.Sqrt(q11*q22)
	}
	return q, c, nil
}
