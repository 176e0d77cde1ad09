package simulate

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// covSqrt computes, for a B × B covariance Σ, a matrix A with AAᵀ = Σ, so
// that A z is N(0, Σ) for z ~ N(0, I_B). It holds the gonum workspaces of
// one worker so that repeated calls do not allocate.
//
// Exactness. Any A with AAᵀ = Σ gives the same distribution, so the choice
// of square root does not matter. Cholesky is tried first; it is backward
// stable (the computed L has LLᵀ = Σ + E with |E_ij| ≤ O(Bε)·√(Σ_ii Σ_jj)),
// so when it succeeds the sampled covariance equals Σ to the precision Σ
// itself was formed with. It fails when Σ is singular or within rounding of
// it, which happens whenever the previous layer's outputs are collinear
// (for a quantizer, two inputs whose pre-activations fall in the same bins on
// every unit give identical columns of X). Then the symmetric eigen
// decomposition Σ = V Λ Vᵀ is used with A = V Λ₊^{1/2}, the negative
// eigenvalues clamped to zero. Σ is positive semi-definite in exact
// arithmetic (a Gram matrix plus σ_b² 11ᵀ), so a negative computed
// eigenvalue is rounding of size O(Bε‖Σ‖); clamping moves Σ by no more than
// that, and the sample is exact in distribution for V Λ₊ Vᵀ = Σ + O(Bε‖Σ‖).
type covSqrt struct {
	b    int
	chol mat.Cholesky
	l    mat.TriDense
	eig  mat.EigenSym
	vecs mat.Dense
	vals []float64
}

var errEigen = errors.New("eigen decomposition of the layer covariance did not converge")

// sqrt writes A into a (row-major B × B) and reports whether the eigen
// fallback was needed.
func (r *covSqrt) sqrt(s *mat.SymDense, a []float64) (fallback bool, err error) {
	b := r.b
	if r.chol.Factorize(s) {
		r.chol.LTo(&r.l)
		for i := range b {
			for k := range b {
				a[i*b+k] = r.l.At(i, k)
			}
		}
		return false, nil
	}
	if !r.eig.Factorize(s, true) {
		return true, errEigen
	}
	r.vals = r.eig.Values(r.vals)
	r.eig.VectorsTo(&r.vecs)
	for k, v := range r.vals {
		r.vals[k] = math.Sqrt(math.Max(v, 0))
	}
	for i := range b {
		for k := range b {
			a[i*b+k] = r.vecs.At(i, k) * r.vals[k]
		}
	}
	return true, nil
}

func newCovSqrt(b int) *covSqrt {
	return &covSqrt{b: b, vals: make([]float64, b)}
}
