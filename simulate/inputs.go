package simulate

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// inputStream is the PCG stream reserved for the inputs; trial streams use
// the trial index, which is always smaller.
const inputStream = math.MaxUint64

// splitmix64 is the SplitMix64 finalizer. It turns the user's seed and the
// stream index into well-mixed PCG seeds, so that seeds 0, 1, 2 … and
// neighbouring trials start from unrelated states.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// newSource returns the PCG source of the given stream for seed: trial t
// uses stream t, the inputs use inputStream.
func newSource(seed, stream uint64) *rand.PCG {
	return rand.NewPCG(splitmix64(seed), splitmix64(stream^splitmix64(seed+1)))
}

// seedSource re-seeds p in place to the state newSource(seed, stream) has.
func seedSource(p *rand.PCG, seed, stream uint64) {
	p.Seed(splitmix64(seed), splitmix64(stream^splitmix64(seed+1)))
}

// Inputs returns the B inputs of c as the columns of an n × B matrix, stored
// row-major (unit i, input a at index i·B + a). Every column has
// per-coordinate mean square |x_a|²/n = Q0 and every pair the cosine C0, to
// rounding (a few ulps).
//
// Construction: B orthonormal vectors e_1 … e_B are made by orthonormalizing
// Gaussian vectors drawn from a stream of Seed reserved for the inputs
// (modified Gram–Schmidt, applied twice so that orthogonality holds to
// rounding), and x_a = √(n Q0) Σ_k L_ak e_k with L the Cholesky factor of the
// target correlation matrix (1-C0) I + C0 11ᵀ, so that xᵀx = n Q0 LLᵀ. The
// inputs are dense and the same for every trial. Since the weights are
// rotation invariant, the distribution of the network's pre-activations
// depends on the inputs only through their Gram matrix; the frame e is
// immaterial.
func Inputs(c Config) ([]float64, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return inputs(c.withDefaults())
}

func inputs(c Config) ([]float64, error) {
	n, b := c.Width, c.Batch
	rng := rand.New(newSource(c.Seed, inputStream))
	// e holds the orthonormal vectors as its rows (b × n), so each is
	// contiguous.
	e := make([]float64, b*n)
	for i := range e {
		e[i] = rng.NormFloat64()
	}
	for k := range b {
		ek := e[k*n : (k+1)*n]
		for range 2 {
			for j := range k {
				ej := e[j*n : (j+1)*n]
				var d float64
				for i := range n {
					d += ek[i] * ej[i]
				}
				for i := range n {
					ek[i] -= d * ej[i]
				}
			}
		}
		var s float64
		for _, v := range ek {
			s += v * v
		}
		s = 1 / math.Sqrt(s)
		for i := range ek {
			ek[i] *= s
		}
	}
	corr := mat.NewSymDense(b, nil)
	for a := range b {
		for a2 := a; a2 < b; a2++ {
			v := c.C0
			if a == a2 {
				v = 1
			}
			corr.SetSym(a, a2, v)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(corr) {
		// Validate keeps C0 inside (-1/(B-1), 1), where the matrix is
		// positive definite; only a C0 within rounding of an end fails here.
		return nil, invalid("c0 %v: input correlation matrix is numerically singular for batch %d", c.C0, b)
	}
	var l mat.TriDense
	chol.LTo(&l)
	scale := math.Sqrt(float64(n) * c.Q0)
	x := make([]float64, n*b)
	for a := range b {
		for k := 0; k <= a; k++ {
			f := scale * l.At(a, k)
			ek := e[k*n : (k+1)*n]
			for i := range n {
				x[i*b+a] += f * ek[i]
			}
		}
	}
	return x, nil
}
