package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// ErrInvalid is wrapped by every validation error of this package, so callers
// can test with errors.Is.
var ErrInvalid = errors.New("invalid training configuration")

// ErrDiverged is wrapped by the error Train returns when the training loss
// (or, after the last step, a parameter) is no longer finite.
var ErrDiverged = errors.New("training diverged")

// ErrGridMismatch is wrapped by RunGrid's refusal of a results file written
// under another configuration, or that is not a grid file at all: resuming
// it would mix incomparable cells.
var ErrGridMismatch = errors.New("written under another configuration")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// DefaultLossWindow is the number of final steps whose mini-batch losses
// Result.TrainLoss averages when Config.LossWindow is zero.
const DefaultLossWindow = 50

// Seed streams: initialization and shuffling draw from independent PCG
// streams of the same seed, so changing, e.g., the batch size does not change
// the initial weights.
const (
	streamInit    = 0x696e6974 // "init"
	streamShuffle = 0x73687566 // "shuf"
)

// evalBatch is the number of test examples pushed through the network at once.
const evalBatch = 500

// Config describes one training run. Depth is the number of hidden layers L,
// i.e. the number of times the signal passes through the activation, which
// is THEORY.md's L: the network has L+1 weight matrices, input → L hidden
// layers of the given width → linear readout to the classes → softmax
// cross-entropy. Depth 1 is a single hidden layer.
type Config struct {
	Depth, Width int

	// Activation is φ of the hidden layers; for a quantized network use
	// NewQuantized, whose Deriv is the straight-through estimator.
	Activation Activation

	// SigmaW and SigmaB set the hidden layers' initialization,
	// W_ij ~ N(0, SigmaW²/fan_in) and b_i ~ N(0, SigmaB²) (THEORY.md §1);
	// the first layer's fan-in is the input dimension. The readout is drawn
	// from N(0, 1/fan_in) with zero bias whatever these are.
	SigmaW, SigmaB float64

	Optimizer    Optimizer
	LearningRate float64
	// Momentum μ ∈ [0, 1) of SGD; ignored by Adam.
	Momentum float64
	// Beta1, Beta2 ∈ [0, 1) and Epsilon > 0 of Adam; zero selects
	// DefaultBeta1, DefaultBeta2, DefaultEpsilon. Ignored by SGD.
	Beta1, Beta2, Epsilon float64

	// BatchSize examples per step; the training set is reshuffled at the
	// start of each epoch and its last incomplete batch is dropped.
	BatchSize int
	Steps     int
	// Seed fixes the initialization and the order of the examples: the same
	// Config and data give bit-identical results.
	Seed uint64

	// LossWindow is the number of final steps averaged into
	// Result.TrainLoss; zero means DefaultLossWindow.
	LossWindow int

	// OnStep, if not nil, is called after every step with the step number
	// (1 … Steps) and that step's mini-batch loss, e.g. to drive a progress
	// bar. It runs on the training goroutine and should be quick.
	OnStep func(step int, loss float64)
}

// Result is the outcome of a training run.
type Result struct {
	// Steps is the number of completed steps.
	Steps int
	// TrainLoss is the mean of the mini-batch losses (each computed before
	// its step's update) over the last min(LossWindow, Steps) steps.
	TrainLoss float64
	// TestAccuracy is the fraction of the test set classified correctly
	// (largest logit; the first on ties).
	TestAccuracy float64
	// Diverged reports that training stopped on a non-finite loss; TrainLoss
	// and TestAccuracy are then NaN.
	Diverged bool
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Validate reports the first invalid field of c, naming it.
func (c *Config) Validate() error {
	switch {
	case c.Depth <= 0:
		return invalid("depth %d: must be positive", c.Depth)
	case c.Width <= 0:
		return invalid("width %d: must be positive", c.Width)
	case c.Activation == nil:
		return invalid("activation: nil")
	case !finite(c.SigmaW) || c.SigmaW <= 0:
		return invalid("sigma_w %v: must be finite and positive", c.SigmaW)
	case !finite(c.SigmaB) || c.SigmaB < 0:
		return invalid("sigma_b %v: must be finite and non-negative", c.SigmaB)
	case c.Optimizer != SGD && c.Optimizer != Adam:
		return invalid("optimizer %v: want SGD or Adam", c.Optimizer)
	case !finite(c.LearningRate) || c.LearningRate <= 0:
		return invalid("learning rate %v: must be finite and positive", c.LearningRate)
	case !(c.Momentum >= 0 && c.Momentum < 1):
		return invalid("momentum %v: must be in [0, 1)", c.Momentum)
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return invalid("beta1 %v: must be in [0, 1)", c.Beta1)
	case !(c.Beta2 >= 0 && c.Beta2 < 1):
		return invalid("beta2 %v: must be in [0, 1)", c.Beta2)
	case !finite(c.Epsilon) || c.Epsilon < 0:
		return invalid("epsilon %v: must be finite and non-negative", c.Epsilon)
	case c.BatchSize <= 0:
		return invalid("batch size %d: must be positive", c.BatchSize)
	case c.Steps <= 0:
		return invalid("steps %d: must be positive", c.Steps)
	case c.LossWindow < 0:
		return invalid("loss window %d: must be non-negative", c.LossWindow)
	}
	return nil
}

// run holds everything a training run allocates, so that step allocates
// nothing.
type run struct {
	cfg     Config
	data    *Dataset
	net     *network
	ws      *workspace
	opt     optimizer
	table   *[256]float64
	perm    []int
	pos     int
	shuffle *rand.Rand
}

func newRun(cfg Config, train *Dataset) *run {
	net := newNetwork(train.Inputs, cfg.Width, cfg.Depth, train.Classes, cfg.Activation)
	net.init(rand.New(rand.NewPCG(cfg.Seed, streamInit)), cfg.SigmaW, cfg.SigmaB)
	r := &run{cfg: cfg, data: train, net: net,
		ws:      net.newWorkspace(cfg.BatchSize),
		opt:     cfg.newOptimizer(len(net.theta)),
		table:   train.Norm.table(),
		perm:    make([]int, train.Len()),
		shuffle: rand.New(rand.NewPCG(cfg.Seed, streamShuffle)),
	}
	for i := range r.perm {
		r.perm[i] = i
	}
	r.pos = len(r.perm) // forces a shuffle before the first batch
	return r
}

// step performs one mini-batch update and returns the batch's loss before
// the update; on a non-finite loss it leaves the parameters untouched.
func (r *run) step() float64 {
	b := r.cfg.BatchSize
	if r.pos+b > len(r.perm) {
		// Fisher–Yates by hand: rand.Shuffle's swap closure would be a
		// call through a func value per element for no gain.
		for i := len(r.perm) - 1; i > 0; i-- {
			j := r.shuffle.IntN(i + 1)
			r.perm[i], r.perm[j] = r.perm[j], r.perm[i]
		}
		r.pos = 0
	}
	r.ws.fill(r.data, r.perm[r.pos:r.pos+b], r.table)
	r.pos += b
	r.net.forward(r.ws)
	loss := r.net.loss(r.ws)
	if !finite(loss) {
		return loss
	}
	r.net.backward(r.ws)
	r.opt.step(r.net.theta, r.net.grad)
	return loss
}

// accuracy returns the fraction of d the network classifies correctly.
func (n *network) accuracy(d *Dataset, table *[256]float64) float64 {
	ws := n.newWorkspace(min(evalBatch, d.Len()))
	idx := make([]int, ws.capacity)
	var correct int
	for lo := 0; lo < d.Len(); lo += ws.capacity {
		hi := min(lo+ws.capacity, d.Len())
		idx = idx[:hi-lo]
		for i := range idx {
			idx[i] = lo + i
		}
		ws.fill(d, idx, table)
		n.forward(ws)
		correct += n.correct(ws)
	}
	return float64(correct) / float64(d.Len())
}

// Train trains the network described by cfg on train with mini-batch
// gradient descent and evaluates it on test. Validation errors wrap
// ErrInvalid and name the field. If the loss becomes NaN or ±Inf, Train
// stops and returns a Result with Diverged set together with an error
// wrapping ErrDiverged that names the step. If ctx is cancelled, Train
// returns the steps done so far and ctx's error. The computation is
// single-threaded and deterministic: the same cfg and data give bit-identical
// results on every run.
func Train(ctx context.Context, cfg Config, train, test *Dataset) (Result, error) {
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	if err := train.validate("training"); err != nil {
		return Result{}, err
	}
	if err := test.validate("test"); err != nil {
		return Result{}, err
	}
	if test.Inputs != train.Inputs || test.Classes != train.Classes {
		return Result{}, invalid("test set of %d inputs and %d classes for a training set of %d and %d",
			test.Inputs, test.Classes, train.Inputs, train.Classes)
	}
	if cfg.BatchSize > train.Len() {
		return Result{}, invalid("batch size %d: larger than the training set (%d)", cfg.BatchSize, train.Len())
	}
	window := cfg.LossWindow
	if window == 0 {
		window = DefaultLossWindow
	}
	window = min(window, cfg.Steps)
	last := make([]float64, window) // ring buffer of the last losses

	r := newRun(cfg, train)
	nan := math.NaN()
	for s := 1; s <= cfg.Steps; s++ {
		if err := ctx.Err(); err != nil {
			return Result{Steps: s - 1, TrainLoss: nan, TestAccuracy: nan}, err
		}
		loss := r.step()
		if !finite(loss) {
			return Result{Steps: s - 1, TrainLoss: nan, TestAccuracy: nan, Diverged: true},
				fmt.Errorf("step %d: loss %v: %w", s, loss, ErrDiverged)
		}
		last[(s-1)%window] = loss
		if cfg.OnStep != nil {
			cfg.OnStep(s, loss)
		}
	}
	for _, v := range r.net.theta {
		if !finite(v) {
			return Result{Steps: cfg.Steps, TrainLoss: nan, TestAccuracy: nan, Diverged: true},
				fmt.Errorf("step %d: parameter %v: %w", cfg.Steps, v, ErrDiverged)
		}
	}
	var sum float64
	for _, v := range last {
		sum += v
	}
	return Result{Steps: cfg.Steps, TrainLoss: sum / float64(window),
		TestAccuracy: r.net.accuracy(test, r.table)}, nil
}
