package solver_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/solver"
)

// bisect returns the root of f on [a, b] (f(a), f(b) of opposite signs)
// to the last bit: an independent, slow and sure reference.
func bisect(f func(float64) float64, a, b float64) float64 {
	fa := f(a)
	for {
		m := a + (b-a)/2
		if m <= a || m >= b {
			return m
		}
		if fm := f(m); (fm > 0) == (fa > 0) {
			a, fa = m, fm
		} else {
			b = m
		}
	}
}

// stableCorrelation returns the stable fixed point c* ∈ [0, 1) of a
// correlation map with M(1) = 1 and χ1 > 1, from its closed form.
func stableCorrelation(m func(c float64) float64) float64 {
	g := func(c float64) float64 { return m(c) - c }
	if g(0) == 0 {
		return 0
	}
	hi := 0.5
	for g(hi) >= 0 {
		hi = (1 + hi) / 2
	}
	return bisect(g, 0, hi)
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Abs(want)
}

// Sign has closed forms (THEORY.md §6 with a bias): q* = σ_w² + σ_b²,
// M(c) = (σ_w² (2/π) asin c + σ_b²)/q*, χ(c) = σ_w² (2/π)/(q* √(1−c²)).
func TestPhaseDiagramSignClosedForm(t *testing.T) {
	ws := []float64{0.25, 0.7, 1, 1.9, 4}
	bs := []float64{0, 0.05, 0.3, 1, 2.5}
	p, err := solver.PhaseDiagram(meanfield.Sign{}, ws, bs)
	if err != nil {
		t.Fatal(err)
	}
	for i, sb := range bs {
		for j, sw := range ws {
			k := p.Index(i, j)
			q := sw*sw + sb*sb
			c := stableCorrelation(func(c float64) float64 { return (sw*sw*2/math.Pi*math.Asin(c) + sb*sb) / q })
			chi := sw * sw * 2 / math.Pi / (q * math.Sqrt((1-c)*(1+c)))
			xi := -1 / math.Log(chi)
			// χ ∝ 1/√(1−c²) turns an ulp of c* into 1e−16/(2(1−c*))
			// relative: 1e−12 at c* = 0.99992.
			tol := 1e-13 + 1e-15/(1-c)
			if p.Status[k] != solver.CellOK || relErr(p.QStar[k], q) > 1e-15 || math.Abs(p.CStar[k]-c) > 1e-15 ||
				relErr(p.ChiCStar[k], chi) > tol || relErr(p.XiC[k], xi) > tol || !math.IsInf(p.Chi1[k], 1) {
				t.Errorf("(%v, %v): %v q* %v c* %v χ %v ξ %v χ1 %v; want %v %v %v %v +Inf",
					sw, sb, p.Status[k], p.QStar[k], p.CStar[k], p.ChiCStar[k], p.XiC[k], p.Chi1[k], q, c, chi, xi)
			}
		}
	}
}

// erf has closed forms too (THEORY.md §6): V(q) = σ_w² (2/π) asin(2q/(1+2q))
// + σ_b², χ1 = σ_w² (4/π)/√(1+4q). It covers the ordered phase (c* = 1,
// χ(c*) = χ1), the chaotic one, and collapse at σ_b = 0, σ_w < √π/2, where
// χ1 keeps its q → 0 limit σ_w² 4/π.
func TestPhaseDiagramErfClosedForm(t *testing.T) {
	ws := []float64{0.5, 0.8, 1, 1.5, 3}
	bs := []float64{0, 0.1, 0.5, 1.5}
	p, err := solver.PhaseDiagram(meanfield.Erf{}, ws, bs)
	if err != nil {
		t.Fatal(err)
	}
	ordered, chaotic := 0, 0
	for i, sb := range bs {
		for j, sw := range ws {
			k := p.Index(i, j)
			w2, b2 := sw*sw, sb*sb
			if sb == 0 && sw*sw*4/math.Pi < 1 {
				if p.Status[k] != solver.CellCollapsed || p.QStar[k] != 0 || relErr(p.Chi1[k], w2*4/math.Pi) > 1e-12 || !math.IsNaN(p.XiC[k]) {
					t.Errorf("(%v, 0): %v q* %v χ1 %v ξ %v, want collapsed, 0, %v, NaN", sw, p.Status[k], p.QStar[k], p.Chi1[k], p.XiC[k], w2*4/math.Pi)
				}
				continue
			}
			v := func(q float64) float64 { return w2*2/math.Pi*math.Asin(2*q/(1+2*q)) + b2 }
			lo := math.Max(b2, 1e-300)
			if sb == 0 {
				lo = 1e-6 // above the unstable fixed point q = 0
			}
			q := bisect(func(q float64) float64 { return v(q) - q }, lo, 100)
			chi1 := w2 * 4 / math.Pi / math.Sqrt(1+4*q)
			c, chi := 1.0, chi1
			if chi1 > 1 {
				chaotic++
				c = stableCorrelation(func(c float64) float64 { return (w2*2/math.Pi*math.Asin(2*q*c/(1+2*q)) + b2) / q })
				chi = w2 * 4 / math.Pi / math.Sqrt((1+2*q)*(1+2*q)-4*q*q*c*c)
			} else {
				ordered++
			}
			if p.Status[k] != solver.CellOK || relErr(p.QStar[k], q) > 1e-13 || math.Abs(p.CStar[k]-c) > 1e-13 ||
				relErr(p.ChiCStar[k], chi) > 1e-12 || relErr(p.Chi1[k], chi1) > 1e-12 || relErr(p.XiC[k], -1/math.Log(chi)) > 1e-11 {
				t.Errorf("(%v, %v): %v q* %v c* %v χ %v χ1 %v ξ %v; want %v %v %v %v %v", sw, sb, p.Status[k],
					p.QStar[k], p.CStar[k], p.ChiCStar[k], p.Chi1[k], p.XiC[k], q, c, chi, chi1, -1/math.Log(chi))
			}
		}
	}
	if ordered == 0 || chaotic == 0 {
		t.Errorf("grid covers %d ordered and %d chaotic cells: want both phases", ordered, chaotic)
	}
}

// Statuses, and every cell equal to meanfield's Solve bit for bit.
func TestPhaseDiagramMatchesSolve(t *testing.T) {
	phi := meanfield.ReLU{}
	ws := []float64{1, math.Sqrt2, 2}
	bs := []float64{0, 0.5}
	p, err := solver.PhaseDiagram(phi, ws, bs)
	if err != nil {
		t.Fatal(err)
	}
	want := []solver.CellStatus{
		solver.CellCollapsed, solver.CellOK, solver.CellDiverged, // σ_b = 0: σ_w² = 2 is critical
		solver.CellOK, solver.CellDiverged, solver.CellDiverged,
	}
	for k, s := range p.Status {
		if s != want[k] {
			t.Errorf("cell %d (σ_w %v, σ_b %v): %v, want %v", k, ws[k%3], bs[k/3], s, want[k])
		}
		if s == solver.CellDiverged && !math.IsNaN(p.QStar[k]+p.Chi1[k]+p.XiC[k]) {
			t.Errorf("diverged cell %d has numbers: %v %v %v", k, p.QStar[k], p.Chi1[k], p.XiC[k])
		}
		if s != solver.CellOK {
			continue
		}
		net, _ := meanfield.New(phi, ws[k%3], bs[k/3])
		fp, err := net.Solve(meanfield.DefaultQ0)
		if err != nil {
			t.Fatal(err)
		}
		if p.QStar[k] != fp.QStar || p.CStar[k] != fp.CStar || p.ChiCStar[k] != fp.ChiCStar || p.Chi1[k] != fp.Chi1 || p.XiC[k] != fp.XiC {
			t.Errorf("cell %d differs from Solve: %+v", k, fp)
		}
	}
	if p.Failed != 0 || p.Failure != nil {
		t.Errorf("failures: %d, %v", p.Failed, p.Failure)
	}
}

func TestPhaseDiagramDeterministic(t *testing.T) {
	phi, _ := meanfield.Parse("quant:4")
	ws := []float64{0.6, 0.9, 1.1, 1.4, 2}
	bs := []float64{0, 0.2, 0.4, 0.8}
	prev := runtime.GOMAXPROCS(1)
	a, errA := solver.PhaseDiagram(phi, ws, bs)
	runtime.GOMAXPROCS(4)
	b, errB := solver.PhaseDiagram(phi, ws, bs)
	runtime.GOMAXPROCS(prev)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	for k := range a.XiC {
		if math.Float64bits(a.XiC[k]) != math.Float64bits(b.XiC[k]) || a.ChiCStar[k] != b.ChiCStar[k] || a.Status[k] != b.Status[k] {
			t.Errorf("cell %d: %v vs %v", k, a.XiC[k], b.XiC[k])
		}
	}
}

func TestPhaseDiagramErrors(t *testing.T) {
	q4, _ := meanfield.Parse("quant:4")
	big := make([]float64, 1001)
	for i := range big {
		big[i] = float64(i + 1)
	}
	cases := []struct {
		phi    meanfield.Activation
		ws, bs []float64
		want   string
	}{
		{nil, []float64{1}, []float64{0}, "nil activation"},
		{q4, nil, []float64{0}, "sigma_w: no values"},
		{q4, []float64{1}, nil, "sigma_b: no values"},
		{q4, []float64{0, 1}, []float64{0}, "sigma_w[0] = 0"},
		{q4, []float64{1, math.NaN()}, []float64{0}, "sigma_w[1] = NaN"},
		{q4, []float64{1, 1}, []float64{0}, "sigma_w[1] = 1 after 1"},
		{q4, []float64{1}, []float64{-0.5}, "sigma_b[0] = -0.5"},
		{q4, []float64{1}, []float64{0, math.Inf(1)}, "sigma_b[1] = +Inf"},
		{q4, big, big, "more than 1000000 cells"},
	}
	for _, c := range cases {
		_, err := solver.PhaseDiagram(c.phi, c.ws, c.bs)
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, solver.ErrInvalid) {
			t.Errorf("%v: error %v, want one wrapping ErrInvalid naming %q", c.want, err, c.want)
		}
	}
}

func TestCellStatusString(t *testing.T) {
	for s, want := range map[solver.CellStatus]string{solver.CellOK: "ok", solver.CellCollapsed: "collapsed",
		solver.CellDiverged: "diverged", solver.CellFailed: "failed", 9: "CellStatus(9)"} {
		if s.String() != want {
			t.Errorf("%d: %q, want %q", int(s), s, want)
		}
	}
}

func BenchmarkPhaseDiagramQuant4(b *testing.B) {
	phi, _ := meanfield.Parse("quant:4")
	ws := make([]float64, 20)
	bs := make([]float64, 20)
	for i := range ws {
		ws[i] = 0.5 + 0.1*float64(i)
		bs[i] = 0.05 * float64(i)
	}
	for b.Loop() {
		if _, err := solver.PhaseDiagram(phi, ws, bs); err != nil {
			b.Fatal(err)
		}
	}
}

func ExamplePhaseDiagram() {
	phi, _ := meanfield.Parse("quant:4")
	p, err := solver.PhaseDiagram(phi, []float64{0.8, 1.0653, 1.5}, []float64{0, 0.5})
	if err != nil {
		panic(err)
	}
	for i, sb := range p.SigmaB {
		for j, sw := range p.SigmaW {
			k := p.Index(i, j)
			fmt.Printf("σ_w = %.4f σ_b = %.1f: c* = %.3f ξ_c = %.3f\n", sw, sb, p.CStar[k], p.XiC[k])
		}
	}
	// Output:
	// σ_w = 0.8000 σ_b = 0.0: c* = 0.000 ξ_c = 2.877
	// σ_w = 1.0653 σ_b = 0.0: c* = 0.000 ξ_c = 7.904
	// σ_w = 1.5000 σ_b = 0.0: c* = 0.000 ξ_c = 5.551
	// σ_w = 0.8000 σ_b = 0.5: c* = 0.917 ξ_c = 1.701
	// σ_w = 1.0653 σ_b = 0.5: c* = 0.833 ξ_c = 3.218
	// σ_w = 1.5000 σ_b = 0.5: c* = 0.534 ξ_c = 4.115
}

// A bias helps the 8-level unsigned quantizer, a little: ξ_c = 7.367 at
// σ_b = 0 (see TestOptimizeInitUnsigned).
func ExampleOptimizeInit() {
	phi, _ := meanfield.Parse("uquant:8")
	r, err := solver.OptimizeInit(phi, solver.Box{SigmaWMin: 0.5, SigmaWMax: 2.5, SigmaBMin: 0, SigmaBMax: 1}, solver.InitOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("σ_w = %.6f σ_b = %.6f ξ_c = %.6f\n", r.SigmaW, r.SigmaB, r.XiC)
	// Output:
	// σ_w = 1.585854 σ_b = 0.109515 ξ_c = 7.379387
}
