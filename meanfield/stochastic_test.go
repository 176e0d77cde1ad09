package meanfield

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"

	"github.com/lmax-project/lmax/quadrature"
	"github.com/lmax-project/lmax/quantize"
	"github.com/lmax-project/lmax/simulate"
)

// srSpecs are the stochastic roundings the closed-form tests run over.
var srSpecs = []string{
	"sround:2", "sround:3", "sround:4", "sround:8", "sround:16", "sround:256",
	"sround:5:delta=0.3,amp=2", "usround:2", "usround:4", "usround:7:delta=0.2,amp=3",
}

func mustSR(t testing.TB, spec string) StochasticRounding {
	t.Helper()
	r, ok := mustParse(t, spec).(StochasticRounding)
	if !ok {
		t.Fatalf("%s: not a StochasticRounding", spec)
	}
	return r
}

// nodes returns the bin centers x_0 … x_{N-1}, written out independently
// of srGrid: δ(k - (N-1)/2) or δk.
func nodes(t testing.TB, r StochasticRounding) []float64 {
	t.Helper()
	n := r.Q.N()
	x := make([]float64, n)
	if d, _, ok := r.Q.Uniform(); ok {
		for k := range x {
			x[k] = d * (float64(k) - float64(n-1)/2)
		}
		return x
	}
	d, _, ok := r.Q.Unsigned()
	if !ok {
		t.Fatalf("%v: not a family quantizer", r)
	}
	for k := range x {
		x[k] = d * float64(k)
	}
	return x
}

// TestStochasticRoundingEval checks the pointwise definition: the mean is
// the hard tanh for the canonical quantizer, the variance
// (m - y_k)(y_{k+1} - m) at hand-computed points, and Sample's draws have
// that mean and variance (within 4 standard errors over 20000 draws) and
// are always levels of Q.
func TestStochasticRoundingEval(t *testing.T) {
	for _, tc := range []struct {
		spec            string
		x, mean, varnce float64
	}{
		{"sround:3", 0.25, 0.25, 0.25 * 0.75},    // levels -1, 0, 1
		{"sround:3", -0.6, -0.6, 0.6 * 0.4},      // between -1 and 0
		{"sround:3", 0, 0, 0},                    // a level
		{"sround:3", 1.7, 1, 0},                  // clipped
		{"sround:2", 0.5, 0.5, 1.5 * 0.5},        // (m+1)(1-m)
		{"sround:4", 0, 0, 1.0 / 9},              // midway between ±1/3
		{"sround:4", -3, -1, 0},                  // clipped
		{"usround:3", 0.25, 0.25, 0.25 * 0.25},   // levels 0, 1/2, 1
		{"usround:3", -1, 0, 0},                  // clipped at 0
		{"sround:3:amp=2", 0.5, 1, 1 * 1},        // t = 1, levels -2, 0, 2: (1-0)(2-1)
		{"sround:3:delta=2,amp=1", 1, 0.5, 0.25}, // t = 2: m = x/2, between 0 and 1
	} {
		r := mustSR(t, tc.spec)
		check(t, tc.spec+" mean", r.Eval(tc.x), tc.mean, 1e-15, 1)
		check(t, tc.spec+" variance", r.Variance(tc.x), tc.varnce, 1e-15, 1)
	}
	ht := HardTanh{}
	for _, spec := range []string{"sround:2", "sround:7", "sround:256"} {
		r := mustSR(t, spec)
		for _, x := range []float64{-2, -1, -0.3, 0, 0.1, 0.999, 1, 5} {
			if r.Eval(x) != ht.Eval(x) || r.Deriv(x) != ht.Deriv(x) {
				t.Errorf("%s at %g: m = %v, m' = %v; hardtanh %v, %v", spec, x, r.Eval(x), r.Deriv(x), ht.Eval(x), ht.Deriv(x))
			}
		}
	}

	rng := rand.New(rand.NewPCG(1, 2))
	const draws = 20000
	for _, tc := range []struct {
		spec string
		x    float64
	}{{"sround:3", 0.25}, {"sround:4", -0.5}, {"usround:5", 0.6}, {"sround:5:delta=0.3,amp=2", 0.1}} {
		r := mustSR(t, tc.spec)
		levels := map[float64]bool{}
		for _, y := range r.Q.Levels() {
			levels[y] = true
		}
		var s, s2 float64
		for range draws {
			y := r.Sample(tc.x, rng)
			if !levels[y] {
				t.Fatalf("%s: Sample(%g) = %v is not a level", tc.spec, tc.x, y)
			}
			s += y
			s2 += y * y
		}
		m := s / draws
		v := s2/draws - m*m
		se := math.Sqrt(r.Variance(tc.x) / draws)
		if z := (m - r.Eval(tc.x)) / se; math.Abs(z) > 4 {
			t.Errorf("%s at %g: sample mean %v, want %v (z = %.1f)", tc.spec, tc.x, m, r.Eval(tc.x), z)
		}
		// The variance of a two-point variable p(1-p)d² has standard error
		// about d²√(p(1-p)(1-4p(1-p))/n) ≤ d²/(2√n)·… ; 5% is > 10 of them here.
		if math.Abs(v-r.Variance(tc.x)) > 0.05*r.Variance(tc.x) {
			t.Errorf("%s at %g: sample variance %v, want %v", tc.spec, tc.x, v, r.Variance(tc.x))
		}
	}
	if y := mustSR(t, "sround:4").Sample(math.NaN(), rng); !math.IsNaN(y) {
		t.Errorf("Sample(NaN) = %v", y)
	}
}

// TestStochasticRoundingNew checks NewStochasticRounding and the NaN of a
// quantizer outside the families.
func TestStochasticRoundingNew(t *testing.T) {
	q, err := quantize.Canonical(5)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := NewStochasticRounding(q); err != nil || r.String() != "sround:5" {
		t.Errorf("NewStochasticRounding(canonical 5) = %v, %v", r, err)
	}
	if _, err := NewStochasticRounding(nil); err == nil {
		t.Error("nil quantizer accepted")
	}
	irr := irregular(t).Quantizer
	if _, err := NewStochasticRounding(irr); err == nil {
		t.Error("irregular quantizer accepted")
	}
	r := StochasticRounding{Q: irr}
	for name, v := range map[string]float64{
		"Eval": r.Eval(0.3), "SecondMoment": r.SecondMoment(1), "CrossMoment": r.CrossMoment(1, 1, 0.5),
		"SlopeMoment": r.SlopeMoment(1, 1, 0.5), "OutputVariance": r.OutputVariance(1), "Mean": r.Mean(1),
	} {
		if !math.IsNaN(v) {
			t.Errorf("irregular quantizer: %s = %v, want NaN", name, v)
		}
	}
}

// TestStochasticMomentsVsQuadrature holds every closed form to
// breakpoint-aware quadrature of its definition (package quadrature):
// E[m], E[m²] and the rounding variance E[v] (relative 1e-12; observed
// 5e-16, and 1e-14 for E[v], the quadrature's own error from evaluating v
// near the bin centers, while E[v] agrees with a 40-digit mpmath sum to
// 2e-16), d/dq E[φ²] by parts, E[u (m² + v)'(u)]/(2q) (1e-12 of s²;
// observed 5e-16), and the cross and slope moments for equal and unequal
// variances against Expect2 (1e-12 of √(E[m1²]E[m2²]) and of s²; observed
// 1e-14 and 5e-16) for the four distinct means.
func TestStochasticMomentsVsQuadrature(t *testing.T) {
	worst := map[string]float64{}
	check := func(t *testing.T, name string, got, want, tol, scale float64) {
		t.Helper()
		kind := name[len(name)-len(lastWord(name)):]
		worst[kind] = math.Max(worst[kind], math.Abs(got-want)/scale)
		check(t, name, got, want, tol, scale)
	}
	defer func() { t.Logf("largest errors relative to the scale: %v", worst) }()
	for _, spec := range srSpecs {
		r := mustSR(t, spec)
		g, _ := r.grid()
		xs := nodes(t, r)
		s2 := g.s * g.s
		// The mean, and so the cross and slope moments, of every canonical
		// symmetric rounding is the hard tanh: check those once.
		distinctMean := spec == "sround:2" || spec == "sround:5:delta=0.3,amp=2" || spec == "usround:4" || spec == "usround:7:delta=0.2,amp=3"
		for _, q := range []float64{0.02, 0.3, 1, 4, 30} {
			name := fmt.Sprintf("%s q=%g", spec, q)
			m2q := quadrature.Expect(func(x float64) float64 { v := r.Eval(x); return v * v }, q, r.Breakpoints())
			evq := quadrature.Expect(r.Variance, q, xs)
			mq := quadrature.Expect(r.Eval, q, r.Breakpoints())
			check(t, name+" E[m]", r.Mean(q), mq, 1e-12, math.Sqrt(m2q))
			ev := r.OutputVariance(q)
			check(t, name+" E[v]", ev, evq, 1e-12, evq)
			check(t, name+" E[m²]", r.SecondMoment(q)-ev, m2q, 1e-12, m2q)
			check(t, name+" E[φ²]", r.SecondMoment(q), m2q+evq, 1e-12, m2q+evq)
			dq := quadrature.Expect(func(x float64) float64 {
				if x <= g.lo || x >= g.hi {
					return 0
				}
				_, p := g.position(x)
				dv := s2 * g.h * (1 - 2*p) // v = s²δ²p(1-p), dp/dx = 1/δ
				return (2*r.Eval(x)*g.s + dv) * x / (2 * q)
			}, q, xs)
			check(t, name+" d/dq E[φ²]", r.SecondMomentDeriv(q), dq, 1e-12, s2)

			if !distinctMean || q == 0.3 || q == 4 {
				continue
			}
			for _, q2 := range []float64{q, 0.6 * q} {
				scale := math.Sqrt((r.SecondMoment(q) - r.OutputVariance(q)) * (r.SecondMoment(q2) - r.OutputVariance(q2)))
				for _, rho := range []float64{-1, -0.95, 0, 0.3, 0.999, 1} {
					n2 := fmt.Sprintf("%s (%g, %g, ρ=%g)", spec, q, q2, rho)
					b := r.Breakpoints()
					check(t, n2+" E[m m]", r.CrossMoment(q, q2, rho), expect2(r.Eval, r.Eval, q, q2, rho, b, b), 1e-12, scale)
					if math.Abs(rho) < 0.999 {
						// Expect2 of the indicators m'm' is good to ~1e-12 only up to
						// |ρ| ≈ 0.99; TestStochasticPrice covers ρ → 1.
						check(t, n2+" E[m' m']", r.SlopeMoment(q, q2, rho), expect2(r.Deriv, r.Deriv, q, q2, rho, b, b), 1e-12, s2)
					}
				}
			}
		}
	}
}

// lastWord returns the text after the last space of s.
func lastWord(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == ' ' {
			return s[i+1:]
		}
	}
	return s
}

// TestRampProduct checks G(h, k; ρ) = E[(z1-h)+ (z2-k)+] against Expect2
// (1e-13 absolute), including its ρ = ±1 limits and ρ within 1e-6 of them,
// and ∂G/∂ρ = Φ2(-h, -k; ρ) (Price) by 5-point differences (1e-9).
func TestRampProduct(t *testing.T) {
	for _, hk := range [][2]float64{{0, 0}, {0.5, -0.3}, {1.2, 1.2}, {-2, 0.7}, {3, 2.5}, {-1, -1.5}, {0, 4}} {
		h, k := hk[0], hk[1]
		f := func(x float64) float64 { return math.Max(x-h, 0) }
		g := func(x float64) float64 { return math.Max(x-k, 0) }
		for _, rho := range []float64{-1, -0.999999, -0.7, 0, 0.2, 0.8, 0.999999, 1} {
			want := expect2(f, g, 1, 1, rho, []float64{h}, []float64{k})
			check(t, fmt.Sprintf("G(%g, %g; %g)", h, k, rho), rampProduct(h, k, rho), want, 1e-13, 1)
			if math.Abs(rho) < 0.99 {
				const e = 1e-3
				d := (-rampProduct(h, k, rho+2*e) + 8*rampProduct(h, k, rho+e) - 8*rampProduct(h, k, rho-e) + rampProduct(h, k, rho-2*e)) / (12 * e)
				check(t, fmt.Sprintf("∂G/∂ρ(%g, %g; %g)", h, k, rho), d, quadrature.BivariateCDF(-h, -k, rho), 1e-9, 1)
			}
		}
	}
}

// TestStochasticPrice checks the cross moment against the independent
// route of Price's theorem, E[m(u1)m(u2)] = E[m(u1)]E[m(u2)] +
// √(q11 q22) ∫_0^ρ E[m'(u1)m'(u2)](r) dr, the integral in θ = arcsin r by
// Gauss–Legendre panels graded towards ±π/2 (1e-13 of the scale), the
// network's own integral route CorrelationByIntegral (1e-13), and
// χ = dM/dc by 5-point differences of M (1e-8).
func TestStochasticPrice(t *testing.T) {
	nodes, weights := make([]float64, 24), make([]float64, 24)
	for _, spec := range []string{"sround:2", "sround:5", "sround:5:delta=0.3,amp=2", "usround:4"} {
		r := mustSR(t, spec)
		for _, qq := range [][2]float64{{1, 1}, {0.3, 0.3}, {2, 0.5}} {
			q1, q2 := qq[0], qq[1]
			scale := math.Sqrt((r.SecondMoment(q1) - r.OutputVariance(q1)) * (r.SecondMoment(q2) - r.OutputVariance(q2)))
			for _, rho := range []float64{-1, -0.6, 0.5, 0.99, 1} {
				th := math.Asin(rho)
				lo, hi, sign := 0.0, th, 1.0
				if th < 0 {
					lo, hi, sign = th, 0, -1
				}
				br := []float64{lo, hi}
				for p := math.Pi / 4; p > 0x1p-12; p /= 2 {
					for _, b := range []float64{math.Pi/2 - p, p - math.Pi/2} {
						if b > lo && b < hi {
							br = append(br, b)
						}
					}
				}
				sortFloats(br)
				var sum float64
				for i := 1; i < len(br); i++ {
					quad.Legendre{}.FixedLocations(nodes, weights, br[i-1], br[i])
					for j, x := range nodes {
						sum += weights[j] * r.SlopeMoment(q1, q2, math.Sin(x)) * math.Cos(x)
					}
				}
				want := r.Mean(q1)*r.Mean(q2) + sign*sum*math.Sqrt(q1*q2)
				check(t, fmt.Sprintf("%s (%g, %g) Price ρ=%g", spec, q1, q2, rho), r.CrossMoment(q1, q2, rho), want, 1e-13, scale)
			}
		}
		n := mustNet(t, r, 1.4, 0.1)
		for _, c := range []float64{-0.7, 0.3, 0.95, 1} {
			check(t, fmt.Sprintf("%s M(%g) by ∫χ", spec, c), n.CorrelationByIntegral(0.8, c), n.M(0.8, c), 1e-13, 0)
		}
		for _, c := range []float64{-0.5, 0.2, 0.9, 0.99} {
			// χ has a √(1-c) term: the step shrinks with the distance to 1.
			e := math.Min(1e-3, (1-math.Abs(c))/100)
			d := (-n.M(0.8, c+2*e) + 8*n.M(0.8, c+e) - 8*n.M(0.8, c-e) + n.M(0.8, c-2*e)) / (12 * e)
			check(t, fmt.Sprintf("%s χ(%g)", spec, c), n.Chi(0.8, c), d, 1e-8, 0)
		}
	}
}

// TestStochasticIdentities checks identities that need no quadrature:
//   - the mean of every canonical stochastic rounding is the hard tanh, so
//     its cross and slope moments are HardTanh's (quadrature for the cross
//     moment) for every N: the maps agree except at c = 1;
//   - sround:2 outputs ±1, so E[φ²] = 1 whatever q;
//   - scaling: sround:N:delta=D,amp=A at q is A² times sround:N at q/t²;
//   - large N: E[v] = s²(δ²/6 P(a<u<b) + δ⁴ b p(b)/(180 q) + O(δ⁶)) (Euler–
//     Maclaurin over the bins), within 4δ⁶ for N = 256 and 1024.
func TestStochasticIdentities(t *testing.T) {
	ht := HardTanh{}
	for _, spec := range []string{"sround:2", "sround:16"} {
		r := mustSR(t, spec)
		for _, q := range []float64{0.1, 1.5} {
			for _, rho := range []float64{-0.8, 0.4, 0.95} {
				name := fmt.Sprintf("%s q=%g ρ=%g", spec, q, rho)
				check(t, name+" E[m m] vs hardtanh", r.CrossMoment(q, q, rho), CrossMoment(ht, q, q, rho), 1e-12, 0)
				check(t, name+" E[m' m'] vs hardtanh", r.SlopeMoment(q, q, rho), ht.SlopeMoment(q, q, rho), 1e-15, 0)
			}
		}
	}
	s2 := mustSR(t, "sround:2")
	for _, q := range []float64{1e-4, 0.3, 1, 7, 1e4} {
		check(t, fmt.Sprintf("sround:2 E[φ²](%g)", q), s2.SecondMoment(q), 1, 4e-16, 0)
		check(t, fmt.Sprintf("sround:2 d/dq E[φ²](%g)", q), s2.SecondMomentDeriv(q), 0, 1e-15, 1)
	}
	for _, tc := range []struct {
		scaled, canon string
		tt, amp       float64
	}{{"sround:5:delta=0.3,amp=2", "sround:5", 0.6, 2}, {"usround:7:delta=0.2,amp=3", "usround:7", 1.2, 3}} {
		rs, rc := mustSR(t, tc.scaled), mustSR(t, tc.canon)
		for _, q := range []float64{0.05, 0.7, 3} {
			qc := q / (tc.tt * tc.tt)
			a2 := tc.amp * tc.amp
			name := fmt.Sprintf("%s q=%g", tc.scaled, q)
			check(t, name+" E[φ²]", rs.SecondMoment(q), a2*rc.SecondMoment(qc), 1e-14, 0)
			check(t, name+" E[v]", rs.OutputVariance(q), a2*rc.OutputVariance(qc), 1e-14, a2*rc.OutputVariance(qc))
			check(t, name+" E[m m]", rs.CrossMoment(q, q, 0.6), a2*rc.CrossMoment(qc, qc, 0.6), 1e-14, 0)
			check(t, name+" E[m]", rs.Mean(q), tc.amp*rc.Mean(qc), 1e-14, 0)
		}
	}
	for _, n := range []int{256, 1024} {
		r := mustSR(t, fmt.Sprintf("sround:%d", n))
		d := 2 / float64(n-1)
		for _, q := range []float64{0.2, 1, 3} {
			b := 1 / math.Sqrt(q)
			p := math.Erf(b / math.Sqrt2)
			want := d*d/6*p + d*d*d*d*b*quadrature.NormalPDF(b)/(180*q)
			check(t, fmt.Sprintf("sround:%d q=%g E[v] asymptotics", n, q), r.OutputVariance(q), want, 4*math.Pow(d, 6), 1)
		}
	}
}

// TestStochasticJump: at the fixed point q*, V(q*) = q* includes the
// rounding variance and M(1) (the limit of distinct inputs) does not, so
// M(1) = 1 - σ_w² E[v]/q* < 1; for Noisy (the noisy activations of
// Gulcehre et al.) M(1) = 1 - σ_w² S²/q*. Noise composes: the output
// variance of noisy:S:sround:N is S² + E[v].
func TestStochasticJump(t *testing.T) {
	for _, tc := range []struct {
		spec   string
		sw, sb float64
	}{{"sround:4", 1.3, 0.1}, {"sround:16", 1.1, 0}, {"usround:4", 2, 0.2}, {"noisy:0.3:tanh", 1.2, 0.1},
		{"noisy:0.1:quant:4", 1.1, 0.05}, {"noisy:0.2:sround:3", 1.5, 0.3}} {
		phi := mustParse(t, tc.spec)
		n := mustNet(t, phi, tc.sw, tc.sb)
		q, err := n.QStar(DefaultQ0)
		if err != nil {
			t.Fatalf("%s: %v", tc.spec, err)
		}
		if !HasOutputNoise(phi) {
			t.Errorf("%s: HasOutputNoise false", tc.spec)
		}
		gap := tc.sw * tc.sw * OutputVariance(phi, q) / q
		check(t, tc.spec+" V(q*)", n.V(q), q, 1e-14, q)
		check(t, tc.spec+" M(1)", n.M(q, 1), 1-gap, 1e-14, 0)
		if nz, ok := phi.(Noisy); ok {
			var inner float64
			if r, ok := nz.Phi.(StochasticRounding); ok {
				inner = r.OutputVariance(q)
			}
			check(t, tc.spec+" gap", gap, tc.sw*tc.sw*(nz.S*nz.S+inner)/q, 1e-14, 0)
		}
		if !(gap > 1e-3) {
			t.Errorf("%s: M(1) = %v, no jump", tc.spec, n.M(q, 1))
		}
	}
	for _, spec := range []string{"tanh", "quant:4", "noisy:0:quant:4"} {
		if HasOutputNoise(mustParse(t, spec)) {
			t.Errorf("%s: HasOutputNoise true", spec)
		}
	}
}

// stochCStar returns the stable fixed point c* of M at q and χ(c*) without
// the ordered-phase shortcut of CStar (c* = 1 when χ1 ≤ 1), which does not
// apply when M(1) < 1: M is convex and non-decreasing on [0, 1] with
// M(0) ≥ 0 and M(1) < 1, so M(c) - c has exactly one root there, or none
// above c = 0 when M(0) = 0.
func stochCStar(t testing.TB, n Network, q float64) (c, chi float64) {
	t.Helper()
	f := func(c float64) float64 { return n.M(q, c) - c }
	f0, f1 := f(0), f(1)
	if !(f1 < 0) {
		t.Fatalf("%v: M(1) - 1 = %v at q = %v", n, f1, q)
	}
	if f0 <= 0 {
		return 0, n.Chi(q, 0)
	}
	c, err := brent(f, 0, 1, f0, f1, func(float64) float64 { return 0x1p-52 })
	if err != nil {
		t.Fatal(err)
	}
	return c, n.Chi(q, c)
}

// TestStochasticFixedPoint: Solve gives q* = V(q*), c* < 1 with
// M(c*) = c*, χ(c*) < 1 and a finite ξ_c, agreeing with stochCStar.
// CStar's shortcut c* = 1 for χ1 ≤ 1 is wrong for an activation with
// output noise other than Noisy unless CStar asks HasOutputNoise; the
// configurations with χ1 ≤ 1 are reported as skipped until it does.
func TestStochasticFixedPoint(t *testing.T) {
	for _, tc := range []struct {
		spec   string
		sw, sb float64
	}{{"sround:4", 1.5, 0.2}, {"sround:16", 1.0245, 0.05}, {"usround:4", 2.5, 0.1}, {"sround:8", 1.2, 0},
		{"sround:16", 0.9, 0.1}, {"sround:4", 1.1, 0.2}} {
		n := mustNet(t, mustParse(t, tc.spec), tc.sw, tc.sb)
		name := n.String()
		fp, err := n.Solve(DefaultQ0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c, chi := stochCStar(t, n, fp.QStar)
		t.Logf("%s: q* = %.6g, c* = %.6g, χ(c*) = %.8g, χ1 = %.6g, ξ_c = %.6g", name, fp.QStar, c, chi, fp.Chi1, -1/math.Log(chi))
		check(t, name+" V(q*)", n.V(fp.QStar), fp.QStar, 1e-14, fp.QStar)
		if !(c < 1 && chi < 1) || math.Abs(n.M(fp.QStar, c)-c) > 1e-15 {
			t.Errorf("%s: c* = %v, χ(c*) = %v, M(c*) - c* = %v", name, c, chi, n.M(fp.QStar, c)-c)
		}
		if fp.Chi1 <= 1 && fp.CStar == 1 {
			t.Logf("%s: χ1 = %v ≤ 1 and CStar returned c* = 1: CStar needs the HasOutputNoise check (skipped)", name, fp.Chi1)
			continue
		}
		check(t, name+" c*", fp.CStar, c, 1e-13, 1)
		check(t, name+" χ(c*)", fp.ChiCStar, chi, 1e-12, 0)
		if math.IsInf(fp.XiC, 0) || !(fp.XiC > 0) {
			t.Errorf("%s: ξ_c = %v", name, fp.XiC)
		}
	}
}

// chiZeroAt returns χ(0) at the fixed point q* = q of a network with
// σ_b = 0, σ_w² = q/E[φ²](q): χ(0) = q (E φ'(u))²/E[φ(u)²] (output noise
// in E[φ²]). For an odd φ, c* = 0 is the stable fixed point (χ(0) ≤ 1 by
// Cauchy–Schwarz), so this is χ(c*) as a function of q* alone.
func chiZeroAt(phi Activation, q float64) float64 {
	s, _ := slopeMoment(phi, q, q, 0)
	return q * s / SecondMoment(phi, q)
}

// bestChiZero maximizes chiZeroAt over ln q ∈ [lo, hi]: a scan on a grid of
// 0.1 then golden-section search around the best node, to 1e-9 in ln q
// (χ is flat there: its error is far below the digits reported).
func bestChiZero(phi Activation, lo, hi float64) (q, chi float64) {
	best, at := math.Inf(-1), lo
	for l := lo; l <= hi; l += 0.1 {
		if v := chiZeroAt(phi, math.Exp(l)); v > best {
			best, at = v, l
		}
	}
	a, b := at-0.1, at+0.1
	const gr = 0.6180339887498949
	x1, x2 := b-gr*(b-a), a+gr*(b-a)
	f1, f2 := chiZeroAt(phi, math.Exp(x1)), chiZeroAt(phi, math.Exp(x2))
	for b-a > 1e-9 {
		if f1 > f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - gr*(b-a)
			f1 = chiZeroAt(phi, math.Exp(x1))
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + gr*(b-a)
			f2 = chiZeroAt(phi, math.Exp(x2))
		}
	}
	q = math.Exp((a + b) / 2)
	return q, chiZeroAt(phi, q)
}

func xiOf(chi float64) float64 { return -1 / math.Log(chi) }

// TestNoiseCannotLengthenXi answers, for output noise of standard
// deviation S, whether noise can lengthen ξ_c: the best ξ_c over σ_w at
// σ_b = 0 (c* = 0; χ(0) maximized over q* ⇔ σ_w) for quant:2, quant:4,
// quant:16, tanh and hardtanh, without noise and with S = 0.01, 0.1, 0.3.
// Noise always shortens it; the noise-free tanh and hardtanh are critical
// (χ → 1 as q* → 0, ξ = ∞) while the noisy ones have a finite optimum.
// The values are pinned to 1e-6 relative.
//
// The general argument, checked for a few (σ_w, σ_b, S) below: at q*, the
// noisy map is M(c) = M'(c) - g on [0, 1), g = σ_w² E[Var]/q* > 0, M' the
// map of the noise-free activation with σ_b'² = σ_b² + σ_w² E[Var] (same
// q*, same χ(c)). M' is convex with M'(1) = 1 and χ non-decreasing on
// [0, 1] (Mehler), so its stable fixed point c*' lies above c*, and
// χ(c*') ≥ χ(c*): every noisy initialization is beaten by a noise-free one.
func TestNoiseCannotLengthenXi(t *testing.T) {
	want := map[string][4]float64{ // ξ at S = 0, 0.01, 0.1, 0.3 (0: +Inf)
		"quant:2":  {2.2144, 2.2139, 2.1667, 1.8596},
		"quant:4":  {7.9037, 7.8879, 6.6292, 3.2877},
		"quant:16": {86.132, 81.667, 17.172, 3.8894},
		"tanh":     {math.Inf(1), 288.63, 14.464, 3.6448},
		"hardtanh": {math.Inf(1), 825.33, 18.959, 3.9225},
	}
	for _, base := range []string{"quant:2", "quant:4", "quant:16", "tanh", "hardtanh"} {
		phi := mustParse(t, base)
		var xis [4]float64
		for i, s := range []float64{0, 0.01, 0.1, 0.3} {
			act := phi
			if s > 0 {
				act = Noisy{S: s, Phi: phi}
			}
			if s == 0 && (base == "tanh" || base == "hardtanh") {
				// Critical: χ(0) → 1 as q* → 0 (σ_w → 1), ξ → ∞.
				if c := chiZeroAt(act, 1e-6); !(c > 1-1e-5) {
					t.Errorf("%s: χ(0) at q* = 1e-6 is %v, want → 1", base, c)
				}
				xis[i] = math.Inf(1)
				continue
			}
			q, chi := bestChiZero(act, -8, 6)
			xis[i] = xiOf(chi)
			sw := math.Sqrt(q / SecondMoment(act, q))
			t.Logf("%-9s S=%-4g: best σ_w = %.5g (q* = %.5g), χ(0) = %.10f, ξ_c = %.6g", base, s, sw, q, chi, xis[i])
			if w := want[base][i]; math.Abs(xis[i]-w) > 5e-5*w {
				t.Errorf("%s S=%g: ξ = %.6g, want %.5g", base, s, xis[i], w)
			}
		}
		for i := 1; i < 4; i++ {
			if !(xis[i] < xis[i-1]*(1-1e-5)) {
				t.Errorf("%s: ξ with S index %d = %v not below %v", base, i, xis[i], xis[i-1])
			}
		}
	}

	// Noise into bias, with σ_b > 0 (c* > 0). erf stands in for tanh here:
	// its cross moment is closed-form, tanh's a 2-D quadrature per M.
	for _, tc := range []struct {
		spec      string
		sw, sb, s float64
	}{{"erf", 1.2, 0.1, 0.1}, {"erf", 2, 0.3, 0.3}, {"quant:4", 1.1, 0.05, 0.1}, {"quant:16", 1.05, 0.1, 0.01}, {"sign", 1, 0.2, 0.3}} {
		phi := mustParse(t, tc.spec)
		noisy := mustNet(t, Noisy{S: tc.s, Phi: phi}, tc.sw, tc.sb)
		q, err := noisy.QStar(DefaultQ0)
		if err != nil {
			t.Fatal(err)
		}
		free := mustNet(t, phi, tc.sw, math.Sqrt(tc.sb*tc.sb+tc.sw*tc.sw*tc.s*tc.s))
		check(t, "same q*", free.V(q), q, 1e-14, q)
		c, chi := stochCStar(t, noisy, q)
		cf, chif, err := free.CStar(q)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s σ_w=%g σ_b=%g S=%g: noisy c* = %.6f ξ = %.5g; noise in the bias: c* = %.6f ξ = %.5g",
			tc.spec, tc.sw, tc.sb, tc.s, c, xiOf(chi), cf, xiOf(chif))
		if !(cf > c && chif > chi) {
			t.Errorf("%s σ_w=%g σ_b=%g S=%g: noise-free c* = %v, χ = %v not above noisy %v, %v", tc.spec, tc.sw, tc.sb, tc.s, cf, chif, c, chi)
		}
	}
}

// TestStochasticVsDeterministicRounding compares, at σ_b = 0 and the best
// σ_w of each, the stochastic rounding sround:N with deterministic
// rounding quant:N, whose best is χ_max(N) (THEORY.md §3). With c* = 0,
// χ_SR(0) = corr(z, m(√q z))² · E[m²]/(E[m²] + E[v]): the mean is the hard
// tanh, and the rounding variance, s²δ²/6 inside the range, is twice the
// δ²/12 of deterministic rounding. Stochastic rounding is shorter for every
// N: for N = 2 its χ(0) = q erf(1/√(2q))² rises towards 2/π as q → ∞ but
// never reaches it (checked on a grid); for N ≥ 3 the ratio of ξ falls from
// 0.72 (N = 3) towards 1/2, and (1 - χ_SR)/(1 - χ_det) rises towards 2.
// Values pinned to 1e-6 relative; with small biases (σ_b = 0.05, best σ_w
// by a scan) stochastic rounding stays shorter.
func TestStochasticVsDeterministicRounding(t *testing.T) {
	sr2 := mustSR(t, "sround:2")
	prev := 0.0
	for l := -6.0; l <= 12; l += 0.5 {
		q := math.Exp(l)
		c := chiZeroAt(sr2, q)
		check(t, fmt.Sprintf("sround:2 χ(0) at q*=%g", q), c, q*math.Pow(math.Erf(1/math.Sqrt(2*q)), 2), 1e-14, 0)
		if !(c > prev && c < 2/math.Pi) {
			t.Errorf("sround:2 χ(0) at q* = %g is %v (previous %v), want increasing below 2/π", q, c, prev)
		}
		prev = c
	}
	want := map[int][2]float64{ // ξ deterministic, ξ stochastic
		3: {4.7408, 3.3921}, 4: {7.9037, 5.2237}, 8: {26.206, 15.804}, 16: {86.132, 49.641}, 256: {11404, 6127.6},
	}
	prevRatio := 1.0
	for _, n := range []int{3, 4, 8, 16, 256} {
		det := mustParse(t, fmt.Sprintf("quant:%d", n))
		sr := mustParse(t, fmt.Sprintf("sround:%d", n))
		qd, cd := bestChiZero(det, -6, 3)
		qs, cs := bestChiZero(sr, -6, 3)
		xd, xs := xiOf(cd), xiOf(cs)
		t.Logf("N=%-3d deterministic: q* = %.5g χ_max = %.10f ξ = %.6g | stochastic: q* = %.5g χ = %.10f ξ = %.6g | ξ ratio %.4f, (1-χ) ratio %.4f",
			n, qd, cd, xd, qs, cs, xs, xs/xd, (1-cs)/(1-cd))
		if w := want[n]; math.Abs(xd-w[0]) > 5e-5*w[0] || math.Abs(xs-w[1]) > 5e-5*w[1] {
			t.Errorf("N=%d: ξ = %.6g, %.6g, want %.5g, %.5g", n, xd, xs, w[0], w[1])
		}
		ratio := (1 - cs) / (1 - cd)
		if !(ratio > prevRatio && ratio < 2) {
			t.Errorf("N=%d: (1-χ_SR)/(1-χ_det) = %v, want in (%v, 2)", n, ratio, prevRatio)
		}
		prevRatio = ratio
	}
	if testing.Short() {
		return
	}
	for _, n := range []int{2, 4, 16} {
		var best [2]float64
		for i, spec := range []string{fmt.Sprintf("quant:%d", n), fmt.Sprintf("sround:%d", n)} {
			phi := mustParse(t, spec)
			for l := -1.0; l <= 2.5; l += 0.02 {
				net := mustNet(t, phi, math.Exp(l), 0.05)
				q, err := net.QStar(DefaultQ0)
				if err != nil {
					continue
				}
				if _, chi := stochCStarOrCStar(t, net, q); chi < 1 && chi > best[i] {
					best[i] = chi
				}
			}
		}
		t.Logf("N=%d σ_b=0.05: best ξ deterministic %.5g, stochastic %.5g", n, xiOf(best[0]), xiOf(best[1]))
		if !(best[1] < best[0]) {
			t.Errorf("N=%d σ_b=0.05: stochastic χ %v not below deterministic %v", n, best[1], best[0])
		}
	}
}

// stochCStarOrCStar is stochCStar for an activation with output noise,
// CStar otherwise.
func stochCStarOrCStar(t testing.TB, n Network, q float64) (float64, float64) {
	if HasOutputNoise(n.Phi) {
		return stochCStar(t, n, q)
	}
	c, chi, err := n.CStar(q)
	if err != nil {
		t.Fatal(err)
	}
	return c, chi
}

// TestStochasticMonteCarlo propagates two inputs through finite networks
// with stochastically rounded activations (simulate, which draws each
// output with Sample) and compares q^l and c^l with the mean-field maps
// (Step) at every layer: within 4 standard errors at width 2048 over 48
// networks. A map that forgets the rounding variance (V from E[m²] only)
// is rejected.
func TestStochasticMonteCarlo(t *testing.T) {
	r := mustSR(t, "sround:4")
	n := mustNet(t, r, 1.3, 0.1)
	cfg := simulate.Config{Activation: r, SigmaW: n.SigmaW, SigmaB: n.SigmaB, Width: 2048, Depth: 8, Trials: 48,
		Q0: 1, C0: 0.6, Seed: 11}
	res, err := simulate.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	w2, b2 := n.SigmaW*n.SigmaW, n.SigmaB*n.SigmaB
	q11, q12 := w2*cfg.Q0+b2, w2*cfg.Q0*cfg.C0+b2 // layer 1: h = W x + b
	qb := q11                                     // the same, with V from E[m²] only
	var worstQ, worstC, wrongQ float64
	for l := 0; l < cfg.Depth; l++ {
		if l > 0 {
			q11, _, q12 = n.Step(q11, q11, q12)
			qb = w2*(r.SecondMoment(qb)-r.OutputVariance(qb)) + b2
		}
		zq := (res.Q[l].Mean - q11) / res.Q[l].StdErr
		zc := (res.C[l].Mean - q12/q11) / res.C[l].StdErr
		worstQ, worstC = math.Max(worstQ, math.Abs(zq)), math.Max(worstC, math.Abs(zc))
		wrongQ = math.Max(wrongQ, math.Abs(res.Q[l].Mean-qb)/res.Q[l].StdErr)
	}
	t.Logf("largest |z|: q^l %.2f, c^l %.2f; against V without the rounding variance %.1f", worstQ, worstC, wrongQ)
	if worstQ > 4 || worstC > 4 {
		t.Errorf("Monte Carlo off the maps: |z| = %.2f (q), %.2f (c)", worstQ, worstC)
	}
	if wrongQ < 10 {
		t.Errorf("a variance map without the rounding variance is not rejected: |z| = %.1f", wrongQ)
	}
}

// ExampleStochasticRounding: the 4-level stochastic rounding at σ_b = 0 has
// the hard tanh as its mean; the rounding variance enters V but not M, so
// M(1) < 1 and c* = 0 for an odd mean.
func ExampleStochasticRounding() {
	phi, err := Parse("sround:4")
	if err != nil {
		panic(err)
	}
	n, err := New(phi, 1.2, 0)
	if err != nil {
		panic(err)
	}
	q, err := n.QStar(DefaultQ0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("m(0.5) = %.2f, Var(φ|0.5) = %.4f\n", phi.Eval(0.5), phi.(StochasticRounding).Variance(0.5))
	fmt.Printf("q* = %.4f, E[v] = %.4f, M(1) = %.4f, χ(0) = %.4f, ξ_c = %.3f\n",
		q, OutputVariance(phi, q), n.M(q, 1), n.Chi(q, 0), -1/math.Log(n.Chi(q, 0)))
	// Output:
	// m(0.5) = 0.50, Var(φ|0.5) = 0.0833
	// q* = 0.7328, E[v] = 0.0565, M(1) = 0.8891, χ(0) = 0.8258, ξ_c = 5.224
}

func BenchmarkStochasticSecondMoment(b *testing.B) {
	for _, spec := range []string{"sround:16", "sround:256"} {
		r := mustSR(b, spec)
		b.Run(spec, func(b *testing.B) {
			for b.Loop() {
				sink = r.SecondMoment(0.7)
			}
		})
	}
}

func BenchmarkStochasticCrossMoment(b *testing.B) {
	r := mustSR(b, "sround:256")
	for b.Loop() {
		sink = r.CrossMoment(0.7, 0.5, 0.6)
	}
}

func BenchmarkStochasticSolve(b *testing.B) {
	n := mustNet(b, mustSR(b, "sround:16"), 1.0245, 0.05)
	for b.Loop() {
		fp, err := n.Solve(DefaultQ0)
		if err != nil {
			b.Fatal(err)
		}
		sink = fp.XiC
	}
}
