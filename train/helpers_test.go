package train

import (
	"math"
	"math/rand/v2"
	"testing"
)

// syntheticSet returns a small learnable data set: n examples of `inputs`
// random bytes whose label is the index of the largest of the first
// `classes` pixels.
func syntheticSet(n, inputs, classes int, seed uint64) *Dataset {
	rng := rand.New(rand.NewPCG(seed, 7))
	d := &Dataset{Inputs: inputs, Classes: classes, Pixels: make([]uint8, n*inputs), Labels: make([]uint8, n)}
	for i := range d.Pixels {
		d.Pixels[i] = uint8(rng.IntN(256))
	}
	for e := 0; e < n; e++ {
		row := d.Pixels[e*inputs : e*inputs+classes]
		best := 0
		for j, p := range row {
			if p > row[best] {
				best = j
			}
		}
		d.Labels[e] = uint8(best)
	}
	d.Norm = pixelNormalization(d.Pixels)
	return d
}

// smallNet returns a randomly initialized network with non-zero biases
// everywhere (the readout bias too, which init leaves at zero) and a
// workspace holding a random batch of Gaussian inputs.
func smallNet(act Activation, inputs, width, depth, classes, batch int, sigmaW, sigmaB float64, seed uint64) (*network, *workspace) {
	rng := rand.New(rand.NewPCG(seed, 11))
	n := newNetwork(inputs, width, depth, classes, act)
	n.init(rng, sigmaW, sigmaB)
	for j := range n.b[depth] {
		n.b[depth][j] = 0.3 * rng.NormFloat64()
	}
	ws := n.newWorkspace(batch)
	for i := range ws.a[0].Data {
		ws.a[0].Data[i] = rng.NormFloat64()
	}
	for r := range ws.labels {
		ws.labels[r] = uint8(rng.IntN(classes))
	}
	return n, ws
}

// naiveGrad computes the loss and its gradient (with Activation.Deriv as
// φ') example by example with plain loops, independently of gemm and of the
// batched code, as a reference for backward.
func naiveGrad(n *network, x [][]float64, labels []uint8) (loss float64, grad []float64) {
	grad = make([]float64, len(n.theta))
	g := newNetwork(n.sizes[0], n.sizes[1], n.depth(), n.sizes[n.depth()+1], n.act)
	g.theta = grad
	g = viewsOf(g)
	B := float64(len(x))
	for e, xe := range x {
		as := [][]float64{xe}
		var hs [][]float64
		for i := range n.w {
			h := make([]float64, n.sizes[i+1])
			for j := range h {
				h[j] = n.b[i][j]
				for k, a := range as[i] {
					h[j] += a * n.w[i].Data[k*n.w[i].Stride+j]
				}
			}
			hs = append(hs, h)
			a := make([]float64, len(h))
			for j, v := range h {
				a[j] = n.act.Eval(v)
			}
			as = append(as, a)
		}
		z := hs[len(hs)-1]
		m := math.Inf(-1)
		for _, v := range z {
			m = math.Max(m, v)
		}
		var s float64
		for _, v := range z {
			s += math.Exp(v - m)
		}
		loss += (m + math.Log(s) - z[labels[e]]) / B
		delta := make([]float64, len(z))
		for j, v := range z {
			delta[j] = math.Exp(v-m) / s / B
		}
		delta[labels[e]] -= 1 / B
		for i := n.depth(); i >= 0; i-- {
			for k, a := range as[i] {
				for j, d := range delta {
					g.w[i].Data[k*g.w[i].Stride+j] += a * d
				}
			}
			for j, d := range delta {
				g.b[i][j] += d
			}
			if i == 0 {
				break
			}
			prev := make([]float64, n.sizes[i])
			for k := range prev {
				var sum float64
				for j, d := range delta {
					sum += n.w[i].Data[k*n.w[i].Stride+j] * d
				}
				prev[k] = sum * n.act.Deriv(hs[i-1][k])
			}
			delta = prev
		}
	}
	return loss, grad
}

// viewsOf rebuilds the w and b views of n over n.theta.
func viewsOf(n *network) *network {
	off := 0
	for i := range n.w {
		r, c := n.sizes[i], n.sizes[i+1]
		n.w[i].Data = n.theta[off : off+r*c]
		off += r * c
		n.b[i] = n.theta[off : off+c]
		off += c
	}
	return n
}

// inputRows returns the rows of the input batch as slices.
func (ws *workspace) inputRows() [][]float64 {
	x := ws.a[0]
	out := make([][]float64, x.Rows)
	for r := range out {
		out[r] = x.Data[r*x.Stride : r*x.Stride+x.Cols]
	}
	return out
}

// relErr returns max_i |got_i - want_i| / max(|want_i|, floor·‖want‖_∞).
func relErr(t *testing.T, got, want []float64, floor float64) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("lengths %d and %d", len(got), len(want))
	}
	var norm float64
	for _, w := range want {
		norm = math.Max(norm, math.Abs(w))
	}
	var worst float64
	for i := range got {
		worst = math.Max(worst, math.Abs(got[i]-want[i])/math.Max(math.Abs(want[i]), floor*norm))
	}
	return worst
}
