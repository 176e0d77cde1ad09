package quadrature

import (
	"bufio"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// stepFunc is a quantizer-like non-decreasing step function (THEORY.md §2),
// built here so that the package depends on nothing of ours.
type stepFunc struct {
	g []float64 // thresholds, increasing
	y []float64 // levels, len(g)+1
}

func (s stepFunc) eval(x float64) float64 {
	// Right-continuous: the level above g_k from g_k on.
	return s.y[sort.SearchFloat64s(s.g, math.Nextafter(x, math.Inf(1)))]
}

// uniformStep returns the canonical symmetric N-level quantizer (levels
// -1 + 2k/(N-1), thresholds δ(k - N/2), δ = 2/(N-1)) or, if unsigned, the
// unsigned one (levels k/(N-1), thresholds δ(k - 1/2)).
func uniformStep(n int, unsigned bool) stepFunc {
	d := 2 / float64(n-1)
	s := stepFunc{make([]float64, n-1), make([]float64, n)}
	for k := 1; k < n; k++ {
		if unsigned {
			d = 1 / float64(n-1)
			s.g[k-1] = d * (float64(k) - 0.5)
		} else {
			s.g[k-1] = d * (float64(k) - float64(n)/2)
		}
	}
	for k := range s.y {
		if unsigned {
			s.y[k] = float64(k) / float64(n-1)
		} else {
			s.y[k] = -1 + 2*float64(k)/float64(n-1)
		}
	}
	return s
}

// moment returns the closed form Σ_j F(y_j)·P(bin j) of E[F(φ(√q Z))] and
// Σ_j |F(y_j)|·P(bin j), the scale against which its error is measured.
func (s stepFunc) moment(q float64, F func(float64) float64) (want, scale float64) {
	sq := math.Sqrt(q)
	for j, y := range s.y {
		a, b := math.Inf(-1), math.Inf(1)
		if j > 0 {
			a = s.g[j-1] / sq
		}
		if j < len(s.g) {
			b = s.g[j] / sq
		}
		p := normalMass(a, b)
		want += F(y) * p
		scale += math.Abs(F(y)) * p
	}
	return want, scale
}

var expectQs = []float64{1e-4, 1e-3, 1e-2, 0.1, 0.5, 1, 2, 10, 100, 1e4}

func TestExpectQuantizer(t *testing.T) {
	powers := []struct {
		name string
		F    func(float64) float64
	}{
		{"φ", func(y float64) float64 { return y }},
		{"φ²", func(y float64) float64 { return y * y }},
		{"(φ+0.3)³", func(y float64) float64 { return (y + 0.3) * (y + 0.3) * (y + 0.3) }},
	}
	worst := 0.0
	for _, n := range []int{2, 3, 4, 5, 8, 16, 255, 256} {
		for _, unsigned := range []bool{false, true} {
			s := uniformStep(n, unsigned)
			for _, q := range expectQs {
				for _, p := range powers {
					want, scale := s.moment(q, p.F)
					got := Expect(func(x float64) float64 { return p.F(s.eval(x)) }, q, s.g)
					e := 0.0
					if got != want {
						e = math.Abs(got-want) / scale
					}
					worst = math.Max(worst, e)
					if !(e <= 1e-13) {
						t.Errorf("N=%d unsigned=%v q=%g E[%s]: got %.17g, want %.17g (rel %.2e)",
							n, unsigned, q, p.name, got, want, e)
					}
				}
			}
		}
	}
	t.Logf("worst relative error %.2e", worst)
}

// TestExpectTail: when only the far tails contribute (a 3-level quantizer
// with its zero level covering ±15σ to ±35σ), the result is still accurate
// relative to itself, because the density is factored about each panel's
// inner end.
func TestExpectTail(t *testing.T) {
	s := uniformStep(3, false) // thresholds ±0.5, levels -1, 0, 1
	worst := 0.0
	for _, q := range []float64{1e-3, 5e-4, 3e-4, 2e-4} {
		want, _ := s.moment(q, func(y float64) float64 { return y * y })
		got := Expect(func(x float64) float64 { v := s.eval(x); return v * v }, q, s.g)
		e := math.Abs(got-want) / want
		worst = math.Max(worst, e)
		if !(e <= 1e-13) {
			t.Errorf("q=%g: got %.17g, want %.17g (rel %.2e)", q, got, want, e)
		}
	}
	t.Logf("worst relative error %.2e (values down to %.1e)", worst, 2*NormalCDF(-0.5/math.Sqrt(2e-4)))
}

// erfSquare returns E[erf(a u)²] = (2/π) arcsin(2a²q/(1+2a²q)) (THEORY.md
// §6 with u1 = u2), written as an arctangent so that it stays accurate when
// the argument of arcsin is near 1.
func erfSquare(a, q float64) float64 {
	A := 2 * a * a * q
	return 2 / math.Pi * math.Atan2(A, math.Sqrt(1+2*A))
}

func TestExpectSmoothClosedForms(t *testing.T) {
	type tc struct {
		name  string
		f     func(float64) float64
		want  func(q float64) float64
		qmax  float64
		abs   bool // zero-mean results: error measured against E|f|
		scale func(q float64) float64
	}
	relu := func(x float64) float64 { return max(x, 0) }
	tests := []tc{
		{"u²", func(x float64) float64 { return x * x }, func(q float64) float64 { return q }, 1e4, false, nil},
		{"u⁴", func(x float64) float64 { return x * x * x * x }, func(q float64) float64 { return 3 * q * q }, 1e4, false, nil},
		{"u⁶", func(x float64) float64 { return math.Pow(x, 6) }, func(q float64) float64 { return 15 * q * q * q }, 1e4, false, nil},
		{"relu", relu, func(q float64) float64 { return math.Sqrt(q / (2 * math.Pi)) }, 1e4, false, nil},
		{"relu²", func(x float64) float64 { return relu(x) * relu(x) }, func(q float64) float64 { return q / 2 }, 1e4, false, nil},
		{"|u-0.2|", func(x float64) float64 { return math.Abs(x - 0.2) }, func(q float64) float64 {
			// E|u - m| = 2σφ(m/σ) + m(2Ψ(m/σ) - 1)
			s := math.Sqrt(q)
			return 2*s*NormalPDF(0.2/s) + 0.2*(2*NormalCDF(0.2/s)-1)
		}, 1e4, false, nil},
		{"cos", math.Cos, func(q float64) float64 { return math.Exp(-q / 2) }, 4, false, nil},
		{"exp", math.Exp, func(q float64) float64 { return math.Exp(q / 2) }, 1, false, nil},
		{"erf(0.1u)²", func(x float64) float64 { v := math.Erf(0.1 * x); return v * v }, func(q float64) float64 { return erfSquare(0.1, q) }, 1e4, false, nil},
		{"erf(u)²", func(x float64) float64 { v := math.Erf(x); return v * v }, func(q float64) float64 { return erfSquare(1, q) }, 1e4, false, nil},
		{"erf(10u)²", func(x float64) float64 { v := math.Erf(10 * x); return v * v }, func(q float64) float64 { return erfSquare(10, q) }, 1e4, false, nil},
		{"tanh", math.Tanh, func(float64) float64 { return 0 }, 1e4, true, nil},
		{"erf(u+0.3)-erf(u-0.3)+u³", func(x float64) float64 { return math.Erf(x+0.3) + math.Erf(x-0.3) + x*x*x },
			func(float64) float64 { return 0 }, 1e4, true, nil},
	}
	worst := 0.0
	for _, tc := range tests {
		for _, q := range expectQs {
			if q > tc.qmax {
				continue
			}
			var breaks []float64
			if strings.Contains(tc.name, "|u-0.2|") {
				breaks = []float64{0.2}
			}
			got := Expect(tc.f, q, breaks)
			want := tc.want(q)
			scale := math.Abs(want)
			if tc.abs {
				scale = Expect(func(x float64) float64 { return math.Abs(tc.f(x)) }, q, []float64{0})
			}
			e := math.Abs(got-want) / scale
			worst = math.Max(worst, e)
			if !(e <= 1e-13) {
				t.Errorf("E[%s] q=%g: got %.17g, want %.17g (rel %.2e)", tc.name, q, got, want, e)
			}
		}
	}
	t.Logf("worst relative error %.2e", worst)
}

// TestExpectSmoothReference compares with 20-digit values from mpmath
// (testdata/gen_expect.py), for activations without a closed form.
func TestExpectSmoothReference(t *testing.T) {
	fs := map[string]func(float64) float64{
		"tanh2":      func(x float64) float64 { v := math.Tanh(x); return v * v },
		"sech4":      func(x float64) float64 { v := 1 / math.Cosh(x); return v * v * v * v },
		"tanh_shift": func(x float64) float64 { return math.Tanh(x + 0.3) },
		"softplus": func(x float64) float64 {
			if x < 0 {
				return math.Log1p(math.Exp(x))
			}
			return x + math.Log1p(math.Exp(-x))
		},
	}
	f, err := os.Open("testdata/expect.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, worst := 0, 0.0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fl := strings.Fields(sc.Text())
		q, _ := strconv.ParseFloat(fl[1], 64)
		want, _ := strconv.ParseFloat(fl[2], 64)
		got := Expect(fs[fl[0]], q, nil)
		e := math.Abs(got-want) / math.Abs(want)
		if e > 1e-15 {
			t.Logf("E[%s] q=%g: rel %.2e", fl[0], q, e)
		}
		worst = math.Max(worst, e)
		if !(e <= 1e-13) {
			t.Errorf("E[%s] q=%g: got %.17g, want %.17g (rel %.2e)", fl[0], q, got, want, e)
		}
		n++
	}
	if n < 40 {
		t.Fatalf("only %d reference values", n)
	}
	t.Logf("worst relative error %.2e over %d values", worst, n)
}

func TestExpectBreakHandling(t *testing.T) {
	s := uniformStep(8, true)
	f := func(x float64) float64 { return s.eval(x) }
	clean := Expect(f, 0.7, s.g)
	messy := append([]float64{math.NaN(), 3e5, -3e5, math.Inf(1), s.g[3]}, s.g...)
	for i, j := 0, len(messy)-1; i < j; i, j = i+1, j-1 {
		messy[i], messy[j] = messy[j], messy[i]
	}
	if got := Expect(f, 0.7, messy); math.Abs(got-clean) > 1e-15*math.Abs(clean) {
		t.Errorf("unsorted/duplicated/non-finite breaks: %.17g, clean %.17g", got, clean)
	}
	// Breakpoints that are not where f jumps cost accuracy nothing.
	extra := append([]float64{-0.123, 0.05, 0.051, 2.5}, s.g...)
	if got := Expect(f, 0.7, extra); math.Abs(got-clean) > 1e-15*math.Abs(clean) {
		t.Errorf("extra breaks: %.17g, clean %.17g", got, clean)
	}
}

// TestExpectUndeclaredJump: a jump that is not declared as a breakpoint is
// still found by bisection (to the panel width floor, 1e-13σ), though at
// many more evaluations.
func TestExpectUndeclaredJump(t *testing.T) {
	for _, q := range []float64{0.1, 1, 10} {
		f := func(x float64) float64 {
			if x >= 0.3 {
				return 1
			}
			return 0
		}
		want := NormalCDF(-0.3 / math.Sqrt(q))
		got := Expect(f, q, nil)
		if e := math.Abs(got-want) / want; !(e <= 1e-12) {
			t.Errorf("q=%g: got %.17g, want %.17g (rel %.2e)", q, got, want, e)
		}
	}
}

func TestExpectSpecialCases(t *testing.T) {
	f := func(x float64) float64 { return 3 + x }
	if got := Expect(f, 0, nil); got != 3 {
		t.Errorf("q=0: got %v, want f(0) = 3", got)
	}
	for _, q := range []float64{-1, math.NaN(), math.Inf(1)} {
		if got := Expect(f, q, nil); !math.IsNaN(got) {
			t.Errorf("q=%v: got %v, want NaN", q, got)
		}
	}
	calls := 0
	nan := func(x float64) float64 { calls++; return math.NaN() }
	if got := Expect(nan, 1, nil); !math.IsNaN(got) {
		t.Errorf("f = NaN: got %v", got)
	}
	if calls > 1000 {
		t.Errorf("f = NaN took %d evaluations", calls)
	}
	// Pure noise can never be resolved: the panel budget bounds the work
	// (16 nodes and at most 4 probes a panel).
	calls = 0
	noise := func(x float64) float64 { calls++; return math.Sin(1e9 * x) }
	Expect(noise, 1, nil)
	if calls > 21*maxPanels {
		t.Errorf("noise took %d evaluations", calls)
	}
}
