package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/plots"
	"github.com/lmax-project/lmax/solver"
	"github.com/spf13/cobra"
	"gonum.org/v1/gonum/floats"
)

// parseSigmaRange parses a --sigma-w or --sigma-b value A..B: finite
// floats, positive (strict) or non-negative, with A < B, or A ≤ B when
// allowPoint, in which case a single number X stands for X..X.
func parseSigmaRange(flag, s string, strict, allowPoint bool) (lo, hi float64, err error) {
	a, b, isRange := strings.Cut(s, "..")
	if !isRange && !allowPoint {
		return 0, 0, flagError(flag, s, "want a range A..B")
	}
	if !isRange {
		b = a
	}
	parse := func(x string) (float64, error) {
		v, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return 0, flagError(flag, s, "%q is not a number", strings.TrimSpace(x))
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || (strict && v == 0) {
			want := "finite and non-negative"
			if strict {
				want = "finite and positive"
			}
			return 0, flagError(flag, s, "%v: must be %s", v, want)
		}
		return v, nil
	}
	if lo, err = parse(a); err != nil {
		return 0, 0, err
	}
	if hi, err = parse(b); err != nil {
		return 0, 0, err
	}
	if hi < lo || (hi == lo && !allowPoint) {
		return 0, 0, flagError(flag, s, "want A < B")
	}
	return lo, hi, nil
}

// parseBox parses the --sigma-w and --sigma-b ranges of phase and
// optimize (see parseSigmaRange; σ_w > 0, σ_b ≥ 0).
func parseBox(wRange, bRange string, allowPoint bool) (solver.Box, error) {
	wlo, whi, err := parseSigmaRange("sigma-w", wRange, true, allowPoint)
	if err != nil {
		return solver.Box{}, err
	}
	blo, bhi, err := parseSigmaRange("sigma-b", bRange, false, allowPoint)
	if err != nil {
		return solver.Box{}, err
	}
	return solver.Box{SigmaWMin: wlo, SigmaWMax: whi, SigmaBMin: blo, SigmaBMax: bhi}, nil
}

// Limits of --grid.
const (
	minPhaseGrid     = 2
	maxPhaseGrid     = 1000
	defaultPhaseGrid = 200
)

var phaseColumns = []string{"sigma_w", "sigma_b", "q_star", "c_star", "chi_c_star", "chi_1", "xi_c", "status"}

func newPhaseCmd() *cobra.Command {
	var (
		spec, wRange, bRange string
		grid                 int
		plotPath             string
		out                  outputOptions
	)
	cmd := &cobra.Command{
		Use:   "phase --activation SPEC [--sigma-w A..B] [--sigma-b C..D] [--grid N] [--plot FILE]",
		Short: "Phase diagram: ξ_c, χ(c*) and χ1 over a grid of (σ_w, σ_b)",
		Long: `phase solves the mean-field fixed points q* and c* (from q0 = 1) of a deep
network with activation φ on every point of an N × N grid of initializations
(σ_w, σ_b), equally spaced over the ranges --sigma-w A..B (0 < A < B) and
--sigma-b C..D (0 ≤ C < D), and reports χ(c*), χ1 = χ(1) and the depth scale
ξ_c = −1/ln χ(c*) of each.

Output, one row per cell (σ_b outer, σ_w inner): sigma_w, sigma_b, q_star,
c_star, chi_c_star, chi_1, xi_c, status. status is ok, collapsed (the signal
dies out: q* = 0, correlations and ξ_c undefined, chi_1 its q → 0 limit),
diverged (q* = ∞) or failed (the fixed-point search did not converge).
Undefined quantities are empty in CSV, null in JSON and "—" in tables;
infinite ones (χ1 of a discontinuous φ, ξ_c at criticality) are "inf" (null
in JSON).

--plot draws ξ_c as a heat map (log colour scale; undefined cells grey).
For a continuous noise-free φ (tanh, erf, …) it also draws the order–chaos
boundary χ1 = 1, where ξ_c = ∞. A discontinuous φ (quantizers, sign) has
χ1 = ∞ everywhere: c* = 1 is never stable, there is no order–chaos
transition, and no boundary is drawn (the title says so); ξ_c is finite
everywhere and has a maximum instead. For the uniform symmetric quantizers
(quant:N, N ≥ 3) the plot marks the optimal weight scale σ_w^opt at σ_b = 0
(as lmax init reports) when it lies inside the ranges.

Cost: one fixed-point solve per cell, spread over all cores. With the default
200 × 200 grid on 2 cores: about 0.1 s for erf, 1 s for quant:4, 10 s for
quant:16 and 2 min for quant:64 (the closed forms of a quantizer cost O(N²)
per map evaluation; lower --grid for many levels). Activations without
closed-form cross moments (tanh, elu, hardtanh) need 2-D quadrature, about
a millisecond per cell: about 16 s for tanh.

` + activationHelp,
		Example: `  lmax phase --activation quant:4 --sigma-w 0.5..2.5 --sigma-b 0..1 --plot quant4.png --format csv > quant4.csv
  lmax phase --activation erf --sigma-w 0.5..3 --sigma-b 0..1.5 --grid 100 --plot erf.png --format csv > erf.csv
  lmax phase --activation tanh --sigma-w 0.5..3 --sigma-b 0..1 --grid 25 --format json`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			phi, err := requireActivation(cmd, spec)
			if err != nil {
				return err
			}
			box, err := parseBox(wRange, bRange, false)
			if err != nil {
				return err
			}
			if grid < minPhaseGrid || grid > maxPhaseGrid {
				return flagError("grid", grid, "must be between %d and %d", minPhaseGrid, maxPhaseGrid)
			}
			if err := out.validate(); err != nil {
				return err
			}
			if plotPath != "" {
				if err := plots.CheckPath(plotPath); err != nil {
					return flagError("plot", plotPath, "%v", err)
				}
			}
			if err := checkNetworkActivation(spec, phi); err != nil {
				return err
			}
			ws := floats.Span(make([]float64, grid), box.SigmaWMin, box.SigmaWMax)
			bs := floats.Span(make([]float64, grid), box.SigmaBMin, box.SigmaBMax)
			p, err := solver.PhaseDiagram(phi, ws, bs)
			if err != nil {
				return err
			}
			if plotPath != "" {
				if err := savePhasePlot(phi, p, plotPath); err != nil {
					return err
				}
			}
			r := &report{columns: phaseColumns}
			for k, s := range p.Status {
				row := []any{ws[k%grid], bs[k/grid], nil, nil, nil, nil, nil, s.String()}
				switch s {
				case solver.CellOK:
					row[2], row[3], row[4], row[5], row[6] = p.QStar[k], p.CStar[k], p.ChiCStar[k], p.Chi1[k], p.XiC[k]
				case solver.CellCollapsed:
					row[2], row[5] = p.QStar[k], p.Chi1[k]
				}
				r.add(row...)
			}
			if err := r.write(cmd.OutOrStdout(), &out); err != nil {
				return err
			}
			if p.Failed > 0 && (out.format == formatTable || out.format == formatMarkdown) {
				fmt.Fprintf(cmd.OutOrStdout(), "%d cells failed; the first: %v\n", p.Failed, p.Failure)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&spec, "activation", "", "activation SPEC (see above)")
	cmd.Flags().StringVar(&wRange, "sigma-w", "0.1..4", "range A..B of the weight scale σ_w (0 < A < B)")
	cmd.Flags().StringVar(&bRange, "sigma-b", "0..1", "range C..D of the bias scale σ_b (0 ≤ C < D)")
	cmd.Flags().IntVar(&grid, "grid", defaultPhaseGrid, fmt.Sprintf("grid points per axis (%d-%d)", minPhaseGrid, maxPhaseGrid))
	cmd.Flags().StringVar(&plotPath, "plot", "", "also draw the heat map of ξ_c to this file (.png, .svg or .pdf)")
	addOutputFlags(cmd, &out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}

// phaseFigure builds the heat map of a phase diagram: ξ_c over (σ_w, σ_b),
// the order–chaos boundary χ1 = 1 for a continuous noise-free activation,
// and σ_w^opt at σ_b = 0 for a uniform symmetric quantizer with N ≥ 3 when
// it falls inside the grid. The notebook draws the same figure.
func phaseFigure(phi meanfield.Activation, p solver.Phase) (*plots.HeatFigure, error) {
	d := plots.PhaseData{
		Xi:    plots.PhaseGrid{SigmaW: p.SigmaW, SigmaB: p.SigmaB, Values: p.XiC},
		Title: phaseTitle(phi, p),
	}
	if hasBoundary(phi, p) {
		d.Boundary, d.BoundaryLevel = p.Chi1, 1
	}
	if sw, ok := optimalSigmaW(phi); ok && p.SigmaB[0] == 0 && sw >= p.SigmaW[0] && sw <= p.SigmaW[len(p.SigmaW)-1] {
		d.Marker = &plots.Marker{X: sw, Y: 0, Label: fmt.Sprintf("σ_{w}^{opt} = %.4g at σ_{b} = 0", sw)}
	}
	return plots.Phase(d)
}

func savePhasePlot(phi meanfield.Activation, p solver.Phase, path string) error {
	fig, err := phaseFigure(phi, p)
	if err != nil {
		return err
	}
	return plots.Save(fig, path, 0, 0)
}

// hasBoundary reports whether the order–chaos line χ1 = 1 exists: a
// noise-free activation with a finite χ1 (continuous).
func hasBoundary(phi meanfield.Activation, p solver.Phase) bool {
	if meanfield.HasOutputNoise(phi) {
		return false
	}
	for _, v := range p.Chi1 {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			return true
		}
	}
	return false
}

func phaseTitle(phi meanfield.Activation, p solver.Phase) string {
	t := "phase diagram of " + phi.String()
	if !hasBoundary(phi, p) {
		if meanfield.HasOutputNoise(phi) {
			return t + " (noisy: c* < 1 everywhere, no order–chaos boundary)"
		}
		return t + " (χ_{1} = ∞: no order–chaos boundary)"
	}
	return t
}

// optimalSigmaW returns σ_w^opt of the solver (THEORY.md §3) for a uniform
// symmetric quantizer with N ≥ 3 levels; false otherwise (sign and
// quant:2 have every σ_w optimal).
func optimalSigmaW(phi meanfield.Activation) (float64, bool) {
	q, ok := phi.(meanfield.Quantized)
	if !ok || q.Quantizer == nil || q.N() < 3 {
		return 0, false
	}
	delta, amp, uniform := q.Quantizer.Uniform()
	if !uniform {
		return 0, false
	}
	s, err := solver.NewScheme(q.N(), delta, amp, solver.DefaultKappa)
	if err != nil {
		return 0, false
	}
	return s.SigmaW, true
}
