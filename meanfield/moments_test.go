package meanfield

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/lmax-project/lmax/quantize"
)

var (
	testQs   = []float64{1e-3, 0.05, 0.3, 1, 4, 100}
	testRhos = []float64{-1, -0.999, -0.6, 0, 0.2, 0.75, 0.999, 1}
	// Unequal-variance pairs for the full covariance map.
	testQPairs = [][2]float64{{0.5, 2}, {3, 0.1}, {1e-2, 1}, {1, 1}}
)

// Tolerances of closed form against quadrature: quadrature.Expect and
// Expect2 are accurate to ~1e-15 for piecewise-smooth integrands cut at
// their breakpoints, so these bounds leave a margin of a few hundred ulps
// for the sums of the closed forms (O(N) tail probabilities, O(N²) Φ2).
const (
	tolStep   = 1e-12
	tolSmooth = 1e-10
)

func tolFor(phi Activation) float64 {
	if _, ok := phi.(Stepper); ok {
		return tolStep
	}
	return tolSmooth
}

func allSpecs() []string { return append(append([]string(nil), stepSpecs...), smoothSpecs...) }

func TestMeanAndSecondMomentVsQuadrature(t *testing.T) {
	acts := map[string]Activation{"irregular": irregular(t)}
	for _, s := range allSpecs() {
		acts[s] = mustParse(t, s)
	}
	for name, phi := range acts {
		tol := tolFor(phi)
		for _, q := range testQs {
			p := plain{phi}
			check(t, fmt.Sprintf("%s: E[φ] q=%g", name, q), Mean(phi, q), Mean(p, q), tol, 0)
			check(t, fmt.Sprintf("%s: E[φ²] q=%g", name, q), SecondMoment(phi, q), SecondMoment(p, q), tol, 0)
		}
	}
}

// TestSecondMomentDeriv holds the closed forms of d/dq E[φ(√q z)²] to the
// quadrature fallbacks (integration by parts with φ', and the heat-equation
// form without it) and to a 5-point central difference of the closed-form
// second moment (error ~h⁴ f⁽⁵⁾/30 + eps·f/h with f⁽⁵⁾ ~ f/q⁵: ≤ 1e-9 of
// f/q at h = q/100).
func TestSecondMomentDeriv(t *testing.T) {
	acts := map[string]Activation{"irregular": irregular(t)}
	for _, s := range allSpecs() {
		acts[s] = mustParse(t, s)
	}
	for name, phi := range acts {
		tol := tolFor(phi)
		for _, q := range testQs {
			got := SecondMomentDeriv(phi, q)
			check(t, fmt.Sprintf("%s: heat form q=%g", name, q), got, SecondMomentDeriv(plain{phi}, q), tol, 0)
			if d, ok := phi.(Differentiable); ok {
				check(t, fmt.Sprintf("%s: by parts q=%g", name, q), got, SecondMomentDeriv(plainDeriv{plain{phi}, d}, q), tol, 0)
			}
			f := func(x float64) float64 { return SecondMoment(phi, x) }
			// Step from the scale of variation of f: q itself, or 1/L for
			// the log-derivative L = f'/f, large for thresholds deep in the
			// tails (f ~ e^{-g²/2q}).
			h := q / 200
			if l := math.Abs(got) / f(q); l*h > 0.005 {
				h = 0.005 / l
			}
			fd := (f(q-2*h) - 8*f(q-h) + 8*f(q+h) - f(q+2*h)) / (12 * h)
			// Natural scale of the derivative: E[φ²]/q.
			check(t, fmt.Sprintf("%s: finite difference q=%g", name, q), got, fd, 1e-8, math.Max(math.Abs(got), f(q)/q))
		}
	}
}

func TestCrossMomentVsQuadrature(t *testing.T) {
	acts := map[string]Activation{"irregular": irregular(t)}
	for _, s := range allSpecs() {
		acts[s] = mustParse(t, s)
	}
	for name, phi := range acts {
		if _, ok := phi.(CrossMomenter); !ok {
			continue // tanh, elu: quadrature is their only route
		}
		tol := tolFor(phi)
		qs, rhos, pairs := testQs, testRhos, testQPairs
		if testing.Short() {
			// 2-D quadrature of step functions costs milliseconds a call.
			qs, rhos, pairs = []float64{1e-3, 0.3, 4}, []float64{-1, -0.6, 0.2, 0.999}, testQPairs[:2]
		}
		for _, q := range qs {
			for _, rho := range rhos {
				got := CrossMoment(phi, q, q, rho)
				want := CrossMoment(plain{phi}, q, q, rho)
				// Scale: Cauchy–Schwarz bound E[φ²].
				check(t, fmt.Sprintf("%s: q=%g ρ=%g", name, q, rho), got, want, tol, math.Max(1e-300, SecondMoment(phi, q)))
			}
		}
		for _, qq := range pairs {
			for _, rho := range rhos {
				got := CrossMoment(phi, qq[0], qq[1], rho)
				want := CrossMoment(plain{phi}, qq[0], qq[1], rho)
				scale := math.Sqrt(SecondMoment(phi, qq[0]) * SecondMoment(phi, qq[1]))
				check(t, fmt.Sprintf("%s: q11=%g q22=%g ρ=%g", name, qq[0], qq[1], rho), got, want, tol, scale)
			}
		}
	}
}

// TestSlopeMomentSmooth holds the closed-form slope moments E[φ'φ'] of the
// continuous activations to quadrature of φ'(u1)φ'(u2).
func TestSlopeMomentSmooth(t *testing.T) {
	for _, s := range smoothSpecs {
		phi := mustParse(t, s)
		sm, ok := phi.(SlopeMomenter)
		if !ok {
			continue
		}
		d := phi.(Differentiable)
		for _, qq := range append(testQPairs, [2]float64{0.3, 0.3}, [2]float64{40, 40}) {
			for _, rho := range testRhos {
				got := sm.SlopeMoment(qq[0], qq[1], rho)
				want, _ := slopeMoment(plainDeriv{plain{phi}, d}, qq[0], qq[1], rho)
				check(t, fmt.Sprintf("%s: q11=%g q22=%g ρ=%g", s, qq[0], qq[1], rho), got, want, tolSmooth, 0)
			}
		}
	}
}

// TestPriceStep holds the slope moment of step functions, a sum of
// bivariate densities, to the ρ-derivative of the Φ2 closed form of the
// cross moment (Price's theorem: ∂E[φφ]/∂q12 = E[φ'φ'], and dΦ2/dρ = p2).
// A 5-point difference with h = 1e-3 has truncation error ~h⁴ E⁽⁵⁾/30 and
// rounding ~eps/h; 1e-8 relative covers both with margin for |ρ| ≤ 0.75.
func TestPriceStep(t *testing.T) {
	acts := map[string]Activation{"irregular": irregular(t)}
	for _, s := range stepSpecs {
		acts[s] = mustParse(t, s)
	}
	for name, phi := range acts {
		for _, qq := range append(testQPairs, [2]float64{0.3, 0.3}) {
			for _, rho := range []float64{-0.75, -0.3, 0, 0.4, 0.75} {
				got, _ := slopeMoment(phi, qq[0], qq[1], rho)
				h := 1e-3
				f := func(r float64) float64 { return CrossMoment(phi, qq[0], qq[1], r) }
				fd := (f(rho-2*h) - 8*f(rho-h) + 8*f(rho+h) - f(rho+2*h)) / (12 * h) / math.Sqrt(qq[0]*qq[1])
				check(t, fmt.Sprintf("%s: q11=%g q22=%g ρ=%g", name, qq[0], qq[1], rho), got, fd, 1e-8, math.Max(1, math.Abs(got)))
			}
		}
		if v, _ := slopeMoment(phi, 0.7, 0.7, 1); !math.IsInf(v, 1) {
			t.Errorf("%s: E[φ'φ'] at ρ = 1 = %v, want +Inf", name, v)
		}
	}
}

// TestStepperGeneric checks that any Stepper (here one that exposes only
// Eval, Breakpoints and Jumps, as a raw *quantize.Quantizer does without its
// levels) gets the same closed forms as Quantized, levels rebuilt from
// Eval(-Inf) and cumulative jumps.
func TestStepperGeneric(t *testing.T) {
	raw, err := quantize.Canonical(6)
	if err != nil {
		t.Fatal(err)
	}
	for _, phi := range []Activation{irregular(t), mustParse(t, "uquant:5:amp=2"), Quantized{raw}} {
		s := plainStep{plain{phi}, phi.(Stepper)}
		for _, q := range testQs {
			check(t, phi.String()+" mean", Mean(s, q), Mean(phi, q), 1e-15, 0)
			check(t, phi.String()+" E[φ²]", SecondMoment(s, q), SecondMoment(phi, q), 1e-15, 0)
			for _, rho := range testRhos {
				check(t, phi.String()+" E[φφ]", CrossMoment(s, q, 2*q, rho), CrossMoment(phi, q, 2*q, rho), 1e-15, 0)
			}
		}
	}
	// A raw *quantize.Quantizer is itself an Activation and a Stepper.
	var a Activation = raw
	check(t, "raw quantizer E[φ²]", SecondMoment(a, 0.4), SecondMoment(Quantized{raw}, 0.4), 0, 0)
}

// TestCrossMomentPriceIntegral checks the unequal-variance Φ2 closed form of
// step functions by an independent route: Price's theorem integrated,
// E(ρ) = E[φ(u1)]E[φ(u2)] + √(q11 q22) ∫_0^ρ E[φ'φ'](t) dt, with t = cos φ
// (which cancels the 1/√(1-t²) of the density sum) and 20-point
// Gauss–Legendre on 100 panels. (2-D quadrature, the other check, is only
// good to ~2e-14 at |ρ| = 0.999 and unequal variances.)
func TestCrossMomentPriceIntegral(t *testing.T) {
	for _, phi := range []Activation{irregular(t), mustParse(t, "quant:4"), mustParse(t, "uquant:5:delta=0.3")} {
		for _, qq := range testQPairs {
			q11, q22 := qq[0], qq[1]
			e0 := Mean(phi, q11) * Mean(phi, q22)
			f := func(p float64) float64 {
				v, _ := slopeMoment(phi, q11, q22, math.Cos(p))
				return v * math.Sin(p) * math.Sqrt(q11*q22)
			}
			for _, rho := range []float64{-0.999, -0.5, 0.3, 0.999} {
				lo, hi := math.Acos(rho), math.Pi/2
				sign := 1.0
				if lo > hi {
					lo, hi, sign = hi, lo, -1
				}
				var sum float64
				const panels = 100
				for i := 0; i < panels; i++ {
					a := lo + (hi-lo)*float64(i)/panels
					b := lo + (hi-lo)*float64(i+1)/panels
					sum += quad.Fixed(f, a, b, 20, quad.Legendre{}, 0)
				}
				scale := math.Sqrt(SecondMoment(phi, q11) * SecondMoment(phi, q22))
				check(t, fmt.Sprintf("%v q11=%g q22=%g ρ=%g", phi, q11, q22, rho), CrossMoment(phi, q11, q22, rho), e0+sign*sum, 1e-14, scale)
			}
		}
	}
}
