package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas64"

	"github.com/lmax-project/lmax/quantize"
)

// TestGemmTiling checks gemm against a triple loop on small-integer matrices,
// for which every product and partial sum is exact: any tiling or indexing
// slip shows as an exact mismatch. The shapes straddle the tile edges.
func TestGemmTiling(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randInt := func(r, c int) blas64.General {
		m := blas64.General{Rows: r, Cols: c, Stride: c, Data: make([]float64, r*c)}
		for i := range m.Data {
			m.Data[i] = float64(rng.IntN(17) - 8)
		}
		return m
	}
	for _, s := range []struct{ m, n, k int }{
		{1, 1, 1}, {64, 192, 3}, {65, 193, 5}, {130, 400, 70}, {32, 10, 256}, {3, 785, 2},
	} {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			for _, beta := range []float64{0, 1} {
				name := fmt.Sprintf("%dx%dx%d/tA=%v,tB=%v/beta=%v", s.m, s.n, s.k, tr[0], tr[1], beta)
				a := randInt(s.m, s.k)
				if tr[0] {
					a = randInt(s.k, s.m)
				}
				b := randInt(s.k, s.n)
				if tr[1] {
					b = randInt(s.n, s.k)
				}
				c := randInt(s.m, s.n)
				want := make([]float64, len(c.Data))
				for i := 0; i < s.m; i++ {
					for j := 0; j < s.n; j++ {
						sum := beta * c.Data[i*s.n+j]
						for l := 0; l < s.k; l++ {
							var av, bv float64
							if tr[0] {
								av = a.Data[l*a.Stride+i]
							} else {
								av = a.Data[i*a.Stride+l]
							}
							if tr[1] {
								bv = b.Data[j*b.Stride+l]
							} else {
								bv = b.Data[l*b.Stride+j]
							}
							sum += av * bv
						}
						want[i*s.n+j] = sum
					}
				}
				gemm(tr[0], tr[1], a, b, beta, c)
				for i := range want {
					if c.Data[i] != want[i] {
						t.Fatalf("%s: entry %d = %v, want %v", name, i, c.Data[i], want[i])
					}
				}
			}
		}
	}
}

// fdGrad returns the five-point central difference
// (-f(θ+2h) + 8f(θ+h) - 8f(θ-h) + f(θ-2h)) / 12h of the loss in each
// parameter. Its truncation error is h⁴ f⁽⁵⁾/30 and its rounding error
// about 1.5 ε |f| / h. ok, if not nil, is called after every evaluation and
// reports whether the perturbed point may be used.
func fdGrad(n *network, ws *workspace, h float64, ok func() bool) (fd []float64, skipped int) {
	fd = make([]float64, len(n.theta))
	f := func(i int, d float64) (float64, bool) {
		old := n.theta[i]
		n.theta[i] = old + d
		n.forward(ws)
		v := n.loss(ws)
		n.theta[i] = old
		return v, ok == nil || ok()
	}
	for i := range n.theta {
		p2, ok1 := f(i, 2*h)
		p1, ok2 := f(i, h)
		m1, ok3 := f(i, -h)
		m2, ok4 := f(i, -2*h)
		if !(ok1 && ok2 && ok3 && ok4) {
			fd[i] = math.NaN()
			skipped++
			continue
		}
		fd[i] = (-p2 + 8*p1 - 8*m1 + m2) / (12 * h)
	}
	return fd, skipped
}

func analyticGrad(n *network, ws *workspace) []float64 {
	n.forward(ws)
	n.loss(ws)
	n.backward(ws)
	return append([]float64(nil), n.grad...)
}

// TestGradientTanh checks backward against finite differences for the
// smooth tanh network, in every parameter (weights and biases of all
// layers). With h = 1e-3 the five-point stencil's truncation error is
// ~1e-12·|f⁽⁵⁾| and its rounding error ~1.5·2.2e-16·|f|/h ≈ 5e-13 for a loss
// of order 1, i.e. ~1e-10 relative to gradients of order 1e-2: the bound
// 1e-8 leaves two digits of margin and is still far below the error of any
// real mistake (a missing factor or term is O(1) relative). Measured:
// ≤ 1.6e-10.
func TestGradientTanh(t *testing.T) {
	for _, depth := range []int{1, 3} {
		n, ws := smallNet(Tanh{}, 7, 6, depth, 4, 5, 1.5, 0.3, uint64(depth))
		got := analyticGrad(n, ws)
		fd, _ := fdGrad(n, ws, 1e-3, nil)
		if e := relErr(t, got, fd, 1e-3); !(e < 1e-8) {
			t.Errorf("depth %d: max relative error %.3g over %d parameters, want < 1e-8", depth, e, len(got))
		} else {
			t.Logf("depth %d: max relative error %.3g over %d parameters", depth, e, len(got))
		}
	}
}

// TestGradientSTESurrogate checks the straight-through path against finite
// differences. A network whose activation is HardTanh{s, t} (the
// antiderivative of the estimator s·1{|x| ≤ t}) has as true gradient exactly
// what the straight-through backward pass computes from its pre-activations,
// kinks excepted. Perturbations that move any pre-activation across ±t are
// detected (the pattern of saturated units changes) and skipped; everywhere
// else the loss is as smooth as the softmax and the error budget is the tanh
// one (measured 3e-10; no perturbation crossed a kink with this seed).
// The test also requires that both saturated and linear units occur, so that
// the zero branch of the estimator is exercised.
func TestGradientSTESurrogate(t *testing.T) {
	act := HardTanh{Slope: 1.3, Clip: 1}
	n, ws := smallNet(act, 7, 6, 3, 4, 5, 1.5, 0.3, 5)
	pattern := func() []int8 {
		var p []int8
		for _, h := range ws.h[:n.depth()] {
			for _, v := range h.Data {
				switch {
				case v > act.Clip:
					p = append(p, 1)
				case v < -act.Clip:
					p = append(p, -1)
				default:
					p = append(p, 0)
				}
			}
		}
		return p
	}
	got := analyticGrad(n, ws)
	base := pattern()
	var sat int
	for _, v := range base {
		if v != 0 {
			sat++
		}
	}
	if sat == 0 || sat == len(base) {
		t.Fatalf("%d of %d units saturated: need both kinds", sat, len(base))
	}
	same := func() bool {
		p := pattern()
		for i := range p {
			if p[i] != base[i] {
				return false
			}
		}
		return true
	}
	fd, skipped := fdGrad(n, ws, 1e-3, same)
	if skipped > len(fd)/10 {
		t.Fatalf("%d of %d parameters skipped for crossing a kink", skipped, len(fd))
	}
	var g, f []float64
	for i := range fd {
		if !math.IsNaN(fd[i]) {
			g, f = append(g, got[i]), append(f, fd[i])
		}
	}
	if e := relErr(t, g, f, 1e-3); !(e < 1e-8) {
		t.Errorf("max relative error %.3g over %d parameters, want < 1e-8", e, len(g))
	} else {
		t.Logf("%d of %d units saturated; max relative error %.3g over %d parameters (%d skipped)",
			sat, len(base), e, len(g), skipped)
	}
}

func mustQuantized(t testing.TB, q *quantize.Quantizer, err error, slope float64) Quantized {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewQuantized(q, slope)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestBackwardMatchesNaive compares the batched BLAS backward pass with an
// example-by-example loop implementation, for smooth and quantized
// activations (where the loop applies the straight-through estimator by
// construction). Only the order of summation differs, so they agree to a few
// ulps of the terms summed: the error of each entry, relative to
// max(|g_i|, 1e-3·max|g|) (the floor keeps the entries that cancel to nearly
// zero from dividing by their own rounding), stays below 1e-12; measured
// ≤ 2e-13.
func TestBackwardMatchesNaive(t *testing.T) {
	q2, e2 := quantize.Canonical(2)
	q4, e4 := quantize.Canonical(4)
	q16, e16 := quantize.Canonical(16)
	qu, eu := quantize.CanonicalUnsigned(5)
	for _, tc := range []struct {
		name string
		act  Activation
	}{
		{"tanh", Tanh{}},
		{"hardtanh", HardTanh{Slope: 0.8, Clip: 1}},
		{"sign", mustQuantized(t, q2, e2, 1)},
		{"quant4", mustQuantized(t, q4, e4, 1.3)},
		{"quant16", mustQuantized(t, q16, e16, 0.9)},
		{"uquant5", mustQuantized(t, qu, eu, 1.1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, ws := smallNet(tc.act, 9, 70, 3, 5, 66, 1.4, 0.2, 3)
			got := analyticGrad(n, ws)
			loss := n.loss(ws)
			wantLoss, want := naiveGrad(n, ws.inputRows(), ws.labels)
			if math.Abs(loss-wantLoss) > 1e-14*wantLoss {
				t.Errorf("loss %v, naive %v", loss, wantLoss)
			}
			if e := relErr(t, got, want, 1e-3); !(e < 1e-12) {
				t.Errorf("max relative error %.3g, want < 1e-12", e)
			} else {
				t.Logf("max relative error %.3g", e)
			}
		})
	}
}

// TestSTEMechanics checks two exact consequences of the straight-through
// estimator on a quantized net: a first-layer unit whose pre-activations lie
// outside the window [-t, t] for the whole batch gets exactly zero gradient
// into its incoming weights and bias, and (depth 1) the first layer's
// gradient is proportional to the slope s while the readout's does not
// depend on it, since the forward pass never sees s.
func TestSTEMechanics(t *testing.T) {
	q, err := quantize.Canonical(8)
	grads := map[float64][]float64{}
	var n *network
	for _, s := range []float64{1, 2} {
		var ws *workspace
		n, ws = smallNet(mustQuantized(t, q, err, s), 6, 5, 1, 3, 8, 0.3, 0, 9)
		n.b[0][0] = 5 // unit 0 saturated on every example: |h| ≤ 0.3·|x|·… ≪ 5
		grads[s] = analyticGrad(n, ws)
		for r := 0; r < ws.rows(); r++ {
			if h := ws.h[0].Data[r*ws.h[0].Stride]; h <= q.Clip() {
				t.Fatalf("unit 0 pre-activation %v inside the window", h)
			}
		}
		gw := n.gw[0]
		for k := 0; k < gw.Rows; k++ {
			if v := gw.Data[k*gw.Stride]; v != 0 {
				t.Errorf("slope %v: saturated unit weight %d gradient %v, want 0", s, k, v)
			}
		}
		if n.gb[0][0] != 0 {
			t.Errorf("slope %v: saturated unit bias gradient %v, want 0", s, n.gb[0][0])
		}
	}
	first := len(n.w[0].Data) + len(n.b[0])
	var nonzero int
	for i := range grads[1] {
		want := grads[1][i]
		if i < first {
			want *= 2
		}
		if grads[2][i] != want {
			t.Fatalf("parameter %d: slope-2 gradient %v, want %v", i, grads[2][i], want)
		}
		if i < first && want != 0 {
			nonzero++
		}
	}
	if nonzero == 0 {
		t.Fatal("first-layer gradient identically zero: test exercises nothing")
	}
}

// TestStepAllocs checks that a training step allocates nothing, including
// the steps that reshuffle the training set at an epoch boundary (every 4
// steps here).
func TestStepAllocs(t *testing.T) {
	q, err := quantize.Canonical(16)
	act := mustQuantized(t, q, err, 1)
	d := syntheticSet(64, 30, 4, 1)
	for _, opt := range []Optimizer{SGD, Adam} {
		cfg := Config{Depth: 3, Width: 200, Activation: act, SigmaW: 1.2, Optimizer: opt,
			LearningRate: 1e-3, Momentum: 0.9, BatchSize: 16, Steps: 1}
		r := newRun(cfg, d)
		r.step()
		if a := testing.AllocsPerRun(20, func() { r.step() }); a != 0 {
			t.Errorf("%v: %v allocations per step, want 0", opt, a)
		}
	}
}
