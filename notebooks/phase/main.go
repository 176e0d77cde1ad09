// Command phase regenerates notebooks/phase: the mean-field phase diagrams
// of a 4-level quantizer and of tanh over (σ_w, σ_b) side by side, the depth
// scale along σ_b = 0, and the initialization optimizer's answer to whether
// a bias helps.
//
//	go run ./notebooks/phase [-out DIR]
package main

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"text/template"

	"gonum.org/v1/gonum/floats"

	"github.com/lmax-project/lmax/internal/notebook"
	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/plots"
	"github.com/lmax-project/lmax/solver"
)

func main() { notebook.Main("notebooks/phase", generate) }

// The grids. quant:4 costs ~80 µs a cell (closed forms); tanh has no
// closed-form cross moment and needs 2-D quadrature, several ms a cell, so
// its grid is coarser. Column 2j of the quantizer's grid is column j of
// tanh's.
const (
	wMin, wMax = 0.5, 2.5
	bMin, bMax = 0.0, 1.0
	quantGrid  = 121
	tanhGrid   = 61
)

var box = solver.Box{SigmaWMin: wMin, SigmaWMax: wMax, SigmaBMin: bMin, SigmaBMax: bMax}

func g(v float64, digits int) string {
	switch {
	case math.IsInf(v, 1):
		return "∞"
	case math.IsNaN(v):
		return "—"
	}
	return strconv.FormatFloat(v, 'g', digits, 64)
}

type axisRow struct{ SigmaW, Quant, Tanh string }

type optRow struct {
	Spec, SigmaW, SigmaB, Xi, SigmaW0, Xi0, Gain, Verdict string
}

type page struct {
	QuantGrid, TanhGrid        int
	QuantCells, TanhCells      int
	Axis                       []axisRow
	Opt                        []optRow
	QuantMaxXi, QuantMaxW      string
	CanonW, CanonXi            string
	OptQuantW, OptQuantXi      string
	OptQuantDW, OptQuantDXi    string
	OptQuantTolW, OptQuantEval string
	TanhCritW, TanhCritTol     string
	TanhCritB                  string
	TanhCollapsed              int
	BiasNote                   string
}

func phase(spec string, n int) (meanfield.Activation, solver.Phase, error) {
	phi, err := meanfield.Parse(spec)
	if err != nil {
		return nil, solver.Phase{}, err
	}
	p, err := solver.PhaseDiagram(phi, floats.Span(make([]float64, n), wMin, wMax), floats.Span(make([]float64, n), bMin, bMax))
	if err != nil {
		return nil, p, err
	}
	if p.Failed > 0 {
		return nil, p, fmt.Errorf("%s: %d cells failed: %w", spec, p.Failed, p.Failure)
	}
	return phi, p, nil
}

func generate(out string) error {
	var pg page
	pg.QuantGrid, pg.TanhGrid = quantGrid, tanhGrid
	pg.QuantCells, pg.TanhCells = quantGrid*quantGrid, tanhGrid*tanhGrid

	quant, pq, err := phase("quant:4", quantGrid)
	if err != nil {
		return err
	}
	tanh, pt, err := phase("tanh", tanhGrid)
	if err != nil {
		return err
	}
	canon, err := solver.Canonical(4, solver.DefaultKappa)
	if err != nil {
		return err
	}

	// The figure: ξ_c of both, side by side.
	figQ, err := plots.Phase(plots.PhaseData{
		Xi:     plots.PhaseGrid{SigmaW: pq.SigmaW, SigmaB: pq.SigmaB, Values: pq.XiC},
		Marker: &plots.Marker{X: canon.SigmaW, Y: 0, Label: "σ_{w}^{opt} = " + g(canon.SigmaW, 4) + ", σ_{b} = 0"},
		Title:  "quant:4 (χ_{1} = ∞: no order–chaos boundary)",
	})
	if err != nil {
		return err
	}
	figT, err := plots.Phase(plots.PhaseData{
		Xi:       plots.PhaseGrid{SigmaW: pt.SigmaW, SigmaB: pt.SigmaB, Values: pt.XiC},
		Boundary: pt.Chi1, BoundaryLevel: 1,
		Title: "tanh",
	})
	if err != nil {
		return err
	}
	if err := plots.Save(plots.Panels{Figures: []plots.Figure{figQ, figT}}, out+"/phase.png", 0, 0); err != nil {
		return err
	}

	// ξ_c along σ_b = 0 (the bottom row of each grid) every 0.2 in σ_w.
	for j := 0; j < tanhGrid; j += 6 {
		k := j * (quantGrid - 1) / (tanhGrid - 1)
		row := axisRow{SigmaW: g(pt.SigmaW[j], 4), Quant: g(pq.XiC[k], 5), Tanh: g(pt.XiC[j], 5)}
		if pt.Status[j] != solver.CellOK {
			row.Tanh = "— (" + pt.Status[j].String() + ")"
		}
		pg.Axis = append(pg.Axis, row)
	}
	for j, s := range pt.Status[:tanhGrid] {
		if s == solver.CellCollapsed {
			pg.TanhCollapsed = j + 1
		}
	}
	best := 0
	for k, v := range pq.XiC {
		if pq.Status[k] == solver.CellOK && v > pq.XiC[best] {
			best = k
		}
	}
	pg.QuantMaxXi = g(pq.XiC[best], 6)
	pg.QuantMaxW = fmt.Sprintf("(%s, %s)", g(pq.SigmaW[best%quantGrid], 4), g(pq.SigmaB[best/quantGrid], 3))
	pg.CanonW, pg.CanonXi = g(canon.SigmaW, 10), g(canon.Xi, 10)

	oq, err := solver.OptimizeInit(quant, box, solver.InitOptions{})
	if err != nil {
		return err
	}
	pg.OptQuantW, pg.OptQuantXi = g(oq.SigmaW, 10), g(oq.XiC, 10)
	pg.OptQuantDW = g(math.Abs(oq.SigmaW-canon.SigmaW)/canon.SigmaW, 2)
	pg.OptQuantDXi = g(math.Abs(oq.XiC-canon.Xi)/canon.Xi, 2)
	pg.OptQuantTolW, pg.OptQuantEval = g(oq.TolSigmaW, 2), strconv.Itoa(oq.Evaluations)

	ot, err := solver.OptimizeInit(tanh, box, solver.InitOptions{})
	if err != nil {
		return err
	}
	if !ot.Critical {
		return fmt.Errorf("tanh: optimizer did not find the critical line: %+v", ot)
	}
	pg.TanhCritW, pg.TanhCritB, pg.TanhCritTol = g(ot.SigmaW, 9), g(ot.SigmaB, 3), g(ot.TolSigmaW, 2)

	// Does a bias help? The optimum over the box against the optimum with
	// σ_b fixed at 0.
	zero := box
	zero.SigmaBMax = 0
	for _, spec := range []string{"sign", "quant:4", "quant:8", "uquant:4", "uquant:8", "uquant:16"} {
		phi, err := meanfield.Parse(spec)
		if err != nil {
			return err
		}
		full, err := solver.OptimizeInit(phi, box, solver.InitOptions{})
		if err != nil {
			return err
		}
		at0, err := solver.OptimizeInit(phi, zero, solver.InitOptions{})
		if err != nil {
			return err
		}
		row := optRow{Spec: spec, SigmaW: g(full.SigmaW, 7), SigmaB: g(full.SigmaB, 4), Xi: g(full.XiC, 7),
			SigmaW0: g(at0.SigmaW, 7), Xi0: g(at0.XiC, 7)}
		gain := full.XiC/at0.XiC - 1
		row.Gain = g(gain*100, 2) + " %"
		switch {
		case full.SigmaB == 0:
			row.Verdict, row.Gain = "no: optimum on the edge σ_b = 0", "0"
		case gain > 1e-9:
			row.Verdict = "yes"
		default:
			row.Verdict = "no (gain below the tolerance)"
		}
		if row.Verdict == "yes" {
			if pg.BiasNote != "" {
				pg.BiasNote += ", "
			}
			pg.BiasNote += fmt.Sprintf("σ_b = %s raises ξ_c by %s for %s", g(full.SigmaB, 2), row.Gain, spec)
		}
		if spec == "sign" {
			row.SigmaW, row.SigmaW0 = "any", "any"
		}
		pg.Opt = append(pg.Opt, row)
	}

	var buf bytes.Buffer
	if err := readme.Execute(&buf, pg); err != nil {
		return err
	}
	return notebook.WriteFile(out, "README.md", buf.Bytes())
}

var readme = template.Must(template.New("readme").Parse(`# Phase diagrams: a 4-level quantizer against tanh

*Generated by ` + "`go run ./notebooks/phase`" + ` from the library alone; do not edit by hand.*

A deep random network with weights N(0, σ_w²/n) and biases N(0, σ_b²)
forgets the correlation of two inputs over about ξ_c = −1/ln χ(c*) layers
(THEORY.md §1). The maps below show ξ_c over σ_w ∈ [0.5, 2.5], σ_b ∈ [0, 1]
for the canonical 4-level quantizer (` + "`quant:4`" + `, {{.QuantGrid}} × {{.QuantGrid}} grid)
and for tanh ({{.TanhGrid}} × {{.TanhGrid}}: without closed-form moments each
tanh cell needs 2-D quadrature), computed by ` + "`solver.PhaseDiagram`" + `; the same
maps come from ` + "`lmax phase`" + `. Grey cells have no ξ_c: the signal collapses
to q* = 0.

![ξ_c over (σ_w, σ_b) for quant:4 and tanh](phase.png)

The two pictures differ in kind. For tanh the familiar order–chaos boundary
χ1 = 1 (dashed) splits the plane; on it ξ_c = ∞, and it is the edge of chaos
that initialization schemes for smooth activations aim for. For the quantizer
χ(c) → ∞ as c → 1 (THEORY.md §2): c* = 1 is never stable, χ1 = ∞ everywhere,
there is no boundary to draw, and ξ_c is finite everywhere. Instead of a line
of infinite depth there is a single peak, at σ_b = 0: the grid's best cell is
{{.QuantMaxW}} with ξ_c = {{.QuantMaxXi}}, next to the solver's σ_w^opt = {{.CanonW}}
(marked), where ξ = {{.CanonXi}}.

## ξ_c along σ_b = 0

| σ_w | quant:4 | tanh |
|---:|---:|---:|
{{range .Axis}}| {{.SigmaW}} | {{.Quant}} | {{.Tanh}} |
{{end}}
Without a bias tanh collapses to q* = 0 for σ_w ≤ 1 (the first {{.TanhCollapsed}} cells of
the bottom row), and ξ_c diverges as σ_w ↓ 1; the quantizer's ξ_c is finite
on the whole axis and peaks at σ_w^opt = {{.CanonW}}.

## The optimizer

` + "`solver.OptimizeInit`" + ` (and ` + "`lmax optimize`" + `) searches a box for the
(σ_w, σ_b) of largest ξ_c: a 16 × 16 grid finds the basin, nested Brent
searches refine it to a relative tolerance of 1.5e−8.

- quant:4: σ_w = {{.OptQuantW}}, σ_b = 0 exactly (the edge of the box), ξ_c = {{.OptQuantXi}},
  after {{.OptQuantEval}} fixed-point solves. The quantizer solver's closed-form optimum
  (` + "`lmax init --levels 4`" + `) is σ_w = {{.CanonW}}, ξ = {{.CanonXi}}: the two routes agree to
  {{.OptQuantDW}} in σ_w (reported tolerance {{.OptQuantTolW}}) and {{.OptQuantDXi}} in ξ.
- tanh: the supremum ξ_c = ∞ is the boundary, not a point. The optimizer returns
  the boundary's point on the lowest σ_b of the box, σ_w = {{.TanhCritW}} at σ_b = {{.TanhCritB}}
  (to {{.TanhCritTol}}), the classical critical initialization σ_w = 1 (THEORY.md §6), and
  flags it as critical.

## Does a bias help?

The optimum over the whole box against the optimum with σ_b fixed at 0:

| activation | σ_w | σ_b | ξ_c | σ_w at σ_b = 0 | ξ_c at σ_b = 0 | gain | bias helps? |
|---|---:|---:|---:|---:|---:|---:|---|
{{range .Opt}}| {{.Spec}} | {{.SigmaW}} | {{.SigmaB}} | {{.Xi}} | {{.SigmaW0}} | {{.Xi0}} | {{.Gain}} | {{.Verdict}} |
{{end}}
For sign and the symmetric quantizers a bias only lowers ξ_c (THEORY.md §3:
"for sign it does not"; for sign the solver's tests check that ξ_c falls
with σ_b at every σ_w). For sign, χ = 2/π at σ_b = 0 whatever σ_w, so σ_w is
arbitrary there. The unsigned quantizers have a non-zero mean,
so c* > 0 even without a bias. With 4 levels the best σ_b is still 0; with 8
and 16 levels a small bias does help, but only slightly: {{.BiasNote}}.
`))
