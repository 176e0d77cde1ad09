package meanfield

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/lmax-project/lmax/quadrature"
)

// THEORY.md §6: sign with σ_b = 0 has M(c) = (2/π) arcsin c, q* = σ_w²,
// c* = 0, χ(0) = 2/π and ξ_c = -1/ln(2/π), whatever σ_w; checked for Sign
// (its own arcsin closed form), quant:2 (the Φ2 sum of a quantizer) and the
// integral route.
func TestSignIdentities(t *testing.T) {
	for _, spec := range []string{"sign", "quant:2", "quant:2:delta=5,amp=1"} {
		for _, sw := range []float64{0.5, 1, 2.5} {
			n := mustNet(t, mustParse(t, spec), sw, 0)
			name := fmt.Sprintf("%s σ_w=%g", spec, sw)
			fp, err := n.Solve(DefaultQ0)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			check(t, name+" q*", fp.QStar, sw*sw, 1e-15, sw*sw)
			check(t, name+" c*", fp.CStar, 0, 0, 1)
			check(t, name+" χ(c*)", fp.ChiCStar, 2/math.Pi, 1e-15, 0)
			check(t, name+" ξ_c", fp.XiC, -1/math.Log(2/math.Pi), 1e-14, 0)
			if !math.IsInf(fp.Chi1, 1) {
				t.Errorf("%s: χ1 = %v, want +Inf", name, fp.Chi1)
			}
			for _, c := range []float64{-1, -0.9, -0.3, 0, 1e-8, 0.25, 0.7, 0.99, 0.999999, 1} {
				want := 2 / math.Pi * math.Asin(c)
				// Conditioning: an ulp of c moves M by |c| M'(c) ulps, M' = χ =
				// (2/π)/√(1-c²) (≈ 450 at c = 1 - 1e-6).
				tol := 1e-15
				if math.Abs(c) < 1 {
					tol *= 1 + math.Abs(c)*2/math.Pi/math.Sqrt(1-c*c)
				}
				check(t, fmt.Sprintf("%s M(%g)", name, c), n.M(fp.QStar, c), want, tol, 1)
				check(t, fmt.Sprintf("%s integral M(%g)", name, c), n.CorrelationByIntegral(fp.QStar, c), want, tol, 1)
			}
		}
	}
}

// TestBivariateAtOrigin: Φ2(0, 0; ρ) = 1/4 + arcsin(ρ)/(2π), directly and
// through the generic step-function sum of the sign quantizer.
func TestBivariateAtOrigin(t *testing.T) {
	sign := plainStep{plain{Sign{}}, Sign{}}
	for _, rho := range []float64{-1, -0.99, -0.5, 0, 0.3, 0.9, 0.9999, 1} {
		// Conditioning: an ulp of ρ moves Φ2 by |ρ| p2(0,0;ρ) ulps.
		cond := 1.0
		if math.Abs(rho) < 1 {
			cond += math.Abs(rho) / (2 * math.Pi * math.Sqrt(1-rho*rho))
		}
		check(t, fmt.Sprintf("Φ2(0,0;%g)", rho), quadrature.BivariateCDF(0, 0, rho), 0.25+math.Asin(rho)/(2*math.Pi), 2e-16*cond, 1)
		check(t, fmt.Sprintf("E[sign sign] ρ=%g", rho), CrossMoment(sign, 0.7, 0.7, rho), 2/math.Pi*math.Asin(rho), 8e-16*cond, 1)
	}
}

// TestErfIdentity: E[erf(a u1) erf(a u2)] = (2/π) arcsin(2a² q12/√((1+2a² q11)(1+2a² q22)))
// against 2-D quadrature, for several a (erf(a x) at variance q is erf at a²q).
func TestErfIdentity(t *testing.T) {
	for _, a := range []float64{0.3, 1, 2.5} {
		f := func(x float64) float64 { return math.Erf(a * x) }
		for _, qq := range append(testQPairs, [2]float64{2, 2}) {
			for _, rho := range []float64{-0.95, -0.2, 0.5, 0.999} {
				q11, q22 := qq[0], qq[1]
				q12 := rho * math.Sqrt(q11*q22)
				want := 2 / math.Pi * math.Asin(2*a*a*q12/math.Sqrt((1+2*a*a*q11)*(1+2*a*a*q22)))
				got := quadrature.Expect2(f, f, q11, q22, q12, nil, nil)
				check(t, fmt.Sprintf("a=%g q=%v ρ=%g quadrature", a, qq, rho), got, want, tolSmooth, 0)
				check(t, fmt.Sprintf("a=%g q=%v ρ=%g Erf", a, qq, rho), Erf{}.CrossMoment(a*a*q11, a*a*q22, rho), want, 1e-15, 0)
			}
		}
	}
}

// TestReLUIdentities: the arc-cosine kernel against quadrature, and σ_w² = 2,
// σ_b = 0 critical: V(q) = q for every q, χ1 = 1, c* = 1, ξ_q = ξ_c = +Inf.
func TestReLUIdentities(t *testing.T) {
	for _, q := range []float64{0.2, 1, 7} {
		for _, c := range []float64{-1, -0.5, 0, 0.6, 0.99, 1} {
			want := q / (2 * math.Pi) * (math.Sqrt(1-c*c) + (math.Pi-math.Acos(c))*c)
			check(t, fmt.Sprintf("relu kernel q=%g c=%g", q, c), CrossMoment(plain{ReLU{}}, q, q, c), want, tolSmooth, q)
			check(t, fmt.Sprintf("relu closed q=%g c=%g", q, c), ReLU{}.CrossMoment(q, q, c), want, 1e-15, q)
		}
	}
	n := mustNet(t, ReLU{}, math.Sqrt2, 0)
	for _, q0 := range []float64{0.5, 1, 3} {
		fp, err := n.Solve(q0)
		if err != nil {
			t.Fatal(err)
		}
		check(t, "relu critical q*", fp.QStar, q0, 1e-15, q0)
		check(t, "relu critical χ1", fp.Chi1, 1, 1e-15, 1)
		if fp.CStar != 1 || !math.IsInf(fp.XiC, 1) || !math.IsInf(fp.XiQ, 1) {
			t.Errorf("relu critical: c* = %v, ξ_c = %v, ξ_q = %v; want 1, +Inf, +Inf", fp.CStar, fp.XiC, fp.XiQ)
		}
	}
}

// TestTanhCritical: tanh with σ_b = 0 and σ_w = 1 is critical: q* = 0 (the
// variance collapses, reported as ErrCollapsed), χ1 = σ_w² φ'(0)² = 1, and
// χ1(q) = E[sech⁴(u)] = 1 - 2q + O(q²) as q → 0.
func TestTanhCritical(t *testing.T) {
	n := mustNet(t, Tanh{}, 1, 0)
	fp, err := n.Solve(DefaultQ0)
	if !errors.Is(err, ErrCollapsed) {
		t.Fatalf("tanh σ_w = 1: error %v, want ErrCollapsed", err)
	}
	if fp.QStar != 0 || fp.Chi1 != 1 || !math.IsNaN(fp.CStar) {
		t.Errorf("tanh σ_w = 1: q* = %v, χ1 = %v, c* = %v; want 0, 1, NaN", fp.QStar, fp.Chi1, fp.CStar)
	}
	check(t, "tanh V'(0+)", fp.VPrime, 1, 1e-14, 1)
	for _, q := range []float64{1e-6, 1e-4, 1e-3} {
		// sech⁴x = 1 - 2x² + (7/3)x⁴ - …, so E[sech⁴ u] = 1 - 2q + 7q² + O(q³).
		check(t, fmt.Sprintf("tanh χ1(%g)", q), n.Chi1(q), 1-2*q+7*q*q, 100*q*q*q+1e-14, 1)
	}
	// Above criticality a positive q* appears; σ_b = 0 and tanh odd give
	// M(0) = 0, so c* = 0 with χ(0) < 1 < χ1 (chaotic side of σ_w = 1).
	n = mustNet(t, Tanh{}, 1.05, 0)
	fp, err = n.Solve(DefaultQ0)
	if err != nil {
		t.Fatal(err)
	}
	if !(fp.QStar > 0 && fp.Chi1 > 1 && fp.CStar == 0 && fp.ChiCStar < 1) {
		t.Errorf("tanh σ_w = 1.05: %+v", fp)
	}
	check(t, "tanh σ_w = 1.05 fixed point", n.V(fp.QStar), fp.QStar, 1e-15, fp.QStar)
}
