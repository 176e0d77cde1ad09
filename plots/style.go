package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes in points; at DPI = 100 a point is 1.39 pixels.
const (
	titleSize  = 13
	labelSize  = 12
	tickSize   = 10.5
	legendSize = 10.5
)

// seriesColors is the Okabe–Ito palette (without its yellow, which vanishes
// on white): distinguishable under the common colour-vision deficiencies.
var seriesColors = []color.Color{
	color.RGBA{0x00, 0x72, 0xB2, 0xFF}, // blue
	color.RGBA{0xD5, 0x5E, 0x00, 0xFF}, // vermilion
	color.RGBA{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	color.RGBA{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	color.RGBA{0xE6, 0x9F, 0x00, 0xFF}, // orange
	color.RGBA{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	color.Black,
}

// seriesShapes pair with seriesColors so that series stay apart in grey.
var seriesShapes = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{},
	draw.RingGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{},
}

var (
	grey      = color.Gray{Y: 0x80}
	lightGrey = color.Gray{Y: 0xDD}
)

func seriesColor(i int) color.Color          { return seriesColors[i%len(seriesColors)] }
func seriesShape(i int) draw.GlyphDrawer     { return seriesShapes[i%len(seriesShapes)] }
func lineStyle(c color.Color) draw.LineStyle { return draw.LineStyle{Color: c, Width: vg.Points(1.5)} }

// newPlot returns a plot whose texts all use the Scripts handler and the
// package's font sizes.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	h := Scripts{Fonts: font.DefaultCache}
	p := plot.New()
	p.TextHandler = h
	set := func(s *text.Style, size font.Length) {
		s.Handler = h
		s.Font.Size = size
	}
	set(&p.Title.TextStyle, titleSize)
	set(&p.X.Label.TextStyle, labelSize)
	set(&p.Y.Label.TextStyle, labelSize)
	set(&p.X.Tick.Label, tickSize)
	set(&p.Y.Tick.Label, tickSize)
	set(&p.Legend.TextStyle, legendSize)
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Label.Padding = vg.Points(3)
	p.Y.Label.Padding = vg.Points(3)
	p.X.Tick.Marker = linearTicks{}
	p.Y.Tick.Marker = linearTicks{}
	return p
}

// linearTicks labels about five to ten round values (steps of 1, 2, 2.5 or
// 5 times a power of ten) with minor ticks between; gonum's DefaultTicks
// aims at three labels, too few for reading values off a figure. Labels use
// a true minus sign.
type linearTicks struct{}

func (linearTicks) Ticks(lo, hi float64) []plot.Tick {
	if !finite(lo) || !finite(hi) || !(hi > lo) {
		return nil
	}
	const target = 6
	raw := (hi - lo) / target
	mag := math.Pow10(int(math.Floor(math.Log10(raw))))
	var step, minor float64
	for _, s := range []struct{ step, minor float64 }{{1, 0.2}, {2, 0.5}, {2.5, 0.5}, {5, 1}, {10, 2}} {
		if s.step*mag >= raw*(1-1e-9) {
			step, minor = s.step*mag, s.minor*mag
			break
		}
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if r := step / math.Pow10(-decimals); math.Abs(r-math.Round(r)) > 1e-6 {
		decimals++ // steps like 2.5 or 0.25 need one more digit
	}
	slack := 1e-9 * (hi - lo)
	var ticks []plot.Tick
	for k := math.Ceil((lo - slack) / minor); k*minor <= hi+slack; k++ {
		v := k * minor
		t := plot.Tick{Value: v}
		if q := v / step; math.Abs(q-math.Round(q)) < 1e-6 {
			if math.Abs(v) < slack {
				v = 0 // no "−0"
			}
			t.Label = minus(strconv.FormatFloat(v, 'f', decimals, 64))
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// setLog puts a log scale and logTicks on an axis.
func setLog(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = logTicks{}
}

// logTicks marks the decades of a log axis, plus 2× and 5× when fewer than
// two decades are in range, so that a narrow range still has labels.
// Decade labels are "10^{k}" when the range leaves [0.01, 10⁴], plain
// numbers otherwise. Unlike plot.LogTicks it does not panic on a range that
// is not positive: it returns no ticks.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi >= lo) || math.IsInf(hi, 0) {
		return nil
	}
	const slack = 1e-9
	in := func(v float64) bool { return v >= lo*(1-slack) && v <= hi*(1+slack) }
	kLo, kHi := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	sci := lo < 0.01*(1-slack) || hi > 1e4*(1+slack)
	labelled := func(m int) bool { return m == 1 }
	count := 0
	for k := kLo; k <= kHi; k++ {
		if in(math.Pow10(k)) {
			count++
		}
	}
	if count < 2 {
		labelled = func(m int) bool { return m == 1 || m == 2 || m == 5 }
		count = 0
		for k := kLo; k <= kHi; k++ {
			for _, m := range []int{1, 2, 5} {
				if in(float64(m) * math.Pow10(k)) {
					count++
				}
			}
		}
		if count < 2 {
			labelled = func(int) bool { return true }
		}
	}
	var ticks []plot.Tick
	for k := kLo; k <= kHi; k++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow10(k)
			if !in(v) {
				continue
			}
			t := plot.Tick{Value: v}
			if labelled(m) {
				t.Label = tickLabel(m, k, sci)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// tickLabel formats m·10^k.
func tickLabel(m, k int, sci bool) string {
	if !sci {
		return strconv.FormatFloat(float64(m)*math.Pow10(k), 'g', -1, 64)
	}
	e := "10^{" + minus(strconv.Itoa(k)) + "}"
	if m == 1 {
		return e
	}
	return strconv.Itoa(m) + "×" + e
}

// minus replaces ASCII hyphens by the typographic minus sign.
func minus(s string) string { return strings.ReplaceAll(s, "-", "−") }

// num formats v with 3 significant digits and a true minus sign, without
// an exponent between 10⁻⁴ and 10⁶ (so 1000 reads "1000", not "1e+03").
func num(v float64) string {
	if a := math.Abs(v); a == 0 || (a >= 1e-4 && a < 1e6) {
		r, _ := strconv.ParseFloat(fmt.Sprintf("%.3g", v), 64)
		return minus(strconv.FormatFloat(r, 'f', -1, 64))
	}
	return minus(fmt.Sprintf("%.3g", v))
}

// place is where a legend goes in the data area.
type place int

// The corners of the data area, and the middles of its top and bottom
// edges. placeAuto picks the place that covers the fewest data.
const (
	placeAuto place = iota
	topRight
	topLeft
	bottomLeft
	bottomRight
	topMiddle
	bottomMiddle
)

// legend is a plotter that draws its entries in a box with a translucent
// white background, so that it stays readable over grid lines and heat
// maps; gonum's plot.Legend has no background. Added last, it draws over
// the data. It chooses its corner, unless told, by counting the points of
// avoid (in data coordinates) that the box would hide.
type legend struct {
	entries []legendEntry
	corner  place
	avoid   []avoidSet
	style   text.Style
}

type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

func newLegend(p *plot.Plot, corner place) *legend {
	return &legend{corner: corner, style: p.Legend.TextStyle}
}

func (l *legend) add(name string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{name, thumbs})
}

// avoidSet is data the legend should not cover: a polyline or a set of
// points, each covered point costing weight.
type avoidSet struct {
	xys    plotter.XYs
	weight int
	line   bool
}

// avoidLine records a polyline the legend should not cover.
func (l *legend) avoidLine(xys plotter.XYs, weight int) {
	l.avoid = append(l.avoid, avoidSet{xys, weight, true})
}

// avoidPoints records points the legend should not cover.
func (l *legend) avoidPoints(xys plotter.XYs, weight int) {
	l.avoid = append(l.avoid, avoidSet{xys, weight, false})
}

const (
	legendThumb = 22 // thumbnail width, points
	legendPad   = 5  // padding inside the box, points
	legendInset = 6  // distance from the data area's edge, points
)

// size returns the size of the box and the height of a row, with text in
// style sty.
func (l *legend) size(sty text.Style) (w, h, rowH vg.Length) {
	rowH = sty.Font.Size * 1.35
	for _, e := range l.entries {
		w = max(w, sty.Width(e.name))
		rowH = max(rowH, sty.Height(e.name)*1.1)
	}
	w += vg.Points(legendThumb) + sty.Width(" ") + 2*vg.Points(legendPad)
	h = rowH*vg.Length(len(l.entries)) + 2*vg.Points(legendPad)
	return w, h, rowH
}

func (l *legend) box(c draw.Canvas, sty text.Style, corner place) vg.Rectangle {
	w, h, _ := l.size(sty)
	in := vg.Points(legendInset)
	var r vg.Rectangle
	switch corner {
	case topLeft, bottomLeft:
		r.Min.X = c.Min.X + in
	case topMiddle, bottomMiddle:
		r.Min.X = (c.Min.X + c.Max.X - w) / 2
	default:
		r.Min.X = c.Max.X - in - w
	}
	switch corner {
	case bottomLeft, bottomRight, bottomMiddle:
		r.Min.Y = c.Min.Y + in
	default:
		r.Min.Y = c.Max.Y - in - h
	}
	r.Max = vg.Point{X: r.Min.X + w, Y: r.Min.Y + h}
	return r
}

// covered counts the avoided points inside r grown by a margin (a legend
// that merely touches the data looks crowded), sampling polyline segments
// so that a line crossing the box counts even without a vertex inside.
func (l *legend) covered(c draw.Canvas, p *plot.Plot, r vg.Rectangle, margin vg.Length) int {
	trX, trY := p.Transforms(&c)
	r.Min.X -= margin
	r.Min.Y -= margin
	r.Max.X += margin
	r.Max.Y += margin
	inside := func(pt vg.Point) bool {
		return pt.X >= r.Min.X && pt.X <= r.Max.X && pt.Y >= r.Min.Y && pt.Y <= r.Max.Y
	}
	valid := func(xy plotter.XY) bool {
		if math.IsNaN(xy.X) || math.IsNaN(xy.Y) || math.IsInf(xy.X, 0) || math.IsInf(xy.Y, 0) {
			return false
		}
		_, isLogX := p.X.Scale.(plot.LogScale)
		_, isLogY := p.Y.Scale.(plot.LogScale)
		return !(isLogX && xy.X <= 0) && !(isLogY && xy.Y <= 0)
	}
	n := 0
	for _, set := range l.avoid {
		var prev vg.Point
		hasPrev := false
		for _, xy := range set.xys {
			if !valid(xy) {
				hasPrev = false
				continue
			}
			pt := vg.Point{X: trX(xy.X), Y: trY(xy.Y)}
			if inside(pt) {
				n += set.weight
			}
			if hasPrev && set.line {
				const k = 16
				for j := 1; j < k; j++ {
					f := vg.Length(j) / k
					if inside(vg.Point{X: prev.X + f*(pt.X-prev.X), Y: prev.Y + f*(pt.Y-prev.Y)}) {
						n += set.weight
					}
				}
			}
			prev, hasPrev = pt, true
		}
	}
	return n
}

// choose returns the legend's place: its own, or for placeAuto the one
// with the fewest avoided points near the box and, among equals, the
// fewest a little further out.
func (l *legend) choose(c draw.Canvas, p *plot.Plot, sty text.Style) place {
	if l.corner != placeAuto {
		return l.corner
	}
	best, next, where := -1, -1, topRight
	for _, k := range []place{topRight, topLeft, bottomLeft, bottomRight, topMiddle, bottomMiddle} {
		r := l.box(c, sty, k)
		n, m := l.covered(c, p, r, vg.Points(12)), l.covered(c, p, r, vg.Points(40))
		if best < 0 || n < best || (n == best && m < next) {
			best, next, where = n, m, k
		}
	}
	return where
}

// Plot draws the legend.
func (l *legend) Plot(c draw.Canvas, p *plot.Plot) {
	if len(l.entries) == 0 {
		return
	}
	// In a small panel, shrink the text until the box fits (down to 70%).
	sty := l.style
	if w, _, _ := l.size(sty); w > c.Size().X-2*vg.Points(legendInset) {
		f := max(0.7, float64((c.Size().X-2*vg.Points(legendInset))/w))
		sty.Font.Size = vg.Length(float64(sty.Font.Size) * f)
	}
	r := l.box(c, sty, l.choose(c, p, sty))
	c.FillPolygon(color.NRGBA{R: 255, G: 255, B: 255, A: 225}, []vg.Point{
		r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y},
	})
	c.StrokeLines(draw.LineStyle{Color: color.Gray{Y: 0xB0}, Width: vg.Points(0.5)},
		[]vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}, r.Min})

	_, _, rowH := l.size(sty)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	pad := vg.Points(legendPad)
	y := r.Max.Y - pad
	for _, e := range l.entries {
		icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: r.Min.X + pad, Y: y - rowH + rowH*0.15},
			Max: vg.Point{X: r.Min.X + pad + vg.Points(legendThumb), Y: y - rowH*0.15},
		}}
		for _, t := range e.thumbs {
			t.Thumbnail(&icon)
		}
		c.FillText(sty, vg.Point{X: icon.Max.X + sty.Width(" "), Y: y - rowH/2}, e.name)
		y -= rowH
	}
}

// label is a plotter that writes one text at a data point, offset in
// points, in the plot's Scripts style; unlike plotter.Labels it does not
// widen the axes.
type label struct {
	x, y   float64
	dx, dy vg.Length
	text   string
	style  text.Style
}

func newLabel(p *plot.Plot, x, y float64, dx, dy vg.Length, txt string, xAlign text.XAlignment) *label {
	sty := p.Legend.TextStyle
	sty.Color = color.Black
	sty.XAlign, sty.YAlign = xAlign, draw.YCenter
	return &label{x: x, y: y, dx: dx, dy: dy, text: txt, style: sty}
}

func (l *label) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	c.FillText(l.style, vg.Point{X: trX(l.x) + l.dx, Y: trY(l.y) + l.dy}, l.text)
}

// xys builds plotter.XYs from parallel slices, skipping points for which
// keep is false.
func xys(x, y []float64, keep func(x, y float64) bool) plotter.XYs {
	out := make(plotter.XYs, 0, len(x))
	for i := range x {
		if keep == nil || keep(x[i], y[i]) {
			out = append(out, plotter.XY{X: x[i], Y: y[i]})
		}
	}
	return out
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func positive(v float64) bool { return v > 0 && !math.IsInf(v, 0) }
