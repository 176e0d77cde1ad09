package main

import (
	"math"
	"slices"
	"strconv"

	"github.com/lmax-project/lmax/solver"
	"github.com/spf13/cobra"
)

// fitColumns are the documented output keys of fit, in order; the local
// exponents at the two ends follow them, because THEORY.md §3 asks every
// fit to show how the exponent drifts across its range.
var fitColumns = []string{"quantity", "against", "slope", "slope_stderr", "intercept", "intercept_stderr",
	"r2", "points", "levels_min", "levels_max", "local_exponent_at_min", "local_exponent_at_max"}

// fitQuantities maps --quantity to the scheme field it fits.
var fitQuantities = map[string]func(solver.Scheme) float64{
	"one_minus_chi": func(s solver.Scheme) float64 { return s.OneMinusChi },
	"xi":            func(s solver.Scheme) float64 { return s.Xi },
	"lmax":          func(s solver.Scheme) float64 { return s.LMax },
}

func newFitCmd() *cobra.Command {
	var (
		sel       levelsSelection
		against   string
		quantity  string
		quantizer string
		kappa     float64
		out       outputOptions
	)
	cmd := &cobra.Command{
		Use:   "fit (--levels SPEC | --bits SPEC)",
		Short: "Fit a power law to 1 − χ_max, ξ or L_max against N or N+1",
		Long: `fit computes the optimum for each N of the SPEC and fits
ln y = intercept + slope · ln x by least squares, with y one of 1 − χ_max,
ξ or L_max and x either N or N+1. The paper reports
ln(1 − χ_max) ≈ −1.82 ln(N+1) + const for N from 3 to about 10³; the exponent
drifts with the range, so fit also prints the local exponents d ln y/d ln x
at both ends of the range. With --quantizer lloyd-max the fit is of the
optimal non-uniform quantizer, whose exponent tends to 2 (Panter–Dite:
1 − χ_max ≈ (√3π/2) N^−2). With --quantizer unsigned it is of 1 − χ(c*)
of the unsigned quantizer at its optimal σ_w and σ_b (N ≤ ` + strconv.Itoa(solver.MaxUnsignedLevels) + `; each N a
two-dimensional search, seconds to half a minute).`,
		Example: `  lmax fit --levels 3..1000
  lmax fit --levels 8..4096:x2 --quantity lmax --against n --format json
  lmax fit --levels 64..65536:x2 --quantizer lloyd-max --against n
  lmax fit --levels 8..64:x2 --quantizer unsigned --against n`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			family, levels, err := sel.resolveFamily(cmd, quantizer)
			if err != nil {
				return err
			}
			value, ok := fitQuantities[quantity]
			if !ok {
				return flagError("quantity", quantity, "unknown quantity (want one_minus_chi, xi or lmax)")
			}
			var offset float64
			switch against {
			case "n":
			case "n+1":
				offset = 1
			default:
				return flagError("against", against, "unknown abscissa (want n or n+1)")
			}
			if len(levels) < 3 {
				name := "levels"
				if changed(cmd.Flags(), "bits") {
					name = "bits"
				}
				return flagError(name, sel.levels+sel.bits, "a fit needs at least 3 values of N, got %d", len(levels))
			}
			if err := checkKappa(kappa); err != nil {
				return err
			}
			if err := out.validate(); err != nil {
				return err
			}
			slices.Sort(levels)
			schemes, err := family.Sweep(levels, kappa)
			if err != nil {
				return err
			}
			x := make([]float64, len(schemes))
			y := make([]float64, len(schemes))
			for i, s := range schemes {
				x[i] = float64(s.Levels) + offset
				y[i] = value(s)
			}
			fit, err := solver.FitPowerLaw(x, y)
			if err != nil {
				return err
			}
			local, err := solver.LocalExponents(x, y)
			if err != nil {
				return err
			}
			vals := []any{quantity, against, fit.Slope, fit.SlopeStdErr, fit.Intercept, fit.InterceptStdErr,
				fit.R2, fit.Points, levels[0], levels[len(levels)-1], local[0], local[len(local)-1]}
			note := math.NaN() // κ only matters when fitting L_max
			if quantity == "lmax" {
				note = kappa
			}
			return writeRecord(cmd, &out, fitColumns, vals, note)
		},
	}
	addLevelsFlags(cmd, &sel)
	cmd.Flags().StringVar(&against, "against", "n+1", "abscissa: n or n+1")
	cmd.Flags().StringVar(&quantity, "quantity", "one_minus_chi", "quantity to fit: one_minus_chi, xi or lmax")
	addQuantizerFlag(cmd, &quantizer)
	addKappaFlag(cmd, &kappa)
	addOutputFlags(cmd, &out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}
