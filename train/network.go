package train

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// network is a fully connected net with depth hidden layers of the same
// width and a linear readout:
//
//	h^l = a^{l-1} W^l + b^l,  a^l = φ(h^l),  l = 1 … L   (a^0 = x)
//	z   = a^L W^{L+1} + b^{L+1}                           (logits)
//
// with examples as rows, so W^l is fan_in × fan_out (the transpose of
// THEORY.md §1's W^l, same distribution). All parameters live in one flat
// slice theta (and their gradients in grad) so that an optimizer step is a
// single loop; w, b, gw and gb are views into them. Layer index i = l-1
// throughout the code.
type network struct {
	sizes       []int // n_0 = inputs, n_1 … n_L = width, n_{L+1} = classes
	act         Activation
	theta, grad []float64
	w, gw       []blas64.General // sizes[i] × sizes[i+1]
	b, gb       [][]float64      // sizes[i+1]
}

func newNetwork(inputs, width, depth, classes int, act Activation) *network {
	sizes := make([]int, depth+2)
	sizes[0], sizes[depth+1] = inputs, classes
	for i := 1; i <= depth; i++ {
		sizes[i] = width
	}
	var np int
	for i := 0; i <= depth; i++ {
		np += (sizes[i] + 1) * sizes[i+1]
	}
	n := &network{sizes: sizes, act: act,
		theta: make([]float64, np), grad: make([]float64, np),
		w: make([]blas64.General, depth+1), gw: make([]blas64.General, depth+1),
		b: make([][]float64, depth+1), gb: make([][]float64, depth+1)}
	off := 0
	for i := 0; i <= depth; i++ {
		r, c := sizes[i], sizes[i+1]
		n.w[i] = blas64.General{Rows: r, Cols: c, Stride: c, Data: n.theta[off : off+r*c]}
		n.gw[i] = blas64.General{Rows: r, Cols: c, Stride: c, Data: n.grad[off : off+r*c]}
		off += r * c
		n.b[i], n.gb[i] = n.theta[off:off+c], n.grad[off:off+c]
		off += c
	}
	return n
}

func (n *network) depth() int { return len(n.sizes) - 2 }

// init draws hidden-layer weights W_ij ~ N(0, σ_w²/fan_in) and biases
// b_i ~ N(0, σ_b²) (THEORY.md §1), and the readout from N(0, 1/fan_in) with
// zero bias, so that the logits start with variance E[φ²] whatever σ_w.
func (n *network) init(rng *rand.Rand, sigmaW, sigmaB float64) {
	for i := range n.w {
		sw, sb := sigmaW/math.Sqrt(float64(n.sizes[i])), sigmaB
		if i == n.depth() {
			sw, sb = 1/math.Sqrt(float64(n.sizes[i])), 0
		}
		for j := range n.w[i].Data {
			n.w[i].Data[j] = sw * rng.NormFloat64()
		}
		for j := range n.b[i] {
			n.b[i][j] = sb * rng.NormFloat64()
		}
	}
}

// workspace holds the per-batch buffers of a forward and backward pass, for
// up to capacity examples.
type workspace struct {
	capacity int
	a        []blas64.General // a[0] input batch, a[i] = φ(h[i-1]), i = 1 … L
	h        []blas64.General // h[i] = a[i] W[i] + b[i]; h[L] holds the logits
	dh       []blas64.General // ∂loss/∂h[i]
	labels   []uint8
}

func (n *network) newWorkspace(capacity int) *workspace {
	L := n.depth()
	ws := &workspace{capacity: capacity, labels: make([]uint8, capacity),
		a: make([]blas64.General, L+1), h: make([]blas64.General, L+1), dh: make([]blas64.General, L+1)}
	alloc := func(cols int) blas64.General {
		return blas64.General{Rows: capacity, Cols: cols, Stride: cols, Data: make([]float64, capacity*cols)}
	}
	for i := 0; i <= L; i++ {
		ws.a[i] = alloc(n.sizes[i])
		ws.h[i] = alloc(n.sizes[i+1])
		ws.dh[i] = alloc(n.sizes[i+1])
	}
	return ws
}

// setRows makes the workspace hold rows ≤ capacity examples.
func (ws *workspace) setRows(rows int) {
	for i := range ws.a {
		ws.a[i].Rows, ws.h[i].Rows, ws.dh[i].Rows = rows, rows, rows
	}
}

func (ws *workspace) rows() int { return ws.a[0].Rows }

// fill copies the examples idx of d into the input batch, normalizing the
// pixels through table, and sets the workspace's row count to len(idx).
func (ws *workspace) fill(d *Dataset, idx []int, table *[256]float64) {
	ws.setRows(len(idx))
	x := ws.a[0]
	for r, e := range idx {
		row := x.Data[r*x.Stride : r*x.Stride+x.Cols]
		for j, p := range d.Pixels[e*d.Inputs : (e+1)*d.Inputs] {
			row[j] = table[p]
		}
		ws.labels[r] = d.Labels[e]
	}
}

// forward computes h and a for the input batch in ws.a[0].
func (n *network) forward(ws *workspace) {
	rows := ws.rows()
	for i := range n.w {
		h := ws.h[i]
		for r := 0; r < rows; r++ {
			copy(h.Data[r*h.Stride:r*h.Stride+h.Cols], n.b[i])
		}
		gemm(false, false, ws.a[i], n.w[i], 1, h)
		if i == n.depth() {
			break
		}
		a := ws.a[i+1]
		for r := 0; r < rows; r++ {
			hr := h.Data[r*h.Stride : r*h.Stride+h.Cols]
			ar := a.Data[r*a.Stride : r*a.Stride+a.Cols]
			for j, v := range hr {
				ar[j] = n.act.Eval(v)
			}
		}
	}
}

// loss returns the mean softmax cross-entropy of the logits against
// ws.labels, and stores its gradient (softmax - onehot)/rows in the last
// dh. A non-finite logit gives a non-finite loss.
func (n *network) loss(ws *workspace) float64 {
	z, dz := ws.h[n.depth()], ws.dh[n.depth()]
	rows := ws.rows()
	inv := 1 / float64(rows)
	var sum float64
	for r := 0; r < rows; r++ {
		zr := z.Data[r*z.Stride : r*z.Stride+z.Cols]
		dr := dz.Data[r*dz.Stride : r*dz.Stride+dz.Cols]
		m := math.Inf(-1)
		for _, v := range zr {
			m = math.Max(m, v)
		}
		// log Σ exp(z_j) = m + log Σ exp(z_j - m): no overflow, and the
		// largest term is exactly 1, so the log is of a number ≥ 1.
		var s float64
		for j, v := range zr {
			e := math.Exp(v - m)
			dr[j] = e
			s += e
		}
		y := ws.labels[r]
		sum += m + math.Log(s) - zr[y]
		for j := range dr {
			dr[j] *= inv / s
		}
		dr[y] -= inv
	}
	return sum * inv
}

// backward fills n.grad with the gradient of the loss whose output
// gradient loss stored in ws, using Activation.Deriv as φ'.
func (n *network) backward(ws *workspace) {
	rows := ws.rows()
	for i := n.depth(); i >= 0; i-- {
		dh := ws.dh[i]
		gemm(true, false, ws.a[i], dh, 0, n.gw[i])
		gb := n.gb[i]
		copy(gb, dh.Data[:dh.Cols])
		for r := 1; r < rows; r++ {
			for j, v := range dh.Data[r*dh.Stride : r*dh.Stride+dh.Cols] {
				gb[j] += v
			}
		}
		if i == 0 {
			break
		}
		prev, h := ws.dh[i-1], ws.h[i-1]
		gemmNT(dh, n.w[i], prev)
		for r := 0; r < rows; r++ {
			pr := prev.Data[r*prev.Stride : r*prev.Stride+prev.Cols]
			for j, v := range h.Data[r*h.Stride : r*h.Stride+h.Cols] {
				pr[j] *= n.act.Deriv(v)
			}
		}
	}
}

// correct returns how many rows of the forward-passed batch have their
// largest logit (the first, on ties) at the label.
func (n *network) correct(ws *workspace) int {
	z := ws.h[n.depth()]
	var c int
	for r := 0; r < ws.rows(); r++ {
		zr := z.Data[r*z.Stride : r*z.Stride+z.Cols]
		best := 0
		for j, v := range zr {
			if v > zr[best] {
				best = j
			}
		}
		if best == int(ws.labels[r]) {
			c++
		}
	}
	return c
}

// Matrix products go to gonum's native BLAS explicitly rather than through
// blas64's swappable global, so that results never depend on which BLAS a
// program registered. Its Dgemm runs serially, allocation-free, while the
// product has fewer than 4 blocks of 64×64 in C, and otherwise spawns one
// goroutine per block (allocating). gemm therefore tiles C into pieces of
// tileRows × tileCols (3 blocks): every product stays on the serial path, a
// training step allocates nothing, and each entry of C is the same
// sequence of floating-point operations on every run and any GOMAXPROCS.
// On a machine shared by several jobs one core per training run is the
// right share anyway; parallelism belongs across grid cells.
const (
	tileRows = 64
	tileCols = 192
)

var impl gonum.Implementation

// gemm computes C = op(A)·B + beta·C, op(A) = Aᵀ when tA.
func gemm(tA, tB bool, a, b blas64.General, beta float64, c blas64.General) {
	ta, tb, k := blas.NoTrans, blas.NoTrans, a.Cols
	if tA {
		ta, k = blas.Trans, a.Rows
	}
	if tB {
		tb = blas.Trans
	}
	for i0 := 0; i0 < c.Rows; i0 += tileRows {
		mi := min(tileRows, c.Rows-i0)
		var ad []float64
		if tA {
			ad = a.Data[i0:]
		} else {
			ad = a.Data[i0*a.Stride:]
		}
		for j0 := 0; j0 < c.Cols; j0 += tileCols {
			nj := min(tileCols, c.Cols-j0)
			var bd []float64
			if tB {
				bd = b.Data[j0*b.Stride:]
			} else {
				bd = b.Data[j0:]
			}
			impl.Dgemm(ta, tb, mi, nj, k, 1, ad, a.Stride, bd, b.Stride, beta, c.Data[i0*c.Stride+j0:], c.Stride)
		}
	}
}

// gemmNT computes C = A·Bᵀ.
func gemmNT(a, b blas64.General, c blas64.General) { gemm(false, true, a, b, 0, c) }
