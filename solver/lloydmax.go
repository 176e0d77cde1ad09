package solver

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/lapack/gonum"
)

// MaxLloydMaxLevels is the largest N for which OptimizeLloydMax computes the
// Lloyd–Max quantizer: it stores 2N numbers and solves a tridiagonal Newton
// system per iteration, about 50 ms at this N.
const MaxLloydMaxLevels = 1 << 16

// LloydMaxOptimum is the Lloyd–Max quantizer of the standard normal with N
// levels, which maximizes χ over every odd N-level quantizer with σ_b = 0
// (doc.go, "Optimal non-uniform quantizers"). It is expressed for
// unit-variance input: use it at q* = 1 (σ_w² = 1/Chi), or rescale both
// thresholds and values by one factor A/y_{N−1} to put the outermost level at
// A (q* = (A/y_{N−1})², σ_w unchanged).
type LloydMaxOptimum struct {
	Levels int // N
	// Thresholds are g_1 < … < g_{N−1}, exactly antisymmetric (g_k = −g_{N−k}),
	// with the optimality condition g_k = (y_{k−1} + y_k)/2.
	Thresholds []float64
	// Values are the levels y_0 < … < y_{N−1}, exactly antisymmetric, each the
	// centroid E[z | g_j < z < g_{j+1}] of its bin (g_0 = −∞, g_N = ∞).
	Values []float64
	// Chi is χ_max = corr(z, φ(z))² = E[φ(z)²] (as E[zφ] = E[φ²] for
	// centroid levels).
	Chi float64
	// OneMinusChi is 1 − χ_max = E[(z − φ(z))²], the Lloyd–Max mean-square
	// distortion of N(0, 1), summed over the bins without cancellation.
	OneMinusChi float64
	// Iterations counts the Newton iterations.
	Iterations int
}

// OptimizeLloydMax returns the n-level Lloyd–Max quantizer of N(0, 1),
// 2 ≤ n ≤ MaxLloydMaxLevels.
//
// The optimality conditions (Lloyd 1957/1982, Max 1960) are that each
// threshold is the midpoint of its two neighbouring levels and each level the
// centroid of its bin. By symmetry (the optimum is unique for the
// log-concave normal density, Fleischer 1964, hence odd) only the K =
// ⌊(n−1)/2⌋ positive thresholds p_k are unknown; the levels are functions of
// them, and the K conditions
//
//	F_k = ((p_k − c_below) − (c_above − p_k))/2 = 0
//
// are solved by Newton's method. F_k depends on p_{k−1}, p_k, p_{k+1} only,
// so the Jacobian is tridiagonal (∂c/∂a = ϕ(a)(c − a)/P, ∂c/∂b = ϕ(b)(b − c)/P
// for a bin [a, b] of probability P), solved by LAPACK's Dgtsv from gonum.
// Lloyd's own iteration would need O(n²) sweeps, since its contraction factor
// is 1 − O(1/n²); Newton converges quadratically from the companding
// (Panter–Dite) guess g_k = √3 Ψ⁻¹(k/n), with a backtracking line search
// that keeps the thresholds ordered.
//
// The conditions are written with offsets of each centroid from its bin's
// edges (centroid), which are known to a few ulp of the bin width: the
// Jacobian's condition number grows like n² (the slow mode of Lloyd's
// iteration), so residuals rounded at the scale of |p_k| rather than of the
// bin width would leave errors ~n²ε in the thresholds.
func OptimizeLloydMax(n int) (LloydMaxOptimum, error) {
	if n < 2 {
		return LloydMaxOptimum{}, invalid("levels %d: need at least 2", n)
	}
	if n > MaxLloydMaxLevels {
		return LloydMaxOptimum{}, invalid("levels %d: the Lloyd–Max quantizer is computed for at most %d levels", n, MaxLloydMaxLevels)
	}
	k := (n - 1) / 2
	p := make([]float64, k)
	for i := range p {
		// Positive companding thresholds √3 Ψ⁻¹(j/n), j = n−k+i … n−1, with
		// Ψ⁻¹(j/n) = √2 erfc⁻¹(2(n−j)/n), free of 1 − j/n rounding.
		j := n - k + i
		p[i] = math.Sqrt(3) * math.Sqrt2 * math.Erfcinv(2*float64(n-j)/float64(n))
	}
	lm := lloydMax{n: n, even: n%2 == 0}
	iters := 0
	if k > 0 {
		var err error
		if iters, err = lm.solve(p); err != nil {
			return LloydMaxOptimum{}, err
		}
	}
	return lm.result(p, iters), nil
}

// lloydMax holds the work arrays of the Newton iteration on the positive
// thresholds p_0 < … < p_{K−1}. The bins above zero are, for even n,
// [0, p_0], [p_0, p_1], …, [p_{K−1}, ∞) (K+1 bins), and for odd n
// [p_0, p_1], …, [p_{K−1}, ∞) (K bins) beside the middle bin [−p_0, p_0] whose
// level is 0.
type lloydMax struct {
	n    int
	even bool
	// Per bin above zero: the centroid's offsets from the lower and upper
	// edges, and ∂c/∂a, ∂c/∂b.
	offLo, offHi, dca, dcb []float64
}

// edges returns the lower and upper edge of bin j above zero.
func (l *lloydMax) edges(p []float64, j int) (a, b float64) {
	if l.even {
		a, b = 0, math.Inf(1)
		if j > 0 {
			a = p[j-1]
		}
		if j < len(p) {
			b = p[j]
		}
		return a, b
	}
	b = math.Inf(1)
	if j+1 < len(p) {
		b = p[j+1]
	}
	return p[j], b
}

func (l *lloydMax) bins(p []float64) int {
	if l.even {
		return len(p) + 1
	}
	return len(p)
}

// residual fills the bin arrays at p and returns F.
func (l *lloydMax) residual(p, f []float64) {
	nb := l.bins(p)
	if len(l.offLo) != nb {
		l.offLo = make([]float64, nb)
		l.offHi = make([]float64, nb)
		l.dca = make([]float64, nb)
		l.dcb = make([]float64, nb)
	}
	for j := 0; j < nb; j++ {
		a, b := l.edges(p, j)
		l.offLo[j], l.offHi[j], l.dca[j], l.dcb[j] = centroid(a, b)
	}
	for k := range p {
		below, above := l.around(k)
		// p_k − c_below: the offset of the threshold above the centroid below
		// (p_0 − 0 for the middle bin of odd n).
		var dBelow float64
		if below < 0 {
			dBelow = p[0]
		} else {
			dBelow = l.offHi[below]
		}
		f[k] = (dBelow - l.offLo[above]) / 2
	}
}

// around returns the bins below and above threshold k (−1: the middle bin
// of odd n).
func (l *lloydMax) around(k int) (below, above int) {
	if l.even {
		return k, k + 1
	}
	return k - 1, k
}

// solve runs Newton's method on p in place.
func (l *lloydMax) solve(p []float64) (int, error) {
	k := len(p)
	f := make([]float64, k)
	fTrial := make([]float64, k)
	trial := make([]float64, k)
	dl, d, du, step := make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	l.residual(p, f)
	norm := maxAbs(f)
	const maxIter = 100
	for iter := 1; iter <= maxIter; iter++ {
		// Jacobian: ∂F_k/∂p_k = 1 − (∂c_below/∂b + ∂c_above/∂a)/2,
		// ∂F_k/∂p_{k−1} = −∂c_below/∂a/2, ∂F_k/∂p_{k+1} = −∂c_above/∂b/2.
		for i := 0; i < k; i++ {
			below, above := l.around(i)
			db := 0.0
			if below >= 0 {
				db = l.dcb[below]
			}
			d[i] = 1 - (db+l.dca[above])/2
			if i > 0 {
				dl[i-1] = -l.dca[below] / 2
			}
			if i+1 < k {
				du[i] = -l.dcb[above] / 2
			}
			step[i] = -f[i]
		}
		if !(gonum.Implementation{}).Dgtsv(k, 1, dl, d, du, step, 1) {
			return iter, fmt.Errorf("%w: Lloyd–Max levels %d: singular Newton system", ErrNoConvergence, l.n)
		}
		// The full Newton step estimates the remaining error of p.
		rs := 0.0
		for i := range p {
			rs = math.Max(rs, math.Abs(step[i])/p[i])
		}
		if rs <= 1e-15 {
			for i := range p {
				p[i] += step[i]
			}
			return iter, nil
		}
		// Backtracking: keep 0 < p_0 < … and decrease max|F|.
		lambda := 1.0
		accepted := false
		for range 60 {
			ok := true
			for i := range p {
				trial[i] = p[i] + lambda*step[i]
				if !(trial[i] > 0) || (i > 0 && !(trial[i] > trial[i-1])) || math.IsInf(trial[i], 0) {
					ok = false
					break
				}
			}
			if ok {
				l.residual(trial, fTrial)
				if nt := maxAbs(fTrial); nt < norm {
					accepted = true
					break
				}
			}
			if rs <= 1e-12 {
				// A step this small that does not lower the residual
				// means the residual is at its rounding floor.
				break
			}
			lambda /= 2
		}
		if !accepted {
			// No decrease even for tiny steps: the residual is at its
			// rounding floor, and the Newton step bounds the error.
			l.residual(p, f)
			if rs <= 1e-12 {
				return iter, nil
			}
			return iter, fmt.Errorf("%w: Lloyd–Max levels %d: line search failed (residual %.3g, step %.3g)", ErrNoConvergence, l.n, norm, rs)
		}
		copy(p, trial)
		copy(f, fTrial)
		norm = maxAbs(f)
	}
	return maxIter, fmt.Errorf("%w: Lloyd–Max levels %d: %d Newton iterations (residual %.3g)", ErrNoConvergence, l.n, maxIter, norm)
}

func maxAbs(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

// result assembles the quantizer at the converged p and sums χ and 1 − χ
// over the bins: χ = E[φ²] = Σ y_j² P_j and 1 − χ = Σ ∫_bin (z − y_j)²ϕ, both
// sums of non-negative terms.
func (l *lloydMax) result(p []float64, iters int) LloydMaxOptimum {
	n := l.n
	g := make([]float64, n-1)
	y := make([]float64, n)
	var chi, omc ksum
	if n == 2 {
		c := math.Sqrt(2 / math.Pi)
		y[0], y[1] = -c, c
		return LloydMaxOptimum{Levels: 2, Thresholds: g, Values: y, Chi: 2 / math.Pi,
			OneMinusChi: 1 - 2/math.Pi}
	}
	fv := make([]float64, len(p))
	l.residual(p, fv)
	// Positive thresholds and levels, mirrored.
	k := len(p)
	for i := range p {
		g[n-1-k+i] = p[i]
		g[k-1-i] = -p[i]
	}
	nb := l.bins(p)
	for j := 0; j < nb; j++ {
		a, b := l.edges(p, j)
		c := a + l.offLo[j]
		y[n-nb+j] = c
		y[nb-1-j] = -c
		v, pr := binMoments(a, b, c)
		chi.add(2 * c * c * pr)
		omc.add(2 * v)
	}
	if !l.even {
		// The middle bin [−p_0, p_0] at level 0: ∫ z²ϕ.
		v, _ := binMoments(-p[0], p[0], 0)
		omc.add(v)
	}
	return LloydMaxOptimum{Levels: n, Thresholds: g, Values: y, Chi: chi.sum(),
		OneMinusChi: omc.sum(), Iterations: iters}
}

// binMoments returns ∫_a^b (z − c)²ϕ(z) dz and ∫_a^b ϕ, for −b ≤ a < b ≤ ∞
// (a ≥ 0 when b = ∞), each without cancellation (piece, wideBin, outer).
func binMoments(a, b, c float64) (v, p float64) {
	if math.IsInf(b, 1) {
		return outer(a, a-c)
	}
	m, h := (a+b)/2, (b-a)/2
	if h*(math.Abs(m)+h) <= 0.5 {
		i0, i1, i2 := piece(m, h, pdf(m))
		e := m - c
		return i2 + 2*e*i1 + e*e*i0, i0
	}
	return wideBin(m, h, m-c)
}

// centroid returns, for a bin [a, b] with 0 ≤ a < b ≤ ∞, the offsets of its
// centroid c = E[z | a < z < b] from the edges, c − a and b − c (Inf for
// b = ∞), and the derivatives ∂c/∂a = ϕ(a)(c − a)/P and ∂c/∂b = ϕ(b)(b − c)/P,
// P the bin's probability. Far in the tail P and ϕ are ratios of tiny
// Gaussian masses, so everything is formed relative to ϕ at a point of the
// bin, from positive terms:
//
//   - narrow bins (h(m+h) ≤ 1/2, centre m, half-width h): the moments about
//     the centre from piece, scaled by ϕ(m);
//   - other bins: J0 = P/ϕ(a) and J1 = ∫_a^b (z − a)ϕ/ϕ(a), c − a = J1/J0,
//     summed over pieces of the bin (pieceMoments) or, for the outer bin,
//     pieces up to tCF and the Mills-ratio continued fraction beyond
//     (upperMoments). math.Erfc is avoided: its argument's rounding costs
//     a²ε relative, which in the outer centroid reached 4e−15 and, through
//     the slow mode of the conditions, every threshold. Bins so wide that
//     (b−a)b > 64 (only in early Newton iterates) use the difference of two
//     upper moments, whose subtrahend is below e^{−32} of the minuend.
func centroid(a, b float64) (offLo, offHi, dca, dcb float64) {
	m, h := (a+b)/2, (b-a)/2
	if !math.IsInf(b, 1) && h*(m+h) <= 0.5 {
		i0, i1, _ := piece(m, h, 1) // moments / ϕ(m)
		off := i1 / i0              // c − m
		offLo, offHi = h+off, h-off
		dca = math.Exp(m*h-h*h/2) * offLo / i0 // ϕ(a)/ϕ(m) = e^{mh − h²/2}
		dcb = math.Exp(-m*h-h*h/2) * offHi / i0
		return offLo, offHi, dca, dcb
	}
	var j0, j1, ex float64 // ex = ϕ(b)/ϕ(a)
	w := b - a
	switch {
	case math.IsInf(b, 1):
		j0, j1 = upperMoments(a)
	case w*b <= 64:
		j0, j1 = pieceMoments(a, b)
		ex = math.Exp(-w * (a + b) / 2)
	default:
		ex = math.Exp(-w * (a + b) / 2)
		a0, a1 := upperMoments(a)
		b0, b1 := upperMoments(b)
		j0 = a0 - ex*b0
		j1 = a1 - ex*(b1+w*b0)
	}
	offLo = j1 / j0
	offHi = math.Inf(1)
	if ex > 0 {
		offHi = w - offLo
		dcb = ex * offHi / j0
	}
	return offLo, offHi, offLo / j0, dcb
}

// upperMoments returns ∫_a^∞ ϕ/ϕ(a) = v_0 and ∫_a^∞ (z − a)ϕ/ϕ(a) = v_0v_1
// (the Mills-ratio tails of millsTails) for a ≥ 0: directly for a ≥ tCF,
// by pieces over [a, tCF] plus the tails at tCF below.
func upperMoments(a float64) (j0, j1 float64) {
	if a >= tCF {
		v0, v1, _ := millsTails(a)
		return v0, v0 * v1
	}
	j0, j1 = pieceMoments(a, tCF)
	e := math.Exp(-(tCF - a) * (tCF + a) / 2) // ϕ(tCF)/ϕ(a)
	v0, v1, _ := millsTails(tCF)
	return j0 + e*v0, j1 + e*(v0*v1+(tCF-a)*v0)
}

// pieceMoments returns ∫_a^b ϕ/ϕ(a) and ∫_a^b (z − a)ϕ/ϕ(a) for 0 ≤ a < b <
// ∞, summed over ⌈(b−a)b⌉ pieces of half-width h_k with h_k(c + h_k) ≤ 1/2
// (piece's domain), each with ϕ at its centre c relative to ϕ(a).
func pieceMoments(a, b float64) (j0, j1 float64) {
	k := math.Max(1, math.Ceil((b-a)*b))
	hk := (b - a) / (2 * k)
	for l := 0.0; l < k; l++ {
		d := (2*l + 1) * hk // c − a
		c := a + d
		i0, i1, _ := piece(c, hk, math.Exp(-d*(c+a)/2))
		j0 += i0
		j1 += i1 + d*i0
	}
	return j0, j1
}
