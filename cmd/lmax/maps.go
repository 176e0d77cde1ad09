package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/plots"
	"github.com/spf13/cobra"
)

// parseFloatList parses comma-separated floats.
func parseFloatList(s string) ([]float64, error) {
	var out []float64
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		v, err := strconv.ParseFloat(item, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", item)
		}
		out = append(out, v)
	}
	return out, nil
}

// checkSigma validates a σ flag: finite, non-negative, and positive when
// strict.
func checkSigma(flag string, v float64, strict bool) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || (strict && v == 0) {
		want := "finite and non-negative"
		if strict {
			want = "finite and positive"
		}
		return flagError(flag, v, "must be %s", want)
	}
	if v > maxSigma {
		return flagError(flag, v, "must be at most %g (σ² must stay far from overflow)", maxSigma)
	}
	return nil
}

// maxSigma bounds --sigma-w and --sigma-b: σ² enters every map, and beyond
// 1e100 the variances overflow float64 within a few layers.
const maxSigma = 1e100

// maxMapLevels bounds the levels of a deterministic quantizer given to the
// general maps (maps, phase, optimize, mc --activation): its correlation map
// costs ~N²/4 bivariate normal CDFs, about 0.2 s per evaluation at 1024
// levels, and a fixed-point solve needs dozens. sweep and init handle any N
// of the uniform family in O(N) or less.
const maxMapLevels = 1024

// quantizerLevels returns the number of levels of a deterministic
// quantizer inside phi (0 for other activations).
func quantizerLevels(phi meanfield.Activation) int {
	switch a := phi.(type) {
	case meanfield.Quantized:
		return a.Quantizer.N()
	case meanfield.Noisy:
		return quantizerLevels(a.Phi)
	}
	return 0
}

// parseActivation parses an activation SPEC flag into a usage error on
// failure.
func parseActivation(flag, spec string) (meanfield.Activation, error) {
	phi, err := meanfield.Parse(spec)
	if err != nil {
		// flagError names the spec already: drop Parse's own
		// `activation "SPEC": ` prefix rather than print the spec twice.
		msg := strings.TrimPrefix(err.Error(), fmt.Sprintf("activation %q: ", spec))
		return nil, flagError(flag, spec, "%s", msg)
	}
	if n := quantizerLevels(phi); n > maxMapLevels {
		return nil, flagError(flag, spec, "%d levels: the general maps take at most %d (their cost grows like N²); lmax sweep and lmax init handle any N of the uniform quantizer", n, maxMapLevels)
	}
	return phi, nil
}

// requireActivation parses --activation SPEC of a command that needs one.
func requireActivation(cmd *cobra.Command, spec string) (meanfield.Activation, error) {
	if !changed(cmd.Flags(), "activation") {
		return nil, usagef("--activation: required")
	}
	return parseActivation("activation", spec)
}

// checkNetworkActivation refuses an activation that cannot make a network
// (meanfield.New), naming the --activation SPEC.
func checkNetworkActivation(spec string, phi meanfield.Activation) error {
	if _, err := meanfield.New(phi, 1, 0); err != nil {
		return flagError("activation", spec, "%v", err)
	}
	return nil
}

const activationHelp = `activation SPEC: sign, quant:N, quant:N:delta=D,amp=A, uquant:N, identity, tanh,
erf, relu, lrelu:ALPHA, hardtanh, elu:ALPHA, noisy:S:SPEC, and sround:N,
usround:N (stochastic rounding to the levels of quant:N, uquant:N)`

type mapsPoint struct {
	C   float64  `json:"c"`
	M   float64  `json:"m"`
	Chi *float64 `json:"chi"`
}

type mapsResult struct {
	Activation string      `json:"activation"`
	SigmaW     float64     `json:"sigma_w"`
	SigmaB     float64     `json:"sigma_b"`
	QStar      float64     `json:"q_star"`
	CStar      float64     `json:"c_star"`
	ChiCStar   *float64    `json:"chi_c_star"`
	Chi1       *float64    `json:"chi_1"`
	XiQ        *float64    `json:"xi_q"`
	XiC        *float64    `json:"xi_c"`
	At         []mapsPoint `json:"at"`
}

// finite returns a pointer to v, or nil (JSON null) when v is infinite.
func finite(v float64) *float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return &v
}

func newMapsCmd() *cobra.Command {
	var (
		spec           string
		sigmaW, sigmaB float64
		q0             float64
		at             string
		plotPath       string
		out            outputOptions
	)
	cmd := &cobra.Command{
		Use:   "maps --activation SPEC --sigma-w X [--sigma-b Y]",
		Short: "Variance and correlation maps, fixed points and depth scales of one network",
		Long: `maps analyses a deep random network with activation φ, weight variance
σ_w²/n and bias variance σ_b² in the mean-field limit (THEORY.md §1): the
fixed point q* of the variance map reached from q0, the stable fixed point c*
of the correlation map M, the slopes χ(c*) and χ1 = χ(1), and the depth
scales ξ_q = −1/ln V'(q*) and ξ_c = −1/ln χ(c*). With --at it also evaluates
M(c) and χ(c) at the given correlations.

Quantities that diverge (χ1 of every discontinuous activation, ξ at
criticality) print as "inf" in tables and null in JSON.

` + activationHelp,
		Example: `  lmax maps --activation quant:8 --sigma-w 1.05 --sigma-b 0
  lmax maps --activation tanh --sigma-w 1.2 --sigma-b 0.1 --at 0,0.5,0.9 --format json
  lmax maps --activation sign --sigma-w 1 --plot sign-maps.png`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			phi, err := requireActivation(cmd, spec)
			if err != nil {
				return err
			}
			if !changed(cmd.Flags(), "sigma-w") {
				return usagef("--sigma-w: required")
			}
			if err := checkSigma("sigma-w", sigmaW, true); err != nil {
				return err
			}
			if err := checkSigma("sigma-b", sigmaB, false); err != nil {
				return err
			}
			if math.IsNaN(q0) || math.IsInf(q0, 0) || q0 <= 0 {
				return flagError("q0", q0, "must be finite and positive")
			}
			cs, err := parseFloatList(at)
			if err != nil {
				return flagError("at", at, "%v", err)
			}
			for _, c := range cs {
				if !(c >= -1 && c <= 1) {
					return flagError("at", at, "correlation %v outside [-1, 1]", c)
				}
			}
			if err := out.validate(); err != nil {
				return err
			}
			if plotPath != "" {
				if err := plots.CheckPath(plotPath); err != nil {
					return flagError("plot", plotPath, "%v", err)
				}
			}
			net, err := meanfield.New(phi, sigmaW, sigmaB)
			if err != nil {
				return &usageError{err}
			}
			fp, err := net.Solve(q0)
			if err != nil {
				if errors.Is(err, meanfield.ErrCollapsed) {
					return fmt.Errorf("%v: the signal dies out, so correlations are undefined; raise --sigma-w or --sigma-b", err)
				}
				return err
			}
			res := mapsResult{Activation: phi.String(), SigmaW: sigmaW, SigmaB: sigmaB,
				QStar: fp.QStar, CStar: fp.CStar, ChiCStar: finite(fp.ChiCStar), Chi1: finite(fp.Chi1),
				XiQ: finite(fp.XiQ), XiC: finite(fp.XiC), At: []mapsPoint{}}
			for _, c := range cs {
				res.At = append(res.At, mapsPoint{C: c, M: net.M(fp.QStar, c), Chi: finite(net.Chi(fp.QStar, c))})
			}
			if plotPath != "" {
				if err := saveMapsPlot(net, fp, plotPath); err != nil {
					return err
				}
			}
			return writeMaps(cmd, &out, res, fp)
		},
	}
	cmd.Flags().StringVar(&spec, "activation", "", "activation SPEC (see above)")
	cmd.Flags().Float64Var(&sigmaW, "sigma-w", 0, "weight scale σ_w: weights ~ N(0, σ_w²/n) (required)")
	cmd.Flags().Float64Var(&sigmaB, "sigma-b", 0, "bias scale σ_b: biases ~ N(0, σ_b²)")
	cmd.Flags().Float64Var(&q0, "q0", 1, "variance of the input pre-activations, the start of the variance map")
	cmd.Flags().StringVar(&at, "at", "0,0.5,0.9,0.99", "correlations c at which to print M(c) and χ(c), comma-separated")
	cmd.Flags().StringVar(&plotPath, "plot", "", "also draw M(c) and χ(c) to this file (.png, .svg or .pdf)")
	addOutputFlags(cmd, &out, formatTable, formatJSON, formatMarkdown)
	return cmd
}

func writeMaps(cmd *cobra.Command, out *outputOptions, res mapsResult, fp meanfield.FixedPoint) error {
	w := cmd.OutOrStdout()
	if out.format == formatJSON {
		return writeJSON(w, res)
	}
	cols := []string{"activation", "sigma_w", "sigma_b", "q_star", "c_star", "chi_c_star", "chi_1", "xi_q", "xi_c"}
	vals := []any{res.Activation, res.SigmaW, res.SigmaB, fp.QStar, fp.CStar, fp.ChiCStar, fp.Chi1, fp.XiQ, fp.XiC}
	if err := keyValue(cols, vals).write(w, out); err != nil {
		return err
	}
	if len(res.At) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	r := &report{columns: []string{"c", "m", "chi"}}
	for _, p := range res.At {
		chi := math.Inf(1)
		if p.Chi != nil {
			chi = *p.Chi
		}
		r.add(p.C, p.M, chi)
	}
	return r.write(w, out)
}

// saveMapsPlot draws M(c) and χ(c) at q* on a grid of correlations that is
// refined towards c = ±1, where χ of a discontinuous activation blows up.
func saveMapsPlot(net meanfield.Network, fp meanfield.FixedPoint, path string) error {
	const n = 400
	d := plots.MapData{CStar: []float64{fp.CStar}, Title: fmt.Sprintf("%s, σ_{w} = %g, σ_{b} = %g", net.Phi, net.SigmaW, net.SigmaB)}
	for i := 0; i <= n; i++ {
		c := -math.Cos(math.Pi * float64(i) / n) // Chebyshev points cluster at ±1
		if i == 0 {
			c = -1
		} else if i == n {
			c = 1
		}
		d.C = append(d.C, c)
		d.M = append(d.M, net.M(fp.QStar, c))
		d.Chi = append(d.Chi, net.Chi(fp.QStar, c))
	}
	p, err := plots.Maps(d)
	if err != nil {
		return err
	}
	return plots.Save(p, path, 0, 0)
}
