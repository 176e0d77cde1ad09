package solver

import (
	"errors"
	"fmt"
	"math"
)

// MaxLevels is the largest number of levels the solver accepts (32 bits).
// Above AsymptoticLevels the sums over K are evaluated asymptotically in
// O(1) time, so Optimize at MaxLevels takes microseconds; the accuracy of
// 1 − χ is relative and does not degrade with N (see doc.go). N is an int,
// which must be 64 bits wide (as on every platform Go supports for this
// module); no computation forms N² or another product that could overflow.
const MaxLevels = 1 << 32

// ErrInvalid is wrapped by every validation error of this package, so
// callers can test with errors.Is.
var ErrInvalid = errors.New("invalid argument")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

func checkLevels(n int) error {
	if n < 2 {
		return invalid("levels %d: need at least 2", n)
	}
	if n > MaxLevels {
		return invalid("levels %d: at most %d supported", n, MaxLevels)
	}
	return nil
}

func checkPositive(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return invalid("%s %v: must be finite and positive", name, v)
	}
	return nil
}

// Point is χ and its parts at one normalized spacing D = δ/√q* for the
// N-level uniform symmetric quantizer with σ_b = 0 (THEORY.md §3).
type Point struct {
	Levels int     // N
	D      float64 // normalized threshold spacing δ/√q*
	// Chi is χ(D) = (Σ_{i∈K} e^{−i²D²/2})² / (2π Σ_{i,j∈K} Ψ(min(i,j)D) Ψ(−max(i,j)D)).
	Chi float64
	// OneMinusChi is 1 − χ(D), computed without cancellation (doc.go).
	OneMinusChi float64
	// DChi is the derivative ∂χ/∂D.
	DChi float64
	// Var is Σ_{i,j∈K} Ψ(min(i,j)D) Ψ(−max(i,j)D), the variance of the
	// quantizer with unit jumps, E[φ(z)²].
	Var float64
	// Method is how the sums were evaluated.
	Method Method
}

// Chi returns χ(D), 1 − χ(D) and ∂χ/∂D for the n-level uniform symmetric
// quantizer at normalized spacing d, by MethodFor(n): in O(min(n, 1/d))
// time and O(1) memory for n ≤ AsymptoticLevels, in O(1) time above. For
// n = 2 (sign) χ = 2/π whatever d.
func Chi(n int, d float64) (Point, error) {
	return ChiMethod(n, d, MethodFor(n))
}

// ChiMethod is Chi with the sums evaluated by method m. Exact is limited
// to at most MaxExactLevels bins in |z| ≤ 37 (n ≤ MaxExactLevels, or d ≥
// 74/MaxExactLevels); Asymptotic falls back to the exact
// sums where its series are not valid (small n and large d), and the Point
// reports the method used.
func ChiMethod(n int, d float64, m Method) (Point, error) {
	if err := checkLevels(n); err != nil {
		return Point{}, err
	}
	if err := checkPositive("spacing", d); err != nil {
		return Point{}, err
	}
	switch m {
	case Exact:
		if n > MaxExactLevels && 2*zCut/d > MaxExactLevels {
			return Point{}, invalid("levels %d at spacing %v: the exact method supports at most %d levels", n, d, MaxExactLevels)
		}
	case Asymptotic:
	default:
		return Point{}, invalid("method %d: unknown", int(m))
	}
	s, used := sumsFor(n, d, m)
	p := s.point(n, d)
	p.Method = used
	return p, nil
}

func (s sums) point(n int, d float64) Point {
	chi := s.beta * s.beta / s.s
	omc := s.r / s.s
	return Point{
		Levels:      n,
		D:           d,
		Chi:         chi,
		OneMinusChi: omc,
		// χ' = 2β M2 (β/S − D)/S, and β(β/S − D) = τ − (1 − χ): the
		// difference of two accurately known positive numbers rather than of
		// β/S and D, which agree to all digits near the optimum.
		DChi: 2 * s.m2 / s.s * (s.tau - omc),
		// Var is S of the unit-jump quantizer, whose level spacing is 1.
		Var: s.s,
	}
}

// sums holds the O(N) sums behind χ for unit jumps: φ(z) = Σ_{i∈K}
// (H(z − iD) − 1/2), levels y_j = j − (N−1)/2, j = 0 … N−1, bin j between
// thresholds (j−N/2)D and (j+1−N/2)D, centred on y_j D.
type sums struct {
	beta float64 // β = E[φ'(z)] = E[z φ(z)] = Σ_{i∈K} ϕ(iD)
	m2   float64 // M2 = Σ_{i∈K} i² ϕ(iD) = −(1/2) dS/dD
	s    float64 // S = E[φ²] = Σ_j y_j² p_j = Σ_{i,j} Ψ(min D) Ψ(−max D)
	r    float64 // R = E[(φ − βz)²] = S − β² ≥ 0, so 1 − χ = R/S
	tau  float64 // τ = 1 − βD
}

// ksum is Neumaier's compensated sum: the sums run over up to N/2 ≈ 10⁷
// terms, and plain summation would lose up to N·ε relative. Hand-written
// because the sums are running (partial sums are read after every term),
// which gonum's floats.Sum over a slice does not offer.
type ksum struct{ s, c float64 }

func (k *ksum) add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

func (k *ksum) sum() float64 { return k.s + k.c }

const (
	invSqrt2Pi = 0.3989422804014326779399460599343818684758586311649346576659258296 // 1/√(2π)
	// zCut bounds the region that can contribute: ϕ(37) ≈ 1e−298, and
	// every sum here is at least ~1e−30 of its largest term.
	zCut = 37.0
)

// pdf returns ϕ(x) to a few ulp for every x: x² is split exactly into
// hi + lo (math.FMA), since rounding x² alone would cost x²ε/2 relative.
func pdf(x float64) float64 {
	hi := x * x
	lo := math.FMA(x, x, -hi)
	return invSqrt2Pi * math.Exp(-hi/2) * (1 - lo/2)
}

// upperTail returns Q(x) = Ψ(−x) = P(z > x) for x ≥ 0 with full relative
// accuracy: ϕ(x) times the Mills ratio from its continued fraction for
// x ≥ tCF (math.Erfc(x/√2) would inherit the x²ε rounding of its argument),
// math.Erfc below.
func upperTail(x float64) float64 {
	if x >= tCF {
		v0, _, _ := millsTails(x)
		return pdf(x) * v0
	}
	return 0.5 * math.Erfc(x/math.Sqrt2)
}

// evaluate computes the sums of χ(D) by the route of doc.go in one pass over
// the bins and thresholds with z ≥ 0 (the others follow by the symmetry of K).
//
// R = Σ_j ∫_bin (y_j − βz)² ϕ(z) dz is a sum of non-negative integrals. With
// the bin's centre m = y D, half-width h = D/2 and e = y η, η = D − 1/β (the
// offset between the centre and the point y/β where βz crosses the level),
// the bin's integral is β² ∫_{−h}^{h} (u + yη)² ϕ(m+u) du = β²(I2 + 2yη I1 +
// y²η² I0) with the moments I_k = ∫ u^k ϕ(m+u) du about the centre. Summing
// the moments first,
//
//	R/β² = A2 + 2η A1 + η² A0,  A2 = Σ I2,  A1 = Σ y I1,  A0 = Σ y² I0,
//
// lets β be found in the same pass. The three sums are those of positive
// semi-definite quadratic forms in η, so by Cauchy–Schwarz A1² ≤ A0 A2 and
// the combination loses at most a factor 1/(1 − max_bins I1²/(I0 I2)) ≈
// 1/(1 − m²h²/3) ≤ 1.1 for the bins summed this way (2h(m+h) ≤ 1); wider
// bins take a second pass. An error
// in η acts as a slightly wrong slope β' in every bin alike, and R is
// stationary in the slope (R(β') = R(β) + (β'−β)²), so η's rounding costs
// nothing to first order.
func evaluate(n int, d float64) sums {
	var beta, m2, a0, a1, a2 ksum
	top := float64(n-1) / 2 // Y, the top level
	y0 := 0.0               // lowest non-negative level
	if n%2 == 0 {
		y0 = 0.5
		beta.add(pdf(0)) // the threshold at i = 0
	}
	h := d / 2
	// ϕ at the centres and thresholds is ϕ(z_b) e^{−z_b δ − δ²/2}, δ = z − z_b,
	// from a base point z_b where one exponential is taken; while the
	// exponent is below 1/64 expNeg's polynomial gives it to 1e−22, so a new
	// base (and math.Exp) is needed only every ~1/(64 z D) bins.
	zb, pb := 0.0, pdf(0)
	phi := func(z float64) float64 {
		dz := z - zb
		x := zb*dz + dz*dz/2
		if x > 1.0/64 {
			zb, pb = z, pdf(z)
			return pb
		}
		return pb * expNeg(x)
	}
	yWide := math.Inf(1) // first level whose bin is too wide for one piece
	for y := y0; y < top-0.5; y++ {
		m := y * d
		if m-h > zCut {
			break
		}
		if 2*h*(m+h) <= 1 {
			i0, i1, i2 := piece(m, h, phi(m)) // moments about the centre
			mult := 2.0
			if y == 0 {
				mult = 1
			}
			a0.add(mult * y * y * i0)
			a1.add(mult * y * i1)
			a2.add(mult * i2)
		} else if yWide > y {
			yWide = y
		}
		pt := phi(m + h) // ϕ at the threshold i = y + 1/2
		i := y + 0.5
		beta.add(2 * pt)
		m2.add(2 * i * i * pt)
	}
	b := beta.sum()
	eta := d - 1/b
	// The slope that the offsets yη stand for is b' = 1/(D − η) (equal to b
	// up to rounding; D − η is exact by Sterbenz's lemma when η ≈ D). R is
	// stationary in the slope only if the prefactor uses the same b', so it
	// does.
	bfit := 1 / (d - eta)
	var g ksum
	g.add(a2.sum() + 2*eta*a1.sum() + eta*eta*a0.sum())
	s := a0
	// Wide bins (small N or D far above the optimum) are not summed as
	// moments: their I1²/(I0 I2) can approach 1, and the moment sums would
	// cancel. Now that η is known, each of their pieces' integrals
	// ∫(u+e)²ϕ is formed on its own, where the margin is small.
	for y := yWide; y < top-0.5; y++ {
		m := y * d
		if m-h > zCut {
			break
		}
		gj, pj := wideBin(m, h, y*eta)
		mult := 2.0
		if y == 0 {
			mult = 1
		}
		g.add(mult * gj)
		s.add(mult * y * y * pj)
	}
	// The two outer half-infinite bins [T, ∞) and (−∞, −T] at levels ±Y,
	// with T − Y/b' = Yη − D/2.
	t := d * (top - 0.5)
	if t <= zCut {
		gj, pj := outer(t, top*eta-h)
		g.add(2 * gj)
		s.add(2 * top * top * pj)
	}
	return sums{
		beta: b,
		m2:   m2.sum(),
		s:    s.sum(),
		r:    bfit * bfit * g.sum(),
		tau:  tau(n, d, b),
	}
}

// expNeg returns e^{−x} for x ≥ 0, by its Taylor polynomial when x ≤ 1/64,
// where degree 8 is exact to 1e−22 relative.
func expNeg(x float64) float64 {
	if x > 1.0/64 {
		return math.Exp(-x)
	}
	const c2, c3, c4, c5, c6, c7, c8 = 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320
	return 1 - x*(1-x*(c2-x*(c3-x*(c4-x*(c5-x*(c6-x*(c7-x*c8)))))))
}

// wideBin returns ∫(u+e)² ϕ(m+u) du and ∫ϕ(m+u) du over u ∈ [−h, h]
// restricted to |m+u| ≤ zCut, for a bin too wide for one piece. Pieces of
// half-width hk ≤ 1/(2 zmax) centred at |c| ≤ zmax − hk satisfy
// hk(|c|+hk) ≤ 1/2; there are at most 2·zCut² of them. On the piece centred
// at c the offset is e + (c − m).
func wideBin(m, h, e float64) (g, p float64) {
	lo, hi := math.Max(m-h, -zCut), math.Min(m+h, zCut)
	if lo >= hi {
		return 0, 0
	}
	zmax := math.Max(math.Abs(lo), math.Abs(hi))
	k := math.Max(1, math.Ceil((hi-lo)*zmax))
	hk := (hi - lo) / (2 * k)
	for l := 0.0; l < k; l++ {
		c := lo + (2*l+1)*hk
		ec := e + (c - m)
		j0, j1, j2 := piece(c, hk, pdf(c))
		g += j2 + 2*ec*j1 + ec*ec*j0
		p += j0
	}
	return g, p
}

// invInt[n] = 1/n, so that the series loop below multiplies instead of
// dividing.
var invInt = func() [64]float64 {
	var t [64]float64
	for i := 1; i < len(t); i++ {
		t[i] = 1 / float64(i)
	}
	return t
}()

// piece returns the moments I_k = ∫_{−h}^{h} u^k ϕ(m+u) du, k = 0, 1, 2, for
// h(|m|+h) ≤ 1/2, given pm = ϕ(m), from the generating function of the Hermite
// polynomials, ϕ(m+u) = ϕ(m) Σ_n (−1)^n He_n(m) uⁿ/n!, integrated term by
// term: with b_n = (−1)^n He_n(m) hⁿ/n!,
//
//	I0 = 2hϕ(m) Σ_{n even} b_n/(n+1),   I1 = 2hϕ(m) h Σ_{n odd} b_n/(n+2),
//	I2 = 2hϕ(m) h² Σ_{n even} b_n/(n+3).
//
// Any combination G = I2 + 2eI1 + e²I0 = ∫(u+e)²ϕ(m+u) du has G/(2hϕ(m)) ≥
// e^{−1/2}(h²/3+e²) (as e^{−mu−u²/2} ≥ e^{−1/2} on the piece), while the
// n-th terms contribute at most M_n (h+|e|)² ≤ 6 M_n (h²/3+e²), M_n the
// coefficients of the majorant e^{|m|h s + h² s²/2} (same recurrence with all
// signs +). So the series is cut once the majorant's tail is below 1e−18,
// and cancellation among its terms costs at most a factor ~10.
func piece(m, h, pm float64) (i0, i1, i2 float64) {
	mh, h2 := m*h, h*h
	amh := math.Abs(mh)
	s0, s1, s2 := 1.0, -mh*invInt[3], invInt[3] // n = 0, 1 terms
	bPrev, bCur := 1.0, -mh                     // b_0, b_1
	mPrev, mCur := 1.0, amh                     // M_0, M_1
	for k := 2; k < len(invInt)-3; k++ {
		// b_k = (−mh b_{k−1} − h² b_{k−2})/k, from He_k = m He_{k−1} − (k−1) He_{k−2}.
		bPrev, bCur = bCur, (-mh*bCur-h2*bPrev)*invInt[k]
		mPrev, mCur = mCur, (amh*mCur+h2*mPrev)*invInt[k]
		if k%2 == 0 {
			s0 += bCur * invInt[k+1]
			s2 += bCur * invInt[k+3]
		} else {
			s1 += bCur * invInt[k+2]
		}
		// Past k > 2(|m|h + h²) the majorant falls at least by half per
		// step, so its tail is below 2(M_k + M_{k−1}).
		if mCur+mPrev < 2e-19 && float64(k) > 2*(amh+h2) {
			break
		}
	}
	w := 2 * h * pm
	return w * s0, w * h * s1, w * h2 * s2
}

// tCF is where the outer bin switches from series pieces to the continued
// fraction of the Mills ratio; the fraction's depth for full precision grows
// like 1/t², so t must not be small.
const tCF = 3.0

// outer returns ∫_t^∞ (z−c)² ϕ(z) dz with d = t − c, and Q(t) = ∫_t^∞ ϕ.
func outer(t, d float64) (g, p float64) {
	p = upperTail(t)
	if t < tCF {
		// Series pieces over [t, tCF], as in wideBin.
		w := tCF - t
		k := math.Max(1, math.Ceil(w*tCF))
		hk := w / (2 * k)
		for l := 0.0; l < k; l++ {
			e := d + (2*l+1)*hk // piece centre minus c
			c := t + (2*l+1)*hk
			j0, j1, j2 := piece(c, hk, pdf(c))
			g += j2 + 2*e*j1 + e*e*j0
		}
		d += w
		t = tCF
	}
	// With J_k = ∫_0^∞ s^k ϕ(t+s) ds: ∫_t^∞ (z−c)² ϕ = J2 + 2d J1 + d² J0,
	// and J_k = k! ϕ(t) v_0 v_1 ⋯ v_k with the tails of the Mills-ratio
	// fraction v_k = 1/(t + (k+1) v_{k+1}) (from J_k = (k−1)J_{k−2} − tJ_{k−1}).
	// Products of positive numbers: no cancellation, unlike (1+t²)Q(t) − tϕ(t).
	v0, v1, v2 := millsTails(t)
	j0 := v0
	j1 := v0 * v1
	j2 := 2 * v0 * v1 * v2
	// The quadratic in d is positive definite with discriminant ratio
	// v1/(2v2) ≈ 1/2: at most a factor 2 is lost.
	g += pdf(t) * (j2 + 2*d*j1 + d*d*j0)
	return g, p
}

// millsTails returns v_0 (the Mills ratio Q(t)/ϕ(t)), v_1 and v_2 of the
// continued fraction v_k = 1/(t + (k+1)v_{k+1}), by backward recurrence from
// a depth at which the truncation error is below 1e−17 for t ≥ tCF (checked
// against math.Erfc in the tests).
func millsTails(t float64) (v0, v1, v2 float64) {
	depth := 20 + int(1600/(t*t))
	v := 0.0
	for k := depth; k >= 3; k-- {
		v = 1 / (t + float64(k+1)*v)
	}
	v2 = 1 / (t + 3*v)
	v1 = 1 / (t + 2*v2)
	v0 = 1 / (t + v1)
	return v0, v1, v2
}

// bernoulliOverFact[j] = B_{2j}/(2j)!, j = 1 … 20, for the Euler–Maclaurin
// tail in tau (the rationals B_{2j} are checked against 2(−1)^{j+1}
// ζ(2j)/(2π)^{2j} in the tests).
var bernoulliOverFact = func() [21]float64 {
	num := [21]float64{0, 1, -1, 1, -1, 5, -691, 7, -3617, 43867, -174611,
		854513, -236364091, 8553103, -23749461029, 8615841276005,
		-7709321041217, 2577687858367, -26315271553053477373, 2929993913841559,
		-261082718496449122051}
	den := [21]float64{1, 6, 30, 42, 30, 66, 2730, 6, 510, 798, 330, 138, 2730,
		6, 870, 14322, 510, 6, 1919190, 6, 13530}
	var t [21]float64
	f := 1.0 // (2j)!
	for j := 1; j < len(t); j++ {
		f *= float64(2*j-1) * float64(2*j)
		t[j] = num[j] / den[j] / f
	}
	return t
}()

// tau returns τ = 1 − βD, β = Σ_{i∈K} ϕ(iD), without cancellation. βD is a
// Riemann sum of ∫ϕ = 1 on the lattice iD (i integer for even N,
// half-integer for odd N) restricted to |i| < N/2, so
//
//	τ = (1 − D Σ_{lattice} ϕ(iD)) + 2D Σ_{lattice, i ≥ N/2} ϕ(iD).
//
// The first term is, by Poisson summation, −2 Σ_{m≥1} (±1)^m e^{−2π²m²/D²}
// (+ for the integer lattice, (−1)^m for the half-integer one); the second, a
// sum of positive terms, is summed directly when it converges fast and by
// Euler–Maclaurin otherwise,
//
//	D Σ_{k≥0} ϕ(a+kD) = Q(a) + Dϕ(a)/2 + ϕ(a) Σ_j B_{2j}/(2j)! D^{2j} He_{2j−1}(a),
//
// a = DN/2, whose error is of order e^{−2π²/D²}, nil for the D ≤ 1/4 where
// it is used. For D > 4 the Poisson series converges slowly and τ is far from
// 0 on the side that matters (βD ≥ 1 − ε), so 1 − βD is used as it is.
func tau(n int, d, beta float64) float64 {
	if d > 4 {
		return 1 - beta*d
	}
	var poisson float64
	for m := 1.0; ; m++ {
		t := math.Exp(-2 * math.Pi * math.Pi * m * m / (d * d))
		if n%2 == 1 && int(m)%2 == 1 {
			t = -t
		}
		poisson -= 2 * t
		if math.Abs(t) <= 1e-19*math.Abs(poisson) || t == 0 {
			break
		}
	}
	a := d * float64(n) / 2
	if a > zCut {
		return poisson
	}
	var tail float64
	if d <= 0.25 && d*a <= 2 {
		// Euler–Maclaurin with E_k = He_k(a) D^k, E_{k+1} = aD E_k − k D² E_{k−1}.
		pa := pdf(a)
		em := upperTail(a) + d*pa/2
		ePrev, eCur := 1.0, a*d // E_0, E_1
		var corr float64
		for j := 1; j < len(bernoulliOverFact); j++ {
			k := 2*j - 1 // eCur = E_k
			term := bernoulliOverFact[j] * d * eCur
			corr += term
			if j > 1 && math.Abs(term) <= 1e-19*em {
				break
			}
			// advance two steps to E_{k+2}
			e1 := a*d*eCur - float64(k)*d*d*ePrev
			e2 := a*d*e1 - float64(k+1)*d*d*eCur
			ePrev, eCur = e1, e2
		}
		tail = 2 * (em + pa*corr)
	} else {
		var sum ksum
		for k := 0.0; a+k*d <= zCut; k++ {
			t := pdf(a + k*d)
			sum.add(t)
			if t <= 1e-19*sum.sum() {
				break
			}
		}
		tail = 2 * d * sum.sum()
	}
	return poisson + tail
}
