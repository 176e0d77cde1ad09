package solver

import (
	"fmt"
	"math"
)

// Method says how the sums over K behind χ(D) are evaluated.
type Method int

const (
	// Exact sums bin by bin (evaluate): O(min(N, 1/D)) time, for
	// N ≤ MaxExactLevels.
	Exact Method = iota
	// Asymptotic evaluates the same sums in O(1) time by Poisson summation
	// over the whole lattice plus Euler–Maclaurin series for the part of
	// the lattice beyond the clip point (asymptoticSums).
	Asymptotic
)

// String returns "exact" or "asymptotic".
func (m Method) String() string {
	switch m {
	case Exact:
		return "exact"
	case Asymptotic:
		return "asymptotic"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// MarshalText encodes the method as its String.
func (m Method) MarshalText() ([]byte, error) {
	if m != Exact && m != Asymptotic {
		return nil, fmt.Errorf("solver: unknown method %d", int(m))
	}
	return []byte(m.String()), nil
}

// AsymptoticLevels is the largest N that Optimize, Canonical, Sweep and Chi
// evaluate with the Exact method; above it they use Asymptotic. The two agree
// to better than 1e−13 relative in 1 − χ, D_opt and ξ wherever both run
// (TestAsymptoticAgreesWithExact, TestOptimizeMethodsAgree), so the switch
// leaves no visible seam; at 2^16 the exact optimization takes about 30 ms
// and the asymptotic one about 20 µs.
const AsymptoticLevels = 1 << 16

// MaxExactLevels is the largest N for which the Exact method may be forced
// (OptimizeMethod, ChiMethod): its O(N) sums take about a second per
// optimization there.
const MaxExactLevels = 1 << 22

// MethodFor returns the method that Optimize and the scheme constructors use
// for n levels: Exact for n ≤ AsymptoticLevels, Asymptotic above.
func MethodFor(n int) Method {
	if n > AsymptoticLevels {
		return Asymptotic
	}
	return Exact
}

// asymptoticValid reports whether the asymptotic route is accurate at (n, d):
// the Poisson corrections e^{−2π²m²/D²} are summed, but the Euler–Maclaurin
// series of the lattice beyond the clip point must converge, which needs
// D ≤ 1/4 and D·a ≤ 2 with a = DN/2, unless that part of the lattice lies
// beyond zCut, where it contributes nothing. (These are the conditions under
// which tau uses its Euler–Maclaurin branch.)
func asymptoticValid(n int, d float64) bool {
	a := d * float64(n) / 2
	return d <= 0.25 && (d*a <= 2 || a-d > zCut)
}

// sumsFor evaluates the sums of χ at (n, d) by method m, falling back to the
// exact sums where the asymptotic series are not valid (there the exact
// sums cost O(min(N, zCut/D)) ≤ O(1/D²) bins, a few thousand).
func sumsFor(n int, d float64, m Method) (sums, Method) {
	if m == Asymptotic && asymptoticValid(n, d) {
		return asymptoticSums(n, d), Asymptotic
	}
	return evaluate(n, d), Exact
}

// asymptoticSums computes the sums of evaluate in O(1) time.
//
// With the sawtooth s(z) = z − D·(nearest level centre), a D-periodic
// function, the unit-jump quantizer is φ(z) = (z − s(z))/D for |z| < T, T =
// D(N/2 − 1) the outermost threshold, and φ = ±Y beyond (Y = (N−1)/2). With
// τ = 1 − βD, φ − βz = (τz − s)/D inside, so
//
//	D² R_in = A − 2τB + τ²C,   D² S_in = C − 2B + A,
//	A = ∫_{|z|<T} s²ϕ,  B = ∫_{|z|<T} s zϕ,  C = ∫_{|z|<T} z²ϕ = 1 − 2(Tϕ(T) + Q(T)),
//
// plus the two outer bins, R_out = 2β² ∫_T^∞ (z − Y/β)²ϕ (outer) and
// S_out = 2Y²Q(T). Over the whole line, the Fourier series of s² and s
// (periodic Bernoulli functions: s = D B̃_1(x), s² = D²(B̃_2(x) + 1/12), x
// the position in the bin) give A_line = D²/12 + D² Σ_m c_m e^{−2π²m²/D²}/(π²m²)
// and B_line = −2 Σ_m c_m e^{−2π²m²/D²}, with c_m = 1 for even N and (−1)^m
// for odd N (T/D = N/2 − 1). The parts beyond T are integrated by parts
// against the periodic antiderivatives P_k = D^{j+k} j! B̃_{j+k}(x)/(j+k)!
// (j = 2 for s², 1 for s); T is a bin edge (x = 0), where P_k(T) is a
// Bernoulli number, so
//
//	∫_T^∞ s²ϕ = (D²/12)Q(T) − 2ϕ(T) Σ_{j≥1} D^{2j+2} B_{2j+2}/(2j+2)! He_{2j−1}(T),
//	∫_T^∞ s zϕ = −ϕ(T) Σ_{j≥1} D^{2j} B_{2j}/(2j)! He_{2j−1}(T),
//
// the Euler–Maclaurin series with ratio ~(DT/2π)² (≤ 1e−5 at the optimum
// for N > AsymptoticLevels). β comes from τ (tau: Poisson plus
// Euler–Maclaurin), and M2 = Σ_{i∈K} i²ϕ(iD) from the Poisson sum of z²ϕ over
// the threshold lattice, 1 + 2Σ_m c_m (1 − ω_m²)e^{−ω_m²/2}, ω_m = 2πm/D, less
// the lattice beyond the last threshold by Euler–Maclaurin. Every combination
// above is dominated by one positive term (A ≈ D²/12 in R, C ≈ 1 in S), so
// nothing cancels.
func asymptoticSums(n int, d float64) sums {
	nf := float64(n)
	t := d * (nf/2 - 1) // outermost threshold T
	top := (nf - 1) / 2 // Y
	h := d / 2
	ta := tau(n, d, 0) // d ≤ 1/4: tau does not use β
	beta := (1 - ta) / d

	// Poisson corrections over the bin-edge lattice T + kD.
	var lineA, lineB, latM ksum
	lineA.add(d * d / 12)
	latM.add(1)
	for m := 1.0; ; m++ {
		w := 2 * math.Pi * m / d
		e := math.Exp(-w * w / 2)
		if e == 0 {
			break
		}
		c := 1.0
		if n%2 == 1 && int(m)%2 == 1 {
			c = -1
		}
		lineA.add(c * d * d * e / (math.Pi * math.Pi * m * m))
		lineB.add(-2 * c * e)
		latM.add(2 * c * (1 - w*w) * e)
		if e < 1e-20 {
			break
		}
	}

	var tailA, tailB, tailC, tailM, sOut, rOut float64
	if t <= zCut {
		pt, qt := pdf(t), upperTail(t)
		tailA = d * d / 12 * qt
		tailC = t*pt + qt
		// E_k = He_k(T) D^k by He_{k+1} = T He_k − k He_{k−1}.
		ePrev, eCur := 1.0, t*d // E_0, E_1
		var sa, sb float64
		for j := 1; j+1 < len(bernoulliOverFact); j++ {
			k := 2*j - 1 // eCur = E_k
			termA := -2 * d * d * d * bernoulliOverFact[j+1] * eCur * pt
			termB := -d * bernoulliOverFact[j] * eCur * pt
			sa += termA
			sb += termB
			if math.Abs(termA) <= 1e-20*d*d && math.Abs(termB) <= 1e-20*d*d {
				break
			}
			e1 := t*d*eCur - float64(k)*d*d*ePrev
			e2 := t*d*e1 - float64(k+1)*d*d*eCur
			ePrev, eCur = e1, e2
		}
		tailA += sa
		tailB = sb
		sOut = 2 * top * top * qt
		// ∫_T^∞ (z − Y/β)²ϕ with T − Y/β = −(τT + D/2)/(1 − τ), formed
		// without the cancellation of T − Y/β.
		rOut = 2 * beta * beta * outerBin(t, -(ta*t+h)/(1-ta))

		// M2's lattice beyond the last threshold: D Σ_{k≥0} f(a + kD),
		// f = z²ϕ, a = DN/2, is ∫_a^∞ f + Df(a)/2 − Σ_j B_{2j}/(2j)! D^{2j}
		// f^{(2j−1)}(a), f^{(n)} = (−1)^n (He_{n+2} + He_n)ϕ.
		a := d * nf / 2
		if a <= zCut {
			pa := pdf(a)
			em := a*pa + upperTail(a) + d*a*a*pa/2
			fPrev, fCur := 1.0, a*d // F_k = He_k(a) D^k
			var corr float64
			for j := 1; j < len(bernoulliOverFact); j++ {
				k := 2*j - 1
				f1 := a*d*fCur - float64(k)*d*d*fPrev // F_{k+1}
				f2 := a*d*f1 - float64(k+1)*d*d*fCur  // F_{k+2}
				// D^{2j}(He_{2j+1} + He_{2j−1}) = F_{2j+1}/D + D F_{2j−1}
				term := bernoulliOverFact[j] * (f2/d + d*fCur)
				corr += term
				fPrev, fCur = f1, f2
				if math.Abs(term) <= 1e-20 {
					break
				}
			}
			tailM = em + pa*corr
		}
	}
	fa := lineA.sum() - 2*tailA
	fb := lineB.sum() - 2*tailB
	fc := 1 - 2*tailC
	var r, s ksum
	r.add(fa)
	r.add(-2 * ta * fb)
	r.add(ta * ta * fc)
	s.add(fc)
	s.add(-2 * fb)
	s.add(fa)
	return sums{
		beta: beta,
		m2:   (latM.sum() - 2*tailM) / (d * d * d),
		s:    s.sum()/(d*d) + sOut,
		r:    r.sum()/(d*d) + rOut,
		tau:  ta,
	}
}

// outerBin returns ∫_t^∞ (z − c)² ϕ(z) dz with d = t − c.
func outerBin(t, d float64) float64 {
	g, _ := outer(t, d)
	return g
}
