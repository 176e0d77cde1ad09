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

// Dash selects the line pattern of a Series.
type Dash int

// Line patterns.
const (
	Solid Dash = iota
	Dashed
	Dotted
)

// Series is one curve of a Lines figure.
type Series struct {
	// Label names the curve in the legend; empty leaves it out.
	Label string
	// X and Y are the points, of equal length; non-finite points (and
	// non-positive ones on a log axis) are left out.
	X, Y []float64
	// Dash is the line pattern; Markers also draws the points.
	Dash    Dash
	Markers bool
	// Grey draws the curve in grey, for references such as a limit or a
	// published value, instead of the next series colour.
	Grey bool
}

// LinesData is the input of Lines: any set of curves in the house style.
type LinesData struct {
	Title, XLabel, YLabel string
	LogX, LogY            bool
	Series                []Series
	// YMin and YMax fix the vertical range when YMax > YMin.
	YMin, YMax float64
}

// Lines draws a generic line plot with the package's fonts, colours, tick
// marks and legend placement, for figures that no dedicated builder covers.
func Lines(d LinesData) (*plot.Plot, error) {
	if len(d.Series) == 0 {
		return nil, fmt.Errorf("lines: no series")
	}
	p := newPlot(d.Title, d.XLabel, d.YLabel)
	if d.LogX {
		setLog(&p.X)
	}
	if d.LogY {
		setLog(&p.Y)
	}
	p.Add(plotter.NewGrid())
	leg := newLegend(p, placeAuto)
	colour := 0
	for i, s := range d.Series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("lines: series %d (%q): %d x values and %d y values", i, s.Label, len(s.X), len(s.Y))
		}
		keep := func(x, y float64) bool {
			return finite(x) && finite(y) && (!d.LogX || x > 0) && (!d.LogY || y > 0)
		}
		pts := xys(s.X, s.Y, keep)
		if len(pts) == 0 {
			return nil, fmt.Errorf("lines: series %d (%q): no point can be drawn", i, s.Label)
		}
		var col color.Color = grey
		if !s.Grey {
			col = seriesColor(colour)
			colour++
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("lines: %w", err)
		}
		line.LineStyle = lineStyle(col)
		switch s.Dash {
		case Dashed:
			line.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
		case Dotted:
			line.LineStyle.Dashes = []vg.Length{vg.Points(1.5), vg.Points(3)}
		}
		p.Add(line)
		leg.avoidLine(pts, 1)
		thumbs := []plot.Thumbnailer{line}
		if s.Markers {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, fmt.Errorf("lines: %w", err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.8), Shape: seriesShape(colour - 1)}
			p.Add(sc)
			leg.avoidPoints(pts, 1)
			thumbs = append(thumbs, sc)
		}
		if s.Label != "" {
			leg.add(s.Label, thumbs...)
		}
	}
	if d.YMax > d.YMin && !math.IsInf(d.YMax, 0) {
		p.Y.Min, p.Y.Max = d.YMin, d.YMax
	}
	p.Add(leg)
	return p, nil
}
