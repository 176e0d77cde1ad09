package solver

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/lmax-project/lmax/meanfield"
)

func mustParse(t testing.TB, spec string) meanfield.Activation {
	t.Helper()
	phi, err := meanfield.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return phi
}

var wideBox = Box{SigmaWMin: 0.5, SigmaWMax: 2.5, SigmaBMin: 0, SigmaBMax: 1}

// The general optimizer, started from a box, must land on the optimum that
// the quantizer solver finds by a different route (the root of ∂χ/∂D = 0
// in closed form, THEORY.md §3): σ_b = 0 exactly (an edge of the box) and
// the same σ_w and ξ.
func TestOptimizeInitSymmetricQuantizers(t *testing.T) {
	cases := []struct {
		spec      string
		n         int
		delta, a  float64
		canonical bool
	}{
		{"quant:3", 3, 0, 0, true},
		{"quant:4", 4, 0, 0, true},
		{"quant:8", 8, 0, 0, true},
		{"quant:16", 16, 0, 0, true},
		{"quant:4:delta=0.5,amp=2", 4, 0.5, 2, false},
	}
	for _, c := range cases {
		if testing.Short() && c.n > 8 {
			continue
		}
		t.Run(c.spec, func(t *testing.T) {
			// σ_w^opt = 0.3995 for δ = 0.5, A = 2: widen the box below.
			box := Box{SigmaWMin: 0.2, SigmaWMax: 2.5, SigmaBMin: 0, SigmaBMax: 1}
			r, err := OptimizeInit(mustParse(t, c.spec), box, InitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var s Scheme
			if c.canonical {
				s, err = Canonical(c.n, DefaultKappa)
			} else {
				s, err = NewScheme(c.n, c.delta, c.a, DefaultKappa)
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.SigmaB != 0 {
				t.Errorf("σ_b = %v, want exactly 0 (a bias does not help)", r.SigmaB)
			}
			// Observed: ≤ 1.2e-9 relative in σ_w, ≤ 1e-14 in ξ.
			if d := rel(r.SigmaW, s.SigmaW); d > 1e-7 || math.Abs(r.SigmaW-s.SigmaW) > 2*r.TolSigmaW {
				t.Errorf("σ_w = %.15g, solver %.15g: rel. error %.2g, reported tolerance %.2g", r.SigmaW, s.SigmaW, d, r.TolSigmaW)
			}
			if d := rel(r.XiC, s.Xi); d > 1e-12 {
				t.Errorf("ξ = %.15g, solver %.15g: rel. error %.2g", r.XiC, s.Xi, d)
			}
			if r.CStar != 0 || !math.IsInf(r.Chi1, 1) || r.Critical {
				t.Errorf("c* = %v, χ1 = %v, critical %v: want 0, +Inf, false", r.CStar, r.Chi1, r.Critical)
			}
			if !(r.TolSigmaW > 0 && r.TolSigmaW < 1e-7 && r.TolXi < 1e-10*r.XiC) {
				t.Errorf("tolerances σ_w %g, ξ %g", r.TolSigmaW, r.TolXi)
			}
			t.Logf("%s: σ_w %.3g rel, ξ %.3g rel, %d evaluations", c.spec, rel(r.SigmaW, s.SigmaW), rel(r.XiC, s.Xi), r.Evaluations)
		})
	}
}

// THEORY.md §3: "the solver must show whether a bias helps (for sign it
// does not)". With a bias, c* > 0 and χ(c*) < 2/π at every σ_w; the
// optimum is at σ_b = 0 with ξ = −1/ln(2/π), whatever σ_w.
func TestOptimizeInitSign(t *testing.T) {
	r, err := OptimizeInit(meanfield.Sign{}, wideBox, InitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := -1 / math.Log(2/math.Pi)
	if r.SigmaB != 0 || rel(r.XiC, want) > 1e-14 {
		t.Errorf("σ_b = %v, ξ = %.17g: want 0, %.17g", r.SigmaB, r.XiC, want)
	}
	for _, sw := range []float64{0.3, 1, 2.5, 10} {
		prev := math.Inf(1)
		for _, sb := range []float64{0, 1e-4, 0.01, 0.1, 0.5, 2} {
			c := solveCell(meanfield.Sign{}, sw, sb, 1)
			if c.status != CellOK {
				t.Fatalf("σ_w = %v, σ_b = %v: %v", sw, sb, c.status)
			}
			if !(c.fp.XiC < prev) {
				t.Errorf("σ_w = %v: ξ(σ_b = %v) = %v, not below %v", sw, sb, c.fp.XiC, prev)
			}
			prev = c.fp.XiC
		}
	}
}

// For the unsigned quantizer the answer depends on N: with 4 levels the
// bias does not help (edge optimum σ_b = 0); with 8 it does (an interior
// optimum, above the best ξ at σ_b = 0). Both are checked against
// searches restricted to σ_b = 0 and to a brute-force grid.
func TestOptimizeInitUnsigned(t *testing.T) {
	cases := []struct {
		spec         string
		biasHelps    bool
		wantXi, tolX float64 // the value of the notebook, to its digits
	}{
		{"uquant:4", false, 3.69188440327, 1e-11},
		{"uquant:8", true, 7.37938657628, 1e-11},
	}
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			phi := mustParse(t, c.spec)
			r, err := OptimizeInit(phi, wideBox, InitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			zero := wideBox
			zero.SigmaBMax = 0
			r0, err := OptimizeInit(phi, zero, InitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(r.XiC-c.wantXi) > c.tolX*c.wantXi {
				t.Errorf("ξ = %.12g, want %.12g", r.XiC, c.wantXi)
			}
			// The CLI's default box: the coarse grid's best point is then off
			// the diagonal ridge of ξ_c, and the nested searches must widen
			// their brackets to find the same optimum.
			rw, err := OptimizeInit(phi, Box{0.1, 4, 0, 1}, InitOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if rel(rw.XiC, r.XiC) > 1e-12 || math.Abs(rw.SigmaB-r.SigmaB) > 1e-6 {
				t.Errorf("box [0.1, 4] × [0, 1]: (%v, %v) ξ %.15g; box [0.5, 2.5] × [0, 1]: (%v, %v) ξ %.15g",
					rw.SigmaW, rw.SigmaB, rw.XiC, r.SigmaW, r.SigmaB, r.XiC)
			}
			if r0.SigmaB != 0 || r0.TolSigmaB != 0 {
				t.Errorf("σ_b fixed at 0: got %v ± %v", r0.SigmaB, r0.TolSigmaB)
			}
			if c.biasHelps {
				if !(r.SigmaB > 0.01 && r.XiC > r0.XiC*(1+1e-6)) {
					t.Errorf("σ_b = %v, ξ = %v, ξ at σ_b = 0: %v: the bias should help", r.SigmaB, r.XiC, r0.XiC)
				}
				// An interior maximum: every step away lowers ξ.
				for _, d := range [][2]float64{{1e-3, 0}, {-1e-3, 0}, {0, 1e-3}, {0, -1e-3}} {
					cc := solveCell(phi, r.SigmaW+d[0], r.SigmaB+d[1], 1)
					if cc.status != CellOK || !(cc.fp.XiC < r.XiC) {
						t.Errorf("ξ at (%+g, %+g) from the optimum: %v ≥ %v", d[0], d[1], cc.fp.XiC, r.XiC)
					}
				}
			} else {
				if r.SigmaB != 0 || rel(r.XiC, r0.XiC) > 1e-13 || rel(r.SigmaW, r0.SigmaW) > 1e-7 {
					t.Errorf("optimum (%v, %v, ξ %v), at σ_b = 0 (%v, ξ %v): want the same", r.SigmaW, r.SigmaB, r.XiC, r0.SigmaW, r0.XiC)
				}
			}
			// Brute force: no grid point beats the optimum.
			for _, sw := range axis(0.5, 2.5, 41) {
				for _, sb := range axis(0, 1, 21) {
					cc := solveCell(phi, sw, sb, 1)
					if cc.status == CellOK && cc.fp.XiC > r.XiC*(1+1e-13) {
						t.Errorf("grid point (%v, %v) has ξ = %v > %v", sw, sb, cc.fp.XiC, r.XiC)
					}
				}
			}
			t.Logf("%s: (σ_w, σ_b) = (%.10g, %.10g), ξ = %.12g; at σ_b = 0: σ_w = %.10g, ξ = %.12g", c.spec, r.SigmaW, r.SigmaB, r.XiC, r0.SigmaW, r0.XiC)
		})
	}
}

// erfCritical returns the σ_b at which erf with weight scale sw is
// critical, from closed forms: χ1 = σ_w² (4/π)/√(1 + 4q*) = 1 fixes q*, and
// q* = σ_w² (2/π) asin(2q*/(1 + 2q*)) + σ_b² then fixes σ_b.
func erfCritical(sw float64) float64 {
	s := 4 * sw * sw / math.Pi
	q := (s*s - 1) / 4
	return math.Sqrt(q - sw*sw*2/math.Pi*math.Asin(2*q/(1+2*q)))
}

// For a smooth activation the supremum ξ = ∞ is the order–chaos line;
// OptimizeInit returns its point on the bottom of the box.
func TestOptimizeInitCritical(t *testing.T) {
	phi := meanfield.Erf{}
	r, err := OptimizeInit(phi, Box{0.5, 2, 0, 1}, InitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// σ_b = 0: χ1 → σ_w² · 4/π as q* → 0, so the line starts at √π/2.
	if !r.Critical || r.SigmaB != 0 || math.Abs(r.SigmaW-math.Sqrt(math.Pi)/2) > r.TolSigmaW || !math.IsInf(r.TolXi, 1) {
		t.Errorf("got %+v, want critical at (√π/2, 0)", r)
	}
	if !(r.XiC > 1e6) {
		t.Errorf("ξ = %v at the critical point", r.XiC)
	}
	// σ_b ∈ [0.3, 1]: the point of the line at σ_b = 0.3.
	r, err = OptimizeInit(phi, Box{0.5, 3, 0.3, 1}, InitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Critical || r.SigmaB != 0.3 {
		t.Fatalf("got %+v, want critical at σ_b = 0.3", r)
	}
	// dσ_b/dσ_w along the line is O(1), so σ_b(σ_w) is within a few
	// TolSigmaW of 0.3.
	if d := math.Abs(erfCritical(r.SigmaW) - 0.3); d > 10*r.TolSigmaW {
		t.Errorf("σ_w = %.12g: closed-form critical σ_b = %.12g, off by %.2g (tolerance %.2g)", r.SigmaW, erfCritical(r.SigmaW), d, r.TolSigmaW)
	}
	if math.Abs(r.Chi1-1) > 1e-6 {
		t.Errorf("χ1 = %v at the critical point", r.Chi1)
	}
	// tanh (2-D quadrature, ~5 s): the classical σ_w = 1 at σ_b = 0 (THEORY.md §6).
	if !testing.Short() {
		r, err = OptimizeInit(meanfield.Tanh{}, Box{0.5, 2.5, 0, 1}, InitOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Critical || r.SigmaB != 0 || math.Abs(r.SigmaW-1) > r.TolSigmaW {
			t.Errorf("tanh: %+v, want critical at (1, 0)", r)
		}
	}
	// Noisy erf has no critical line: its optimum is an ordinary maximum.
	r, err = OptimizeInit(meanfield.Noisy{S: 0.1, Phi: phi}, Box{0.5, 2, 0, 1}, InitOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Critical || !(r.XiC > 1 && r.XiC < 1e3) || r.TolXi > 1e-9*r.XiC {
		t.Errorf("noisy erf: %+v", r)
	}
}

func TestOptimizeInitDeterministic(t *testing.T) {
	phi := mustParse(t, "uquant:8")
	box := Box{1, 2, 0, 0.5}
	opts := InitOptions{Grid: 8, XTol: 1e-6}
	prev := runtime.GOMAXPROCS(1)
	a, errA := OptimizeInit(phi, box, opts)
	runtime.GOMAXPROCS(max(prev, 2))
	b, errB := OptimizeInit(phi, box, opts)
	runtime.GOMAXPROCS(prev)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a != b {
		t.Errorf("GOMAXPROCS 1: %+v\nGOMAXPROCS 2: %+v", a, b)
	}
}

func TestOptimizeInitErrors(t *testing.T) {
	q4 := mustParse(t, "quant:4")
	nan := math.NaN()
	cases := []struct {
		phi  meanfield.Activation
		box  Box
		opts InitOptions
		want string
	}{
		{q4, Box{0, 2, 0, 1}, InitOptions{}, "sigma_w min 0"},
		{q4, Box{nan, 2, 0, 1}, InitOptions{}, "sigma_w min NaN"},
		{q4, Box{1, 0.5, 0, 1}, InitOptions{}, "sigma_w max 0.5"},
		{q4, Box{1, math.Inf(1), 0, 1}, InitOptions{}, "sigma_w max +Inf"},
		{q4, Box{1, 2, -0.1, 1}, InitOptions{}, "sigma_b min -0.1"},
		{q4, Box{1, 2, 0.5, 0.1}, InitOptions{}, "sigma_b max 0.1"},
		{q4, wideBox, InitOptions{Grid: 1}, "grid 1"},
		{q4, wideBox, InitOptions{Grid: MaxInitGrid + 1}, "grid 1001"},
		{q4, wideBox, InitOptions{XTol: 1e-12}, "xtol 1e-12"},
		{q4, wideBox, InitOptions{XTol: 0.5}, "xtol 0.5"},
		{q4, wideBox, InitOptions{Q0: -1}, "q0 -1"},
		{nil, wideBox, InitOptions{}, "nil activation"},
		// ReLU with σ_w² < 2 and σ_b = 0: every signal dies out.
		{meanfield.ReLU{}, Box{0.5, 1.2, 0, 0}, InitOptions{}, "undefined at all"},
	}
	for _, c := range cases {
		_, err := OptimizeInit(c.phi, c.box, c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrInvalid) {
			t.Errorf("%v %+v %+v: error %v, want one wrapping ErrInvalid naming %q", c.phi, c.box, c.opts, err, c.want)
		}
	}
}

func BenchmarkOptimizeInitQuant4(b *testing.B) {
	phi := mustParse(b, "quant:4")
	for b.Loop() {
		if _, err := OptimizeInit(phi, wideBox, InitOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOptimizeInitErf(b *testing.B) {
	for b.Loop() {
		if _, err := OptimizeInit(meanfield.Erf{}, wideBox, InitOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
