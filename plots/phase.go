package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PhaseGrid is a scalar field over a rectangular (σ_w, σ_b) grid. It
// implements plotter.GridXYZ with columns along σ_w and rows along σ_b.
type PhaseGrid struct {
	// SigmaW are the column coordinates σ_w, strictly increasing.
	SigmaW []float64
	// SigmaB are the row coordinates σ_b, strictly increasing.
	SigmaB []float64
	// Values is row-major: Values[i*len(SigmaW)+j] is the value at
	// (SigmaW[j], SigmaB[i]).
	Values []float64
}

var _ plotter.GridXYZ = PhaseGrid{}

// Dims returns the numbers of columns (σ_w values) and rows (σ_b values).
func (g PhaseGrid) Dims() (c, r int) { return len(g.SigmaW), len(g.SigmaB) }

// Z returns the value in column c and row r.
func (g PhaseGrid) Z(c, r int) float64 { return g.Values[r*len(g.SigmaW)+c] }

// X returns σ_w of column c.
func (g PhaseGrid) X(c int) float64 { return g.SigmaW[c] }

// Y returns σ_b of row r.
func (g PhaseGrid) Y(r int) float64 { return g.SigmaB[r] }

// Check reports why g is not a usable grid.
func (g PhaseGrid) Check() error {
	if err := checkAxis("σ_w", g.SigmaW); err != nil {
		return err
	}
	if err := checkAxis("σ_b", g.SigmaB); err != nil {
		return err
	}
	if n := len(g.SigmaW) * len(g.SigmaB); len(g.Values) != n {
		return fmt.Errorf("grid: %d values for %d σ_w × %d σ_b = %d points", len(g.Values), len(g.SigmaW), len(g.SigmaB), n)
	}
	return nil
}

func checkAxis(name string, v []float64) error {
	if len(v) < 2 {
		return fmt.Errorf("grid: %d values of %s: need at least 2", len(v), name)
	}
	for i, x := range v {
		if !finite(x) {
			return fmt.Errorf("grid: %s = %v: need a finite number", name, x)
		}
		if i > 0 && !(x > v[i-1]) {
			return fmt.Errorf("grid: %s = %v after %v: need increasing values", name, x, v[i-1])
		}
	}
	return nil
}

// PhaseData is the input of Phase.
type PhaseData struct {
	// Xi is the depth scale ξ_c ≥ 0 on the grid; +Inf (at criticality) is
	// allowed, NaN marks points not computed (drawn light grey).
	Xi PhaseGrid
	// Boundary, if not nil, holds a second scalar on the same grid (same
	// length and order as Xi.Values) whose level set BoundaryLevel is drawn
	// as the order–chaos boundary: χ(c*) or χ1 with level 1.
	Boundary []float64
	// BoundaryLevel is the level of Boundary to draw; 0 is taken as 1,
	// the edge of chaos χ = 1.
	BoundaryLevel float64
	// Marker, if not nil, is a point to mark, such as a quantizer's
	// σ_w^opt at σ_b = 0; its Label goes in the legend.
	Marker *Marker
	// XiMax caps the colour scale: larger ξ (and +Inf) take its top colour.
	// 0 means the largest finite ξ, but at most 1000 layers.
	XiMax float64
	// Title is the plot title; empty for none.
	Title string
}

// Phase draws the phase diagram: a heat map of ξ_c over (σ_w, σ_b) on a
// logarithmic colour scale, explained by a colour bar, the order–chaos
// boundary as a contour line, and an optional marker.
func Phase(d PhaseData) (*HeatFigure, error) {
	if err := d.Xi.Check(); err != nil {
		return nil, fmt.Errorf("phase: ξ %w", err)
	}
	if d.Boundary != nil && len(d.Boundary) != len(d.Xi.Values) {
		return nil, fmt.Errorf("phase: %d boundary values for %d grid points", len(d.Boundary), len(d.Xi.Values))
	}
	if !(d.XiMax >= 0) || math.IsInf(d.XiMax, 0) {
		return nil, fmt.Errorf("phase: XiMax = %v: need a finite number ≥ 0", d.XiMax)
	}
	lo, hiFinite, over := math.Inf(1), 0.0, false
	for i, v := range d.Xi.Values {
		if v < 0 || math.IsInf(v, -1) {
			c, r := i%len(d.Xi.SigmaW), i/len(d.Xi.SigmaW)
			return nil, fmt.Errorf("phase: ξ = %v at σ_w = %v, σ_b = %v: need ξ ≥ 0", v, d.Xi.SigmaW[c], d.Xi.SigmaB[r])
		}
		if positive(v) {
			lo, hiFinite = min(lo, v), max(hiFinite, v)
		}
	}
	if hiFinite == 0 {
		return nil, fmt.Errorf("phase: no positive finite ξ to colour")
	}
	hi := d.XiMax
	if hi == 0 {
		hi = min(hiFinite, 1000)
	}
	for _, v := range d.Xi.Values {
		over = over || v > hi
	}
	lo = max(lo, hi*1e-5)
	if lo >= hi {
		lo = hi / 10
	}
	level := d.BoundaryLevel
	if level == 0 {
		level = 1
	}
	if !finite(level) {
		return nil, fmt.Errorf("phase: boundary level %v: need a finite number", level)
	}

	p := newPlot(d.Title, "weight scale σ_{w}", "bias scale σ_{b}")
	p.X.Padding, p.Y.Padding = 0, 0
	logGrid := heatGrid{x: d.Xi.SigmaW, y: d.Xi.SigmaB, z: d.Xi.Values, f: math.Log10}
	cm := moreland.ExtendedBlackBody()
	heat := newCells(logGrid, cm, math.Log10(lo), math.Log10(hi))
	p.Add(heat)
	leg := newLegend(p, placeAuto)

	if d.Boundary != nil {
		g := heatGrid{x: d.Xi.SigmaW, y: d.Xi.SigmaB, z: d.Boundary}
		halo := plotter.NewContour(g, []float64{level}, nil)
		halo.LineStyles = []draw.LineStyle{{Color: color.White, Width: vg.Points(4.5)}}
		line := plotter.NewContour(g, []float64{level}, nil)
		line.LineStyles = []draw.LineStyle{{Color: seriesColor(0), Width: vg.Points(2.2), Dashes: []vg.Length{vg.Points(7), vg.Points(3)}}}
		p.Add(halo, line)
		pts := levelCrossings(g, level)
		leg.avoidPoints(pts, 1)
		if len(pts) > 0 {
			h, l := haloLine(nil, line.LineStyles[0].Color, color.White, line.LineStyles[0].Dashes)
			name := "order–chaos boundary"
			if level == 1 {
				name += " (χ = 1)"
			} else {
				name += " (level " + num(level) + ")"
			}
			leg.add(name, h, l)
		}
	}
	if m := d.Marker; m != nil {
		if !finite(m.X) || !finite(m.Y) {
			return nil, fmt.Errorf("phase: marker at (%v, %v): need finite coordinates", m.X, m.Y)
		}
		outer, _ := plotter.NewScatter(plotter.XYs{{X: m.X, Y: m.Y}})
		outer.GlyphStyle = draw.GlyphStyle{Color: color.White, Radius: vg.Points(6), Shape: draw.CircleGlyph{}}
		inner, _ := plotter.NewScatter(plotter.XYs{{X: m.X, Y: m.Y}})
		inner.GlyphStyle = draw.GlyphStyle{Color: seriesColor(2), Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
		p.Add(outer, inner)
		leg.avoidPoints(plotter.XYs{{X: m.X, Y: m.Y}}, 100)
		if m.Label != "" {
			leg.add(m.Label, outer, inner)
		}
	}
	p.Add(leg)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = heat.DataRange()

	return &HeatFigure{Plot: p, Bar: ColorBar{
		Map:       cm,
		Label:     "depth scale ξ_{c}   (layers, log scale)",
		Ticks:     logBarTicks(lo, hi, over),
		TextStyle: p.Y.Tick.Label,
	}}, nil
}

// logBarTicks labels a colour bar in log10 units with the values of ξ; when
// some values exceed the top of the scale its label reads "≥ hi".
func logBarTicks(lo, hi float64, over bool) []plot.Tick {
	ticks := logTicks{}.Ticks(lo, hi)
	span := math.Log10(hi) - math.Log10(lo)
	out := make([]plot.Tick, 0, len(ticks)+1)
	for _, t := range ticks {
		v := math.Log10(t.Value)
		if over && t.Label != "" && math.Log10(hi)-v < 0.06*span {
			t.Label = "" // would collide with the "≥" label
		}
		out = append(out, plot.Tick{Value: v, Label: t.Label})
	}
	if over {
		out = append(out, plot.Tick{Value: math.Log10(hi), Label: "≥ " + num(hi)})
	}
	return out
}

// levelCrossings returns the points where g crosses level along grid
// edges, by linear interpolation: enough to keep a legend off the contour.
func levelCrossings(g heatGrid, level float64) plotter.XYs {
	var pts plotter.XYs
	nc, nr := g.Dims()
	cross := func(x0, y0, z0, x1, y1, z1 float64) {
		if !finite(z0) || !finite(z1) || (z0-level)*(z1-level) > 0 || z0 == z1 {
			return
		}
		t := (level - z0) / (z1 - z0)
		pts = append(pts, plotter.XY{X: x0 + t*(x1-x0), Y: y0 + t*(y1-y0)})
	}
	for r := range nr {
		for c := range nc {
			if c+1 < nc {
				cross(g.X(c), g.Y(r), g.Z(c, r), g.X(c+1), g.Y(r), g.Z(c+1, r))
			}
			if r+1 < nr {
				cross(g.X(c), g.Y(r), g.Z(c, r), g.X(c), g.Y(r+1), g.Z(c, r+1))
			}
		}
	}
	return pts
}
