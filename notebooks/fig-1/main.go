// Command fig-1 regenerates notebooks/fig-1/README.md: how the correlation
// of two inputs propagates through the depth of a network with 16-level
// quantized activations, at the optimal weight scale σ_w^opt and at
// σ_w^opt ± 0.1, ± 0.2 — mean-field theory against Monte Carlo.
//
// Run it from the repository root:
//
//	go run ./notebooks/fig-1 [-out DIR]
//
// It writes README.md and its figures to DIR (default notebooks/fig-1),
// using the library alone (meanfield, simulate, solver, plots). Every
// random number comes from fixed seeds and the simulations are
// bit-identical whatever the number of CPUs, so a rerun reproduces
// README.md byte for byte.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lmax-project/lmax/internal/notebook"
	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/plots"
	"github.com/lmax-project/lmax/simulate"
	"github.com/lmax-project/lmax/solver"
)

// The experiment.
const (
	levels = 16   // N
	width  = 4096 // n
	trials = 64   // T per σ_w
	c0     = 0.9  // cosine of the input pair
	q0     = 1.0  // per-coordinate mean square of the inputs
	seed   = 2019 // run i uses seed+i
	// depthMultiple: every run has ⌈3 ξ(σ_w^opt)⌉ layers, so that the
	// slowest decay is followed for three depth scales.
	depthMultiple = 3
	// markerStride: the figure shows every markerStride-th layer, so that
	// the error bars stay readable.
	markerStride = 4
	// windowTol: the ξ_mc fit starts where the mean-field deviation
	// c^l − c* decays at a log-rate within this fraction of ln χ(c*), as
	// in `lmax mc` (simulate.FitWindow).
	windowTol = simulate.DefaultWindowTol
)

// offsets are the departures from σ_w^opt simulated; tableOffsets those of
// the theory-only table.
var (
	offsets      = []float64{-0.2, -0.1, 0, 0.1, 0.2}
	tableOffsets = []float64{-0.3, -0.2, -0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15, 0.2, 0.3}
)

func main() { notebook.Main("notebooks/fig-1", generate) }

// result is one simulated σ_w.
type result struct {
	offset, sigmaW float64
	fp             meanfield.FixedPoint
	cTheory        []float64
	qTheory        []float64
	sim            *simulate.Result
	fit            simulate.DepthFit
	fitErr         error
}

func generate(out string) error {
	scheme, err := solver.Canonical(levels, solver.DefaultKappa)
	if err != nil {
		return err
	}
	phi, err := meanfield.Parse("quant:" + strconv.Itoa(levels))
	if err != nil {
		return err
	}
	depth := int(math.Ceil(depthMultiple * scheme.Xi))

	var results []result
	for i, off := range offsets {
		sw := scheme.SigmaW + off
		net, err := meanfield.New(phi, sw, 0)
		if err != nil {
			return err
		}
		fp, err := net.Solve(q0)
		if err != nil {
			return fmt.Errorf("σ_w = %v: %w", sw, err)
		}
		sim, err := simulate.Run(context.Background(), simulate.Config{Activation: phi, SigmaW: sw,
			Width: width, Depth: depth, Trials: trials, Q0: q0, C0: c0, Seed: seed + uint64(i)})
		if err != nil {
			return fmt.Errorf("σ_w = %v: %w", sw, err)
		}
		r := result{offset: off, sigmaW: sw, fp: fp, sim: sim}
		if r.qTheory, r.cTheory, err = net.Trajectory(q0, c0, depth); err != nil {
			return fmt.Errorf("σ_w = %v: %w", sw, err)
		}
		r.fit, r.fitErr = depthScale(sim, r.cTheory, fp)
		results = append(results, r)
	}

	fig := "correlations.png"
	if err := saveFigure(results, filepath.Join(out, fig)); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := writeReadme(&b, scheme, phi, depth, results, fig); err != nil {
		return err
	}
	return notebook.WriteFile(out, "README.md", b.Bytes())
}

// depthScale fits ξ_mc as `lmax mc` does: from the first layer where the
// mean-field deviation c decays at its asymptotic rate χ(c*) to within
// windowTol (simulate.FitWindow), to the last layer, with simulate's
// DepthScale.
func depthScale(sim *simulate.Result, c []float64, fp meanfield.FixedPoint) (simulate.DepthFit, error) {
	first, err := simulate.FitWindow(c, fp.CStar, fp.ChiCStar, windowTol)
	if err != nil {
		return simulate.DepthFit{}, err
	}
	return sim.DepthScale(simulate.FitOptions{CStar: fp.CStar, First: first})
}

func saveFigure(results []result, path string) error {
	var runs []plots.CorrelationRun
	for _, r := range results {
		cr := plots.CorrelationRun{Label: fmt.Sprintf("σ_{w} = %.4f (σ_{w}^{opt} %s)", r.sigmaW, signed(r.offset))}
		if r.offset == 0 {
			cr.Label = fmt.Sprintf("σ_{w} = %.4f = σ_{w}^{opt}", r.sigmaW)
		}
		for l := 0; l < len(r.cTheory); l += markerStride {
			cr.Layer = append(cr.Layer, l+1)
			cr.Mean = append(cr.Mean, r.sim.C[l].Mean)
			cr.StdErr = append(cr.StdErr, r.sim.C[l].StdErr)
			cr.Theory = append(cr.Theory, r.cTheory[l])
		}
		runs = append(runs, cr)
	}
	p, err := plots.Correlations(runs, fmt.Sprintf("N = %d levels: correlation through depth (width %d, %d networks each)", levels, width, trials))
	if err != nil {
		return err
	}
	return plots.Save(p, path, 0, 0)
}

func signed(v float64) string {
	if v == 0 {
		return "± 0"
	}
	if v < 0 {
		return fmt.Sprintf("− %g", -v)
	}
	return fmt.Sprintf("+ %g", v)
}

// f formats v with d decimals.
func f(v float64, d int) string { return strconv.FormatFloat(v, 'f', d, 64) }

func writeReadme(w io.Writer, s solver.Scheme, phi meanfield.Activation, depth int, results []result, fig string) error {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("# Figure 1: correlations through depth, N = %d\n\n", levels)
	p("*Generated by `go run ./notebooks/fig-1` from the library (meanfield, simulate, solver, plots); do not edit by hand.*\n\n")
	p("Two inputs with cosine c⁰ = %g and per-coordinate mean square q⁰ = %g enter a deep fully connected network "+
		"whose activation is the canonical %d-level quantizer (`%s`: levels −1 … 1, thresholds spaced δ = 2/%d), "+
		"with σ_b = 0. How long does the network remember that they were alike? Mean-field theory "+
		"(THEORY.md §1) predicts the cosine c^l layer by layer; it decays to the fixed point c* = 0 as "+
		"χ(0)^l, so correlations survive about ξ = −1/ln χ(0) layers. The solver's optimal weight scale "+
		"σ_w^opt = %s maximizes χ(0) (THEORY.md §3). Here we move σ_w by ±0.1 and ±0.2 around it and check "+
		"theory against finite networks.\n\n", c0, q0, levels, phi, levels-1, f(s.SigmaW, 6))

	p("## Setup\n\n")
	p("- Monte Carlo (`simulate.Run`, method gram): width n = %d, %d independent networks per σ_w, %d layers "+
		"(⌈3ξ⌉ at σ_w^opt), seeds %d … %d.\n", width, trials, depth, seed, seed+len(offsets)-1)
	p("- Theory: layer 1 is h¹ = W x, so q¹ = σ_w² q⁰ and c¹ = c⁰; deeper layers follow the covariance map " +
		"(`meanfield.Network.Step`).\n")
	p("- ξ_mc: weighted geometric fit of c̄^l − c* (`simulate.Result.DepthScale`, jackknife standard errors over "+
		"networks) from the first layer where the theory's deviation decays at its asymptotic rate to within %g %%, "+
		"to the last layer — the same estimator as `lmax mc`.\n\n", windowTol*100)

	p("## Correlation against depth\n\n")
	p("![c^l against l for five weight scales](%s)\n\n", fig)
	p("Markers: Monte Carlo means with ±1 standard-error bars, every %dth layer; lines: mean-field theory.\n\n", markerStride)

	p("## Depth scale: theory and Monte Carlo\n\n")
	p("| σ_w | σ_w − σ_w^opt | q* | D = δ/√q* | χ(0) | ξ theory | ξ_mc ± s.e. | (ξ_mc − ξ)/s.e. | fit layers |\n")
	p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	delta := 2 / float64(levels-1)
	for _, r := range results {
		mc, z, win := "—", "—", "—"
		if r.fitErr == nil {
			mc = f(r.fit.Xi, 1) + " ± " + f(r.fit.XiErr, 1)
			z = f((r.fit.Xi-r.fp.XiC)/r.fit.XiErr, 2)
			win = fmt.Sprintf("%d–%d", r.fit.First, r.fit.Last)
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", f(r.sigmaW, 4), strings.ReplaceAll(signed(r.offset), " ", ""),
			f(r.fp.QStar, 4), f(delta/math.Sqrt(r.fp.QStar), 4), f(r.fp.ChiCStar, 5), f(r.fp.XiC, 1), mc, z, win)
	}
	p("\n")
	for _, r := range results {
		if r.fitErr != nil {
			p("No ξ_mc at σ_w = %s: %v.\n\n", f(r.sigmaW, 4), r.fitErr)
		}
	}

	// Agreement layer by layer.
	p("Layer by layer, the share of the %d layers whose Monte Carlo mean lies within 2 (3) standard errors of the "+
		"mean-field c^l: ", depth)
	for i, r := range results {
		in2, in3 := 0, 0
		for l, e := range r.sim.C {
			z := math.Abs(e.Mean-r.cTheory[l]) / e.StdErr
			if z < 2 {
				in2++
			}
			if z < 3 {
				in3++
			}
		}
		sep := ", "
		if i == len(results)-1 {
			sep = ".\n\n"
		}
		p("%s: %s %% (%s %%)%s", strings.ReplaceAll(signed(r.offset), " ", ""), f(100*float64(in2)/float64(depth), 0),
			f(100*float64(in3)/float64(depth), 0), sep)
	}
	p("(For independent Gaussian errors one would expect 95 %% and 99.7 %%; the errors of neighbouring layers are " +
		"strongly correlated, since one network's fluctuation propagates down its layers.)\n\n")

	// The theory on a finer grid shows the asymmetry.
	net := func(sw float64) (meanfield.FixedPoint, error) {
		n, err := meanfield.New(phi, sw, 0)
		if err != nil {
			return meanfield.FixedPoint{}, err
		}
		return n.Solve(q0)
	}
	p("The theory alone, on a finer grid of σ_w (ξ_q = −1/ln V'(q*) is the depth scale of the variance's approach to q*):\n\n")
	p("| σ_w − σ_w^opt | σ_w | q* | D = δ/√q* | ξ_q | ξ | ξ / ξ(σ_w^opt) |\n|---:|---:|---:|---:|---:|---:|---:|\n")
	rel := map[float64]float64{}
	xiQ := map[float64]float64{}
	for _, off := range tableOffsets {
		fp, err := net(s.SigmaW + off)
		if err != nil {
			return fmt.Errorf("σ_w = %v: %w", s.SigmaW+off, err)
		}
		rel[off] = fp.XiC / s.Xi
		xiQ[off] = fp.XiQ
		p("| %s | %s | %s | %s | %s | %s | %s |\n", strings.ReplaceAll(signed(off), " ", ""), f(s.SigmaW+off, 4),
			f(fp.QStar, 4), f(delta/math.Sqrt(fp.QStar), 3), f(fp.XiQ, 1), f(fp.XiC, 2), f(fp.XiC/s.Xi, 3))
	}
	p("\n")

	// The reading, from the numbers above.
	p("## Reading\n\n")
	best := results[0]
	for _, r := range results {
		if r.fp.XiC > best.fp.XiC {
			best = r
		}
	}
	p("- **Which σ_w keeps correlations longest.** σ_w^opt, in theory by construction (ξ = %s layers: it puts the "+
		"quantizer at the normalized spacing D_opt = %s that maximizes χ(0)), and in the simulation: ", f(s.Xi, 1), f(s.Spacing, 4))
	if bestMC, ok := largestMC(results); ok {
		p("the largest ξ_mc is at σ_w^opt %s, and every ξ_mc lies within %s standard errors of the theory's ξ.",
			signed(bestMC.offset), f(maxAbsZ(results), 1))
	} else {
		p("no ξ_mc could be fitted.")
	}
	p(" A shift of 0.1 in σ_w, 10 %% of its value, already costs %s %% (below) and %s %% (above) of the depth scale: "+
		"the optimum is sharp.\n", f(100*(1-rel[-0.1]), 0), f(100*(1-rel[0.1]), 0))
	lo, hi := rel[-0.2], rel[0.2]
	steeper, gentler := "below", "above"
	if hi < lo {
		steeper, gentler = "above", "below"
	}
	p("- **The asymmetry.** ξ falls faster %s the optimum than %s it: at σ_w^opt − 0.2 only %s %% of ξ is left, at "+
		"σ_w^opt + 0.2 still %s %%. ", steeper, gentler, f(100*lo, 1), f(100*hi, 1))
	p("The variance explains it; note that σ_w^opt = %s sits just above 1. The canonical quantizer rounds clip(x, −1, 1): ", f(s.SigmaW, 4))
	p("inside the clip range it is the " +
		"identity plus a rounding error of variance about δ²/12, so V(q) ≈ σ_w² (q + δ²/12). Below σ_w = 1 the " +
		"signal's variance shrinks layer after layer until the rounding noise alone sustains it, q* ≈ σ_w² δ²/(12 (1 − σ_w²)) " +
		"while √q* ≫ δ, and at smaller q* only the few central levels are reached: q* collapses quickly as σ_w " +
		"drops, D = δ/√q* grows (the table), the quantizer degenerates towards sign and χ(0) towards 2/π. Above " +
		"σ_w^opt the clip bounds E[φ²] ≤ 1, q* grows slowly, D shrinks slowly, and the growing weight of the two " +
		"saturated levels erodes χ(0) gradually.\n")
	settle := 0 // first layer with q^l within 10 % of q* at σ_w^opt − 0.1
	for l, q := range results[1].qTheory {
		if math.Abs(q-results[1].fp.QStar) <= 0.1*results[1].fp.QStar {
			settle = l + 1
			break
		}
	}
	p("- **The curves.** All five start at c¹ = c⁰ = %g and fall towards c* = 0 with the mean-field lines. "+
		"Below the optimum the decay is not a plain exponential: at σ_w^opt − 0.1 the correlation first holds near "+
		"c⁰ and then drops steeply, because the variance starts at q¹ = σ_w² q⁰ = %s, far above q* = %s, and "+
		"comes within 10 %% of q* only at layer %d; while q is large many levels are in use and correlations are kept. "+
		"The ξ_mc fit starts only once this transient is over (fit layers above), where little signal is left, so "+
		"its error is large there. Deep down, where c^l is small, the bars no longer shrink: finite-width "+
		"fluctuations of c^l (≈ √(ξ/2n) per network, THEORY.md §5) stay while the signal goes.\n",
		c0, f(results[1].qTheory[0], 3), f(results[1].fp.QStar, 4), settle)
	return nil
}

func largestMC(results []result) (result, bool) {
	var best result
	ok := false
	for _, r := range results {
		if r.fitErr == nil && (!ok || r.fit.Xi > best.fit.Xi) {
			best, ok = r, true
		}
	}
	return best, ok
}

func maxAbsZ(results []result) float64 {
	var m float64
	for _, r := range results {
		if r.fitErr == nil {
			m = math.Max(m, math.Abs((r.fit.Xi-r.fp.XiC)/r.fit.XiErr))
		}
	}
	return m
}
