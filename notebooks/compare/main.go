// Command compare regenerates notebooks/compare: the depth scale ξ and the
// maximal depth L_max at 1–8 bits for four quantizer families — the
// uniform symmetric quantizer of the paper, the optimal (Lloyd–Max)
// quantizer, the unsigned (ReLU-style) quantizer at its best (σ_w, σ_b),
// and stochastic rounding — with the exponent of 1 − χ_max against N for
// each, and the reasons for the ranking.
//
//	go run ./notebooks/compare [-out DIR]
package main

import (
	"bytes"
	"fmt"
	"strconv"
	"text/template"

	"github.com/lmax-project/lmax/internal/notebook"
	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/plots"
	"github.com/lmax-project/lmax/solver"
)

func main() { notebook.Main("notebooks/compare", generate) }

const kappa = solver.DefaultKappa

// stochasticBox is the σ_w range searched for stochastic rounding at
// σ_b = 0 (a zero-width σ_b side).
var stochasticBox = solver.Box{SigmaWMin: 0.5, SigmaWMax: 4, SigmaBMin: 0, SigmaBMax: 0}

// point is one family at one N: what the tables and fits need.
type point struct {
	N                     int
	Xi, LMax, OneMinusChi float64
	SigmaW, SigmaB, CStar float64
	AtEdge                bool // the optimum is on the σ_w edge of stochasticBox
}

// family computes the points of one quantizer family.
type family struct {
	Name, Label string
	// Plot is Label in the plot's markup (σ_{w} for a subscript).
	Plot   string
	points func(levels []int) ([]point, error)
}

func fromSchemes(f solver.Family) func([]int) ([]point, error) {
	return func(levels []int) ([]point, error) {
		ss, err := f.Sweep(levels, kappa)
		if err != nil {
			return nil, err
		}
		out := make([]point, len(ss))
		for i, s := range ss {
			out[i] = point{N: s.Levels, Xi: s.Xi, LMax: s.LMax, OneMinusChi: s.OneMinusChi,
				SigmaW: s.SigmaW, SigmaB: s.SigmaB, CStar: s.CStar}
		}
		return out, nil
	}
}

// stochastic optimizes σ_w at σ_b = 0 for sround:N (the canonical uniform
// levels, rounded stochastically) with solver.OptimizeInit.
func stochastic(levels []int) ([]point, error) {
	out := make([]point, len(levels))
	for i, n := range levels {
		phi, err := meanfield.Parse("sround:" + strconv.Itoa(n))
		if err != nil {
			return nil, err
		}
		r, err := solver.OptimizeInit(phi, stochasticBox, solver.InitOptions{})
		if err != nil {
			return nil, fmt.Errorf("sround:%d: %w", n, err)
		}
		// χ(c* = 0) < 1 − 1e−4 here, so 1 − χ by subtraction keeps 12 digits.
		out[i] = point{N: n, Xi: r.XiC, LMax: kappa * r.XiC, OneMinusChi: 1 - r.ChiCStar,
			SigmaW: r.SigmaW, CStar: r.CStar, AtEdge: r.SigmaW == stochasticBox.SigmaWMax}
	}
	return out, nil
}

var families = []family{
	{"uniform", "uniform (paper)", "uniform (paper)", fromSchemes(solver.Uniform)},
	{"lloyd-max", "Lloyd–Max", "Lloyd–Max", fromSchemes(solver.LloydMax)},
	{"unsigned", "unsigned, best σ_w, σ_b", "unsigned, best σ_{w}, σ_{b}", fromSchemes(solver.Unsigned)},
	{"stochastic", "stochastic rounding", "stochastic rounding, σ_{b} = 0", stochastic},
}

func g(v float64, digits int) string { return strconv.FormatFloat(v, 'g', digits, 64) }

func pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + " %" }

type tableRow struct {
	Bits, N int
	Cells   []string // ξ and L_max per family
}

type fitRow struct {
	Family, Range              string
	Points                     int
	Slope, StdErr, Local, Last string
}

type detailRow struct {
	N                                 int
	UnsignedSW, UnsignedSB, UnsignedC string
	UniformEquivalent                 int
	StochasticSW, Ratio               string
}

type page struct {
	Kappa   string
	Headers []string
	Rows    []tableRow
	Fits    []fitRow
	Details []detailRow
	// Prose numbers.
	LMGain8, LMGain2, UniformXi8, LMXi8, UnsignedXi8, StochXi8 string
	UnsignedEq8, UnsignedCStar8, UnsignedHalf                  string
	StochRatioLow, StochRatioHigh, StochRatioN                 string
	StochXiRatio8, UniformOverStoch8                           string
	StochEdge                                                  string
	UnsignedFitSlope, UniformFitSlope, LMFitSlope, LMWide      string
	UnsignedNeg                                                string
	UniformPaper                                               string
	BiasGain8, BiasGain256                                     string
}

func levelsFor(bits []int) []int {
	out := make([]int, len(bits))
	for i, b := range bits {
		out[i] = 1 << b
	}
	return out
}

// fit fits ln(1 − χ_max) against ln N over the points and formats it with
// the local exponent between the last two.
func fit(name, rng string, pts []point) (fitRow, solver.PowerLaw, error) {
	x, y := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		x[i], y[i] = float64(p.N), p.OneMinusChi
	}
	f, err := solver.FitPowerLaw(x, y)
	if err != nil {
		return fitRow{}, f, err
	}
	local, err := solver.LocalExponents(x, y)
	if err != nil {
		return fitRow{}, f, err
	}
	return fitRow{Family: name, Range: rng, Points: f.Points, Slope: g(f.Slope, 4), StdErr: g(f.SlopeStdErr, 2),
		Local: g(local[0], 4), Last: g(local[len(local)-1], 4)}, f, nil
}

func geometric(a, b int) []int {
	var out []int
	for n := a; n <= b; n *= 2 {
		out = append(out, n)
	}
	return out
}

func generate(out string) error {
	bits := []int{1, 2, 3, 4, 5, 6, 7, 8}
	levels := levelsFor(bits)
	p := page{Kappa: g(kappa, 3)}
	data := make([][]point, len(families))
	for i, f := range families {
		pts, err := f.points(levels)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		data[i] = pts
		p.Headers = append(p.Headers, f.Label)
	}
	uni, lm, uns, sto := data[0], data[1], data[2], data[3]
	for i, b := range bits {
		r := tableRow{Bits: b, N: levels[i]}
		for _, pts := range data {
			xi := g(pts[i].Xi, 5)
			if pts[i].AtEdge {
				xi += " †"
			}
			r.Cells = append(r.Cells, xi, g(pts[i].LMax, 5))
		}
		p.Rows = append(p.Rows, r)
	}

	// Details: the unsigned optima and the uniform N that matches them; the
	// stochastic σ_w and its (1 − χ) against deterministic rounding's.
	for i, n := range levels {
		eq, _, _, err := solver.LevelsFor(uns[i].LMax, kappa)
		if err != nil {
			return err
		}
		p.Details = append(p.Details, detailRow{N: n, UnsignedSW: g(uns[i].SigmaW, 6), UnsignedSB: g(uns[i].SigmaB, 4),
			UnsignedC: g(uns[i].CStar, 6), UniformEquivalent: eq, StochasticSW: g(sto[i].SigmaW, 6),
			Ratio: g(sto[i].OneMinusChi/uni[i].OneMinusChi, 4)})
	}
	last := len(levels) - 1
	p.UniformXi8, p.LMXi8, p.UnsignedXi8, p.StochXi8 = g(uni[last].Xi, 5), g(lm[last].Xi, 5), g(uns[last].Xi, 4), g(sto[last].Xi, 5)
	p.LMGain8, p.LMGain2 = pct(lm[last].Xi/uni[last].Xi-1), pct(lm[1].Xi/uni[1].Xi-1)
	p.UnsignedEq8 = strconv.Itoa(p.Details[last].UniformEquivalent)
	p.UnsignedCStar8 = g(uns[last].CStar, 5)
	p.UnsignedHalf = g(uni[last-1].Xi, 5)
	p.StochXiRatio8 = g(sto[last].Xi/uni[last].Xi, 3)
	p.UniformOverStoch8 = g(uni[last].Xi/sto[last].Xi, 3)
	if sto[0].AtEdge {
		p.StochEdge = g(stochasticBox.SigmaWMax, 3)
	}

	// Stochastic rounding doubles 1 − χ: the ratio over a wider range.
	wide := geometric(4, 1024)
	sw, err := stochastic(wide)
	if err != nil {
		return err
	}
	uw, err := solver.Sweep(wide, kappa)
	if err != nil {
		return err
	}
	p.StochRatioLow = g(sw[0].OneMinusChi/uw[0].OneMinusChi, 3)
	p.StochRatioHigh = g(sw[len(sw)-1].OneMinusChi/uw[len(uw)-1].OneMinusChi, 4)
	p.StochRatioN = strconv.Itoa(wide[len(wide)-1])

	// Bias gain of the unsigned quantizer at 3 and 8 bits.
	for _, c := range []struct {
		n   int
		dst *string
	}{{8, &p.BiasGain8}, {256, &p.BiasGain256}} {
		phi, err := solver.UnsignedActivation(c.n)
		if err != nil {
			return err
		}
		box := solver.UnsignedBox()
		box.SigmaBMax = 0
		zero, err := solver.OptimizeInit(phi, box, solver.InitOptions{})
		if err != nil {
			return err
		}
		full, err := solver.OptimizeUnsigned(c.n)
		if err != nil {
			return err
		}
		*c.dst = strconv.FormatFloat(100*(full.XiC/zero.XiC-1), 'f', 2, 64) + " %"
	}

	// Exponents of 1 − χ_max against N: the common range N = 8…256 for
	// all four, then wider ranges where the family is cheap.
	common := 2 // index of N = 8
	for i, f := range families {
		row, fitted, err := fit(f.Label, "N = 8…256 (powers of 2)", data[i][common:])
		if err != nil {
			return err
		}
		p.Fits = append(p.Fits, row)
		switch f.Name {
		case "uniform":
			p.UniformFitSlope = g(fitted.Slope, 3)
		case "lloyd-max":
			p.LMFitSlope = g(fitted.Slope, 3)
		case "unsigned":
			p.UnsignedFitSlope = g(fitted.Slope, 3)
			p.UnsignedNeg = g(-fitted.Slope, 3)
		}
	}
	paper := make([]int, 0, 998)
	for n := 3; n <= 1000; n++ {
		paper = append(paper, n)
	}
	for _, w := range []struct {
		f     solver.Family
		label string
		rng   string
		ns    []int
		dst   *string
	}{
		{solver.Uniform, "uniform (paper)", "N = 3…1000 (every N, the paper's range)", paper, &p.UniformPaper},
		{solver.Uniform, "uniform (paper)", "N = 4096…65536 (powers of 2)", geometric(4096, 65536), nil},
		{solver.LloydMax, "Lloyd–Max", "N = 4096…65536 (powers of 2)", geometric(4096, 65536), &p.LMWide},
	} {
		pts, err := fromSchemes(w.f)(w.ns)
		if err != nil {
			return err
		}
		row, fitted, err := fit(w.label, w.rng, pts)
		if err != nil {
			return err
		}
		p.Fits = append(p.Fits, row)
		if w.dst != nil {
			*w.dst = g(fitted.Slope, 4)
		}
	}
	row, _, err := fit("stochastic rounding", "N = 64…1024 (powers of 2)", sw[len(sw)-5:])
	if err != nil {
		return err
	}
	p.Fits = append(p.Fits, row)

	if err := savePlot(out+"/compare.png", bits, data); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := readme.Execute(&buf, p); err != nil {
		return err
	}
	return notebook.WriteFile(out, "README.md", buf.Bytes())
}

// savePlot draws ξ against bits, one series per family, on a log scale.
func savePlot(path string, bits []int, data [][]point) error {
	x := make([]float64, len(bits))
	for i, b := range bits {
		x[i] = float64(b)
	}
	var series []plots.Series
	dashes := []plots.Dash{plots.Solid, plots.Dashed, plots.Dotted, plots.Solid}
	for i, f := range families {
		y := make([]float64, len(data[i]))
		for j, p := range data[i] {
			y[j] = p.Xi
		}
		series = append(series, plots.Series{Label: f.Plot, X: x, Y: y, Markers: true, Dash: dashes[i]})
	}
	fig, err := plots.Lines(plots.LinesData{
		Title:  "depth scale ξ of four quantizer families",
		XLabel: "bits (N = 2^{bits} levels)",
		YLabel: "ξ = −1/ln χ(c*)",
		LogY:   true,
		Series: series,
	})
	if err != nil {
		return err
	}
	return plots.Save(fig, path, 0, 0)
}

var readme = template.Must(template.New("readme").Parse(`# Four quantizer families compared

*Generated by ` + "`go run ./notebooks/compare`" + ` from the library alone; do not edit by hand.*

The depth scale ξ = −1/ln χ(c*) and the maximal trainable depth
L_max = κξ (κ = {{.Kappa}}) at 1 to 8 bits (N = 2^bits levels), each family at
its best initialization:

- **uniform (paper)**: the canonical uniform symmetric quantizer at σ_b = 0
  and the σ_w of the optimal spacing D_opt (` + "`solver.Canonical`" + `);
- **Lloyd–Max**: the best of all odd N-level quantizers, the Lloyd–Max
  quantizer of N(0, 1) (` + "`solver.LloydMax`" + `);
- **unsigned**: the canonical unsigned (ReLU-style) quantizer, levels
  k/(N−1) for inputs in [0, 1], at the (σ_w, σ_b) that maximizes ξ_c over
  σ_w ∈ [1, 2.5], σ_b ∈ [0, 0.6] (` + "`solver.Unsigned`" + `, through
  ` + "`solver.OptimizeInit`" + `);
- **stochastic rounding**: ` + "`sround:N`" + `, the canonical uniform levels with
  rounding up or down at random (probability the fractional position), at
  σ_b = 0 and the best σ_w in [0.5, 4] (` + "`solver.OptimizeInit`" + ` with a
  zero-width σ_b side).

![ξ against bits for the four families](compare.png)

| bits | N |{{range .Headers}} ξ {{.}} | L_max {{.}} |{{end}}
|---:|---:|{{range .Headers}}---:|---:|{{end}}
{{range .Rows}}| {{.Bits}} | {{.N}} |{{range .Cells}} {{.}} |{{end}}
{{end}}{{if .StochEdge}}
† at the edge σ_w = {{.StochEdge}} of the box: stochastic rounding to two levels
approaches sign's 2/π only as σ_w → ∞ (a larger input variance makes the
rounding nearly deterministic), so its ξ rises towards sign's 2.214 without
reaching it.
{{end}}
## Which family wins, and why

**Lloyd–Max** is the longest at every bit-width from 2 bits on: at 8 bits
ξ = {{.LMXi8}} against {{.UniformXi8}} for the uniform quantizer
({{.LMGain8}} longer; {{.LMGain2}} at 2 bits; at 1 bit both are sign). With
σ_b = 0 and an odd quantizer, χ(0) = corr(z, φ(z))², and 1 − χ is the
normalized mean-square error of the best linear reading of z from φ(z)
(THEORY.md §3). The Lloyd–Max quantizer minimizes exactly that distortion
over all thresholds and levels, so no odd N-level quantizer can do
better. Its advantage grows with N because the uniform quantizer's error
carries a ln N factor (its clip point must grow with N to keep the
overload error down, spreading its equal steps thinner), which Lloyd–Max's
companded levels avoid.

**The uniform quantizer** of the paper is second, ahead of stochastic
rounding on the same levels by a factor {{.UniformOverStoch8}} in ξ at 8 bits.

**Stochastic rounding** is third: ξ = {{.StochXi8}} at 8 bits, {{.StochXiRatio8}}
of the deterministic quantizer's. Rounding at random adds a conditional
variance s²(x − x_k)(x_{k+1} − x) whose average is twice the δ²/12 of
deterministic rounding, and the mean of the stochastic quantizer is a
clipped identity, so 1 − χ doubles at fine resolution: the ratio of
1 − χ_max (stochastic over deterministic) is {{.StochRatioLow}} at N = 4 and
{{.StochRatioHigh}} at N = {{.StochRatioN}} (table below). More generally, noise never lengthens
ξ_c (package meanfield, "Stochastic activations: can noise lengthen ξ?"):
at q* the noisy correlation map is the noise-free map of the mean
activation with a larger bias, lowered by a gap σ_w² E[Var]/q*, whose
fixed point has the smaller χ; every noisy initialization is beaten by a
noise-free one.

**The unsigned quantizer** is last by far: ξ = {{.UnsignedXi8}} at 8 bits, about
what the uniform quantizer reaches with {{.UnsignedEq8}} levels, far worse
than wasting one of the 8 bits on the sign would cost (the uniform
quantizer has ξ = {{.UnsignedHalf}} at 7 bits). Its mean E[φ] > 0 puts the
correlation fixed point at c* > 0 even with σ_b = 0
(M(0) = (σ_w² E[φ]² + σ_b²)/q* > 0), and at the optimum c* lies close to 1
({{.UnsignedCStar8}} at 8 bits). The slope of any step function's
correlation map diverges as c → 1, like (1 − c)^−1/2 (THEORY.md §2), so
χ(c*) stays far from 1, whereas the odd quantizers work at c* = 0, where
χ is at its smallest (χ is non-decreasing on [0, 1]). Over N = 8…256,
1 − χ(c*) falls only like N^{{.UnsignedFitSlope}}, against N^{{.UniformFitSlope}} for the uniform quantizer.
A bias helps (σ_b > 0 is optimal from N = 5 on), a little at few bits and
more with N: +{{.BiasGain8}} in ξ at 3 bits, +{{.BiasGain256}} at 8 bits, against the best
σ_w at σ_b = 0.

| N | unsigned σ_w | unsigned σ_b | unsigned c* | uniform N with the same L_max | stochastic σ_w | (1 − χ) stochastic / uniform |
|---:|---:|---:|---:|---:|---:|---:|
{{range .Details}}| {{.N}} | {{.UnsignedSW}} | {{.UnsignedSB}} | {{.UnsignedC}} | {{.UniformEquivalent}} | {{.StochasticSW}} | {{.Ratio}} |
{{end}}
## The exponent of 1 − χ_max against N

Least squares of ln(1 − χ_max) on ln N (for the unsigned quantizer
1 − χ(c*)), with the local exponents d ln(1 − χ)/d ln N between the first
two and the last two points of each range:

| family | range | points | slope | std. error | local, low end | local, high end |
|---|---|---:|---:|---:|---:|---:|
{{range .Fits}}| {{.Family}} | {{.Range}} | {{.Points}} | {{.Slope}} | {{.StdErr}} | {{.Local}} | {{.Last}} |
{{end}}
Over the paper's range the uniform quantizer's exponent is {{.UniformPaper}}
against ln(N+1) in the paper (−1.82; here against ln N, hence the small
difference); it drifts towards −2 only logarithmically. The Lloyd–Max
exponent tends to −2 (Panter–Dite: 1 − χ_max ≈ (√3π/2) N^−2; {{.LMWide}} over
N = 4096…65536). Stochastic rounding follows the uniform quantizer's
exponent, shifted by the factor 2 in 1 − χ. The unsigned quantizer's
exponent, {{.UnsignedFitSlope}}, is less than half the others': its ξ ≈ 1/(1 − χ)
grows like N^{{.UnsignedNeg}} rather than N^1.8, which is why the gap in the
plot widens with every bit.
`))
