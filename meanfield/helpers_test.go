package meanfield

import (
	"math"
	"testing"

	"github.com/lmax-project/lmax/quantize"
)

// plain hides every optional method of an activation except Breakpoints, so
// that the package-level moments fall back to quadrature of Eval.
type plain struct{ phi Activation }

func (p plain) Eval(x float64) float64 { return p.phi.Eval(x) }
func (p plain) String() string         { return "plain(" + p.phi.String() + ")" }
func (p plain) Breakpoints() []float64 { return Breakpoints(p.phi) }

// plainDeriv is plain plus the derivative: slope moments by quadrature of
// φ'φ', V' by quadrature of φφ'u/q.
type plainDeriv struct {
	plain
	d Differentiable
}

func (p plainDeriv) Deriv(x float64) float64 { return p.d.Deriv(x) }

// plainStep is plain plus the jumps: the generic Stepper path (closed forms
// built from Jumps and Eval(-Inf)), as for a raw *quantize.Quantizer.
type plainStep struct {
	plain
	s Stepper
}

func (p plainStep) Jumps() (g, a []float64) { return p.s.Jumps() }

// close reports whether got is within tol of want, relative to max(1, |want|)
// when scale is 0, else relative to scale.
func within(got, want, tol, scale float64) bool {
	if math.IsInf(want, 0) || math.IsInf(got, 0) {
		return got == want
	}
	if scale == 0 {
		scale = math.Max(1, math.Abs(want))
	}
	return math.Abs(got-want) <= tol*scale
}

func check(t *testing.T, name string, got, want, tol, scale float64) {
	t.Helper()
	if !within(got, want, tol, scale) || math.IsNaN(got) != math.IsNaN(want) {
		s := scale
		if s == 0 {
			s = math.Max(1, math.Abs(want))
		}
		t.Errorf("%s: got %.17g, want %.17g (err %.3g, tol %.3g)", name, got, want, math.Abs(got-want)/s, tol)
	}
}

func mustParse(t testing.TB, spec string) Activation {
	t.Helper()
	a, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func mustNet(t testing.TB, phi Activation, sw, sb float64) Network {
	t.Helper()
	n, err := New(phi, sw, sb)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// irregular is a quantizer outside the uniform families: uneven thresholds,
// uneven (and one repeated) level, no symmetry.
func irregular(t testing.TB) Quantized {
	t.Helper()
	q, err := quantize.New([]float64{-1.3, -0.2, 0.05, 0.9, 2.2}, []float64{-2, -0.5, -0.5, 0.1, 1, 1.7})
	if err != nil {
		t.Fatal(err)
	}
	return Quantized{q}
}

// stepSpecs are the quantized activations the closed-form tests run over.
var stepSpecs = []string{
	"sign", "quant:2", "quant:3", "quant:4", "quant:8", "quant:17",
	"quant:5:delta=0.3,amp=2", "quant:6:delta=1.5", "uquant:2", "uquant:4", "uquant:7:delta=0.2,amp=3",
}

// smoothSpecs are the continuous activations.
var smoothSpecs = []string{
	"identity", "tanh", "erf", "relu", "lrelu:0.1", "lrelu:0.5", "hardtanh", "elu:1", "elu:0.5",
}
