package main

import (
	"errors"
	"fmt"
	"math"

	"github.com/lmax-project/lmax/solver"
	"github.com/spf13/cobra"
)

var optimizeColumns = []string{"activation", "sigma_w", "sigma_b", "q_star", "c_star", "chi_c_star", "chi_1", "xi_c",
	"critical", "tol_sigma_w", "tol_sigma_b", "tol_xi", "evaluations", "undefined"}

func newOptimizeCmd() *cobra.Command {
	var (
		spec, wRange, bRange string
		grid                 int
		xtol                 float64
		out                  outputOptions
	)
	cmd := &cobra.Command{
		Use:   "optimize --activation SPEC [--sigma-w A..B] [--sigma-b C..D]",
		Short: "The initialization (σ_w, σ_b) that maximizes the depth scale ξ_c of any activation",
		Long: `optimize searches the box --sigma-w × --sigma-b for the initialization that
maximizes the depth scale ξ_c = −1/ln χ(c*) of a deep network with activation
φ in the mean-field limit (from q0 = 1): a coarse --grid × --grid scan locates
the basin, then nested Brent searches (σ_b outside, σ_w inside) refine it to
a relative tolerance --xtol. Initializations where ξ_c is undefined (the
signal collapses to q* = 0 or diverges) are excluded.

For a discontinuous φ (quantizers, sign) ξ_c is finite everywhere and the
result is its maximum, which may lie on an edge of the box: σ_b = 0 for the
uniform symmetric quantizers, where σ_w agrees with lmax init. For sign at
σ_b = 0 every σ_w gives the same ξ_c, and the σ_w printed is arbitrary. For a
continuous noise-free φ (tanh, erf, …) ξ_c = ∞ along the order–chaos line
χ1 = 1: the result is the point of that line with the smallest σ_b the coarse
grid finds (critical = true), and xi_c is the large value there.

Output keys: activation, sigma_w, sigma_b, q_star, c_star, chi_c_star, chi_1,
xi_c, critical, tol_sigma_w and tol_sigma_b (half-widths of the final search
brackets), tol_xi (the largest change of ξ_c within them; inf when
critical), evaluations (fixed-point solves) and undefined (how many of them
had no ξ_c). A range may be a single number X to fix that parameter, e.g.
--sigma-b 0.

` + activationHelp,
		Example: `  lmax optimize --activation quant:4
  lmax optimize --activation uquant:8 --sigma-w 0.5..2.5 --sigma-b 0..1 --format json
  lmax optimize --activation uquant:8 --sigma-b 0
  lmax optimize --activation erf --sigma-b 0.3..1`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			phi, err := requireActivation(cmd, spec)
			if err != nil {
				return err
			}
			box, err := parseBox(wRange, bRange, true)
			if err != nil {
				return err
			}
			if grid < 2 || grid > solver.MaxInitGrid {
				return flagError("grid", grid, "must be between 2 and %d", solver.MaxInitGrid)
			}
			if !(xtol >= solver.MinInitXTol && xtol <= solver.MaxInitXTol) {
				return flagError("xtol", xtol, "must be between %g and %g", solver.MinInitXTol, solver.MaxInitXTol)
			}
			if err := out.validate(); err != nil {
				return err
			}
			if err := checkNetworkActivation(spec, phi); err != nil {
				return err
			}
			r, err := solver.OptimizeInit(phi, box, solver.InitOptions{Grid: grid, XTol: xtol})
			if errors.Is(err, solver.ErrInvalid) {
				// Flags are checked above; what is left is a box without a
				// defined ξ_c.
				return usagef("--sigma-w %s, --sigma-b %s: %v", wRange, bRange, err)
			}
			if err != nil {
				return err
			}
			vals := []any{r.Activation, r.SigmaW, r.SigmaB, r.QStar, r.CStar, r.ChiCStar, r.Chi1, r.XiC,
				r.Critical, r.TolSigmaW, r.TolSigmaB, r.TolXi, r.Evaluations, r.Undefined}
			if err := writeRecord(cmd, &out, optimizeColumns, vals, math.NaN()); err != nil {
				return err
			}
			if r.Critical && (out.format == formatTable || out.format == formatMarkdown) {
				fmt.Fprintln(cmd.OutOrStdout(), "Critical: ξ_c = ∞ on the order–chaos line χ1 = 1, which (sigma_w, sigma_b) is on to within tol_sigma_w.")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&spec, "activation", "", "activation SPEC (see above)")
	cmd.Flags().StringVar(&wRange, "sigma-w", "0.1..4", "range A..B of the weight scale σ_w searched (0 < A ≤ B), or one value")
	cmd.Flags().StringVar(&bRange, "sigma-b", "0..1", "range C..D of the bias scale σ_b searched (0 ≤ C ≤ D), or one value")
	cmd.Flags().IntVar(&grid, "grid", solver.DefaultInitGrid, "coarse grid points per axis that locate the basin")
	cmd.Flags().Float64Var(&xtol, "xtol", solver.DefaultInitXTol, "relative tolerance of the search in σ_w and σ_b")
	addOutputFlags(cmd, &out, formatTable, formatCSV, formatJSON, formatMarkdown)
	return cmd
}
