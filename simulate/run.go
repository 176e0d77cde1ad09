package simulate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"
)

// Sampler is the optional capability of a stochastic activation, whose
// output given the input is random (meanfield.StochasticRounding, and
// meanfield.Noisy, which forwards to its inner activation): Sample draws
// φ(x) from r, the trial's own stream, and Eval is not called. Sample must
// consume a number of values from r that depends on nothing but its
// arguments and r's state, so that runs stay bit-reproducible. A Sampler
// that is also Noisy gets its Gaussian noise added after the sample.
type Sampler interface {
	Sample(x float64, r *rand.Rand) float64
}

// Estimate is a Monte Carlo mean over trials with its standard error
// (sample standard deviation over √T).
type Estimate struct {
	Mean, StdErr float64
}

// Result holds the per-layer measurements of a run. Layer l = 1 … L is at
// index l-1.
type Result struct {
	// Config is the config that was run, with defaults applied and Workers
	// set to the number of trials actually run at once.
	Config Config

	// Q[l-1] is q^l: the mean square of the pre-activations h^l, averaged
	// over the n units and the B inputs of a trial, then over trials.
	Q []Estimate
	// C[l-1] is c^l: the empirical cosine Σ_i h_ia h_ib / √(Σ h_ia² Σ h_ib²)
	// of each pair of inputs a < b, averaged over the B(B-1)/2 pairs of a
	// trial, then over trials. No mean is subtracted (THEORY.md §1).
	C []Estimate

	// TrialQ[t][l-1] and TrialC[t][l-1] are trial t's q^l and c^l.
	TrialQ, TrialC [][]float64

	// Fallbacks counts the layers, over all trials, whose covariance was
	// too close to singular for Cholesky and was factored through the
	// eigen decomposition instead (method Gram only; see covSqrt).
	Fallbacks int
}

// Run simulates c.Trials independent networks, each fed the inputs of
// Inputs(c), and measures q^l and c^l at every layer (THEORY.md §1, §5).
//
// Both methods draw the first layer as h^1 = W^1 x + b^1, with no φ on the
// input, and the others as h^l = W^l φ(h^{l-1}) + b^l, W entries
// N(0, σ_w²/n) and b entries N(0, σ_b²). A Sampler draws every φ output
// with its Sample method; a Noisy activation adds independent N(0, s²)
// noise to every φ output. Method Gram samples each
// layer's rows directly from their exact conditional law
// N(0, (σ_w²/n) XᵀX + σ_b² 11ᵀ) given the previous outputs X, so the two
// methods agree in distribution, not sample by sample.
//
// Determinism: trial t draws all its randomness from its own PCG stream,
// seeded from (Seed, t) through SplitMix64, and the reductions over trials
// run in trial order after all have finished, so the result is bit-identical
// whatever GOMAXPROCS, Workers and the scheduling. Trials run concurrently
// on up to Workers goroutines.
//
// Run returns ctx.Err() (wrapped) if ctx is cancelled first, and an error
// naming the trial and layer if a layer's pre-activations are non-finite or
// identically zero for some input (the cosine is then undefined; this
// happens when q collapses to the fixed point q = 0 of an odd-N quantizer).
func Run(ctx context.Context, c Config) (*Result, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults()
	in, err := inputs(c)
	if err != nil {
		return nil, err
	}
	c.Workers = c.workers()
	T, L := c.Trials, c.Depth

	res := &Result{Config: c, TrialQ: make([][]float64, T), TrialC: make([][]float64, T)}
	qs := make([]float64, 2*T*L)
	for t := range T {
		res.TrialQ[t] = qs[2*t*L : (2*t+1)*L : (2*t+1)*L]
		res.TrialC[t] = qs[(2*t+1)*L : (2*t+2)*L : (2*t+2)*L]
	}
	fallbacks := make([]int, T)
	errs := make([]error, T)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	done := make(chan struct{}, T)
	var wg sync.WaitGroup
	for range c.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := newTrial(c, in)
			for {
				t := int(next.Add(1) - 1)
				if t >= T || ctx.Err() != nil {
					return
				}
				fallbacks[t], errs[t] = tr.run(ctx, t, res.TrialQ[t], res.TrialC[t])
				if errs[t] != nil {
					cancel()
					return
				}
				done <- struct{}{}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	finished := 0
	for range done {
		finished++
		if c.Progress != nil {
			c.Progress(finished, T)
		}
	}

	// Report the error of the earliest trial that failed on its own, not
	// one that merely saw the cancellation it caused.
	for _, e := range errs {
		if e != nil && !errors.Is(e, context.Canceled) && !errors.Is(e, context.DeadlineExceeded) {
			return nil, e
		}
	}
	if finished < T {
		return nil, fmt.Errorf("simulate: stopped after %d of %d trials: %w", finished, T, context.Cause(ctx))
	}

	res.Q = reduce(res.TrialQ, L)
	res.C = reduce(res.TrialC, L)
	for _, f := range fallbacks {
		res.Fallbacks += f
	}
	return res, nil
}

// reduce returns the mean and standard error over trials of each layer,
// summing in trial order (two passes: mean, then squared deviations).
func reduce(x [][]float64, L int) []Estimate {
	T := float64(len(x))
	out := make([]Estimate, L)
	for l := range L {
		var s float64
		for _, row := range x {
			s += row[l]
		}
		m := s / T
		var ss float64
		for _, row := range x {
			d := row[l] - m
			ss += d * d
		}
		out[l] = Estimate{Mean: m, StdErr: math.Sqrt(ss / (T - 1) / T)}
	}
	return out
}

// trial holds one worker's buffers; it runs trials one after another.
type trial struct {
	c      Config
	in     []float64 // the inputs, n × B row-major, shared read-only
	phi    Activation
	sample Sampler // nil unless phi is a Sampler
	noise  float64
	src    *rand.PCG
	rng    *rand.Rand
	h, x   []float64 // pre-activations h^l and outputs φ(h^{l-1}), n × B
	hm     *mat.Dense
	w      *mat.Dense // W^l, method Weights only
	xt     *mat.Dense // the layer input transposed (B × n), method Weights only
	sym    *mat.SymDense
	sq     *covSqrt
	a, z   []float64
	sums   []float64
	swn    float64 // σ_w/√n
	sw2n   float64 // σ_w²/n
	sbias2 float64 // σ_b²
}

func newTrial(c Config, in []float64) *trial {
	n, b := c.Width, c.Batch
	src := rand.NewPCG(0, 0)
	tr := &trial{
		c: c, in: in, phi: c.Activation,
		src: src, rng: rand.New(src),
		h: make([]float64, n*b), x: make([]float64, n*b),
		sym: mat.NewSymDense(b, nil), sq: newCovSqrt(b),
		a: make([]float64, b*b), z: make([]float64, b), sums: make([]float64, b*b),
		swn: c.SigmaW / math.Sqrt(float64(n)), sw2n: c.SigmaW * c.SigmaW / float64(n),
		sbias2: c.SigmaB * c.SigmaB,
	}
	if nz, ok := c.Activation.(Noisy); ok {
		tr.noise = nz.NoiseStd()
	}
	if s, ok := c.Activation.(Sampler); ok {
		tr.sample = s
	}
	tr.hm = mat.NewDense(n, b, tr.h)
	if c.Method == Weights {
		tr.w = mat.NewDense(n, n, nil)
		tr.xt = mat.NewDense(b, n, nil)
	}
	return tr
}

// run simulates trial t, writing q^l and c^l into q[l-1], cs[l-1]. It
// returns the number of eigen fallbacks.
func (tr *trial) run(ctx context.Context, t int, q, cs []float64) (int, error) {
	seedSource(tr.src, tr.c.Seed, uint64(t))
	fallbacks := 0
	for l := 1; l <= tr.c.Depth; l++ {
		if err := ctx.Err(); err != nil {
			return fallbacks, err
		}
		prev := tr.in
		if l > 1 {
			tr.activate()
			prev = tr.x
		}
		if tr.c.Method == Weights {
			tr.weightsLayer(prev)
		} else {
			fb, err := tr.gramLayer(prev)
			if fb {
				fallbacks++
			}
			if err != nil {
				return fallbacks, fmt.Errorf("trial %d, layer %d: %w", t, l, err)
			}
		}
		var err error
		q[l-1], cs[l-1], err = tr.measure()
		if err != nil {
			return fallbacks, fmt.Errorf("trial %d, layer %d: %w", t, l, err)
		}
	}
	return fallbacks, nil
}

// activate sets x = φ(h) (+ noise). Per unit, a Sampler's draw comes
// before the noise draw; without a Sampler only the noise draws from the
// stream, as before Sampler existed.
func (tr *trial) activate() {
	if tr.sample != nil {
		for i, v := range tr.h {
			y := tr.sample.Sample(v, tr.rng)
			if tr.noise > 0 {
				y += tr.noise * tr.rng.NormFloat64()
			}
			tr.x[i] = y
		}
		return
	}
	if tr.noise > 0 {
		for i, v := range tr.h {
			tr.x[i] = tr.phi.Eval(v) + tr.noise*tr.rng.NormFloat64()
		}
		return
	}
	for i, v := range tr.h {
		tr.x[i] = tr.phi.Eval(v)
	}
}

// gramLayer samples h's rows i.i.d. from N(0, (σ_w²/n) XᵀX + σ_b² 11ᵀ),
// X = prev (THEORY.md §5).
func (tr *trial) gramLayer(prev []float64) (fallback bool, err error) {
	b := tr.c.Batch
	g := tr.sums
	clear(g)
	for i := 0; i < len(prev); i += b {
		row := prev[i : i+b]
		for a, va := range row {
			for a2 := a; a2 < b; a2++ {
				g[a*b+a2] += va * row[a2]
			}
		}
	}
	for a := range b {
		for a2 := a; a2 < b; a2++ {
			tr.sym.SetSym(a, a2, tr.sw2n*g[a*b+a2]+tr.sbias2)
		}
	}
	fallback, err = tr.sq.sqrt(tr.sym, tr.a)
	if err != nil {
		return fallback, err
	}
	z, A := tr.z, tr.a
	for i := 0; i < len(tr.h); i += b {
		for k := range z {
			z[k] = tr.rng.NormFloat64()
		}
		row := tr.h[i : i+b]
		for a := range row {
			var s float64
			for k, ak := range A[a*b : (a+1)*b] {
				s += ak * z[k]
			}
			row[a] = s
		}
	}
	return fallback, nil
}

// weightsLayer draws W (row-major, row by row) then b, and sets
// h = W·prev + b.
func (tr *trial) weightsLayer(prev []float64) {
	n, b := tr.c.Width, tr.c.Batch
	w := tr.w.RawMatrix().Data
	for i := range w {
		w[i] = tr.swn * tr.rng.NormFloat64()
	}
	// H = W X is formed as W (Xᵀ)ᵀ with Xᵀ stored B × n: gonum's Dgemm then
	// takes each entry as a length-n dot product of contiguous rows,
	// instead of length-B axpys, which for B = 2 is about twice as fast.
	xt := tr.xt.RawMatrix().Data
	for i := range n {
		for a := range b {
			xt[a*n+i] = prev[i*b+a]
		}
	}
	tr.hm.Mul(tr.w, tr.xt.T())
	if tr.c.SigmaB > 0 {
		for i := 0; i < len(tr.h); i += b {
			bi := tr.c.SigmaB * tr.rng.NormFloat64()
			for a := range b {
				tr.h[i+a] += bi
			}
		}
	}
}

// measure returns the trial's q^l and c^l from h.
func (tr *trial) measure() (q, c float64, err error) {
	b, n := tr.c.Batch, tr.c.Width
	s := tr.sums
	clear(s)
	for i := 0; i < len(tr.h); i += b {
		row := tr.h[i : i+b]
		for a, va := range row {
			for a2 := a; a2 < b; a2++ {
				s[a*b+a2] += va * row[a2]
			}
		}
	}
	for a := range b {
		d := s[a*b+a]
		if !finite(d) {
			return 0, 0, fmt.Errorf("input %d: non-finite pre-activations (overflow from σ_w = %v, σ_b = %v, q0 = %v, or an activation returning NaN or ±Inf)",
				a, tr.c.SigmaW, tr.c.SigmaB, tr.c.Q0)
		}
		if d == 0 {
			return 0, 0, fmt.Errorf("input %d: all pre-activations are zero, so its cosine is undefined", a)
		}
		q += d
	}
	q /= float64(n * b)
	for a := range b {
		for a2 := a + 1; a2 < b; a2++ {
			c += s[a*b+a2] / (math.Sqrt(s[a*b+a]) * math.Sqrt(s[a2*b+a2]))
		}
	}
	c /= float64(b * (b - 1) / 2)
	return q, c, nil
}
