package quadrature

import (
	"math"
	"testing"
)

// erfCorr returns E[erf(a u1) erf(a u2)] =
// (2/π) arcsin(2a² q12/√((1+2a² q11)(1+2a² q22))), and its scale
// √(E erf(a u1)² E erf(a u2)²).
func erfCorr(a, q11, q22, q12 float64) (want, scale float64) {
	a2 := 2 * a * a
	want = 2 / math.Pi * math.Asin(a2*q12/math.Sqrt((1+a2*q11)*(1+a2*q22)))
	m := func(q float64) float64 { return 2 / math.Pi * math.Asin(a2*q/(1+a2*q)) }
	return want, math.Sqrt(m(q11) * m(q22))
}

// signedCorrs are the correlations of the smooth-path tests: both signs of
// 0, 1e-12, 1e-6, 0.1, 0.5, 0.9, 0.99 and 0.999.
var signedCorrs = func() []float64 {
	var out []float64
	for _, r := range []float64{0, 1e-12, 1e-6, 0.1, 0.5, 0.9, 0.99, 0.999} {
		out = append(out, r, -r)
	}
	return out[1:] // one 0
}()

// TestExpect2ErfGrid holds Expect2 of smooth erf(a u) (no breakpoints: the
// smooth path, and the adaptive one where that gives up) to the closed
// form, relative to the result, for a from 0.1 to 10, q from 1e-3 to 1e3
// (so a²q up to 1e5, where erf(a u) is a step of width 3e-3σ), equal and
// unequal variances. The erf correlation is odd, so the result is its
// covariance part, held relatively down to c = 1e-12.
func TestExpect2ErfGrid(t *testing.T) {
	as := []float64{0.1, 1, 10}
	qs := []float64{1e-3, 0.1, 1, 10, 1e3}
	if testing.Short() {
		as, qs = []float64{0.3, 3}, []float64{0.01, 1}
	}
	worst, fast, total := 0.0, 0, 0
	for _, a := range as {
		f := func(x float64) float64 { return math.Erf(a * x) }
		for _, q := range qs {
			for _, ratio := range []float64{1, 1.7} {
				q11, q22 := q, q*ratio
				for _, rho := range signedCorrs {
					q12 := rho * math.Sqrt(q11*q22)
					cc := q12 / math.Sqrt(q11) / math.Sqrt(q22) // as Expect2 sees it
					want, scale := erfCorr(a, q11, q22, cc*math.Sqrt(q11)*math.Sqrt(q22))
					got := Expect2(f, f, q11, q22, q12, nil, nil)
					total++
					if _, ok := smoothExpect2(f, f, math.Sqrt(q11), math.Sqrt(q22), cc); ok || cc == 0 {
						fast++
					}
					if rho == 0 {
						if !(math.Abs(got) <= 1e-16*scale) {
							t.Errorf("a=%g q=(%g,%g) c=0: got %g, want 0", a, q11, q22, got)
						}
						continue
					}
					e := math.Abs(got-want) / math.Abs(want)
					worst = max(worst, e)
					if !(e <= 1e-13) {
						t.Errorf("a=%g q=(%g,%g) ρ=%g: got %.17g, want %.17g (rel %.2e)", a, q11, q22, rho, got, want, e)
					}
				}
			}
		}
	}
	t.Logf("worst relative error %.2e; smooth path for %d of %d", worst, fast, total)
}

// smoothCases are smooth functions without closed forms for the 2-D
// expectation: odd, shifted, growing linearly, and with Gaussian decay.
var smoothCases = []struct {
	name string
	f    func(float64) float64
}{
	{"tanh", math.Tanh},
	{"tanh(u+0.3)", func(x float64) float64 { return math.Tanh(x + 0.3) }},
	{"softplus", func(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }},
	{"gelu", func(x float64) float64 { return x * NormalCDF(x) }},
	{"exp(-u²)cos(2u)", func(x float64) float64 { return math.Exp(-x*x) * math.Cos(2*x) }},
}

// TestExpect2SmoothVsAdaptive: the smooth path against the adaptive
// breakpoint-aware path (an independent route: Legendre panels, nested
// conditioning) for pairs of smooth functions, equal and unequal variances,
// relative to √(E f² E g²). The smooth path must not give up here.
func TestExpect2SmoothVsAdaptive(t *testing.T) {
	qq := [][2]float64{{1, 1}, {0.3, 2.5}, {4, 0.7}}
	rhos := []float64{0.3, -0.6, 0.9, -0.99, 0.999, 0.99999}
	if testing.Short() {
		qq, rhos = qq[1:2], []float64{-0.6, 0.999}
	}
	worst := 0.0
	for i, fc := range smoothCases {
		gc := smoothCases[(i+1)%len(smoothCases)]
		for _, q := range qq {
			s1, s2 := math.Sqrt(q[0]), math.Sqrt(q[1])
			scale := math.Sqrt(Expect(func(x float64) float64 { v := fc.f(x); return v * v }, q[0], nil) *
				Expect(func(x float64) float64 { v := gc.f(x); return v * v }, q[1], nil))
			for _, rho := range rhos {
				got, ok := smoothExpect2(fc.f, gc.f, s1, s2, rho)
				if !ok {
					t.Errorf("%s, %s q=%v ρ=%g: smooth path gave up", fc.name, gc.name, q, rho)
					continue
				}
				want := adaptiveExpect2(fc.f, gc.f, s1, s2, rho, nil, nil)
				e := math.Abs(got-want) / scale
				worst = max(worst, e)
				if !(e <= 1e-13) {
					t.Errorf("%s, %s q=%v ρ=%g: smooth %.17g, adaptive %.17g (err %.2e)", fc.name, gc.name, q, rho, got, want, e)
				}
			}
		}
	}
	t.Logf("worst difference %.2e of √(E f² E g²)", worst)
}

// mehlerReference returns Σ_{k=1}^{K} c^k a_k b_k with a_k = E[f(u1) h_k]
// and b_k likewise computed by Expect: the covariance part of E[f g] by
// Mehler's series with coefficients from adaptive 1-D quadrature.
func mehlerReference(f, g func(float64) float64, q11, q22, c float64, K int) float64 {
	sum := 0.0
	for k := K; k >= 1; k-- {
		a := Expect(func(x float64) float64 { return f(x) * hermiteH(k, x/math.Sqrt(q11)) }, q11, nil)
		b := Expect(func(x float64) float64 { return g(x) * hermiteH(k, x/math.Sqrt(q22)) }, q22, nil)
		sum = c * (sum + a*b)
	}
	return sum
}

// TestExpect2SmallCorrelation holds the covariance part relatively as
// c → 0, on both paths. Smooth: odd tanh against tanh(u+0.3) (so that
// E f E g = 0 and the result is the covariance part), at q = 1 and at q =
// 75 (tanh at the q* of σ_w = 9, where Expect2 took seconds at c = 1e-6 and
// was 7e-6 off at c = 1e-12), against Mehler's series with coefficients
// from adaptive quadrature. Breakpoints: sign against ReLU, whose E is
// exactly √q22·c/√(2π), and sign against sign, (2/π) arcsin c.
func TestExpect2SmallCorrelation(t *testing.T) {
	f := math.Tanh
	g := func(x float64) float64 { return math.Tanh(x + 0.3) }
	worst := 0.0
	for _, q := range [][2]float64{{1, 1}, {75, 75}, {0.5, 3}} {
		for _, rho := range []float64{1e-300, 1e-15, -1e-12, 1e-9, -1e-6, 1e-3} {
			q12 := rho * math.Sqrt(q[0]*q[1])
			c := q12 / math.Sqrt(q[0]) / math.Sqrt(q[1])
			got := Expect2(f, g, q[0], q[1], q12, nil, nil)
			want := mehlerReference(f, g, q[0], q[1], c, mehlerTerms(c))
			e := math.Abs(got-want) / math.Abs(want)
			worst = max(worst, e)
			if !(e <= 1e-12) {
				t.Errorf("tanh q=%v ρ=%g: got %.17g, want %.17g (rel %.2e)", q, rho, got, want, e)
			}
		}
	}
	t.Logf("smooth: worst relative error of the covariance part %.2e", worst)
	worst = 0
	hardtanh := func(x float64) float64 { return max(-1, min(1, x)) }
	for _, q := range [][2]float64{{1, 1}, {0.5, 3}} {
		s2 := math.Sqrt(q[1])
		for _, rho := range []float64{-1e-15, 1e-9, -1e-4, 0.2, 0.3} {
			q12 := rho * math.Sqrt(q[0]*q[1])
			c := q12 / math.Sqrt(q[0]) / math.Sqrt(q[1])
			// Both odd, so E f E g is 0 up to ε² and the result is the
			// covariance part. E[sign(u1) | u2] = erf(c w/√(2(1-c²))),
			// w = u2/√q22, leaves a 1-D reference for sign against hardtanh.
			got := Expect2(sign, sign, q[0], q[1], q12, []float64{0}, []float64{0})
			e := math.Abs(got-2/math.Pi*math.Asin(c)) / math.Abs(2/math.Pi*math.Asin(c))
			got = Expect2(sign, hardtanh, q[0], q[1], q12, []float64{0}, []float64{-1, 1})
			want := Expect(func(x float64) float64 {
				return hardtanh(x) * math.Erf(c*x/s2/math.Sqrt(2*(1-c)*(1+c)))
			}, q[1], []float64{-1, 1})
			e = max(e, math.Abs(got-want)/math.Abs(want))
			worst = max(worst, e)
			if !(e <= 1e-13) {
				t.Errorf("sign q=%v ρ=%g: rel %.2e", q, rho, e)
			}
			// With E g ≠ 0 the product of the means, exact to a few ε of the
			// scale only, adds its rounding: E[sign(u1) relu(u2)] =
			// √q22 c/√(2π).
			got = Expect2(sign, relu, q[0], q[1], q12, []float64{0}, []float64{0})
			want = s2 * c / math.Sqrt(2*math.Pi)
			if e := math.Abs(got - want); !(e <= 1e-13*math.Abs(want)+1e-15*s2) {
				t.Errorf("sign, relu q=%v ρ=%g: got %.17g, want %.17g", q, rho, got, want)
			}
		}
	}
	t.Logf("breakpoints (odd pairs): worst relative error %.2e", worst)
}

// TestExpect2BoundedCost counts evaluations of f and g: small correlations
// used to drive the outer bisection of the adaptive path to its panel
// budget (billions of evaluations for tanh at c = 1e-6); smooth functions
// at moderate q must stay on the cheap smooth path.
func TestExpect2BoundedCost(t *testing.T) {
	elu := func(x float64) float64 {
		if x > 0 {
			return x
		}
		return math.Expm1(x)
	}
	hardtanh := func(x float64) float64 { return max(-1, min(1, x)) }
	s := uniformStep(16, false)
	cases := []struct {
		name   string
		f      func(float64) float64
		breaks []float64
		q      float64
		small  int // bound for |ρ| ≤ 0.25
		large  int // bound otherwise
	}{
		{"tanh", math.Tanh, nil, 1, 1000, 6000},
		{"tanh", math.Tanh, nil, 20, 5000, 40000},
		{"tanh", math.Tanh, nil, 1e4, 100000, 1500000},
		{"elu", elu, []float64{0}, 1, 40000, 400000},
		{"hardtanh", hardtanh, []float64{-1, 1}, 2, 40000, 600000},
		{"quant:16", s.eval, s.g, 1, 60000, 2000000},
	}
	// Near |c| = 1 the adaptive path's cost (millions of evaluations for a
	// 16-level quantizer) is that of its graded mesh, unchanged; it is not
	// the subject here.
	rhos := []float64{1e-300, 1e-12, -1e-6, 1e-3, 0.05, -0.25, 0.5, 0.9, -0.999, 0.99999}
	for _, tc := range cases {
		for _, rho := range rhos {
			if tc.breaks != nil && math.Abs(rho) > 0.5 {
				continue
			}
			bound := tc.large
			if math.Abs(rho) <= mehlerBreaksMax {
				bound = tc.small
			}
			// Past the bound, f aborts the call (the old behaviour would
			// otherwise run for minutes).
			type overrun struct{}
			n := 0
			f := func(x float64) float64 {
				if n++; n > bound {
					panic(overrun{})
				}
				return tc.f(x)
			}
			v, over := func() (v float64, over bool) {
				defer func() {
					if r := recover(); r != nil {
						if _, ok := r.(overrun); !ok {
							panic(r)
						}
						over = true
					}
				}()
				return Expect2(f, f, tc.q, tc.q, rho*tc.q, tc.breaks, tc.breaks), false
			}()
			if over || math.IsNaN(v) {
				t.Errorf("%s q=%g ρ=%g: more than %d evaluations (value %v)", tc.name, tc.q, rho, bound, v)
			}
		}
	}
}

// TestExpect2UnequalNearOne: an irregular quantizer with unequal variances
// near |c| = 1, against the Φ2 sum. A breakpoint of f between 4 and 8
// widths of a smoothed step of E[g | u1] used to leave that step's tail
// under-resolved (2.8e-14 at q = (0.5, 2), ρ = -0.999).
func TestExpect2UnequalNearOne(t *testing.T) {
	g := []float64{-1.3, -0.2, 0.05, 0.9, 2.2}
	y := []float64{-2, -0.5, -0.5, 0.1, 1, 1.7}
	s := stepFunc{g, y}
	phi2 := func(q11, q22, c float64) float64 {
		s1, s2 := math.Sqrt(q11), math.Sqrt(q22)
		sum := y[0] * y[0]
		for k, gk := range g {
			ak := y[k+1] - y[k]
			sum += y[0] * ak * (NormalCDF(-gk/s1) + NormalCDF(-gk/s2))
			for m, gm := range g {
				sum += ak * (y[m+1] - y[m]) * BivariateCDF(-gk/s1, -gm/s2, c)
			}
		}
		return sum
	}
	worst := 0.0
	for _, q := range [][2]float64{{0.5, 2}, {2, 0.5}, {3, 0.1}, {0.7, 0.7}} {
		m1, _ := s.moment(q[0], func(v float64) float64 { return v * v })
		m2, _ := s.moment(q[1], func(v float64) float64 { return v * v })
		for _, rho := range []float64{0.99, -0.99, 0.999, -0.999, 0.9999, -0.9999} {
			q12 := rho * math.Sqrt(q[0]*q[1])
			c := q12 / math.Sqrt(q[0]) / math.Sqrt(q[1])
			got := Expect2(s.eval, s.eval, q[0], q[1], q12, g, g)
			e := math.Abs(got-phi2(q[0], q[1], c)) / math.Sqrt(m1*m2)
			worst = max(worst, e)
			if !(e <= 2e-15) {
				t.Errorf("q=%v ρ=%g: error %.2e of √(E f² E g²)", q, rho, e)
			}
		}
	}
	t.Logf("worst error %.2e of √(E f² E g²)", worst)
}

// TestExpectSteepShifted: E[erf(a(m + σZ))] = erf(a m/√(1+2a²σ²)) for a
// steep erf (width 1e-2σ to 1e-4σ) whose step sweeps across the panels as
// m varies, as in the inner integrals of Expect2 for erf at large q. A
// step between a panel's last node and its end used to pass the
// resolution test (errors up to 3e-9); the panel ends are now probed.
func TestExpectSteepShifted(t *testing.T) {
	worst := 0.0
	for _, as := range []float64{1e2, 1e3, 1e4} {
		sigma := 2.0
		a := as / sigma
		f := func(x float64) float64 { return math.Erf(a * x) }
		for i := 0; i < 400; i++ {
			m := sigma * (-3 + 6*float64(i)/400 + 1e-3*math.Sin(float64(i)))
			got := gaussIntegral(f, m, sigma, nil)
			want := math.Erf(a * m / math.Sqrt(1+2*a*a*sigma*sigma))
			e := math.Abs(got - want)
			worst = max(worst, e)
			if !(e <= 2e-13) {
				t.Errorf("aσ=%g m=%g: got %.17g, want %.17g (err %.2e)", as, m, got, want, e)
			}
		}
	}
	t.Logf("worst absolute error %.2e", worst)
}

// TestSmoothPathFallback: functions the uniform grids cannot resolve
// within budget (tanh(100 z) at q = 1e4) make the smooth path report
// failure rather than return a value it could not check, and so does a
// NaN from f.
func TestSmoothPathFallback(t *testing.T) {
	if _, ok := smoothExpect2(math.Tanh, math.Tanh, 100, 100, 0.7); ok {
		t.Errorf("tanh at q = 1e4: smooth path claimed success")
	}
	nan := func(x float64) float64 {
		if x > 1 {
			return math.NaN()
		}
		return x
	}
	if _, ok := smoothExpect2(nan, math.Tanh, 1, 1, 0.7); ok {
		t.Errorf("NaN integrand: smooth path claimed success")
	}
	if _, ok := smoothExpect2(nan, math.Tanh, 1, 1, 0.2); ok {
		t.Errorf("NaN integrand (Mehler): smooth path claimed success")
	}
}

// TestMehlerRange: beyond the range, no term of Mehler's series exceeds
// e^{-48} (checked against the recurrence for h_k φ at the range's end).
func TestMehlerRange(t *testing.T) {
	for _, c := range []float64{1e-12, 1e-3, 0.1, 0.3, 0.5} {
		K := mehlerTerms(c)
		L := mehlerRange(c, K)
		if !(math.Pow(math.Abs(c), float64(K)) <= 1e-16) || (K > 1 && math.Pow(math.Abs(c), float64(K-1)) <= 1e-16) {
			t.Errorf("c=%g: K=%d is not the least with |c|^K ≤ 1e-16", c, K)
		}
		for z := L; z <= 20; z += 0.25 {
			for k := 0; k <= K; k++ {
				if v := math.Pow(math.Abs(c), float64(k)) * math.Abs(hermiteH(k, z)) * NormalPDF(z); v > math.Exp(-48) {
					t.Errorf("c=%g K=%d L=%g: |c^k h_k φ| = %.2e at z=%g, k=%d", c, K, L, v, z, k)
				}
			}
		}
	}
}
