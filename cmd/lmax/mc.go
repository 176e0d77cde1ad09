package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/plots"
	"github.com/lmax-project/lmax/simulate"
	"github.com/lmax-project/lmax/solver"
)

// Defaults and bounds of mc.
const (
	mcDefaultWidth  = 4096
	mcDefaultTrials = 16
	// mcDepthMultiple is the default depth in units of ξ_c: ⌈3ξ⌉ layers.
	mcDepthMultiple = 3
	// mcMaxDefaultDepth caps the default depth (ξ is large or infinite
	// near criticality).
	mcMaxDefaultDepth = 5000
	// mcMaxLevels bounds --levels. The mean-field trajectory costs O(N²)
	// bivariate normal CDFs per layer, and beyond a few hundred levels
	// ξ(N) exceeds the default width 4096, where finite-width fluctuations
	// (≈ √(ξ/2n) per trial) swamp the signal: the check has no power there.
	mcMaxLevels = 256
	// mcMaxXiOverWidth: beyond ξ = 0.05 n the table warns that ξ_mc is
	// biased low by finite width (measured for N = 64, ξ = 961, at the
	// default 16 trials: ξ_mc = 384 ± 75 at n = 1024, 472 ± 98 at 4096,
	// 972 ± 233 at 16384 with 8 trials; no bias was visible up to
	// ξ/n = 0.04 in notebooks/mc-check).
	mcMaxXiOverWidth = 0.05
	// mcProgressDelay: the progress bar appears only once the simulations
	// have run this long, so short runs print nothing.
	mcProgressDelay = 2 * time.Second
)

// mcOptions are mc's flags.
type mcOptions struct {
	levels, activation string
	width, depth       int
	trials             int
	seed               uint64
	method             string
	c0, q0             float64
	sigmaW, sigmaB     float64
	quiet              bool
	plotPath           string
	out                outputOptions
}

// mcPlan is one Monte Carlo run, validated and ready: the network, its
// mean-field fixed point and the simulation config.
type mcPlan struct {
	levels int // N, or 0 for an --activation run
	net    meanfield.Network
	fp     meanfield.FixedPoint
	cfg    simulate.Config
}

// mcLayer is one layer of a run's JSON output.
type mcLayer struct {
	L       int     `json:"l"`
	CMean   float64 `json:"c_mean"`
	CStdErr float64 `json:"c_stderr"`
	CTheory float64 `json:"c_theory"`
	QMean   float64 `json:"q_mean"`
	QStdErr float64 `json:"q_stderr"`
	QTheory float64 `json:"q_theory"`
}

// mcRun is one run of mc's JSON output.
type mcRun struct {
	Levels     *int      `json:"levels"`
	Activation string    `json:"activation"`
	SigmaW     float64   `json:"sigma_w"`
	SigmaB     float64   `json:"sigma_b"`
	Width      int       `json:"width"`
	Trials     int       `json:"trials"`
	Method     string    `json:"method"`
	XiTheory   *float64  `json:"xi_theory"`
	XiMC       *float64  `json:"xi_mc"`
	XiMCStdErr *float64  `json:"xi_mc_stderr"`
	Layers     []mcLayer `json:"layers"`

	fit    *simulate.DepthFit // nil when ξ_mc could not be estimated
	fitErr error
}

// mcFit is the power-law fit of ξ_mc against N, beside the same fit of
// the mean-field ξ on the same N.
type mcFit struct {
	Slope       *float64 `json:"slope"`
	SlopeStdErr *float64 `json:"slope_stderr"`
	TheorySlope *float64 `json:"theory_slope"`

	n []int // the N that entered the fit
}

// mcOutput is mc's JSON document.
type mcOutput struct {
	Runs []mcRun `json:"runs"`
	Fit  *mcFit  `json:"fit,omitempty"`
}

func newMCCmd() *cobra.Command {
	var o mcOptions
	cmd := &cobra.Command{
		Use:   "mc (--levels SPEC | --activation SPEC --sigma-w X)",
		Short: "Monte Carlo check of the mean-field correlation propagation and of ξ",
		Long: `mc propagates a pair of inputs, with per-coordinate mean square q0 and
cosine c0, through T independent random networks of width n and depth L
(THEORY.md §5), measures the correlation c^l and the variance q^l at every
layer (mean over trials and standard error), and sets them beside the
mean-field trajectory: q^1 = σ_w² q0 + σ_b², q12^1 = σ_w² c0 q0 + σ_b², then
the covariance map layer by layer.

From the simulated c^l it estimates the correlation depth scale ξ_mc by a
weighted geometric fit of c^l − c* (simulate's DepthScale, jackknife
standard errors over trials), to be compared with the theory's
ξ_c = −1/ln χ(c*). The fit window starts at the first layer from which the
mean-field deviation c^l − c* decays at a per-layer rate within 2 % of
ln χ(c*), where M is linear enough not to bias ξ_mc, and runs to the last
layer; when that leaves fewer than 3 layers, ξ_mc is not estimated.

With --levels SPEC there is one run per N: the canonical quantizer quant:N
at its optimal σ_w^opt (unless --sigma-w is given), σ_b = 0 (unless
--sigma-b is given); the run for N uses seed S+N, so its result does not
depend on the other N of the list. With more than two N, ξ_mc is fitted
against N by a power law ln ξ_mc = a + p ln N (unweighted ordinary least
squares, solver.FitPowerLaw; the standard error comes from the scatter
about the line), and the theory's ξ is fitted the same way on the same N.
With --activation SPEC there is a single run at the given --sigma-w.

The default depth is ⌈3ξ_c⌉ layers of each network, at most 5000.
Simulations are deterministic: the same --seed gives the same output
whatever the number of CPUs. Working memory is bounded by 2 GiB per run
(simulate.DefaultMaxMemory): method gram needs about 16·n·B bytes per
worker and 16·T·L for the results, method weights also 8·n² bytes per
worker for the weight matrix (n ≲ 16000). A config over the bound is refused.

Output: a table with one row per run (levels, activation, sigma_w,
xi_theory, xi_mc, xi_mc_stderr, depth) and the fit line; CSV with one row
per layer of every run; JSON with everything. --plot FILE draws c^l against
l (simulation with ±1 s.e. bars over the mean-field curves); with two or
more N it also draws ξ_mc against N over the theory to FILE with "-xi"
added before the extension (mc.png → mc-xi.png).

ξ_mc is biased low when ξ is not small against the width (the table warns
beyond ξ = 0.05 n): finite-width fluctuations of c^l, about √(ξ/2n) per
network, then swamp the decay.

A progress bar appears on stderr when the simulations run longer than
about 2 s and stderr is a terminal; --quiet turns it off.

` + activationHelp,
		Example: `  lmax mc --levels 2,3,4,6,8,12,16
  lmax mc --levels 16 --sigma-w 1.2 --plot n16.png
  lmax mc --activation sign --sigma-w 1 --width 512 --trials 8 --depth 6 --format json
  lmax mc --activation tanh --sigma-w 1.5 --sigma-b 0.1 --c0 0.5 --format csv`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			plans, err := o.plan(cmd)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			doc, err := runMC(ctx, plans, newDelayedBar(cmd, o.quiet, len(plans)*o.trials, "trials", mcProgressDelay))
			if err != nil {
				return err
			}
			if o.plotPath != "" {
				if err := saveMCPlots(doc, o.plotPath, mcTheoryLabel(cmd, &o)); err != nil {
					return err
				}
			}
			return writeMC(cmd.OutOrStdout(), &o, doc)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.levels, "levels", "", "numbers of levels N: comma-separated items N, A..B or A..B:xK (2 to 256); one run per N")
	f.StringVar(&o.activation, "activation", "", "activation SPEC of a single run (see above); needs --sigma-w")
	f.IntVar(&o.width, "width", mcDefaultWidth, "network width n")
	f.IntVar(&o.depth, "depth", 0, "number of layers L (default ⌈3ξ_c⌉ of each network, at most 5000)")
	f.IntVar(&o.trials, "trials", mcDefaultTrials, "independent networks T per run (≥ 2, for standard errors)")
	f.Uint64Var(&o.seed, "seed", 1, "random seed S")
	f.StringVar(&o.method, "method", "gram", "simulation method: gram (exact sampling from the layer covariance) or weights (explicit matrices)")
	f.Float64Var(&o.c0, "c0", 0.9, "cosine between the two inputs, in (−1, 1)")
	f.Float64Var(&o.q0, "q0", 1, "per-coordinate mean square of the inputs, > 0")
	f.Float64Var(&o.sigmaW, "sigma-w", 0, "weight scale σ_w (default σ_w^opt of quant:N with --levels; required with --activation)")
	f.Float64Var(&o.sigmaB, "sigma-b", 0, "bias scale σ_b")
	f.BoolVar(&o.quiet, "quiet", false, "no progress bar")
	f.StringVar(&o.plotPath, "plot", "", "draw c^l against l to this file (.png, .svg or .pdf), and ξ_mc against N to FILE-xi.EXT")
	addOutputFlags(cmd, &o.out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}

// plan validates the flags and builds the runs, without simulating.
func (o *mcOptions) plan(cmd *cobra.Command) ([]mcPlan, error) {
	fs := cmd.Flags()
	hasLevels, hasAct := changed(fs, "levels"), changed(fs, "activation")
	var (
		levels []int
		phi    meanfield.Activation
		err    error
	)
	switch {
	case hasLevels && hasAct:
		return nil, usagef("--levels and --activation: give one, not both")
	case hasLevels:
		if levels, err = parseIntSpec(o.levels, 2, mcMaxLevels); err != nil {
			return nil, flagError("levels", o.levels, "%v", err)
		}
	case hasAct:
		if phi, err = parseActivation("activation", o.activation); err != nil {
			return nil, err
		}
		if !changed(fs, "sigma-w") {
			return nil, usagef("--sigma-w: required with --activation")
		}
	default:
		return nil, usagef("--levels or --activation: required (give one)")
	}
	if changed(fs, "sigma-w") {
		if err := checkSigma("sigma-w", o.sigmaW, true); err != nil {
			return nil, err
		}
	}
	if err := checkSigma("sigma-b", o.sigmaB, false); err != nil {
		return nil, err
	}
	if o.width < simulate.DefaultBatch {
		return nil, flagError("width", o.width, "must be at least %d (one unit per input)", simulate.DefaultBatch)
	}
	if changed(fs, "depth") && o.depth <= 0 {
		return nil, flagError("depth", o.depth, "must be positive")
	}
	if o.trials < 2 {
		return nil, flagError("trials", o.trials, "must be at least 2 (standard errors need two trials)")
	}
	if !(o.c0 > -1 && o.c0 < 1) {
		return nil, flagError("c0", o.c0, "must lie in (−1, 1)")
	}
	if math.IsNaN(o.q0) || math.IsInf(o.q0, 0) || o.q0 <= 0 {
		return nil, flagError("q0", o.q0, "must be finite and positive")
	}
	method, err := simulate.ParseMethod(o.method)
	if err != nil {
		return nil, flagError("method", o.method, "unknown method (want gram or weights)")
	}
	if err := o.out.validate(); err != nil {
		return nil, err
	}
	if o.plotPath != "" {
		if err := plots.CheckPath(o.plotPath); err != nil {
			return nil, flagError("plot", o.plotPath, "%v", err)
		}
		// Two or more N also draw ξ_mc against N to FILE-xi.EXT: check it
		// now too, not after the simulations.
		if len(levels) >= 2 {
			if err := plots.CheckPath(mcXiPlotPath(o.plotPath)); err != nil {
				return nil, flagError("plot", o.plotPath, "%v", err)
			}
		}
	}

	type item struct {
		n      int
		phi    meanfield.Activation
		sigmaW float64
	}
	var items []item
	if hasAct {
		items = append(items, item{0, phi, o.sigmaW})
	}
	for _, n := range levels {
		p, err := meanfield.Parse("quant:" + strconv.Itoa(n))
		if err != nil {
			return nil, flagError("levels", o.levels, "%v", err)
		}
		sw := o.sigmaW
		if !changed(fs, "sigma-w") {
			s, err := solver.Canonical(n, solver.DefaultKappa)
			if err != nil {
				return nil, fmt.Errorf("optimal σ_w for N = %d: %w", n, err)
			}
			sw = s.SigmaW
		}
		items = append(items, item{n, p, sw})
	}

	plans := make([]mcPlan, 0, len(items))
	for _, it := range items {
		net, err := meanfield.New(it.phi, it.sigmaW, o.sigmaB)
		if err != nil {
			return nil, &usageError{err}
		}
		fp, err := net.Solve(o.q0)
		if err != nil {
			what := net.Phi.String()
			if errors.Is(err, meanfield.ErrCollapsed) || errors.Is(err, meanfield.ErrDiverged) {
				return nil, fmt.Errorf("%s: %v: no stable signal to simulate; change --sigma-w or --sigma-b", what, err)
			}
			return nil, fmt.Errorf("%s: mean-field fixed point: %w", what, err)
		}
		depth := o.depth
		if !changed(fs, "depth") {
			depth = mcDefaultDepth(fp.XiC)
		}
		seed := o.seed
		if it.n > 0 {
			seed += uint64(it.n)
		}
		cfg := simulate.Config{Activation: it.phi, SigmaW: it.sigmaW, SigmaB: o.sigmaB,
			Width: o.width, Depth: depth, Trials: o.trials, Q0: o.q0, C0: o.c0, Seed: seed, Method: method}
		if err := checkMCMemory(cfg); err != nil {
			return nil, err
		}
		if err := cfg.Validate(); err != nil {
			return nil, &usageError{err}
		}
		plans = append(plans, mcPlan{levels: it.n, net: net, fp: fp, cfg: cfg})
	}
	return plans, nil
}

// mcDefaultDepth is ⌈3ξ⌉, between 1 and mcMaxDefaultDepth; ξ = +Inf at
// criticality gives the cap.
func mcDefaultDepth(xi float64) int {
	if !(xi > 0) {
		return 1
	}
	d := math.Ceil(mcDepthMultiple * xi)
	if d >= mcMaxDefaultDepth {
		return mcMaxDefaultDepth
	}
	return int(d)
}

// checkMCMemory refuses a config whose working memory on one worker
// exceeds simulate's bound, naming the flag that contributes the most.
func checkMCMemory(c simulate.Config) error {
	m := c.Memory(1)
	if m <= simulate.DefaultMaxMemory {
		return nil
	}
	n, b := float64(c.Width), float64(simulate.DefaultBatch)
	widthBytes := 8 * 3 * n * b
	if c.Method == simulate.Weights {
		widthBytes += 8 * n * n
	}
	results := 16 * float64(c.Trials) * float64(c.Depth)
	flag, value := "width", any(c.Width)
	if results > widthBytes {
		flag, value = "trials", any(c.Trials)
		if c.Depth > c.Trials {
			flag, value = "depth", any(c.Depth)
		}
	}
	return flagError(flag, value, "width %d, depth %d, %d trials, method %v need %.3g bytes, over the %d-byte (2 GiB) memory bound",
		c.Width, c.Depth, c.Trials, c.Method, m, int64(simulate.DefaultMaxMemory))
}

// mcFitWindow returns the first layer (1-based) of the ξ_mc fit, chosen
// from the mean-field curve c by simulate.FitWindow (2 % tolerance); a
// network too shallow for it is told which flags help.
func mcFitWindow(c []float64, cStar, chi float64) (int, error) {
	first, err := simulate.FitWindow(c, cStar, chi, simulate.DefaultWindowTol)
	if errors.Is(err, simulate.ErrTooShallow) {
		return 0, fmt.Errorf("%w (raise --depth or lower --c0)", err)
	}
	return first, err
}

// mcDepthScale estimates ξ_mc from layer first on with simulate's
// DepthScale.
func mcDepthScale(res *simulate.Result, first int, cStar float64) (simulate.DepthFit, error) {
	fit, err := res.DepthScale(simulate.FitOptions{CStar: cStar, First: first})
	if fe := (*simulate.FitError)(nil); errors.As(err, &fe) {
		return fit, fmt.Errorf("fit over layers %d–%d: %v", fe.First, fe.Last, fe.Err)
	}
	return fit, err
}

// runMC simulates the plans in order and assembles the output.
func runMC(ctx context.Context, plans []mcPlan, prog *delayedBar) (*mcOutput, error) {
	doc := &mcOutput{Runs: make([]mcRun, len(plans))}
	for i, p := range plans {
		cfg := p.cfg
		offset := i * cfg.Trials
		cfg.Progress = func(done, _ int) { prog.set(offset + done) }
		res, err := simulate.Run(ctx, cfg)
		if err != nil {
			prog.finish()
			return nil, fmt.Errorf("%s: %w", p.net.Phi, err)
		}
		qt, ct, err := p.net.Trajectory(cfg.Q0, cfg.C0, cfg.Depth)
		if err != nil {
			prog.finish()
			return nil, fmt.Errorf("%s: mean-field trajectory: %w", p.net.Phi, err)
		}
		run := mcRun{Activation: p.net.Phi.String(), SigmaW: p.net.SigmaW, SigmaB: p.net.SigmaB,
			Width: cfg.Width, Trials: cfg.Trials, Method: cfg.Method.String(),
			XiTheory: finite(p.fp.XiC), Layers: make([]mcLayer, cfg.Depth)}
		if p.levels > 0 {
			n := p.levels
			run.Levels = &n
		}
		for l := range cfg.Depth {
			run.Layers[l] = mcLayer{L: l + 1, CMean: res.C[l].Mean, CStdErr: res.C[l].StdErr, CTheory: ct[l],
				QMean: res.Q[l].Mean, QStdErr: res.Q[l].StdErr, QTheory: qt[l]}
		}
		switch {
		case !(p.fp.CStar > -1 && p.fp.CStar < 1):
			run.fitErr = fmt.Errorf("c* = %v: the geometric fit of c^l − c* needs c* < 1", p.fp.CStar)
		case !(p.fp.ChiCStar > 0 && p.fp.ChiCStar < 1):
			run.fitErr = fmt.Errorf("χ(c*) = %v: no geometric decay to fit", p.fp.ChiCStar)
		default:
			first, err := mcFitWindow(ct, p.fp.CStar, p.fp.ChiCStar)
			var fit simulate.DepthFit
			if err == nil {
				fit, err = mcDepthScale(res, first, p.fp.CStar)
			}
			if err != nil {
				run.fitErr = err
			} else {
				run.fit = &fit
				run.XiMC, run.XiMCStdErr = finite(fit.Xi), finite(fit.XiErr)
			}
		}
		doc.Runs[i] = run
	}
	prog.finish()
	if len(plans) > 2 && plans[0].levels > 0 {
		doc.Fit = fitMC(doc.Runs)
	}
	return doc, nil
}

// fitMC fits ln ξ = a + p ln N by ordinary least squares (FitPowerLaw) over
// the runs with a ξ_mc, for the Monte Carlo and for the theory on the same
// N. The slopes are null when fewer than three runs have both.
func fitMC(runs []mcRun) *mcFit {
	var x, xiMC, xiTh []float64
	f := &mcFit{}
	for _, r := range runs {
		if r.Levels == nil || r.XiMC == nil || r.XiTheory == nil {
			continue
		}
		f.n = append(f.n, *r.Levels)
		x = append(x, float64(*r.Levels))
		xiMC = append(xiMC, *r.XiMC)
		xiTh = append(xiTh, *r.XiTheory)
	}
	mc, err1 := solver.FitPowerLaw(x, xiMC)
	th, err2 := solver.FitPowerLaw(x, xiTh)
	if err1 == nil && err2 == nil {
		f.Slope, f.SlopeStdErr, f.TheorySlope = finite(mc.Slope), finite(mc.SlopeStdErr), finite(th.Slope)
	}
	return f
}

// writeMC prints the document in the chosen format.
func writeMC(w io.Writer, o *mcOptions, doc *mcOutput) error {
	out := &o.out
	switch out.format {
	case formatJSON:
		return writeJSON(w, doc)
	case formatCSV:
		r := &report{columns: []string{"run", "levels", "activation", "sigma_w", "sigma_b", "l",
			"c_mean", "c_stderr", "c_theory", "q_mean", "q_stderr", "q_theory"}}
		for i, run := range doc.Runs {
			for _, ly := range run.Layers {
				r.add(i+1, intCell(run.Levels), run.Activation, run.SigmaW, run.SigmaB, ly.L,
					ly.CMean, ly.CStdErr, ly.CTheory, ly.QMean, ly.QStdErr, ly.QTheory)
			}
		}
		return r.write(w, out)
	}
	r := &report{columns: []string{"levels", "activation", "sigma_w", "xi_theory", "xi_mc", "xi_mc_stderr", "depth"}}
	for _, run := range doc.Runs {
		r.add(intCell(run.Levels), run.Activation, run.SigmaW, floatCell(run.XiTheory), floatCell(run.XiMC),
			floatCell(run.XiMCStdErr), len(run.Layers))
	}
	if err := r.write(w, out); err != nil {
		return err
	}
	r0 := doc.Runs[0]
	seedNote := ""
	if r0.Levels != nil {
		seedNote = " (the run for N uses seed S+N)"
	}
	fmt.Fprintf(w, "Width %d, %d trials, method %s, inputs q0 = %s, c0 = %s, σ_b = %s, seed S = %d%s.\n",
		r0.Width, r0.Trials, r0.Method, fmtG(o.q0), fmtG(o.c0), fmtG(o.sigmaB), o.seed, seedNote)
	var windows []string
	for _, run := range doc.Runs {
		name := run.Activation
		if run.Levels != nil {
			name = "N = " + strconv.Itoa(*run.Levels)
		}
		if run.fit == nil {
			fmt.Fprintf(w, "%s: no ξ_mc: %v\n", name, oneLine(run.fitErr))
			continue
		}
		windows = append(windows, fmt.Sprintf("%s: %d–%d", name, run.fit.First, run.fit.Last))
	}
	if len(windows) > 0 {
		fmt.Fprintf(w, "ξ_mc fitted over layers %s.\n", strings.Join(windows, ", "))
	}
	var wide []string
	for _, run := range doc.Runs {
		if run.XiTheory != nil && *run.XiTheory > mcMaxXiOverWidth*float64(run.Width) {
			name := run.Activation
			if run.Levels != nil {
				name = "N = " + strconv.Itoa(*run.Levels)
			}
			wide = append(wide, fmt.Sprintf("%s (ξ/n = %.2g)", name, *run.XiTheory/float64(run.Width)))
		}
	}
	if len(wide) > 0 {
		fmt.Fprintf(w, "Warning: ξ is not small against the width for %s: finite-width effects bias ξ_mc low there; raise --width.\n",
			strings.Join(wide, ", "))
	}
	if f := doc.Fit; f != nil {
		if f.Slope == nil {
			fmt.Fprintf(w, "Fit: fewer than 3 runs with ξ_mc, no power law fitted.\n")
		} else {
			fmt.Fprintf(w, "Fit ξ ∝ N^p over N = %s (unweighted least squares on ln ξ vs ln N): Monte Carlo p = %s ± %s, theory p = %s.\n",
				joinInts(f.n), formatCell(*f.Slope, 4, false), formatCell(*f.SlopeStdErr, 2, false), formatCell(*f.TheorySlope, 4, false))
		}
	}
	return nil
}

func intCell(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// floatCell is *p, or nil (undefined) for a null pointer.
func floatCell(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// mcXiPlotPath returns FILE with "-xi" before its extension.
func mcXiPlotPath(path string) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-xi" + ext
}

// mcTheoryLabel names the theory line of the ξ-against-N figure: empty
// (plots' default, ξ(N) = −1/ln χ_max(N)) at σ_w^opt and σ_b = 0, and what
// was computed, ξ_c = −1/ln χ(c*), at the σ_w or σ_b given otherwise.
func mcTheoryLabel(cmd *cobra.Command, o *mcOptions) string {
	setW := changed(cmd.Flags(), "sigma-w")
	if !setW && o.sigmaB == 0 {
		return ""
	}
	at := "σ_{w}^{opt}"
	if setW {
		at = "σ_{w} = " + fmtG(o.sigmaW)
	}
	if o.sigmaB != 0 {
		at += ", σ_{b} = " + fmtG(o.sigmaB)
	}
	return "theory ξ_{c} = −1 / ln χ(c*) at " + at
}

// saveMCPlots draws c^l against l for every run and, with two or more N,
// ξ_mc against N over the theory, whose line is labelled theoryLabel
// (empty for plots' default).
func saveMCPlots(doc *mcOutput, path, theoryLabel string) error {
	runs := make([]plots.CorrelationRun, len(doc.Runs))
	for i, r := range doc.Runs {
		label := r.Activation
		if r.Levels != nil {
			label = fmt.Sprintf("N = %d", *r.Levels)
		}
		cr := plots.CorrelationRun{Label: label}
		for _, ly := range r.Layers {
			cr.Layer = append(cr.Layer, ly.L)
			cr.Mean = append(cr.Mean, ly.CMean)
			cr.StdErr = append(cr.StdErr, ly.CStdErr)
			cr.Theory = append(cr.Theory, ly.CTheory)
		}
		runs[i] = cr
	}
	r0 := doc.Runs[0]
	title := fmt.Sprintf("Correlation through depth: width %d, %d trials", r0.Width, r0.Trials)
	p, err := plots.Correlations(runs, title)
	if err != nil {
		return err
	}
	if err := plots.Save(p, path, 0, 0); err != nil {
		return err
	}
	var d plots.DepthScaleData
	levels := 0
	for _, r := range doc.Runs {
		if r.Levels == nil {
			continue
		}
		levels++
		if r.XiTheory != nil {
			d.TheoryN = append(d.TheoryN, *r.Levels)
			d.TheoryXi = append(d.TheoryXi, *r.XiTheory)
		}
		if r.XiMC != nil && *r.XiMC > 0 && r.XiMCStdErr != nil {
			d.N = append(d.N, *r.Levels)
			d.Xi = append(d.Xi, *r.XiMC)
			d.StdErr = append(d.StdErr, *r.XiMCStdErr)
		}
	}
	if levels < 2 || len(d.N)+len(d.TheoryN) == 0 {
		return nil
	}
	d.Title = fmt.Sprintf("Depth scale: Monte Carlo (width %d, %d trials) and mean field", r0.Width, r0.Trials)
	d.TheoryLabel = theoryLabel
	xp, err := plots.DepthScale(d)
	if err != nil {
		return err
	}
	return plots.Save(xp, mcXiPlotPath(path), 0, 0)
}
