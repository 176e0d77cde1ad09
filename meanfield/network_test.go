package meanfield

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestNewValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		phi    Activation
		sw, sb float64
	}{
		{"sigma_w zero", Tanh{}, 0, 0},
		{"sigma_w negative", Tanh{}, -1, 0},
		{"sigma_w NaN", Tanh{}, math.NaN(), 0},
		{"sigma_w Inf", Tanh{}, math.Inf(1), 0},
		{"sigma_b negative", Tanh{}, 1, -0.1},
		{"sigma_b NaN", Tanh{}, 1, math.NaN()},
		{"nil activation", nil, 1, 0},
		{"nil quantizer", Quantized{}, 1, 0},
		{"no derivative", plain{Tanh{}}, 1, 0},
		{"noisy negative", Noisy{S: -1, Phi: Tanh{}}, 1, 0},
		{"noisy NaN", Noisy{S: math.NaN(), Phi: Tanh{}}, 1, 0},
		{"noisy nil", Noisy{S: 1}, 1, 0},
		{"noisy without derivative", Noisy{S: 1, Phi: plain{Tanh{}}}, 1, 0},
	} {
		if _, err := New(tc.phi, tc.sw, tc.sb); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v, want ErrInvalid", tc.name, err)
		}
	}
	n := mustNet(t, Tanh{}, 1, 0)
	for _, q0 := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := n.Solve(q0); !errors.Is(err, ErrInvalid) {
			t.Errorf("Solve(%v): error %v, want ErrInvalid", q0, err)
		}
	}
	if _, _, err := n.CStar(-1); !errors.Is(err, ErrInvalid) {
		t.Errorf("CStar(-1): error %v, want ErrInvalid", err)
	}
	_, _, s12 := n.Step(1, 1, 1.01)
	_, _, s0 := n.Step(0, 1, 0.1)
	for _, v := range []float64{n.V(-1), n.M(0, 0.5), n.M(1, 1.5), n.Chi(1, math.NaN()), n.CorrelationByIntegral(1, -2), s12, s0} {
		if !math.IsNaN(v) {
			t.Errorf("out-of-domain map value %v, want NaN", v)
		}
	}
}

// TestCorrelationRoutes: the Φ2 closed form of M and the integral
// M(0) + ∫_0^c χ(r) dr (Gauss–Legendre in φ = arccos r on graded panels)
// agree to 1e-13 (observed ≤ 4e-15) over the whole range of c, including
// the √(1-c) cusp of quantizers at 1 (THEORY.md §2); for continuous
// activations χ and M come from closed forms or 1-D/2-D quadrature
// (observed ≤ 9e-16).
func TestCorrelationRoutes(t *testing.T) {
	type tc struct {
		phi    Activation
		sw, sb float64
		tol    float64
	}
	cases := []tc{
		{irregular(t), 1.3, 0.2, 1e-13},
		{mustParse(t, "quant:3"), 2, 0.1, 1e-13},
		{mustParse(t, "quant:4"), 1.5, 0, 1e-13},
		{mustParse(t, "quant:9:delta=0.4,amp=0.5"), 1.1, 0.3, 1e-13},
		{mustParse(t, "uquant:5"), 2.2, 0.05, 1e-13},
		{mustParse(t, "quant:32"), 1.2, 0.1, 1e-13},
		{Noisy{S: 0.3, Phi: mustParse(t, "quant:5")}, 1.4, 0.1, 1e-13},
		{ReLU{}, 1.2, 0.1, 1e-13},
		{Erf{}, 1.7, 0.2, 1e-13},
		{Tanh{}, 1.5, 0.05, 1e-13},
		{HardTanh{}, 1.2, 0.1, 1e-13},
	}
	if !testing.Short() {
		cases = append(cases, tc{mustParse(t, "quant:128"), 1.1, 0.05, 1e-13})
	}
	for _, c := range cases {
		n := mustNet(t, c.phi, c.sw, c.sb)
		q, err := n.QStar(DefaultQ0)
		if err != nil {
			t.Fatalf("%v: %v", n, err)
		}
		cs := []float64{-1, -0.999999, -0.7, -0.1, 0, 0.05, 0.5, 0.9, 0.999, 0.999999, 1}
		if _, ok := c.phi.(Tanh); ok {
			cs = []float64{-0.9, 0.3, 0.95, 1}
		}
		for _, qq := range []float64{q, 0.3 * q} {
			for _, cc := range cs {
				check(t, fmt.Sprintf("%v q=%g c=%g", n, qq, cc), n.CorrelationByIntegral(qq, cc), n.M(qq, cc), c.tol, 0)
			}
		}
	}
}

// TestChiIsSlopeOfM: χ(c) = M'(c) (Price's theorem) against a 5-point
// difference of M with h = 1e-3 (error ~h⁴ M⁽⁵⁾/30 + eps/h ≲ 1e-10 away from
// c = ±1, where the step-function M⁽ᵏ⁾ blow up).
func TestChiIsSlopeOfM(t *testing.T) {
	acts := []Activation{irregular(t), Sign{}, mustParse(t, "quant:4"), mustParse(t, "uquant:6:amp=2"),
		Tanh{}, Erf{}, ReLU{}, LeakyReLU{Alpha: 0.2}, HardTanh{}, ELU{Alpha: 1}}
	for _, phi := range acts {
		n := mustNet(t, phi, 1.3, 0.2)
		q, err := n.QStar(DefaultQ0)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []float64{-0.6, -0.2, 0, 0.3, 0.7} {
			h := 1e-3
			fd := (n.M(q, c-2*h) - 8*n.M(q, c-h) + 8*n.M(q, c+h) - n.M(q, c+2*h)) / (12 * h)
			chi := n.Chi(q, c)
			if chi < 0 {
				t.Errorf("%v: χ(%g) = %v < 0", n, c, chi)
			}
			check(t, fmt.Sprintf("%v χ(%g)", n, c), chi, fd, 1e-9, 0)
		}
	}
}

// chiTheory is χ(D) of THEORY.md §3, the naive O(N²) double sum, with
// Ψ(x) = erfc(-x/√2)/2 from the standard library.
func chiTheory(n int, d float64) float64 {
	psi := func(x float64) float64 { return math.Erfc(-x/math.Sqrt2) / 2 }
	var ks []float64
	for k := 1; k <= n-1; k++ {
		ks = append(ks, float64(k)-float64(n)/2)
	}
	var num, den float64
	for _, i := range ks {
		num += math.Exp(-i * i * d * d / 2)
		for _, j := range ks {
			den += psi(math.Min(i, j)*d) * psi(-math.Max(i, j)*d)
		}
	}
	return num * num / (2 * math.Pi * den)
}

// TestChiZeroUniform: for the uniform symmetric quantizer at σ_b = 0,
// c* = 0 and χ(c*) equals THEORY.md §3's χ(D), D = δ/√q*, computed by the
// naive sum; any σ_w (it fixes D through q*).
func TestChiZeroUniform(t *testing.T) {
	for _, spec := range []string{"quant:2", "quant:3", "quant:4", "quant:5:delta=0.7,amp=3", "quant:8", "quant:16", "quant:33:delta=0.05"} {
		phi := mustParse(t, spec).(Quantized)
		delta, _, _ := phi.Quantizer.Uniform()
		for _, sw := range []float64{1.2, 2, 4} {
			n := mustNet(t, phi, sw, 0)
			fp, err := n.Solve(DefaultQ0)
			if errors.Is(err, ErrCollapsed) {
				continue // odd N with too small a σ_w
			}
			if err != nil {
				t.Fatalf("%v: %v", n, err)
			}
			if fp.CStar != 0 {
				t.Errorf("%v: c* = %v, want 0", n, fp.CStar)
			}
			want := chiTheory(phi.N(), delta/math.Sqrt(fp.QStar))
			check(t, fmt.Sprintf("%v χ(0)", n), fp.ChiCStar, want, 1e-12, want)
			if !(want <= 1) {
				t.Errorf("%v: χ(D) = %v > 1 (Stein bound)", n, want)
			}
		}
	}
}

// TestNoisy: output noise of std S adds σ_w²S² to V and nothing to the
// cross moment, so M(1) = 1 - σ_w²S²/q* at the fixed point and c* < 1 even
// where the noise-free network is ordered with c* = 1.
func TestNoisy(t *testing.T) {
	for _, tc := range []struct {
		phi    Activation
		s      float64
		sw, sb float64
	}{
		{Tanh{}, 0.2, 0.9, 0.3},
		{Erf{}, 0.5, 1.1, 0.1},
		{mustParse(t, "quant:4"), 0.1, 1.5, 0.2},
		{ReLU{}, 0.3, 1.2, 0.1},
	} {
		clean := mustNet(t, tc.phi, tc.sw, tc.sb)
		noisy := mustNet(t, Noisy{S: tc.s, Phi: tc.phi}, tc.sw, tc.sb)
		for _, q := range []float64{0.2, 1.3} {
			check(t, "V noisy", noisy.V(q), clean.V(q)+tc.sw*tc.sw*tc.s*tc.s, 1e-15, 0)
			check(t, "V' noisy", noisy.VDeriv(q), clean.VDeriv(q), 1e-15, 0)
			for _, c := range []float64{-0.5, 0.4, 1} {
				check(t, "M noisy", noisy.M(q, c), clean.M(q, c), 1e-15, 0)
				check(t, "χ noisy", noisy.Chi(q, c), clean.Chi(q, c), 1e-15, 0)
			}
			a, b, c := noisy.Step(q, 2*q, 0.5*q)
			a0, b0, c0 := clean.Step(q, 2*q, 0.5*q)
			e := tc.sw * tc.sw * tc.s * tc.s
			check(t, "Step q11", a, a0+e, 1e-15, 0)
			check(t, "Step q22", b, b0+e, 1e-15, 0)
			check(t, "Step q12", c, c0, 1e-15, 0)
		}
		fp, err := noisy.Solve(DefaultQ0)
		if err != nil {
			t.Fatalf("%v: %v", noisy, err)
		}
		check(t, fmt.Sprintf("%v M(1)", noisy), noisy.M(fp.QStar, 1), 1-tc.sw*tc.sw*tc.s*tc.s/fp.QStar, 1e-14, 0)
		check(t, fmt.Sprintf("%v M(c*)", noisy), noisy.M(fp.QStar, fp.CStar), fp.CStar, 1e-14, 0)
		if !(fp.CStar < 1 && fp.ChiCStar < 1) {
			t.Errorf("%v: c* = %v, χ(c*) = %v; want both < 1", noisy, fp.CStar, fp.ChiCStar)
		}
	}
}

// TestQStar: closed-form fixed points, divergence and collapse.
func TestQStar(t *testing.T) {
	for _, tc := range []struct {
		phi    Activation
		sw, sb float64
		want   float64
	}{
		{ReLU{}, 1.2, 0.3, 0.09 / (1 - 0.72)},
		{Identity{}, 0.8, 0.5, 0.25 / (1 - 0.64)},
		{LeakyReLU{Alpha: 0.5}, 1.1, 0.2, 0.04 / (1 - 1.21*1.25/2)},
		{Sign{}, 1.7, 0.4, 1.7*1.7 + 0.16},
	} {
		n := mustNet(t, tc.phi, tc.sw, tc.sb)
		for _, q0 := range []float64{0.01, 1, 50} {
			q, err := n.QStar(q0)
			if err != nil {
				t.Fatalf("%v: %v", n, err)
			}
			check(t, fmt.Sprintf("%v q* from %g", n, q0), q, tc.want, 1e-14, tc.want)
		}
	}
	// Fixed points without closed form: V(q*) = q* to the last few ulps and
	// stable (V'(q*) < 1).
	for _, tc := range []struct {
		spec   string
		sw, sb float64
	}{{"tanh", 1.5, 0.3}, {"erf", 2, 0}, {"quant:3", 3, 0}, {"quant:8", 1.3, 0.1}, {"uquant:4", 2, 0}, {"elu:1", 1.2, 0.2}, {"hardtanh", 1.3, 0}} {
		n := mustNet(t, mustParse(t, tc.spec), tc.sw, tc.sb)
		fp, err := n.Solve(DefaultQ0)
		if err != nil {
			t.Fatalf("%v: %v", n, err)
		}
		check(t, fmt.Sprintf("%v V(q*)", n), n.V(fp.QStar), fp.QStar, 1e-15, fp.QStar)
		if !(fp.QStar > 0 && fp.VPrime < 1 && fp.XiQ > 0) {
			t.Errorf("%v: %+v, want a positive stable q*", n, fp)
		}
		if fp.CStar < 1 {
			check(t, fmt.Sprintf("%v M(c*)", n), n.M(fp.QStar, fp.CStar), fp.CStar, 1e-15, 1)
			if !(fp.ChiCStar < 1) {
				t.Errorf("%v: χ(c*) = %v, want < 1", n, fp.ChiCStar)
			}
		}
	}
	for _, tc := range []struct {
		phi    Activation
		sw, sb float64
		want   error
	}{
		{ReLU{}, 1.5, 0, ErrDiverged},
		{ReLU{}, math.Sqrt2, 0.1, ErrDiverged},
		{ReLU{}, 1.4143, 0, ErrDiverged}, // σ_w² = 2.0002: slow growth
		{ELU{Alpha: 1}, 1.5, 0.1, ErrDiverged},
		{ReLU{}, 1.3, 0, ErrCollapsed},
		{Tanh{}, 0.8, 0, ErrCollapsed},
		{mustParse(t, "quant:3"), 0.5, 0, ErrCollapsed},
	} {
		n := mustNet(t, tc.phi, tc.sw, tc.sb)
		if _, err := n.QStar(DefaultQ0); !errors.Is(err, tc.want) {
			t.Errorf("%v: error %v, want %v", n, err, tc.want)
		}
	}
}

// TestStep: the covariance step agrees with V on the diagonal and with the
// correlation map at equal variances.
func TestStep(t *testing.T) {
	for _, spec := range []string{"quant:5", "tanh", "relu", "uquant:3"} {
		n := mustNet(t, mustParse(t, spec), 1.3, 0.2)
		for _, q := range []float64{0.3, 2} {
			a, b, c := n.Step(q, q, 0.4*q)
			check(t, spec+" q11", a, n.V(q), 0, 0)
			check(t, spec+" q22", b, n.V(q), 0, 0)
			check(t, spec+" q12", c, q*n.M(q, 0.4), 1e-15, 0)
		}
		a, _, c := n.Step(0.7, 0.7, 0.7)
		check(t, spec+" q12 = q11 at c = 1", c, a, 1e-14, 0)
	}
}

// FuzzMaps: random valid networks give finite maps with |M(c)| ≤ V(q)/q
// (Cauchy–Schwarz; = 1 at q*, so |M| ≤ 1 there for every activation, noisy
// or not, any σ_b) and χ ≥ 0 (monotone φ).
func FuzzMaps(f *testing.F) {
	f.Add(uint8(0), uint8(4), 1.5, 0.1, 0.7, 0.3)
	f.Add(uint8(3), uint8(2), 1.0, 0.0, 2.0, -0.9)
	f.Add(uint8(7), uint8(9), 2.5, 0.5, 0.01, 0.999)
	f.Fuzz(mapsProperty)
}

func mapsProperty(t *testing.T, kind, levels uint8, sw, sb, q, c float64) {
	{
		sw, sb = math.Abs(sw), math.Abs(sb)
		q = math.Abs(q)
		if !(sw > 1e-3 && sw < 10 && sb < 10 && q > 1e-6 && q < 1e4 && c >= -1 && c <= 1) {
			return
		}
		if sb < 0.05 {
			// quadrature.Expect2 takes seconds at 0 < |ρ| ≲ 1e-5, which a
			// tiny σ_b puts c* into for tanh and ELU: keep σ_b = 0 or ≥ 0.05.
			sb = 0
		}
		if math.Abs(c) < 1e-4 {
			c = 0 // same reason
		}
		nl := 2 + int(levels)%15
		acts := []Activation{Sign{}, Tanh{}, Erf{}, ReLU{}, LeakyReLU{Alpha: 0.3}, HardTanh{}, ELU{Alpha: 0.7}, Identity{},
			mustParse(t, fmt.Sprintf("quant:%d", nl)), mustParse(t, fmt.Sprintf("uquant:%d:amp=2", nl)),
			Noisy{S: 0.4, Phi: mustParse(t, fmt.Sprintf("quant:%d", nl))}, Noisy{S: 0.2, Phi: Tanh{}}}
		phi := acts[int(kind)%len(acts)]
		n := mustNet(t, phi, sw, sb)
		m, chi, v := n.M(q, c), n.Chi(q, c), n.V(q)
		if math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(chi) {
			t.Fatalf("%v q=%g c=%g: M=%v V=%v χ=%v", n, q, c, m, v, chi)
		}
		if math.IsInf(chi, 0) && c != 1 && c != -1 {
			t.Fatalf("%v q=%g c=%g: χ = %v", n, q, c, chi)
		}
		if chi < 0 {
			t.Fatalf("%v q=%g c=%g: χ = %v < 0", n, q, c, chi)
		}
		if math.Abs(m) > v/q*(1+1e-12) {
			t.Fatalf("%v q=%g c=%g: |M| = %v > V/q = %v", n, q, c, math.Abs(m), v/q)
		}
		fp, err := n.Solve(DefaultQ0)
		if err != nil {
			return // divergence and collapse are legitimate outcomes
		}
		if mq := n.M(fp.QStar, c); math.Abs(mq) > 1+1e-12 {
			t.Fatalf("%v: |M(%g)| = %v > 1 at q* = %v", n, c, mq, fp.QStar)
		}
		if !(fp.CStar >= 0 && fp.CStar <= 1) || math.IsNaN(fp.XiC) || math.IsNaN(fp.XiQ) {
			t.Fatalf("%v: %+v", n, fp)
		}
	}
}

// TestFuzzMapsRandom runs the FuzzMaps properties on seeded random inputs so
// that `go test` exercises them beyond the seed corpus.
func TestFuzzMapsRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 60; i++ {
		kind, levels := uint8(r.IntN(256)), uint8(r.IntN(256))
		sw := 0.2 + 3*r.Float64()
		sb := r.Float64() * r.Float64()
		q := math.Exp(-5 + 9*r.Float64())
		c := 2*r.Float64() - 1
		mapsProperty(t, kind, levels, sw, sb, q, c)
	}
}

// TestQStarHugeStart: a bounded activation maps any q0 to at most
// σ_w² max φ², so a start of 1e300 must reach the same q* as a start of 1,
// not be mistaken for a collapse.
func TestQStarHugeStart(t *testing.T) {
	for _, spec := range []string{"quant:8", "sign", "tanh", "sround:4"} {
		phi := mustParse(t, spec)
		n, err := New(phi, 1.05, 0)
		if err != nil {
			t.Fatal(err)
		}
		want, err := n.QStar(1)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		got, err := n.QStar(1e300)
		if err != nil {
			t.Fatalf("%s from q0 = 1e300: %v", spec, err)
		}
		if math.Abs(got-want) > 1e-13*want {
			t.Errorf("%s: q* = %v from 1e300, %v from 1", spec, got, want)
		}
	}
}
