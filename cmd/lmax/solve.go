package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lmax-project/lmax/plots"
	"github.com/lmax-project/lmax/solver"
	"github.com/spf13/cobra"
)

// addKappaFlag registers --kappa, the trainability multiple of L_max = κ ξ.
func addKappaFlag(cmd *cobra.Command, kappa *float64) {
	cmd.Flags().Float64Var(kappa, "kappa", solver.DefaultKappa,
		"trainability multiple κ in L_max = κ ξ (Schoenholz et al.: networks train when L ≲ 6ξ)")
}

// κ is bounded well inside float64's range so that L_max = κ ξ stays a
// normal float64 for every ξ the solver reports (about 1.5 to 7e17): the
// solver refuses a scheme whose L_max overflows or underflows.
const (
	minKappa = 1e-100
	maxKappa = 1e100
)

func checkKappa(kappa float64) error {
	if math.IsNaN(kappa) || math.IsInf(kappa, 0) || kappa <= 0 {
		return flagError("kappa", kappa, "must be finite and positive")
	}
	if kappa < minKappa || kappa > maxKappa {
		return flagError("kappa", kappa, "must be between %g and %g", minKappa, maxKappa)
	}
	return nil
}

// addQuantizerFlag registers --quantizer, the quantizer family whose
// optimal scheme is computed. Its values are the solver's family names, so
// a family added there (such as unsigned) is accepted here at once.
func addQuantizerFlag(cmd *cobra.Command, name *string) {
	cmd.Flags().StringVar(name, "quantizer", solver.Uniform.String(),
		"quantizer family: "+strings.Join(solver.FamilyNames(), "|")+
			" (lloyd-max: the optimal non-uniform quantizer, N ≤ "+strconv.Itoa(solver.MaxLloydMaxLevels)+
			"; unsigned: the ReLU-style quantizer at its optimal σ_w and σ_b, N ≤ "+strconv.Itoa(solver.MaxUnsignedLevels)+")")
}

// parseQuantizer returns the family named by --quantizer.
func parseQuantizer(name string) (solver.Family, error) {
	f, err := solver.ParseFamily(name)
	if err != nil {
		return 0, flagError("quantizer", name, "unknown quantizer (want %s)", strings.Join(solver.FamilyNames(), ", "))
	}
	return f, nil
}

// levelsSelection is the --levels SPEC or --bits SPEC pair of flags.
type levelsSelection struct {
	levels, bits string
}

func addLevelsFlags(cmd *cobra.Command, sel *levelsSelection) {
	cmd.Flags().StringVar(&sel.levels, "levels", "",
		"numbers of levels N: comma-separated items N, A..B (every integer) or A..B:xK (A, AK, AK², … up to B)")
	cmd.Flags().StringVar(&sel.bits, "bits", "", "bit-widths b, same grammar as --levels; N = 2^b (replaces --levels)")
}

// resolveFamily parses --quantizer and then the levels, up to that
// family's maximum.
func (sel *levelsSelection) resolveFamily(cmd *cobra.Command, quantizer string) (solver.Family, []int, error) {
	family, err := parseQuantizer(quantizer)
	if err != nil {
		return 0, nil, err
	}
	levels, err := sel.resolve(cmd, family.MaxLevels())
	return family, levels, err
}

// resolve expands the selection into the list of N, each at most maxN.
func (sel *levelsSelection) resolve(cmd *cobra.Command, maxN int) ([]int, error) {
	hasLevels, hasBits := changed(cmd.Flags(), "levels"), changed(cmd.Flags(), "bits")
	switch {
	case hasLevels && hasBits:
		return nil, usagef("--levels and --bits: give one, not both")
	case hasBits:
		maxBits := 0
		for 1<<(maxBits+1) <= maxN {
			maxBits++
		}
		bits, err := parseIntSpec(sel.bits, 1, maxBits)
		if err != nil {
			return nil, flagError("bits", sel.bits, "%v", err)
		}
		levels := make([]int, len(bits))
		for i, b := range bits {
			levels[i] = 1 << b
		}
		return levels, nil
	case hasLevels:
		levels, err := parseIntSpec(sel.levels, 2, maxN)
		if err != nil {
			return nil, flagError("levels", sel.levels, "%v", err)
		}
		return levels, nil
	default:
		return nil, usagef("--levels: required (or --bits)")
	}
}

var sweepColumns = []string{"levels", "bits", "spacing", "sigma_w", "chi", "one_minus_chi", "xi", "lmax", "ste_slope", "method"}

// unsignedSweepColumns are sweepColumns and, for --quantizer unsigned, the
// bias scale and the correlation fixed point of each optimum.
var unsignedSweepColumns = append(append([]string(nil), sweepColumns...), "sigma_b", "c_star")

// spacingCell is D_opt, or nil (null) for sign where it is undefined.
func spacingCell(s solver.Scheme) any {
	if s.HasSpacing() {
		return s.Spacing
	}
	return nil
}

func sweepRow(s solver.Scheme) []any {
	return []any{s.Levels, s.Bits, spacingCell(s), s.SigmaW, s.ChiMax, s.OneMinusChi, s.Xi, s.LMax, s.STESlope, s.Method.String()}
}

// kappaNote is printed under human-readable tables so that the choice of κ
// behind L_max is always visible.
func kappaNote(cmd *cobra.Command, o *outputOptions, kappa float64, extra string) {
	if o.format == formatTable || o.format == formatMarkdown {
		fmt.Fprintf(cmd.OutOrStdout(), "L_max = κ ξ with κ = %s.%s\n", strconv.FormatFloat(kappa, 'g', -1, 64), extra)
	}
}

// canonicalNote says which quantizer σ_w and the STE slope refer to.
const canonicalNote = " σ_w and the STE slope are for the canonical quantizer (A = 1, δ = 2/(N−1)), σ_b = 0."

// lloydMaxNote is canonicalNote for the Lloyd–Max family.
const lloydMaxNote = " σ_w and the STE slope are for the Lloyd–Max quantizer of N(0, 1) used at q* = 1 (STE clip at its outermost level), σ_b = 0."

// unsignedNote is canonicalNote for the unsigned family.
const unsignedNote = " σ_w, σ_b and the STE slope (window [0, 1]) are for the canonical unsigned quantizer (levels k/(N−1), δ = 1/(N−1)) at the (σ_w, σ_b) that maximizes ξ_c; chi is χ(c*), spacing δ/√q*."

func familyNote(f solver.Family) string {
	switch f {
	case solver.LloydMax:
		return lloydMaxNote
	case solver.Unsigned:
		return unsignedNote
	}
	return canonicalNote
}
func newSweepCmd() *cobra.Command {
	var (
		sel       levelsSelection
		kappa     float64
		plotPath  string
		quantizer string
		out       outputOptions
	)
	cmd := &cobra.Command{
		Use:   "sweep (--levels SPEC | --bits SPEC)",
		Short: "Optimal spacing, χ_max, ξ and L_max for each number of levels N",
		Long: `sweep solves, for each N, the implicit equation ∂χ/∂D = 0 for the
normalized spacing D_opt that maximizes the correlation slope χ of the
uniform symmetric N-level quantizer (σ_b = 0), and reports χ_max, 1 − χ_max,
the depth scale ξ = −1/ln χ_max, the maximal trainable depth L_max = κ ξ, the
weight scale σ_w^opt of the canonical quantizer and the slope of its
straight-through estimator.

--quantizer lloyd-max replaces the uniform family by the best of all odd
N-level quantizers, the Lloyd–Max quantizer of N(0, 1) (N ≤ ` + strconv.Itoa(solver.MaxLloydMaxLevels) + `):
its χ_max = 1 − (its mean-square distortion), σ_w = 1/√χ_max at q* = 1.

--quantizer unsigned takes the canonical unsigned (ReLU-style) quantizer,
levels k/(N−1) on thresholds (k − 1/2)/(N−1) (N ≤ ` + strconv.Itoa(solver.MaxUnsignedLevels) + `): its mean is
positive, so c* > 0 even at σ_b = 0, and σ_w and σ_b are both searched
(σ_w ∈ [1, 2.5], σ_b ∈ [0, 0.6], as lmax optimize --activation uquant:N
--sigma-w 1..2.5 --sigma-b 0..0.6 does) for the largest ξ_c = −1/ln χ(c*).
chi is then χ(c*), spacing is δ/√q*, and two columns follow method:
sigma_b and c_star. Each N takes a two-dimensional search: about 0.1 s at
N = 8, 4 s at 64, 20–30 s at 256.

Columns: levels, bits (log2 N), spacing (D_opt; empty for N = 2, where every
spacing is optimal, and for lloyd-max), sigma_w, chi, one_minus_chi, xi,
lmax, ste_slope, method. method says how the sums over the thresholds were
evaluated: exact (O(N) sums, N ≤ ` + strconv.Itoa(solver.AsymptoticLevels) + `) or asymptotic (Poisson and
Euler–Maclaurin summation, N above that, up to 2^32; the two agree to
1e−13).

--plot draws 1 − χ_max and D_opt against N+1 on log–log axes with their
least-squares power laws (fitted over N ≥ 3), as in the paper's second figure.`,
		Example: `  lmax sweep --levels 2..64
  lmax sweep --levels 2..1024 --plot tradeoff.png
  lmax sweep --bits 1..8 --format csv
  lmax sweep --levels 2..1024:x2 --kappa 4 --format json
  lmax sweep --bits 1..8 --quantizer lloyd-max
  lmax sweep --bits 1..6 --quantizer unsigned
  lmax sweep --bits 16,20,32`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			family, levels, err := sel.resolveFamily(cmd, quantizer)
			if err != nil {
				return err
			}
			if err := checkKappa(kappa); err != nil {
				return err
			}
			if err := out.validate(); err != nil {
				return err
			}
			if plotPath != "" {
				if err := plots.CheckPath(plotPath); err != nil {
					return flagError("plot", plotPath, "%v", err)
				}
			}
			schemes, err := family.Sweep(levels, kappa)
			if err != nil {
				return err
			}
			if plotPath != "" {
				if err := saveSweepPlot(schemes, family, plotPath); err != nil {
					return err
				}
			}
			r := &report{columns: sweepColumns}
			if family == solver.Unsigned {
				r.columns = unsignedSweepColumns
			}
			for _, s := range schemes {
				row := sweepRow(s)
				if family == solver.Unsigned {
					row = append(row, s.SigmaB, s.CStar)
				}
				r.add(row...)
			}
			if err := r.write(cmd.OutOrStdout(), &out); err != nil {
				return err
			}
			kappaNote(cmd, &out, kappa, familyNote(family))
			return nil
		},
	}
	addLevelsFlags(cmd, &sel)
	addQuantizerFlag(cmd, &quantizer)
	addKappaFlag(cmd, &kappa)
	cmd.Flags().StringVar(&plotPath, "plot", "", "also draw 1 − χ_max and D_opt against N+1 to this file (.png, .svg or .pdf)")
	addOutputFlags(cmd, &out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}

// saveSweepPlot draws the paper's second figure from a sweep: 1 − χ_max
// and D_opt against N+1 with power laws fitted over the N ≥ 3 of the sweep
// (sign has no spacing, nor has the Lloyd–Max family: its panel of D_opt is
// left out), when there are at least 3 of them.
func saveSweepPlot(schemes []solver.Scheme, family solver.Family, path string) error {
	d := plots.SweepData{Title: "quantization–depth trade-off"}
	if family != solver.Uniform {
		d.Title += " (" + family.String() + ")"
	}
	var xChi, yChi, xD, yD []float64
	nmin, nmax := 0, 0
	for _, s := range schemes {
		d.N = append(d.N, s.Levels)
		d.OneMinusChi = append(d.OneMinusChi, s.OneMinusChi)
		if family == solver.Uniform {
			d.DOpt = append(d.DOpt, s.Spacing) // NaN for N = 2: not drawn
		}
		if s.Levels >= 3 {
			xChi = append(xChi, float64(s.Levels+1))
			yChi = append(yChi, s.OneMinusChi)
			if nmin == 0 || s.Levels < nmin {
				nmin = s.Levels
			}
			nmax = max(nmax, s.Levels)
		}
		if s.HasSpacing() && family == solver.Uniform {
			xD = append(xD, float64(s.Levels+1))
			yD = append(yD, s.Spacing)
		}
	}
	for _, f := range []struct {
		x, y []float64
		dst  **plots.PowerLaw
	}{{xChi, yChi, &d.ChiFit}, {xD, yD, &d.DFit}} {
		if len(f.x) < 3 {
			continue
		}
		fit, err := solver.FitPowerLaw(f.x, f.y)
		if err != nil {
			return err
		}
		*f.dst = &plots.PowerLaw{Slope: fit.Slope, Intercept: fit.Intercept, NMin: nmin, NMax: nmax}
	}
	p, err := plots.Sweep(d)
	if err != nil {
		return err
	}
	return plots.Save(p, path, 0, 0)
}

func newInitCmd() *cobra.Command {
	var (
		levels     int
		amp, delta float64
		kappa      float64
		quantizer  string
		out        outputOptions
	)
	cmd := &cobra.Command{
		Use:   "init --levels N [--amplitude A] [--delta D] [--quantizer Q]",
		Short: "The initialization scheme that maximizes the depth scale of an N-level quantized network",
		Long: `init reports the initialization that realizes the optimal normalized
spacing D_opt for the uniform symmetric quantizer with N levels, amplitude A
and threshold spacing δ (by default the canonical one: A = 1, δ = 2/(N−1)):
the weight scale σ_w (σ_b = 0), the fixed point q* of the variance map, χ, the
depth scale ξ, L_max = κ ξ and the slope of the straight-through estimator
that keeps gradient norms through depth.

With --quantizer lloyd-max the quantizer is the Lloyd–Max quantizer of
N(0, 1), the optimal non-uniform one, listed under thresholds and
level_values: by default in its own units (q* = 1, σ_w = 1/√χ_max), or, with
--amplitude A, with thresholds and levels both rescaled so that the
outermost level is A (q* = (A/y_max)², same σ_w). spacing and delta are
null (empty) for it, --delta does not apply, and the STE window is |x| ≤ A.

With --quantizer unsigned the quantizer is the canonical unsigned one
(levels k/(N−1), δ = 1/(N−1), N ≤ ` + strconv.Itoa(solver.MaxUnsignedLevels) + `; --amplitude and --delta do not
apply), and σ_w and σ_b are those that maximize ξ_c: sigma_b is positive
from N = 5 on, c_star = c* > 0, chi = χ(c*), spacing = δ/√q*, and the STE
window is [0, 1]: σ_w² s² P(0 ≤ u ≤ 1) = 1.

c_star is the stable correlation fixed point c* (0 for the odd quantizers
at σ_b = 0).`,
		Example: `  lmax init --levels 16
  lmax init --levels 4 --amplitude 2 --delta 0.5 --format json
  lmax init --levels 8 --quantizer lloyd-max --format json
  lmax init --levels 16 --quantizer unsigned`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			family, err := parseQuantizer(quantizer)
			if err != nil {
				return err
			}
			if !changed(cmd.Flags(), "levels") {
				return usagef("--levels: required")
			}
			if levels < 2 || levels > family.MaxLevels() {
				return flagError("levels", levels, "must be between 2 and %d for the %s quantizer", family.MaxLevels(), family)
			}
			switch family {
			case solver.LloydMax:
				return initLloydMax(cmd, &out, levels, amp, kappa)
			case solver.Unsigned:
				return initUnsigned(cmd, &out, levels, kappa)
			}
			if !changed(cmd.Flags(), "delta") {
				delta = 2 / float64(levels-1)
			}
			for _, f := range []struct {
				name string
				v    float64
			}{{"amplitude", amp}, {"delta", delta}} {
				if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v <= 0 {
					return flagError(f.name, f.v, "must be finite and positive")
				}
			}
			if err := checkKappa(kappa); err != nil {
				return err
			}
			if err := out.validate(); err != nil {
				return err
			}
			s, err := solver.NewScheme(levels, delta, amp, kappa)
			if err != nil {
				return schemeError(cmd, err)
			}
			return writeRecord(cmd, &out, initColumns, initValues(s), kappa)
		},
	}
	cmd.Flags().IntVar(&levels, "levels", 0, "number of quantization levels N (≥ 2)")
	cmd.Flags().Float64Var(&amp, "amplitude", 1, "amplitude A: levels run from −A to A (lloyd-max: default its own outermost level)")
	cmd.Flags().Float64Var(&delta, "delta", 0, "threshold spacing δ (default 2/(N−1), the canonical quantizer; uniform only)")
	addQuantizerFlag(cmd, &quantizer)
	addKappaFlag(cmd, &kappa)
	addOutputFlags(cmd, &out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}

// initColumns are the keys of init, in order; lloyd-max appends
// thresholds and level_values.
var initColumns = []string{"levels", "delta", "amplitude", "spacing", "sigma_w", "sigma_b", "q_star", "c_star", "chi", "xi", "lmax", "ste_slope"}

func initValues(s solver.Scheme) []any {
	var delta any = s.Delta
	if math.IsNaN(s.Delta) {
		delta = nil
	}
	return []any{s.Levels, delta, s.Amplitude, spacingCell(s), s.SigmaW, s.SigmaB, s.QStar, s.CStar, s.ChiMax, s.Xi, s.LMax, s.STESlope}
}

// initUnsigned is init for --quantizer unsigned: the canonical quantizer
// only.
func initUnsigned(cmd *cobra.Command, out *outputOptions, levels int, kappa float64) error {
	for _, name := range []string{"delta", "amplitude"} {
		if changed(cmd.Flags(), name) {
			v, _ := cmd.Flags().GetFloat64(name)
			return flagError(name, v, "does not apply to --quantizer unsigned (the canonical quantizer, A = 1 and δ = 1/(N−1), is optimized)")
		}
	}
	if err := checkKappa(kappa); err != nil {
		return err
	}
	if err := out.validate(); err != nil {
		return err
	}
	s, err := solver.Unsigned.Canonical(levels, kappa)
	if err != nil {
		return err
	}
	return writeRecord(cmd, out, initColumns, initValues(s), kappa)
}

// initLloydMax is init for --quantizer lloyd-max.
func initLloydMax(cmd *cobra.Command, out *outputOptions, levels int, amp, kappa float64) error {
	if changed(cmd.Flags(), "delta") {
		d, _ := cmd.Flags().GetFloat64("delta")
		return flagError("delta", d, "does not apply to --quantizer lloyd-max (its thresholds are fixed by optimality; use --amplitude)")
	}
	if changed(cmd.Flags(), "amplitude") && (math.IsNaN(amp) || math.IsInf(amp, 0) || amp <= 0) {
		return flagError("amplitude", amp, "must be finite and positive")
	}
	if err := checkKappa(kappa); err != nil {
		return err
	}
	if err := out.validate(); err != nil {
		return err
	}
	var (
		s   solver.Scheme
		err error
	)
	if changed(cmd.Flags(), "amplitude") {
		s, err = solver.NewLloydMaxScheme(levels, amp, kappa)
	} else {
		s, err = solver.LloydMax.Canonical(levels, kappa)
	}
	if err != nil {
		return schemeError(cmd, err)
	}
	cols := append(append([]string(nil), initColumns...), "thresholds", "level_values")
	vals := append(initValues(s), floatList(s.Thresholds(), out), floatList(s.LevelValues(), out))
	return writeRecord(cmd, out, cols, vals, kappa)
}

// schemeError turns the solver's refusal of a scheme (solver.ErrInvalid:
// σ_w, q*, the STE slope or L_max outside the normal range of float64, as
// for --amplitude 1e-320 or --delta 1e300) into a usage error that names
// the flags the user set; other errors pass through.
func schemeError(cmd *cobra.Command, err error) error {
	if !errors.Is(err, solver.ErrInvalid) {
		return err
	}
	var set []string
	for _, name := range []string{"amplitude", "delta", "kappa"} {
		if changed(cmd.Flags(), name) {
			v, _ := cmd.Flags().GetFloat64(name)
			set = append(set, fmt.Sprintf("--%s %s", name, strconv.FormatFloat(v, 'g', -1, 64)))
		}
	}
	if len(set) == 0 {
		return usagef("%v", err)
	}
	return usagef("%s: %v", strings.Join(set, ", "), err)
}

// floatList is a list of numbers as a cell: a JSON array, or for CSV and
// tables the numbers separated by spaces (shortest round-trip form in CSV,
// the chosen precision in tables).
func floatList(v []float64, out *outputOptions) any {
	if out.format == formatJSON {
		return v
	}
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = formatCell(x, out.precision, out.format == formatCSV)
	}
	return strings.Join(parts, " ")
}

// writeRecord prints one record: a JSON object, a one-row CSV, or a
// two-column table of quantities.
func writeRecord(cmd *cobra.Command, out *outputOptions, cols []string, vals []any, kappa float64) error {
	w := cmd.OutOrStdout()
	switch out.format {
	case formatJSON:
		return writeJSON(w, orderedObject{keys: cols, values: vals})
	case formatCSV:
		r := &report{columns: cols}
		r.add(vals...)
		return r.write(w, out)
	default:
		if err := keyValue(cols, vals).write(w, out); err != nil {
			return err
		}
		if !math.IsNaN(kappa) {
			kappaNote(cmd, out, kappa, "")
		}
		return nil
	}
}

func newDepthCmd() *cobra.Command {
	var (
		layers    float64
		kappa     float64
		quantizer string
		out       outputOptions
	)
	cmd := &cobra.Command{
		Use:   "depth --layers L",
		Short: "The fewest quantization levels whose L_max reaches a given depth",
		Long: `depth inverts the sweep: it finds the smallest number of levels N whose
maximal trainable depth L_max = κ ξ(N) is at least L, and the bits needed
to store it (⌈log2 N⌉). --quantizer lloyd-max asks the same of the
optimal non-uniform quantizer (N ≤ ` + strconv.Itoa(solver.MaxLloydMaxLevels) + `), --quantizer unsigned of the
unsigned quantizer at its optimal σ_w and σ_b (N ≤ ` + strconv.Itoa(solver.MaxUnsignedLevels) + `; the search
optimizes about 2 log2 N initializations, up to a minute or two).`,
		Example: `  lmax depth --layers 100
  lmax depth --layers 50 --kappa 4 --format json
  lmax depth --layers 1000 --quantizer lloyd-max
  lmax depth --layers 60 --quantizer unsigned`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			family, err := parseQuantizer(quantizer)
			if err != nil {
				return err
			}
			if !changed(cmd.Flags(), "layers") {
				return usagef("--layers: required")
			}
			if math.IsNaN(layers) || math.IsInf(layers, 0) || layers <= 0 {
				return flagError("layers", layers, "must be finite and positive")
			}
			if err := checkKappa(kappa); err != nil {
				return err
			}
			if err := out.validate(); err != nil {
				return err
			}
			n, bits, s, err := family.LevelsFor(layers, kappa)
			if err != nil {
				if strings.Contains(err.Error(), "beyond") {
					return flagError("layers", layers, "%v", err)
				}
				return err
			}
			cols := []string{"layers", "levels", "bits", "lmax"}
			return writeRecord(cmd, &out, cols, []any{layers, n, bits, s.LMax}, kappa)
		},
	}
	cmd.Flags().Float64Var(&layers, "layers", 0, "the depth L to reach (number of layers)")
	addQuantizerFlag(cmd, &quantizer)
	addKappaFlag(cmd, &kappa)
	addOutputFlags(cmd, &out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}
