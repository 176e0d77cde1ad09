package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MapData is the input of Maps: the correlation map and its slope sampled
// on a grid of correlations (THEORY.md §1).
type MapData struct {
	// C are the correlations, increasing, in [−1, 1].
	C []float64
	// M[i] is the correlation map M(C[i]).
	M []float64
	// Chi[i] is its slope χ(C[i]) = M′(C[i]); nil for none. Entries that are
	// +Inf or NaN (χ → ∞ as c → 1 for a discontinuous activation) are left
	// out of the curve.
	Chi []float64
	// CStar are the fixed points c* = M(c*) to mark, usually the stable one.
	CStar []float64
	// YMax caps the vertical axis, so that χ's blow-up near c = 1 does not
	// flatten everything else; 0 picks max(1.25, the largest |M|), raised to
	// show χ up to 3 when χ reaches that high.
	YMax float64
	// Title is the plot title; empty for none.
	Title string
}

// Maps draws M(c) and χ(c) against c ∈ [−1, 1] with the identity line,
// the level χ = 1 that separates stable from unstable fixed points, and the
// fixed points c* marked by a point on the identity and a label.
func Maps(d MapData) (*plot.Plot, error) {
	if len(d.C) < 2 {
		return nil, fmt.Errorf("maps: %d correlations: need at least 2", len(d.C))
	}
	if len(d.M) != len(d.C) {
		return nil, fmt.Errorf("maps: %d values of M for %d correlations", len(d.M), len(d.C))
	}
	if d.Chi != nil && len(d.Chi) != len(d.C) {
		return nil, fmt.Errorf("maps: %d values of χ for %d correlations", len(d.Chi), len(d.C))
	}
	for i, c := range d.C {
		if !(c >= -1 && c <= 1) {
			return nil, fmt.Errorf("maps: correlation %v: need −1 ≤ c ≤ 1", c)
		}
		if i > 0 && !(c > d.C[i-1]) {
			return nil, fmt.Errorf("maps: correlations %v, %v: need increasing values", d.C[i-1], c)
		}
		if !finite(d.M[i]) {
			return nil, fmt.Errorf("maps: M = %v at c = %v: need a finite number", d.M[i], c)
		}
	}
	for _, c := range d.CStar {
		if !(c >= -1 && c <= 1) {
			return nil, fmt.Errorf("maps: fixed point c* = %v: need −1 ≤ c* ≤ 1", c)
		}
	}
	if d.YMax < 0 || math.IsNaN(d.YMax) || math.IsInf(d.YMax, 0) {
		return nil, fmt.Errorf("maps: YMax = %v: need a finite number ≥ 0", d.YMax)
	}

	yMin, yMax := -1.0, 1.25
	for _, m := range d.M {
		yMin, yMax = min(yMin, m), max(yMax, m)
	}
	for _, v := range d.Chi {
		if finite(v) {
			yMin = min(yMin, v)
			yMax = max(yMax, min(v, 3))
		}
	}
	if d.YMax > 0 {
		yMax = d.YMax
	}
	if yMax <= yMin {
		return nil, fmt.Errorf("maps: YMax = %v is below the data (%v)", yMax, yMin)
	}

	p := newPlot(d.Title, "correlation c", "M(c)   and   χ(c)")
	p.Add(plotter.NewGrid())
	leg := newLegend(p, placeAuto)

	ident, _ := plotter.NewLine(plotter.XYs{{X: -1, Y: -1}, {X: 1, Y: 1}})
	ident.LineStyle = draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	p.Add(ident)
	one, _ := plotter.NewLine(plotter.XYs{{X: -1, Y: 1}, {X: 1, Y: 1}})
	one.LineStyle = draw.LineStyle{Color: grey, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(1.5), vg.Points(2.5)}}
	p.Add(one)

	m, err := plotter.NewLine(xys(d.C, d.M, nil))
	if err != nil {
		return nil, fmt.Errorf("maps: %w", err)
	}
	m.LineStyle = draw.LineStyle{Color: seriesColor(0), Width: vg.Points(2)}
	p.Add(m)
	leg.avoidLine(m.XYs, 1)
	leg.avoidLine(ident.XYs, 1)
	leg.add("correlation map M(c)", m)
	if d.Chi != nil {
		// Break the curve at non-finite values rather than joining across.
		var runs []plotter.XYs
		var cur plotter.XYs
		for i, c := range d.C {
			if finite(d.Chi[i]) {
				cur = append(cur, plotter.XY{X: c, Y: d.Chi[i]})
				continue
			}
			if len(cur) > 0 {
				runs = append(runs, cur)
				cur = nil
			}
		}
		if len(cur) > 0 {
			runs = append(runs, cur)
		}
		sty := draw.LineStyle{Color: seriesColor(1), Width: vg.Points(2)}
		for i, r := range runs {
			l, err := plotter.NewLine(r)
			if err != nil {
				return nil, fmt.Errorf("maps: %w", err)
			}
			l.LineStyle = sty
			p.Add(l)
			leg.avoidLine(clipY(r, yMax), 1)
			if i == 0 {
				leg.add("slope χ(c) = M′(c)", l)
			}
		}
	}
	leg.add("identity M(c) = c", ident)
	leg.add("χ = 1 (stable c* has χ(c*) < 1)", one)

	for _, c := range d.CStar {
		sc, _ := plotter.NewScatter(plotter.XYs{{X: c, Y: c}})
		sc.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		// Label to the lower right of the point, or lower left near c = 1.
		dx, align := vg.Points(8), draw.XLeft
		if c > 0.6 {
			dx, align = -vg.Points(8), draw.XRight
		}
		p.Add(newLabel(p, c, c, dx, -vg.Points(10), "c* = "+num(c), align))
	}
	p.Add(leg)
	p.X.Min, p.X.Max = -1, 1
	p.Y.Min, p.Y.Max = yMin, yMax
	return p, nil
}

// clipY drops the points above yMax, whose canvas positions would be far
// off the plot.
func clipY(pts plotter.XYs, yMax float64) plotter.XYs {
	out := make(plotter.XYs, 0, len(pts))
	for _, p := range pts {
		if p.Y <= yMax {
			out = append(out, p)
		}
	}
	return out
}
