package simulate

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
)

// ErrInvalid is wrapped by every validation error of this package, so
// callers can test with errors.Is.
var ErrInvalid = errors.New("invalid simulation config")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Activation is the nonlinearity φ applied between layers. It is the subset
// of meanfield.Activation that a forward pass needs; any meanfield activation
// and any *quantize.Quantizer satisfy it. Eval must be safe for concurrent
// use: trials call it from several goroutines.
type Activation interface {
	Eval(x float64) float64
}

// Noisy is the optional capability of a noisy activation: independent
// Gaussian noise of standard deviation NoiseStd() is added to every output
// φ(h). The simulation draws that noise from the trial's own stream.
type Noisy interface {
	NoiseStd() float64
}

// Method selects how a trial propagates its inputs through the network.
type Method int

const (
	// Gram samples each layer's pre-activations exactly from the B × B
	// covariance (σ_w²/n) XᵀX + σ_b² 11ᵀ of the previous layer's outputs X
	// (THEORY.md §5): O(nB² + B³) time and O(nB) memory per layer.
	Gram Method = iota
	// Weights draws explicit W^l (n × n, entries N(0, σ_w²/n)) and b^l and
	// multiplies: O(n²B) time and O(n²) memory per layer.
	Weights
)

// String returns "gram" or "weights".
func (m Method) String() string {
	switch m {
	case Gram:
		return "gram"
	case Weights:
		return "weights"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// ParseMethod returns the method named s ("gram" or "weights", any case).
func ParseMethod(s string) (Method, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "gram":
		return Gram, nil
	case "weights":
		return Weights, nil
	}
	return 0, invalid("method %q: want gram or weights", s)
}

// DefaultBatch is the number of inputs used when Config.Batch is zero: a pair.
const DefaultBatch = 2

// DefaultMaxMemory is the working-memory bound used when Config.MaxMemory is
// zero: 2 GiB.
const DefaultMaxMemory = 2 << 30

// Config describes a Monte Carlo experiment: T independent random networks
// of width n and depth L, each fed the same B inputs. The zero values of
// Batch, Method, Workers and MaxMemory select their defaults; every other
// numeric field must be set. Run validates the config; Validate reports the
// first bad field by name.
type Config struct {
	Activation Activation // φ; required

	SigmaW float64 // σ_w > 0: weights are N(0, σ_w²/n)
	SigmaB float64 // σ_b ≥ 0: biases are N(0, σ_b²)

	Width  int // n ≥ Batch
	Depth  int // L ≥ 1: layers h^1 … h^L are measured
	Trials int // T ≥ 2 independent networks (two at least, for a standard error)
	Batch  int // B ≥ 2 inputs; 0 means DefaultBatch

	// Q0 > 0 is the per-coordinate mean square |x|²/n of every input and C0
	// the cosine between every pair of inputs; C0 must lie in
	// (-1/(B-1), 1) so that the inputs' Gram matrix is positive definite
	// (for a pair: (-1, 1)). See Inputs for the construction.
	Q0, C0 float64

	Seed   uint64 // all randomness derives from Seed (see Run)
	Method Method // Gram (the zero value) or Weights

	// Workers bounds the number of trials run at once; 0 means
	// runtime.GOMAXPROCS(0). Run lowers it further to keep within
	// MaxMemory. Results do not depend on it.
	Workers int

	// MaxMemory bounds the working memory of Run in bytes (see Memory);
	// 0 means DefaultMaxMemory. A config whose single-worker memory exceeds
	// it is refused.
	MaxMemory int64

	// Progress, if not nil, is called after each trial completes with the
	// number of trials done so far and the total. It is called from the
	// goroutine that called Run, never concurrently, with done increasing
	// from 1 to Trials.
	Progress func(done, total int)
}

// withDefaults returns c with zero-valued optional fields filled in.
func (c Config) withDefaults() Config {
	if c.Batch == 0 {
		c.Batch = DefaultBatch
	}
	if c.Workers == 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.MaxMemory == 0 {
		c.MaxMemory = DefaultMaxMemory
	}
	return c
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Validate reports whether c describes a runnable experiment, naming the
// first offending field. Defaults are applied before checking.
func (c Config) Validate() error {
	c = c.withDefaults()
	if c.Activation == nil {
		return invalid("activation: nil")
	}
	if nz, ok := c.Activation.(Noisy); ok {
		if s := nz.NoiseStd(); !finite(s) || s < 0 {
			return invalid("activation noise std %v: must be finite and non-negative", s)
		}
	}
	if !finite(c.SigmaW) || c.SigmaW <= 0 {
		return invalid("sigma_w %v: must be finite and positive", c.SigmaW)
	}
	if !finite(c.SigmaB) || c.SigmaB < 0 {
		return invalid("sigma_b %v: must be finite and non-negative", c.SigmaB)
	}
	if c.Batch < 2 {
		return invalid("batch %d: need at least 2 inputs for a correlation", c.Batch)
	}
	if c.Width < c.Batch {
		return invalid("width %d: need at least batch = %d units for independent inputs", c.Width, c.Batch)
	}
	if c.Depth < 1 {
		return invalid("depth %d: must be at least 1", c.Depth)
	}
	if c.Trials < 2 {
		return invalid("trials %d: need at least 2 for a standard error", c.Trials)
	}
	if !finite(c.Q0) || c.Q0 <= 0 {
		return invalid("q0 %v: must be finite and positive", c.Q0)
	}
	lo := -1 / float64(c.Batch-1)
	if !finite(c.C0) || c.C0 <= lo || c.C0 >= 1 {
		return invalid("c0 %v: must lie in (%g, 1) for %d inputs", c.C0, lo, c.Batch)
	}
	if c.Method != Gram && c.Method != Weights {
		return invalid("method %d: want Gram or Weights", int(c.Method))
	}
	if c.Workers < 0 {
		return invalid("workers %d: must be non-negative", c.Workers)
	}
	if c.MaxMemory < 0 {
		return invalid("max memory %d: must be non-negative", c.MaxMemory)
	}
	if m := c.Memory(1); m > float64(c.MaxMemory) {
		return invalid("width %d, trials %d, depth %d with method %v: working memory %.3g bytes exceeds the bound of %d bytes",
			c.Width, c.Trials, c.Depth, c.Method, m, c.MaxMemory)
	}
	return nil
}

// Memory returns the working memory in bytes of a run with the given number
// of concurrent workers (at least 1), with defaults applied: the shared
// inputs (n·B float64s) and per-trial results (2·T·L) plus, per worker, two
// n × B layer buffers and, for Weights, the n × n weight matrix and a third
// n × B buffer. It is
// computed in float64 so that absurd sizes cannot overflow.
func (c Config) Memory(workers int) float64 {
	c = c.withDefaults()
	n, b := float64(c.Width), float64(c.Batch)
	shared := 8 * (n*b + 2*float64(c.Trials)*float64(c.Depth))
	per := 8 * (2 * n * b)
	if c.Method == Weights {
		per += 8 * (n*n + n*b)
	}
	return shared + float64(max(workers, 1))*per
}

// workers returns the number of concurrent trials Run will use: Workers,
// at most Trials, and at most what fits in MaxMemory (at least 1, since
// Validate has checked that one fits).
func (c Config) workers() int {
	w := min(c.Workers, c.Trials)
	if c.Memory(w) > float64(c.MaxMemory) {
		one := c.Memory(1)
		per := c.Memory(2) - one
		w = 1 + int((float64(c.MaxMemory)-one)/per)
	}
	return max(w, 1)
}
