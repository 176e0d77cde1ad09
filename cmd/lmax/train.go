package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/lmax-project/lmax/internal/fileio"
	"github.com/lmax-project/lmax/plots"
	"github.com/lmax-project/lmax/quantize"
	"github.com/lmax-project/lmax/solver"
	"github.com/lmax-project/lmax/train"
)

// Default learning rates per optimizer, used when --lr is not given. They
// are ten times below the usual 1e-3 (Adam) and 0.01 (SGD, momentum 0.9)
// because this command is about deep networks: at width 128, 400 steps of
// 32, the canonical 16-level network with L = 32 does not learn at all with
// Adam at 1e-3 or SGD at 0.01 (test accuracy ≈ 10%) but reaches 88% and
// 90% with 1e-4 and 1e-3, and with Adam at 1e-4 it still reaches 79% at
// L = 64; shallow networks lose a few points (N = 4, L = 8: 91% with Adam
// at 1e-3, 86% at 1e-4).
const (
	defaultLRAdam = 1e-4
	defaultLRSGD  = 1e-3
)

// maxParams bounds the number of weights a command line may ask for, so
// that a typo such as --depth 1000000 fails at once instead of exhausting
// memory: 2^28 parameters take 8 GiB with Adam's two moment vectors.
const maxParams = 1 << 28

// trainOptions are the training flags shared by train and trainability.
type trainOptions struct {
	width, steps, batch int
	lr, momentum        float64
	optimizer           string
	seed                uint64
	quiet               bool

	opt train.Optimizer // parsed from optimizer by validate
}

func addTrainFlags(cmd *cobra.Command, o *trainOptions) {
	f := cmd.Flags()
	f.IntVar(&o.width, "width", 256, "units per hidden layer")
	f.IntVar(&o.steps, "steps", 400, "training steps (mini-batches)")
	f.IntVar(&o.batch, "batch", 32, "examples per mini-batch")
	f.Float64Var(&o.lr, "lr", 0, fmt.Sprintf("learning rate (default %g for adam, %g for sgd)", defaultLRAdam, defaultLRSGD))
	f.StringVar(&o.optimizer, "optimizer", "adam", "update rule: adam or sgd")
	f.Float64Var(&o.momentum, "momentum", 0.9, "heavy-ball momentum of sgd, in [0, 1); ignored by adam")
	f.Uint64Var(&o.seed, "seed", 1, "seed of the initialization and of the order of the examples")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "no progress on stderr")
}

// validate checks the shared flags and fills in the optimizer and the
// default learning rate.
func (o *trainOptions) validate(cmd *cobra.Command) error {
	if o.width <= 0 {
		return flagError("width", o.width, "must be positive")
	}
	if o.steps <= 0 {
		return flagError("steps", o.steps, "must be positive")
	}
	if o.batch <= 0 {
		return flagError("batch", o.batch, "must be positive")
	}
	opt, err := train.ParseOptimizer(o.optimizer)
	if err != nil {
		return flagError("optimizer", o.optimizer, "unknown optimizer (want adam or sgd)")
	}
	o.opt = opt
	if !changed(cmd.Flags(), "lr") {
		o.lr = defaultLRAdam
		if opt == train.SGD {
			o.lr = defaultLRSGD
		}
	}
	if !isFinite(o.lr) || o.lr <= 0 {
		return flagError("lr", o.lr, "must be finite and positive")
	}
	if !(o.momentum >= 0 && o.momentum < 1) {
		return flagError("momentum", o.momentum, "must be in [0, 1)")
	}
	if opt == train.Adam {
		// Adam has no heavy-ball momentum: record 0, so that a grid file
		// does not depend on a flag that changes nothing.
		o.momentum = 0
	}
	return nil
}

// checkSize refuses networks too large to allocate.
func checkSize(width, depth int) error {
	const inputs, classes = 784, 10
	w, l := float64(width), float64(depth)
	if p := w*(inputs+1) + (l-1)*w*(w+1) + (w+1)*classes; p > maxParams {
		return usagef("--width %d and --depth %d: %.3g parameters, more than the %d this command allows", width, depth, p, maxParams)
	}
	return nil
}

// checkBatch refuses a batch larger than the training set, once it is loaded.
func (o *trainOptions) checkBatch(trainSet *train.Dataset) error {
	if o.batch > trainSet.Len() {
		return flagError("batch", o.batch, "larger than the training set (%d examples)", trainSet.Len())
	}
	return nil
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// interruptible returns a context cancelled by Ctrl-C or SIGTERM, so that a
// long run stops between steps and a grid file is left whole.
func interruptible(cmd *cobra.Command) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
}

// canonicalInit is the solver's initialization of the canonical N-level
// quantizer: σ_w^opt, σ_b = 0 and the STE slope that keeps gradient norms
// through depth.
func canonicalInit(s solver.Scheme) train.Init {
	return train.Init{SigmaW: s.SigmaW, SigmaB: s.SigmaB, Slope: s.STESlope}
}

// trainColumns are the keys of train's record, in order.
var trainColumns = []string{"levels", "depth", "width", "steps", "train_loss", "test_accuracy", "xi", "lmax",
	"sigma_w", "sigma_b", "ste_slope"}

func newTrainCmd() *cobra.Command {
	var (
		levels, depth         int
		sigmaW, sigmaB, slope float64
		kappa                 float64
		opts                  trainOptions
		out                   outputOptions
	)
	cmd := &cobra.Command{
		Use:   "train --levels N --depth L",
		Short: "Train a quantized network on MNIST at the solver's initialization",
		Long: `train trains a fully connected network of L hidden layers, each of --width
units with the canonical N-level quantizer as activation (A = 1,
δ = 2/(N−1)) and the straight-through estimator in the backward pass, on
the MNIST training set, then reports the mean training loss of the last 50
steps and the accuracy on the 10 000 test images, beside the theory's depth
scale ξ(N) and maximal depth L_max = κ ξ.

The initialization is by default the solver's for that quantizer: the weight
scale σ_w^opt that maximizes χ, σ_b = 0, and the STE slope that keeps
gradient norms through depth at σ_w^opt. --sigma-w, --sigma-b and
--ste-slope override each of them separately (the slope is not re-derived
for another σ_w); ξ and L_max always refer to the optimal initialization.

The default learning rate is 1e-4 for adam and 1e-3 for sgd (with momentum
0.9): the usual rates (1e-3, 0.01) stop deep networks from learning at all
(16 levels, L = 32: 10% test accuracy), which would hide the depth limit
this command is for. A run is deterministic: the same flags give the same
numbers. If the loss becomes NaN or infinite, train stops with an error
(exit status 1): try a smaller --lr.

Keys: levels, depth, width, steps, train_loss, test_accuracy, xi, lmax,
sigma_w, sigma_b, ste_slope.`,
		Example: `  lmax train --levels 16 --depth 8
  lmax train --levels 2 --depth 30 --steps 1000 --format json
  lmax train --levels 4 --depth 20 --optimizer sgd --lr 0.005 --sigma-w 1.1`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !changed(cmd.Flags(), "levels") {
				return usagef("--levels: required")
			}
			if levels < 2 || levels > maxTrainLevels {
				return flagError("levels", levels, "must be between 2 and %d", maxTrainLevels)
			}
			if !changed(cmd.Flags(), "depth") {
				return usagef("--depth: required")
			}
			if depth <= 0 {
				return flagError("depth", depth, "must be positive")
			}
			if err := opts.validate(cmd); err != nil {
				return err
			}
			if err := checkSize(opts.width, depth); err != nil {
				return err
			}
			if err := checkKappa(kappa); err != nil {
				return err
			}
			if err := out.validate(); err != nil {
				return err
			}
			s, err := solver.Canonical(levels, kappa)
			if err != nil {
				return err
			}
			init := canonicalInit(s)
			if changed(cmd.Flags(), "sigma-w") {
				if !isFinite(sigmaW) || sigmaW <= 0 {
					return flagError("sigma-w", sigmaW, "must be finite and positive")
				}
				init.SigmaW = sigmaW
			}
			if changed(cmd.Flags(), "sigma-b") {
				if !isFinite(sigmaB) || sigmaB < 0 {
					return flagError("sigma-b", sigmaB, "must be finite and non-negative")
				}
				init.SigmaB = sigmaB
			}
			if changed(cmd.Flags(), "ste-slope") {
				if !isFinite(slope) || slope <= 0 {
					return flagError("ste-slope", slope, "must be finite and positive")
				}
				init.Slope = slope
			}
			trainSet, testSet, err := train.MNIST()
			if err != nil {
				return err
			}
			if err := opts.checkBatch(trainSet); err != nil {
				return err
			}
			q, err := quantize.Canonical(levels)
			if err != nil {
				return err
			}
			act, err := train.NewQuantized(q, init.Slope)
			if err != nil {
				return err
			}
			cfg := train.Config{
				Depth: depth, Width: opts.width, Activation: act,
				SigmaW: init.SigmaW, SigmaB: init.SigmaB,
				Optimizer: opts.opt, LearningRate: opts.lr, Momentum: opts.momentum,
				BatchSize: opts.batch, Steps: opts.steps, Seed: opts.seed,
			}
			var bar *progressbar.ProgressBar
			if showProgress(cmd, opts.quiet) {
				bar = newBar(cmd.ErrOrStderr(), int64(opts.steps), fmt.Sprintf("N=%d L=%d", levels, depth))
				cfg.OnStep = func(step int, loss float64) {
					bar.Add(1)
					if step == opts.steps {
						bar.Describe("evaluating on the test set")
					}
				}
			}
			ctx, stop := interruptible(cmd)
			defer stop()
			res, err := train.Train(ctx, cfg, trainSet, testSet)
			if bar != nil {
				bar.Clear()
			}
			switch {
			case errors.Is(err, train.ErrDiverged):
				return fmt.Errorf("N=%d, L=%d, %s at lr %g: %w; try a smaller --lr", levels, depth, opts.opt, opts.lr, err)
			case errors.Is(err, train.ErrInvalid):
				return usagef("%v", err)
			case ctx.Err() != nil:
				return fmt.Errorf("interrupted after %d of %d steps", res.Steps, opts.steps)
			case err != nil:
				return err
			}
			vals := []any{levels, depth, opts.width, opts.steps, res.TrainLoss, res.TestAccuracy, s.Xi, s.LMax,
				init.SigmaW, init.SigmaB, init.Slope}
			return writeRecord(cmd, &out, trainColumns, vals, kappa)
		},
	}
	f := cmd.Flags()
	f.IntVar(&levels, "levels", 0, "number of quantization levels N (≥ 2)")
	f.IntVar(&depth, "depth", 0, "number of hidden layers L (≥ 1)")
	addTrainFlags(cmd, &opts)
	f.Float64Var(&sigmaW, "sigma-w", 0, "weight scale σ_w (default: the solver's σ_w^opt for N)")
	f.Float64Var(&sigmaB, "sigma-b", 0, "bias scale σ_b (default 0)")
	f.Float64Var(&slope, "ste-slope", 0, "slope of the straight-through estimator (default: the solver's for N)")
	addKappaFlag(cmd, &kappa)
	addOutputFlags(cmd, &out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}

// gridMismatch reports whether err is RunGrid's refusal of a file written
// by another configuration or by something else altogether.
func gridMismatch(err error) bool { return errors.Is(err, train.ErrGridMismatch) }

// maxDepth bounds --depths so that a typo fails at once.
const maxDepth = 100_000

var trainabilityColumns = []string{"levels", "depth", "test_accuracy", "lmax"}

func newTrainabilityCmd() *cobra.Command {
	var (
		levelSpec, depthSpec string
		outPath, plotPath    string
		workers              int
		kappa                float64
		opts                 trainOptions
		out                  outputOptions
	)
	cmd := &cobra.Command{
		Use:   "trainability --levels SPEC --depths SPEC --out FILE",
		Short: "Train a grid of quantized networks over N and L into a resumable CSV file",
		Long: `trainability trains, for every number of levels N and depth L of the two
SPECs, the network that train would (the canonical N-level quantizer at the
solver's initialization σ_w^opt, σ_b = 0 and STE slope), and appends each
finished cell to the CSV file --out at once. Rerun with the same flags and
file to resume: cells already in the file are read back, not trained again.
A file written under another configuration (width, steps, batch, lr,
optimizer, momentum, seed) is refused (exit status 2), never mixed. A cell
whose loss diverges is recorded with an empty accuracy and the grid goes on.

--plot FILE draws the test accuracy as a heat map over N and L with the
curves L = κ ξ(N) for κ = 4, 6 and 9 (PNG, SVG or PDF by the extension;
diverged cells are grey). The summary of every cell (levels, depth,
test_accuracy, lmax = κ ξ with --kappa) goes to stdout.

SPEC: comma-separated items N, A..B (every integer) or A..B:xK (A, AK, AK², …
up to B). Cells run one after the other unless --workers is above 1; each
worker uses one core, and the results are the same whatever --workers.`,
		Example: `  lmax trainability --levels 2..16:x2 --depths 2..32:x2 --out grid.csv --plot grid.png
  lmax trainability --levels 2,3,4 --depths 4,8,16 --width 128 --steps 300 --workers 2 --out small.csv`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !changed(cmd.Flags(), "levels") {
				return usagef("--levels: required")
			}
			levels, err := parseIntSpec(levelSpec, 2, maxTrainLevels)
			if err != nil {
				return flagError("levels", levelSpec, "%v", err)
			}
			if !changed(cmd.Flags(), "depths") {
				return usagef("--depths: required")
			}
			depths, err := parseIntSpec(depthSpec, 1, maxDepth)
			if err != nil {
				return flagError("depths", depthSpec, "%v", err)
			}
			if err := opts.validate(cmd); err != nil {
				return err
			}
			if err := checkSize(opts.width, slices.Max(depths)); err != nil {
				return err
			}
			if workers < 1 {
				return flagError("workers", workers, "must be at least 1")
			}
			if err := checkKappa(kappa); err != nil {
				return err
			}
			if err := out.validate(); err != nil {
				return err
			}
			if outPath == "" {
				return usagef("--out: required")
			}
			if err := fileio.CheckDestination(outPath); err != nil {
				return flagError("out", outPath, "%v", err)
			}
			if plotPath != "" {
				if err := plots.CheckPath(plotPath); err != nil {
					return flagError("plot", plotPath, "%v", err)
				}
				if len(levels) < 2 || len(depths) < 2 {
					return flagError("plot", plotPath, "the heat map needs at least 2 levels and 2 depths")
				}
			}
			schemes, err := solver.Sweep(levels, kappa)
			if err != nil {
				return err
			}
			byLevels := map[int]solver.Scheme{}
			for _, s := range schemes {
				byLevels[s.Levels] = s
			}
			trainSet, testSet, err := train.MNIST()
			if err != nil {
				return err
			}
			if err := opts.checkBatch(trainSet); err != nil {
				return err
			}

			g := train.Grid{
				Levels: levels, Depths: depths,
				Width: opts.width, Steps: opts.steps, BatchSize: opts.batch,
				Optimizer: opts.opt, LearningRate: opts.lr, Momentum: opts.momentum,
				Seed: opts.seed, Workers: workers,
				// The file may hold cells of levels that this run does not
				// ask for (a rerun over a subset): their initialization is
				// the solver's too, and must be checked, not taken as zero.
				Init: func(n int) (train.Init, error) {
					s, ok := byLevels[n]
					if !ok {
						var err error
						if s, err = solver.Canonical(n, kappa); err != nil {
							return train.Init{}, err
						}
					}
					return canonicalInit(s), nil
				},
			}
			progress := newGridProgress(cmd, opts, levels, depths)
			g.OnStep, g.OnCell = progress.step, progress.cell
			ctx, stop := interruptible(cmd)
			defer stop()
			cells, err := train.RunGrid(ctx, g, trainSet, testSet, outPath)
			progress.finish()
			switch {
			case err == nil:
			case gridMismatch(err):
				return flagError("out", outPath, "%v", err)
			case errors.Is(err, train.ErrInvalid):
				return usagef("%v", err)
			case ctx.Err() != nil:
				return fmt.Errorf("interrupted: %d of %d cells are in %s; rerun the same command to resume",
					len(cells), len(levels)*len(depths), outPath)
			default:
				return err
			}

			if plotPath != "" {
				if err := saveTrainability(plotPath, cells, opts, kappa); err != nil {
					return err
				}
			}
			r := &report{columns: trainabilityColumns}
			for _, c := range cells {
				var acc any = c.Result.TestAccuracy
				if c.Result.Diverged {
					acc = nil
				}
				r.add(c.Levels, c.Depth, acc, byLevels[c.Levels].LMax)
			}
			if err := r.write(cmd.OutOrStdout(), &out); err != nil {
				return err
			}
			kappaNote(cmd, &out, kappa, " An empty test_accuracy marks a run that diverged.")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&levelSpec, "levels", "", "numbers of levels N (SPEC, each ≥ 2)")
	f.StringVar(&depthSpec, "depths", "", "depths L (SPEC, each ≥ 1)")
	f.StringVar(&outPath, "out", "", "the grid's CSV file, created or resumed (required)")
	f.StringVar(&plotPath, "plot", "", "also draw the heat map into this file (.png, .svg or .pdf)")
	f.IntVar(&workers, "workers", 1, "cells trained at once, one core each")
	addTrainFlags(cmd, &opts)
	addKappaFlag(cmd, &kappa)
	addOutputFlags(cmd, &out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}

// saveTrainability draws the heat map of the grid's cells with the curves
// L = κ ξ(N), κ = 4, 6, 9, over every integer N of the grid's range.
func saveTrainability(path string, cells []train.Cell, opts trainOptions, kappa float64) error {
	var ns, ls []int
	for _, c := range cells {
		ns = append(ns, c.Levels)
		ls = append(ls, c.Depth)
	}
	slices.Sort(ns)
	slices.Sort(ls)
	ns, ls = slices.Compact(ns), slices.Compact(ls)
	acc := make([]float64, len(ns)*len(ls))
	for i := range acc {
		acc[i] = math.NaN()
	}
	for _, c := range cells {
		if !c.Result.Diverged {
			i, _ := slices.BinarySearch(ls, c.Depth)
			j, _ := slices.BinarySearch(ns, c.Levels)
			acc[i*len(ns)+j] = c.Result.TestAccuracy
		}
	}
	xiN := curveLevels(ns[0], ns[len(ns)-1])
	schemes, err := solver.Sweep(xiN, kappa)
	if err != nil {
		return err
	}
	xi := make([]float64, len(schemes))
	for i, s := range schemes {
		xi[i] = s.Xi
	}
	fig, err := plots.Trainability(plots.TrainData{
		N: ns, Depth: ls, Accuracy: acc, XiN: xiN, Xi: xi,
		Title: fmt.Sprintf("MNIST test accuracy after %d %s steps (width %d, batch %d, lr %g)",
			opts.steps, opts.opt, opts.width, opts.batch, opts.lr),
	})
	if err != nil {
		return err
	}
	return plots.Save(fig, path, 0, 0)
}

// curveLevels returns the N at which to draw the κ ξ(N) curves between lo
// and hi: every integer up to 256, beyond that about 64 per doubling,
// enough for a smooth curve on a log axis.
func curveLevels(lo, hi int) []int {
	var ns []int
	for n := lo; n <= hi; {
		ns = append(ns, n)
		n = max(n+1, int(float64(n)*math.Exp2(1.0/64)))
		if n > hi && ns[len(ns)-1] != hi {
			n = hi
		}
	}
	return ns
}

// gridProgress shows how far a grid has got: a bar on a terminal, weighted
// by steps × depth (the cost of a step grows with the depth, so this keeps
// the time estimate honest), or one line per finished cell on stderr
// otherwise. --quiet silences both.
type gridProgress struct {
	w         io.Writer
	bar       *progressbar.ProgressBar
	quiet     bool
	steps     int
	done, all int
}

func newGridProgress(cmd *cobra.Command, opts trainOptions, levels, depths []int) *gridProgress {
	p := &gridProgress{w: cmd.ErrOrStderr(), quiet: opts.quiet, steps: opts.steps, all: len(levels) * len(depths)}
	if showProgress(cmd, opts.quiet) {
		var units int64
		for range levels {
			for _, l := range depths {
				units += int64(opts.steps) * int64(l)
			}
		}
		p.bar = newBar(p.w, units, p.describe())
	}
	return p
}

func (p *gridProgress) describe() string { return fmt.Sprintf("%d/%d cells", p.done, p.all) }

func (p *gridProgress) step(levels, depth, step int, loss float64) {
	if p.bar != nil {
		p.bar.Add(depth)
	}
}

func (p *gridProgress) cell(c train.Cell) {
	p.done++
	switch {
	case p.bar != nil:
		if c.Resumed {
			// Not trained this time: take it out of the work to do.
			p.bar.ChangeMax64(p.bar.GetMax64() - int64(p.steps)*int64(c.Depth))
		}
		p.bar.Describe(p.describe())
	case !p.quiet && !c.Resumed:
		acc := fmt.Sprintf("test accuracy %.4f", c.Result.TestAccuracy)
		if c.Result.Diverged {
			acc = "diverged"
		}
		fmt.Fprintf(p.w, "N=%d L=%d: %s (%s)\n", c.Levels, c.Depth, acc, p.describe())
	}
}

func (p *gridProgress) finish() {
	if p.bar != nil {
		p.bar.Clear()
	}
}

// maxTrainLevels bounds --levels of train and trainability: a quantizer
// holds its N levels and thresholds in memory, and beyond 2^16 levels
// (16 bits) quantization is no longer the subject of the experiment.
const maxTrainLevels = 1 << 16
