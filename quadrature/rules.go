package quadrature

import (
	"math"
	"sync"

	"gonum.org/v1/gonum/integrate/quad"
)

// rule is an immutable quadrature rule shared by all callers.
type rule struct{ x, w []float64 }

var (
	legendreCache sync.Map // int → *rule
	hermiteCache  sync.Map // int → *rule
)

// Legendre returns the n-point Gauss–Legendre nodes and weights on [-1, 1].
// The slices are shared and must not be modified. Nodes are increasing and
// exactly antisymmetric; n < 1 gives nil slices. The first call for a given
// n costs O(n²); later calls are a map lookup.
//
// The rule is gonum's quad.Legendre with its nodes polished by Newton's
// method on the three-term recurrence and its weights checked against
// 2/((1-x²)P_n'(x)²): gonum v0.17.0's tabulated 26-point rule has a
// misplaced zero in its weight table (one weight is 0 and Σw = 1.979), which
// the check repairs. See TestGonumLegendre26 and TestRulesAgainstReference.
func Legendre(n int) (x, w []float64) {
	if n < 1 {
		return nil, nil
	}
	if r, ok := legendreCache.Load(n); ok {
		return r.(*rule).x, r.(*rule).w
	}
	r, _ := legendreCache.LoadOrStore(n, newLegendre(n))
	return r.(*rule).x, r.(*rule).w
}

// Hermite returns the n-point Gauss–Hermite nodes and weights for the
// standard normal weight, so that Σ w_i f(x_i) ≈ E[f(Z)].
// The slices are shared and must not be modified. Nodes are increasing and
// exactly antisymmetric, weights sum to 1 up to rounding; n < 1 gives nil
// slices. The first call for a given n costs O(n²).
//
// gonum's quad.Hermite (weight e^{-x²}) supplies the starting nodes, scaled
// by √2; they are polished by Newton's method on the orthonormal Hermite
// recurrence and the weights recomputed from the Christoffel–Darboux formula
// w_i = 1/(n p_{n-1}(x_i)²). gonum's own weights are off by up to 8e-9
// relative for n = 200; these are good to about n·1e-16 relative, the
// rounding of the recurrence (see TestRulesAgainstReference).
func Hermite(n int) (x, w []float64) {
	if n < 1 {
		return nil, nil
	}
	if r, ok := hermiteCache.Load(n); ok {
		return r.(*rule).x, r.(*rule).w
	}
	r, _ := hermiteCache.LoadOrStore(n, newHermite(n))
	return r.(*rule).x, r.(*rule).w
}

// legendreP returns P_n(x) and P_n'(x) by the three-term recurrence.
func legendreP(n int, x float64) (p, dp float64) {
	p0, p1 := 1.0, x
	d0, d1 := 0.0, 1.0
	if n == 0 {
		return 1, 0
	}
	for k := 1; k < n; k++ {
		fk := float64(k)
		p0, p1 = p1, ((2*fk+1)*x*p1-fk*p0)/(fk+1)
		// P'_{k+1} = P'_{k-1} + (2k+1) P_k avoids dividing by 1 - x².
		d0, d1 = d1, d0+(2*fk+1)*p0
	}
	return p1, d1
}

func newLegendre(n int) *rule {
	x := make([]float64, n)
	w := make([]float64, n)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	// gonum's node order depends on n; sort the pairs by node.
	for i := 1; i < n; i++ {
		for j := i; j > 0 && x[j-1] > x[j]; j-- {
			x[j-1], x[j] = x[j], x[j-1]
			w[j-1], w[j] = w[j], w[j-1]
		}
	}
	// Polish the upper half (nodes n/2 … n-1) and mirror it, so that the
	// rule is exactly symmetric.
	m := n / 2
	half := append([]float64(nil), x[m:]...)
	hw := append([]float64(nil), w[m:]...)
	if n%2 == 1 {
		half[0] = 0 // the middle node is exactly 0
	}
	for i, v := range half {
		if v != 0 {
			for it := 0; it < 8; it++ {
				p, dp := legendreP(n, v)
				dx := p / dp
				v -= dx
				if math.Abs(dx) <= 1e-17 {
					break
				}
			}
		}
		half[i] = v
		// gonum's weights (25-digit tables for n ≤ 100, Bogaert's θ-space
		// expansions beyond) are good to an ulp or two, better than the
		// recurrence can do near ±1, where P_n(x̃) carries O(n ε) noise and
		// 2/((1-x²)P_n'²) has relative slope 2x/(1-x²) in the node (1e-13
		// error at n = 257). They are kept unless they disagree with the
		// recurrence by more than that noise: gonum v0.17.0's 26-point table
		// has a misplaced zero that gives one weight the value 0 and shifts
		// the moments by 1%.
		p, dp := legendreP(n, v)
		// -2xPP' cancels the first-order effect of the node's rounding
		// (d/dx[(1-x²)P'²] = 2xP'² at a root, by the Legendre equation).
		mine := 2 / ((1-v)*(1+v)*dp*dp - 2*v*p*dp)
		if !(math.Abs(hw[i]-mine) <= 1e-11*mine) {
			hw[i] = mine
		}
	}
	for i, v := range half {
		x[m+i] = v
		w[m+i] = hw[i]
		x[n-1-m-i] = -v
		w[n-1-m-i] = hw[i]
	}
	return &rule{x, w}
}

func newHermite(n int) *rule {
	x := make([]float64, n)
	w := make([]float64, n)
	quad.Hermite{}.FixedLocations(x, w, math.Inf(-1), math.Inf(1))
	sortFloats(x)
	half := append([]float64(nil), x[n/2:]...)
	for i := range half {
		half[i] *= math.Sqrt2 // gonum's weight is e^{-x²}
	}
	if n%2 == 1 {
		half[0] = 0
	}
	hw := make([]float64, len(half))
	for i, v := range half {
		if v != 0 {
			for it := 0; it < 8; it++ {
				r, _, _ := hermiteRatio(n, v)
				// p_n/p_n' = p_n/(√n p_{n-1}) = r/√n.
				dx := r / math.Sqrt(float64(n))
				v -= dx
				if math.Abs(dx) <= 1e-16*math.Max(1, v) {
					break
				}
			}
		}
		r, prev, e := hermiteRatio(n, v)
		half[i] = v
		// w = 1/p_n'(x)² = 1/(n p_{n-1}²) at a root; as for Legendre the
		// term -2x p_n p_n' (zero at the exact root) cancels the first-order
		// effect of the node's rounding, since p_n'' = x p_n' - n p_n. The
		// scale 2^e is removed exactly with Ldexp rather than through
		// exp(log), which would cost |ln w| ulps.
		fn := float64(n)
		hw[i] = math.Ldexp(1/(prev*prev*(fn-2*v*math.Sqrt(fn)*r)), -2*e)
	}
	m := n / 2
	for i, v := range half {
		x[m+i] = v
		w[m+i] = hw[i]
		x[n-1-m-i] = -v
		w[n-1-m-i] = hw[i]
	}
	return &rule{x, w}
}

// hermiteRatio evaluates the orthonormal probabilists' Hermite polynomials
// p_0 = 1, p_{k+1} = (x p_k - √k p_{k-1})/√(k+1) at x and returns
// r = p_n/p_{n-1} and p_{n-1} = prev·2^e. The values grow like e^{x²/4},
// which overflows for n ≳ 700, so they are rescaled by powers of two (which
// is exact) as they go.
func hermiteRatio(n int, x float64) (r, prev float64, e int) {
	const big = 0x1p500
	p0, p1 := 0.0, 1.0 // p_{-1}, p_0
	for k := 0; k < n; k++ {
		fk := float64(k)
		p0, p1 = p1, (x*p1-math.Sqrt(fk)*p0)/math.Sqrt(fk+1)
		if math.Abs(p1) > big {
			p0 /= big
			p1 /= big
			e += 500
		}
	}
	return p1 / p0, p0, e
}

// sortFloats is an insertion sort: the inputs here are short or nearly
// sorted, and it keeps the package free of allocation in hot paths.
func sortFloats(a []float64) {
	for i := 1; i < len(a); i++ {
		v := a[i]
		j := i
		for j > 0 && a[j-1] > v {
			a[j] = a[j-1]
			j--
		}
		a[j] = v
	}
}
