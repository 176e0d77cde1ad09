package plots

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatFigure is a plot, usually a heat map, with a colour bar to its right
// that explains the colours. Both parts can be adjusted before saving.
type HeatFigure struct {
	Plot *plot.Plot
	Bar  ColorBar
}

// ColorBar is a vertical colour scale, aligned with the data area of the
// plot it explains, with tick labels and a title on its right.
type ColorBar struct {
	// Map gives the colours over [Map.Min(), Map.Max()].
	Map palette.ColorMap
	// Label is the title of the scale, written along it.
	Label string
	// Ticks are marks in the map's units; nil means plot.DefaultTicks.
	Ticks []plot.Tick
	// Width is the thickness of the bar; 0 means 0.2 inch.
	Width vg.Length
	// TextStyle is the style of tick labels and title (Scripts markup).
	TextStyle text.Style
}

const barGap = vg.Inch / 6 // between the plot and the bar

// space returns the width the bar needs, labels included.
func (b *ColorBar) space() vg.Length {
	w := b.Width
	if w == 0 {
		w = vg.Inch / 5
	}
	var lw vg.Length
	for _, t := range b.ticks() {
		lw = max(lw, b.TextStyle.Width(t.Label))
	}
	s := barGap + w + vg.Points(4) + b.TextStyle.Width(" ") + lw
	if b.Label != "" {
		s += b.TextStyle.Width(" ") + b.TextStyle.Height(b.Label)
	}
	return s + vg.Points(4)
}

func (b *ColorBar) ticks() []plot.Tick {
	if b.Ticks != nil {
		return b.Ticks
	}
	return linearTicks{}.Ticks(b.Map.Min(), b.Map.Max())
}

// Draw draws the figure: the plot on the left, the colour bar on the right
// spanning the height of the plot's data area.
func (f *HeatFigure) Draw(c draw.Canvas) {
	main := draw.Crop(c, 0, -f.Bar.space(), 0, 0)
	f.Plot.Draw(main)
	da := f.Plot.DataCanvas(main)
	f.Bar.draw(c, main.Max.X+barGap, da.Min.Y, da.Max.Y)
}

func (b *ColorBar) draw(c draw.Canvas, x0, y0, y1 vg.Length) {
	w := b.Width
	if w == 0 {
		w = vg.Inch / 5
	}
	lo, hi := b.Map.Min(), b.Map.Max()
	const n = 256
	img := image.NewNRGBA(image.Rect(0, 0, 1, n))
	for i := range n {
		col, err := b.Map.At(lo + (hi-lo)*(float64(i)+0.5)/n)
		if err != nil {
			col = color.Transparent
		}
		img.Set(0, n-1-i, col)
	}
	rect := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x0 + w, Y: y1}}
	c.DrawImage(rect, img)
	frame := draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}
	c.StrokeLines(frame, []vg.Point{rect.Min, {X: rect.Max.X, Y: rect.Min.Y}, rect.Max, {X: rect.Min.X, Y: rect.Max.Y}, rect.Min})

	sty := b.TextStyle
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	var lw vg.Length
	xl := rect.Max.X + vg.Points(4) + sty.Width(" ")
	for _, t := range b.ticks() {
		if t.Value < lo-1e-9*(hi-lo) || t.Value > hi+1e-9*(hi-lo) {
			continue
		}
		y := y0 + (y1-y0)*vg.Length((t.Value-lo)/(hi-lo))
		length := vg.Points(4)
		if t.IsMinor() {
			length = vg.Points(2)
		}
		c.StrokeLine2(frame, rect.Max.X, y, rect.Max.X+length, y)
		if t.Label != "" {
			c.FillText(sty, vg.Point{X: xl, Y: y}, t.Label)
			lw = max(lw, sty.Width(t.Label))
		}
	}
	if b.Label != "" {
		ls := b.TextStyle
		// Read bottom to top, as the plot's own vertical axis label.
		ls.Rotation = math.Pi / 2
		ls.XAlign, ls.YAlign = draw.XCenter, draw.YTop
		c.FillText(ls, vg.Point{X: xl + lw + sty.Width(" "), Y: (y0 + y1) / 2}, b.Label)
	}
}

// heatGrid presents columns and rows of values, possibly transformed, as a
// plotter.GridXYZ.
type heatGrid struct {
	x, y []float64
	z    []float64 // row-major: z[r*len(x)+c]
	f    func(float64) float64
}

func (g heatGrid) Dims() (c, r int) { return len(g.x), len(g.y) }
func (g heatGrid) X(c int) float64  { return g.x[c] }
func (g heatGrid) Y(r int) float64  { return g.y[r] }
func (g heatGrid) Z(c, r int) float64 {
	v := g.z[r*len(g.x)+c]
	if g.f != nil {
		return g.f(v)
	}
	return v
}

// cells is a heat map plotter. Unlike plotter.HeatMap it overlaps
// neighbouring cells by a hairline, which removes the faint seams that
// anti-aliasing leaves between abutting rectangles in PNG output, and it
// clips the cells to the data area.
type cells struct {
	g      plotter.GridXYZ
	cm     palette.ColorMap // over [lo, hi]; values beyond take the end colours
	lo, hi float64
	nan    color.Color
}

// newCells returns a heat map of g coloured by cm over [lo, hi]; values
// above hi take the top colour, below lo the bottom one, NaN light grey.
func newCells(g plotter.GridXYZ, cm palette.ColorMap, lo, hi float64) *cells {
	cm.SetMin(lo)
	cm.SetMax(hi)
	return &cells{g: g, cm: cm, lo: lo, hi: hi, nan: lightGrey}
}

func (h *cells) color(v float64) color.Color {
	if math.IsNaN(v) {
		return h.nan
	}
	v = min(max(v, h.lo), h.hi)
	col, err := h.cm.At(v)
	if err != nil {
		return h.nan
	}
	return col
}

// edges returns the boundaries of the cells centred on the coordinates:
// midpoints inside, half a spacing beyond the ends.
func edges(n int, at func(int) float64) []float64 {
	e := make([]float64, n+1)
	if n == 1 {
		e[0], e[1] = at(0)-0.5, at(0)+0.5
		return e
	}
	for i := 1; i < n; i++ {
		e[i] = (at(i-1) + at(i)) / 2
	}
	e[0] = at(0) - (at(1)-at(0))/2
	e[n] = at(n-1) + (at(n-1)-at(n-2))/2
	return e
}

// Plot draws the cells.
func (h *cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	nc, nr := h.g.Dims()
	xe, ye := edges(nc, h.g.X), edges(nr, h.g.Y)
	overlap := vg.Points(0.3)
	clampX := func(x vg.Length) vg.Length { return min(max(x, c.Min.X), c.Max.X) }
	clampY := func(y vg.Length) vg.Length { return min(max(y, c.Min.Y), c.Max.Y) }
	for i := range nc {
		x0, x1 := clampX(trX(xe[i])-overlap), clampX(trX(xe[i+1])+overlap)
		for j := range nr {
			y0, y1 := clampY(trY(ye[j])-overlap), clampY(trY(ye[j+1])+overlap)
			if x1 <= x0 || y1 <= y0 {
				continue
			}
			c.FillPolygon(h.color(h.g.Z(i, j)), []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		}
	}
}

// DataRange returns the extent of the cells.
func (h *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	nc, nr := h.g.Dims()
	xe, ye := edges(nc, h.g.X), edges(nr, h.g.Y)
	return xe[0], xe[nc], ye[0], ye[nr]
}

// Marker is a point to mark on a figure, with a label.
type Marker struct {
	X, Y  float64
	Label string
}

// haloLine returns two lines drawing xys in fg over a wider bg halo, which
// keeps a curve visible over any colour of a heat map.
func haloLine(pts plotter.XYs, fg, bg color.Color, dashes []vg.Length) (halo, line *plotter.Line) {
	halo = &plotter.Line{XYs: pts, LineStyle: draw.LineStyle{Color: bg, Width: vg.Points(4)}}
	line = &plotter.Line{XYs: pts, LineStyle: draw.LineStyle{Color: fg, Width: vg.Points(2), Dashes: dashes}}
	return halo, line
}
