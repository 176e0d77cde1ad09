package solver

// Independent high-precision references for χ(D): the literal formula of
// THEORY.md §3, χ = (Σ e^{−i²D²/2})² / (2π Σ Ψ(min)Ψ(−max)), and 1 − χ by
// plain subtraction, evaluated
//   - in math/big.Float at 320 bits with Ψ from its Taylor series (bigChi),
//     for N up to ~1000;
//   - in double-double arithmetic (~32 digits, dd*), for N up to 2^20, with
//     Ψ accumulated from bin masses.
// Neither shares code or method with the library's bin route (moments about
// bin centres, R = E[(φ − βz)²]).

import (
	"math"
	"math/big"
)

const bigPrec = 320

func bf(x float64) *big.Float { return new(big.Float).SetPrec(bigPrec).SetFloat64(x) }

func bnew() *big.Float { return new(big.Float).SetPrec(bigPrec) }

// bigAtanInv returns atan(1/k) by its Taylor series.
func bigAtanInv(k int64) *big.Float {
	sum := bnew()
	x := bnew().Quo(bf(1), bf(float64(k))) // (1/k)^(2j+1)
	k2 := bf(float64(k * k))
	tiny := new(big.Float).SetMantExp(bf(1), -bigPrec-8)
	for j := int64(0); ; j++ {
		term := bnew().Quo(x, bf(float64(2*j+1)))
		if j%2 == 0 {
			sum.Add(sum, term)
		} else {
			sum.Sub(sum, term)
		}
		if term.Cmp(tiny) < 0 {
			return sum
		}
		x.Quo(x, k2)
	}
}

// bigPi is π by Machin's formula.
var bigPi = func() *big.Float {
	p := bnew().Mul(bf(16), bigAtanInv(5))
	return p.Sub(p, bnew().Mul(bf(4), bigAtanInv(239)))
}()

// bigExp returns e^x by halving x until |x| < 2^−12, the Taylor series, and
// repeated squaring.
func bigExp(x *big.Float) *big.Float {
	r := bnew().Set(x)
	s := 0
	lim := bf(0x1p-12)
	for new(big.Float).Abs(r).Cmp(lim) > 0 {
		r.SetMantExp(r, -1)
		s++
	}
	sum, term := bf(1), bf(1)
	tiny := new(big.Float).SetMantExp(bf(1), -bigPrec-16)
	for k := 1; ; k++ {
		term.Mul(term, r)
		term.Quo(term, bf(float64(k)))
		sum.Add(sum, term)
		if new(big.Float).Abs(term).Cmp(tiny) < 0 {
			break
		}
	}
	for ; s > 0; s-- {
		sum.Mul(sum, sum)
	}
	return sum
}

// bigPdf returns ϕ(x) = e^{−x²/2}/√(2π).
func bigPdf(x *big.Float) *big.Float {
	e := bnew().Mul(x, x)
	e.Quo(e, bf(-2))
	e = bigExp(e)
	tp := bnew().Mul(bf(2), bigPi)
	return e.Quo(e, tp.Sqrt(tp))
}

// bigCDF returns Ψ(x) = 1/2 + ϕ(x) Σ_k x^{2k+1}/(1·3·…·(2k+1)) (all terms of
// one sign; for |x| ≤ 15 the largest term is below 2^163, so 320 bits leave
// over 100 correct bits even for Ψ(−15) ≈ 4e−51). Beyond |x| = 15 it returns
// 0 or 1, an absolute error below 4e−51, which the callers' sums (all
// ≥ 1e−20 here) do not feel.
func bigCDF(x *big.Float) *big.Float {
	if a, _ := x.Float64(); math.Abs(a) > 15 {
		if a < 0 {
			return bf(0)
		}
		return bf(1)
	}
	x2 := bnew().Mul(x, x)
	term := bnew().Set(x)
	sum := bnew().Set(x)
	tiny := new(big.Float).SetMantExp(bf(1), -bigPrec-200)
	for k := 1; ; k++ {
		term.Mul(term, x2)
		term.Quo(term, bf(float64(2*k+1)))
		sum.Add(sum, term)
		if new(big.Float).Abs(term).Cmp(tiny) < 0 {
			break
		}
	}
	sum.Mul(sum, bigPdf(x))
	return sum.Add(sum, bf(0.5))
}

// bigChi returns χ(D), 1 − χ(D), S = Σ Ψ(min)Ψ(−max) and g = β − D·S (whose
// sign is that of ∂χ/∂D) in 320-bit arithmetic; S by the O(N) prefix sums
// with K sorted, or, if quadratic, by the plain double loop.
func bigChi(n int, d float64, quadratic bool) (chi, omc, s, g *big.Float) {
	D := bf(d)
	k := make([]*big.Float, n-1) // iD, sorted
	p := make([]*big.Float, n-1) // Ψ(iD)
	q := make([]*big.Float, n-1) // Ψ(−iD)
	beta := bnew()               // Σ ϕ(iD)
	sumE := bnew()               // Σ e^{−i²D²/2}, as THEORY.md writes it
	for j := 1; j < n; j++ {
		i := float64(2*j-n) / 2
		k[j-1] = bnew().Mul(bf(i), D)
		p[j-1] = bigCDF(k[j-1])
		q[j-1] = bigCDF(bnew().Neg(k[j-1]))
		beta.Add(beta, bigPdf(k[j-1]))
		e := bnew().Mul(k[j-1], k[j-1])
		sumE.Add(sumE, bigExp(e.Quo(e, bf(-2))))
	}
	s = bnew()
	if quadratic {
		for a := range k {
			for b := range k {
				lo, hi := min(a, b), max(a, b)
				s.Add(s, bnew().Mul(p[lo], q[hi]))
			}
		}
	} else {
		prefix := bnew()
		for j := range k {
			s.Add(s, bnew().Mul(p[j], q[j]))
			t := bnew().Mul(q[j], prefix)
			s.Add(s, t.Add(t, t))
			prefix.Add(prefix, p[j])
		}
	}
	num := bnew().Mul(sumE, sumE)
	den := bnew().Mul(bf(2), bigPi)
	den.Mul(den, s)
	chi = num.Quo(num, den)
	omc = bnew().Sub(bf(1), chi)
	g = bnew().Sub(beta, bnew().Mul(D, s))
	return chi, omc, s, g
}

func relBig(got float64, want *big.Float) float64 {
	w, _ := want.Float64()
	diff := bnew().Sub(bf(got), want)
	diff.Quo(diff, want)
	r, _ := diff.Float64()
	_ = w
	return math.Abs(r)
}

// ---- double-double arithmetic: x = hi + lo, |lo| ≤ ulp(hi)/2 ----

type dd struct{ hi, lo float64 }

func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

func ddFrom(x float64) dd { return dd{x, 0} }

func ddAdd(a, b dd) dd {
	s, e := twoSum(a.hi, b.hi)
	t, f := twoSum(a.lo, b.lo)
	e += t
	s, e = twoSum(s, e)
	e += f
	s, e = twoSum(s, e)
	return dd{s, e}
}

func ddNeg(a dd) dd { return dd{-a.hi, -a.lo} }

func ddMul(a, b dd) dd {
	p := a.hi * b.hi
	e := math.FMA(a.hi, b.hi, -p)
	e += a.hi*b.lo + a.lo*b.hi
	s, f := twoSum(p, e)
	return dd{s, f}
}

func ddDiv(a, b dd) dd {
	q1 := a.hi / b.hi
	r := ddAdd(a, ddNeg(ddMul(ddFrom(q1), b)))
	q2 := r.hi / b.hi
	r = ddAdd(r, ddNeg(ddMul(ddFrom(q2), b)))
	q3 := r.hi / b.hi
	s, e := twoSum(q1, q2)
	return ddAdd(dd{s, e}, ddFrom(q3))
}

func ddFromBig(x *big.Float) dd {
	hi, _ := x.Float64()
	lo, _ := bnew().Sub(x, bf(hi)).Float64()
	return dd{hi, lo}
}

var (
	ddLn2 = func() dd {
		// ln 2 = 2 atanh(1/3) = 2 Σ 3^{−(2k+1)}/(2k+1)
		sum := bnew()
		x := bnew().Quo(bf(1), bf(3))
		for k := 0; k < 200; k++ {
			sum.Add(sum, bnew().Quo(x, bf(float64(2*k+1))))
			x.Quo(x, bf(9))
		}
		return ddFromBig(sum.Mul(sum, bf(2)))
	}()
	ddInvSqrt2Pi = func() dd {
		t := bnew().Mul(bf(2), bigPi)
		t.Sqrt(t)
		return ddFromBig(t.Quo(bf(1), t))
	}()
)

// ddExp returns e^x: x = k ln 2 + r, r/2^10 by Taylor to degree 14, then ten
// squarings and the scale 2^k.
func ddExp(x dd) dd {
	k := math.Round(x.hi / ddLn2.hi)
	r := ddAdd(x, ddNeg(ddMul(ddFrom(k), ddLn2)))
	r = dd{math.Ldexp(r.hi, -10), math.Ldexp(r.lo, -10)}
	sum, term := ddFrom(1), ddFrom(1)
	for j := 1; j <= 14; j++ {
		term = ddDiv(ddMul(term, r), ddFrom(float64(j)))
		sum = ddAdd(sum, term)
	}
	for j := 0; j < 10; j++ {
		sum = ddMul(sum, sum)
	}
	return dd{math.Ldexp(sum.hi, int(k)), math.Ldexp(sum.lo, int(k))}
}

func ddPdf(x dd) dd {
	e := ddMul(x, x)
	e = dd{-e.hi / 2, -e.lo / 2}
	return ddMul(ddExp(e), ddInvSqrt2Pi)
}

// ddMillsQ returns Q(t) = ϕ(t)·r(t), r the continued fraction
// 1/(t + 1/(t + 2/(t + …))) evaluated backward from depth 4000 (for t ≥ 3
// its truncation error is far below 1e−32).
func ddMillsQ(t dd) dd {
	v := ddFrom(0)
	for k := 4000; k >= 0; k-- {
		v = ddDiv(ddFrom(1), ddAdd(t, ddMul(ddFrom(float64(k+1)), v)))
	}
	return ddMul(ddPdf(t), v)
}

// ddChi returns χ(D) and 1 − χ(D) in double-double for N with outermost
// threshold T = D(N/2 − 1) ≥ 3. Q(iD) = Ψ(−iD) for the thresholds i > 0 is
// accumulated downward from Q(T) (continued fraction) by adding the masses
// ∫_{a}^{a+D} ϕ = ϕ(a) Σ_n (−1)^n He_n(a) D^{n+1}/(n+1)!, all positive; then
// S comes from the prefix-sum formula over all of K.
func ddChi(n int, d float64) (chi, omc dd) {
	D := ddFrom(d)
	// Right-half thresholds i = i0, i0+1, …, (N−2)/2, z = iD.
	i0 := 1.0
	if n%2 == 1 {
		i0 = 0.5
	}
	imax := float64(n-2) / 2
	m := int(imax-i0) + 1
	z := make([]dd, m)
	phi := make([]dd, m)
	for j := range z {
		z[j] = ddMul(ddFrom(i0+float64(j)), D)
		phi[j] = ddPdf(z[j])
	}
	qs := make([]dd, m)
	qs[m-1] = ddMillsQ(z[m-1])
	for j := m - 2; j >= 0; j-- {
		a := z[j]
		// mass over [a, a+D]: Σ_n (−1)^n He_n(a) D^{n+1}/(n+1)!
		hPrev, hCur := ddFrom(1), a // He_0, He_1
		c := D                      // D^{n+1}/(n+1)!, n = 0
		mass := c
		for k := 1; k < 60; k++ {
			c = ddDiv(ddMul(c, D), ddFrom(float64(k+1)))
			t := ddMul(hCur, c)
			if k%2 == 1 {
				t = ddNeg(t)
			}
			mass = ddAdd(mass, t)
			if math.Abs(t.hi) < 1e-40*mass.hi {
				break
			}
			hPrev, hCur = hCur, ddAdd(ddMul(a, hCur), ddNeg(ddMul(ddFrom(float64(k)), hPrev)))
		}
		qs[j] = ddAdd(qs[j+1], ddMul(phi[j], mass))
	}
	// All of K sorted: P_i = Ψ(iD), Q_i = Ψ(−iD).
	var pAll, qAll []dd
	beta := ddFrom(0)
	half := ddFrom(0.5)
	for j := m - 1; j >= 0; j-- { // negative thresholds, ascending
		pAll = append(pAll, qs[j])
		qAll = append(qAll, ddAdd(ddFrom(1), ddNeg(qs[j])))
		beta = ddAdd(beta, phi[j])
	}
	if n%2 == 0 {
		pAll = append(pAll, half)
		qAll = append(qAll, half)
		beta = ddAdd(beta, ddMul(ddFrom(1), ddInvSqrt2Pi))
	}
	for j := 0; j < m; j++ {
		pAll = append(pAll, ddAdd(ddFrom(1), ddNeg(qs[j])))
		qAll = append(qAll, qs[j])
		beta = ddAdd(beta, phi[j])
	}
	s := ddFrom(0)
	prefix := ddFrom(0)
	for j := range pAll {
		s = ddAdd(s, ddMul(pAll[j], qAll[j]))
		t := ddMul(qAll[j], prefix)
		s = ddAdd(s, ddAdd(t, t))
		prefix = ddAdd(prefix, pAll[j])
	}
	// β = Σ ϕ(iD) includes the 1/√(2π) of THEORY.md's 2π: χ = β²/S.
	chi = ddDiv(ddMul(beta, beta), s)
	return chi, ddAdd(ddFrom(1), ddNeg(chi))
}

func relDD(got float64, want dd) float64 {
	diff := ddAdd(ddFrom(got), ddNeg(want))
	return math.Abs(diff.hi / want.hi)
}
