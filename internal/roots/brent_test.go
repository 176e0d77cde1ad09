package roots

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// within reports whether x is within d of want.
func within(x, want, d float64) bool { return math.Abs(x-want) <= d }

func TestBrent(t *testing.T) {
	const ulp4 = 4 * eps
	rel15 := func(x float64) float64 { return 2e-15 * math.Max(1, math.Abs(x)) }
	abs12 := func(float64) float64 { return 1e-12 }
	cases := []struct {
		name string
		f    func(float64) float64
		a, b float64
		tol  func(float64) float64
		root float64
		// maxEval: evaluations inside the bracket, as measured plus 2 (a
		// fused multiply-add on some platforms may cost a step).
		// Bisection alone needs log₂((b−a)/tol) ≈ 42 on the tough cases;
		// Brent may take more where interpolation creeps (the triple
		// root: 108 and 129), but never more than about its square.
		maxEval int
	}{
		// Simple roots: superlinear convergence to within 4 ulps of the
		// correctly rounded root (from 60-digit Newton and the Dottie number).
		{"x³ − 2x − 5", func(x float64) float64 { return x*x*x - 2*x - 5 }, 2, 3, nil, 2.0945514815423265, 8},
		{"cos x − x", func(x float64) float64 { return math.Cos(x) - x }, 0, 1, nil, 0.7390851332151607, 9},
		{"x³ − 2", func(x float64) float64 { return x*x*x - 2 }, 0, 3, rel15, math.Cbrt(2), 11},
		{"eˣ − 1 (root 0)", func(x float64) float64 { return math.Exp(x) - 1 }, -1, 3, nil, 0, 11},
		{"x − 1e10 (large x)", func(x float64) float64 { return x - 1e10 }, 0, 3e10, nil, 1e10, 1},
		{"root at end", func(x float64) float64 { return x - 2 }, 0, 2, rel15, 2, 0},
		// Tough cases: the tolerance, not the root's digits, bounds the error.
		{"(x−1)³ triple root", func(x float64) float64 { return (x - 1) * (x - 1) * (x - 1) }, -2, 3, abs12, 1, 110},
		{"(x−1)³ at 2e−15", func(x float64) float64 { return (x - 1) * (x - 1) * (x - 1) }, -2, 3, rel15, 1, 131},
		{"x²⁰ − 1", func(x float64) float64 { return math.Pow(x, 20) - 1 }, 0, 5, abs12, 1, 19},
		{"jump at 1/3", func(x float64) float64 {
			if x < 1.0/3 {
				return -1
			}
			return 1
		}, 0, 1, abs12, 1.0 / 3, 42},
		{"pole at 0.3", func(x float64) float64 { return 1 / (x - 0.3) }, 0, 1, abs12, 0.3, 45},
		{"tanh(1e8 (x − 0.3))", func(x float64) float64 { return math.Tanh(1e8 * (x - 0.3)) }, -5, 5, abs12, 0.3, 35},
		{"step-like tanh", func(x float64) float64 { return math.Tanh(50 * (x - 0.3)) }, -5, 5, rel15, 0.3, 14},
	}
	for _, c := range cases {
		n := 0
		f := func(x float64) float64 { n++; return c.f(x) }
		got, err := Brent(f, c.a, c.b, c.f(c.a), c.f(c.b), Options{Tol: c.tol})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		d := ulp4 * math.Abs(got)
		if c.tol != nil {
			d += c.tol(got)
		}
		if c.tol == nil && c.root == 0 {
			d = 1e-16 // eˣ − 1 rounds to 0 for |x| < 2⁻⁵³
		}
		if !within(got, c.root, d) {
			t.Errorf("%s: root %.17g, want %.17g within %.3g", c.name, got, c.root, d)
		}
		if n > c.maxEval {
			t.Errorf("%s: %d evaluations, want at most %d", c.name, n, c.maxEval)
		}
	}
}

// TestBrentBracketsASignChange: on random cubics and tolerances the
// result is within Tol(x) + 4ε|x| of a sign change of f, checked at the
// two points that far to either side.
func TestBrentBracketsASignChange(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for i := range 5000 {
		r1, r2, r3 := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		f := func(x float64) float64 { return (x - r1) * (x - r2) * (x - r3) }
		a, b := -10+rng.Float64(), 10-rng.Float64()
		tv := []float64{0, 1e-14, 1e-9, 1e-4}[i%4]
		tol := func(x float64) float64 { return tv * math.Abs(x) }
		x, err := Brent(f, a, b, f(a), f(b), Options{Tol: tol})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		d := tol(x) + 4*eps*math.Abs(x)
		lo, hi := f(x-d), f(x+d)
		if f(x) != 0 && (lo > 0) == (hi > 0) && lo != 0 && hi != 0 {
			t.Fatalf("case %d: no sign change within %g of %v (roots %v, %v, %v)", i, d, x, r1, r2, r3)
		}
	}
}

func TestBrentErrors(t *testing.T) {
	if _, err := Brent(math.Exp, 0, 1, 1, math.E, Options{}); !errors.Is(err, ErrNoBracket) {
		t.Errorf("unbracketed: err = %v", err)
	}
	if _, err := Brent(math.Exp, 0, 1, math.NaN(), -1, Options{}); !errors.Is(err, ErrNoBracket) {
		t.Errorf("NaN at an end: err = %v", err)
	}
	nan := func(x float64) float64 {
		if x > 0.2 && x < 0.8 {
			return math.NaN()
		}
		return x - 0.5
	}
	if _, err := Brent(nan, 0, 1, -0.5, 0.5, Options{}); !errors.Is(err, ErrNaN) {
		t.Errorf("NaN inside: err = %v", err)
	}
	cos := func(x float64) float64 { return math.Cos(x) - x }
	if _, err := Brent(cos, 0, 1, 1, cos(1), Options{MaxIter: 3}); !errors.Is(err, ErrMaxIter) {
		t.Errorf("3 iterations: err = %v", err)
	}
}

func TestMinimize(t *testing.T) {
	rel10 := func(x float64) float64 { return 1e-10 * math.Abs(x) }
	abs6 := func(float64) float64 { return 1e-6 }
	cases := []struct {
		name   string
		f      func(float64) float64
		a, b   float64
		tol    func(float64) float64
		xmin   float64
		xError float64
	}{
		{"parabola", func(x float64) float64 { return (x - 2) * (x - 2) }, 0, 5, rel10, 2, 1e-9},
		// A flat minimum: f is flat to rounding within √ε ≈ 1.5e-8 of π.
		{"cos", math.Cos, 2, 4, rel10, math.Pi, 3e-8},
		{"cusp", func(x float64) float64 { return math.Abs(x - 1.3) }, 0, 5, rel10, 1.3, 1e-9},
		{"monotone", func(x float64) float64 { return -x }, 1, 2, rel10, 2, 1e-9},
		// A discontinuous excluded region, as for a collapsed network.
		{"step", func(x float64) float64 {
			if x < 1 {
				return 1
			}
			return (x - 1.5) * (x - 1.5)
		}, 0, 3, rel10, 1.5, 1e-9},
		// A quartic is flat to rounding within ε^¼ ≈ 1e-4 of its minimum:
		// the absolute tolerance 1e-6 is what the bracket then guarantees.
		{"quartic at 0", func(x float64) float64 { return x * x * x * x }, -1, 2, abs6, 0, 4e-6},
	}
	for _, c := range cases {
		m, err := Minimize(func(x float64) (float64, error) { return c.f(x), nil }, c.a, c.b, Options{Tol: c.tol})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !within(m.X, c.xmin, c.xError) || !(m.Lo <= m.X && m.X <= m.Hi) || m.F != c.f(m.X) {
			t.Errorf("%s: x = %.15g in [%v, %v], f = %v; want %.15g", c.name, m.X, m.Lo, m.Hi, m.F, c.xmin)
		}
		// The stopping rule: the bracket reaches at most 2(Tol(x) + ε|x|)
		// from x, and it holds the minimizer of these unimodal functions.
		t2 := 2 * (c.tol(m.X) + eps*math.Abs(m.X))
		if m.X-m.Lo > t2 || m.Hi-m.X > t2 || !(m.Lo <= c.xmin && c.xmin <= m.Hi) && c.name != "cos" {
			t.Errorf("%s: bracket [%v, %v] around %v, tolerance %g, minimizer %v", c.name, m.Lo, m.Hi, m.X, t2, c.xmin)
		}
	}
	boom := errors.New("boom")
	if _, err := Minimize(func(float64) (float64, error) { return 0, boom }, 0, 1, Options{}); !errors.Is(err, boom) {
		t.Errorf("Minimize swallowed an error of f: %v", err)
	}
	if _, err := Minimize(func(x float64) (float64, error) { return math.Cos(x), nil }, 2, 4, Options{MaxIter: 3}); !errors.Is(err, ErrMaxIter) {
		t.Errorf("3 iterations: err = %v", err)
	}
}

func BenchmarkBrent(b *testing.B) {
	f := func(x float64) float64 { return math.Cos(x) - x }
	fa, fb := f(0), f(1)
	for b.Loop() {
		if _, err := Brent(f, 0, 1, fa, fb, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMinimize(b *testing.B) {
	f := func(x float64) (float64, error) { return math.Cos(x), nil }
	tol := func(x float64) float64 { return 1e-10 * math.Abs(x) }
	for b.Loop() {
		if _, err := Minimize(f, 2, 4, Options{Tol: tol}); err != nil {
			b.Fatal(err)
		}
	}
}
