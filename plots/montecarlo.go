package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// CorrelationRun is one Monte Carlo run of the correlation c^l through the
// layers of a network (THEORY.md §5), with the mean-field prediction.
type CorrelationRun struct {
	// Label names the run in the legend, e.g. "N = 4".
	Label string
	// Layer are the layers l ≥ 0 at which c^l was measured.
	Layer []int
	// Mean[i] is the simulation mean of c^l at Layer[i], in [−1, 1].
	Mean []float64
	// StdErr[i] ≥ 0 is its standard error; nil draws no error bars.
	StdErr []float64
	// Theory[i] is the mean-field c^l at Layer[i]; nil draws no curve.
	Theory []float64
}

func (r CorrelationRun) check(i int) error {
	name := fmt.Sprintf("run %d (%q)", i, r.Label)
	if len(r.Layer) == 0 {
		return fmt.Errorf("%s: no layers", name)
	}
	for what, s := range map[string][]float64{"means": r.Mean, "standard errors": r.StdErr, "theory values": r.Theory} {
		if (what == "means" || s != nil) && len(s) != len(r.Layer) {
			return fmt.Errorf("%s: %d %s for %d layers", name, len(s), what, len(r.Layer))
		}
	}
	for j, l := range r.Layer {
		if l < 0 {
			return fmt.Errorf("%s: layer %d: need l ≥ 0", name, l)
		}
		if v := r.Mean[j]; !finite(v) {
			return fmt.Errorf("%s: mean c^l = %v at layer %d: need a finite number", name, v, l)
		}
		if r.StdErr != nil {
			if v := r.StdErr[j]; !(v >= 0) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: standard error %v at layer %d: need a finite number ≥ 0", name, v, l)
			}
		}
		if r.Theory != nil && !finite(r.Theory[j]) {
			return fmt.Errorf("%s: theory c^l = %v at layer %d: need a finite number", name, r.Theory[j], l)
		}
	}
	return nil
}

// Correlations draws c^l against the layer l for several runs, one colour
// and marker shape per run: the simulation means as markers with ±1
// standard-error bars, the mean-field curve as a line of the same colour.
func Correlations(runs []CorrelationRun, title string) (*plot.Plot, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("correlations: no runs")
	}
	for i, r := range runs {
		if err := r.check(i); err != nil {
			return nil, fmt.Errorf("correlations: %w", err)
		}
	}
	p := newPlot(title, "layer l", "correlation c^{l}")
	p.Add(plotter.NewGrid())
	leg := newLegend(p, placeAuto)
	for i, r := range runs {
		col := seriesColor(i)
		x := make([]float64, len(r.Layer))
		for j, l := range r.Layer {
			x[j] = float64(l)
		}
		var thumbs []plot.Thumbnailer
		if r.Theory != nil {
			line, err := plotter.NewLine(xys(x, r.Theory, nil))
			if err != nil {
				return nil, fmt.Errorf("correlations: %w", err)
			}
			line.LineStyle = lineStyle(col)
			p.Add(line)
			leg.avoidLine(line.XYs, 1)
			thumbs = append(thumbs, line)
		}
		pts := xys(x, r.Mean, nil)
		if r.StdErr != nil {
			bars, err := plotter.NewYErrorBars(errPoints{pts, r.StdErr})
			if err != nil {
				return nil, fmt.Errorf("correlations: %w", err)
			}
			bars.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1)}
			bars.CapWidth = vg.Points(4)
			p.Add(bars)
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("correlations: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.8), Shape: seriesShape(i)}
		p.Add(sc)
		leg.avoidPoints(pts, 1)
		leg.add(r.Label, append(thumbs, sc)...)
	}
	explainMarkersAndLines(p, leg, "simulation (± 1 s.e.)", "mean-field theory")
	p.Add(leg)
	return p, nil
}

// explainMarkersAndLines adds two grey legend entries saying what markers
// and lines stand for.
func explainMarkersAndLines(p *plot.Plot, leg *legend, markers, lines string) {
	sc, _ := plotter.NewScatter(plotter.XYs{})
	sc.GlyphStyle = draw.GlyphStyle{Color: grey, Radius: vg.Points(2.8), Shape: draw.RingGlyph{}}
	ln := &plotter.Line{LineStyle: lineStyle(grey)}
	leg.add("markers: "+markers, sc)
	leg.add("lines: "+lines, ln)
}

// errPoints adapts points and symmetric errors to plotter.YErrorer.
type errPoints struct {
	plotter.XYs
	err []float64
}

func (e errPoints) YError(i int) (float64, float64) { return e.err[i], e.err[i] }

// lowClippedErrPoints is errPoints on a log axis: a lower end at or below
// zero is moved to floor, under the axis, so that the bar runs off the
// bottom of the plot instead of breaking the log transform.
type lowClippedErrPoints struct {
	errPoints
	floor float64
}

func (e lowClippedErrPoints) YError(i int) (float64, float64) {
	y, s := e.XYs[i].Y, e.err[i]
	lo := s
	if y-s < e.floor {
		lo = y - e.floor
	}
	return lo, s
}

// DepthScaleData is the input of DepthScale.
type DepthScaleData struct {
	// N, Xi and StdErr are the Monte Carlo estimates ξ_mc(N) > 0 with their
	// standard errors (StdErr may be nil).
	N      []int
	Xi     []float64
	StdErr []float64
	// TheoryN and TheoryXi are the mean-field depth scale, drawn as a line;
	// nil for none.
	TheoryN  []int
	TheoryXi []float64
	// TheoryLabel names the theory line in the legend; empty means
	// DefaultTheoryLabel, right for ξ(N) = −1/ln χ_max(N) at the optimal
	// initialization σ_w^opt, σ_b = 0. Say what was computed otherwise
	// (e.g. ξ_c = −1/ln χ(c*) at a given σ_w).
	TheoryLabel string
	// Title is the plot title; empty for none.
	Title string
}

// DefaultTheoryLabel is the legend entry of DepthScaleData's theory line
// unless TheoryLabel says otherwise.
const DefaultTheoryLabel = "theory ξ(N) = −1 / ln χ_{max}(N)"

// DepthScale draws the Monte Carlo depth scale ξ_mc against N, with ±1
// standard-error bars, over the theory's ξ(N) line, on log–log axes. Error
// bars that reach zero run off the bottom of the plot.
func DepthScale(d DepthScaleData) (*plot.Plot, error) {
	if len(d.N) == 0 && len(d.TheoryN) == 0 {
		return nil, fmt.Errorf("depth scale: no data")
	}
	if len(d.Xi) != len(d.N) {
		return nil, fmt.Errorf("depth scale: %d values of ξ for %d values of N", len(d.Xi), len(d.N))
	}
	if d.StdErr != nil && len(d.StdErr) != len(d.N) {
		return nil, fmt.Errorf("depth scale: %d standard errors for %d values of N", len(d.StdErr), len(d.N))
	}
	if len(d.TheoryXi) != len(d.TheoryN) {
		return nil, fmt.Errorf("depth scale: %d theory values of ξ for %d values of N", len(d.TheoryXi), len(d.TheoryN))
	}
	yMin := math.Inf(1)
	for i, n := range d.N {
		if n < 2 {
			return nil, fmt.Errorf("depth scale: N = %d: need at least 2 levels", n)
		}
		if !positive(d.Xi[i]) {
			return nil, fmt.Errorf("depth scale: ξ = %v at N = %d: need a positive finite number", d.Xi[i], n)
		}
		yMin = min(yMin, d.Xi[i])
		if d.StdErr != nil {
			s := d.StdErr[i]
			if !(s >= 0) || math.IsInf(s, 0) {
				return nil, fmt.Errorf("depth scale: standard error %v at N = %d: need a finite number ≥ 0", s, n)
			}
			if d.Xi[i]-s > 0 {
				yMin = min(yMin, d.Xi[i]-s)
			}
		}
	}
	for i, n := range d.TheoryN {
		if n < 2 {
			return nil, fmt.Errorf("depth scale: theory N = %d: need at least 2 levels", n)
		}
		if !positive(d.TheoryXi[i]) {
			return nil, fmt.Errorf("depth scale: theory ξ = %v at N = %d: need a positive finite number", d.TheoryXi[i], n)
		}
		yMin = min(yMin, d.TheoryXi[i])
	}

	p := newPlot(d.Title, "N   (number of quantization levels)", "depth scale ξ   (layers)")
	setLog(&p.X)
	setLog(&p.Y)
	p.Add(plotter.NewGrid())
	leg := newLegend(p, placeAuto)
	if len(d.TheoryN) > 0 {
		x := make([]float64, len(d.TheoryN))
		for i, n := range d.TheoryN {
			x[i] = float64(n)
		}
		line, err := plotter.NewLine(xys(x, d.TheoryXi, nil))
		if err != nil {
			return nil, fmt.Errorf("depth scale: %w", err)
		}
		line.LineStyle = lineStyle(seriesColor(0))
		p.Add(line)
		leg.avoidLine(line.XYs, 1)
		label := d.TheoryLabel
		if label == "" {
			label = DefaultTheoryLabel
		}
		leg.add(label, line)
	}
	if len(d.N) > 0 {
		x := make([]float64, len(d.N))
		for i, n := range d.N {
			x[i] = float64(n)
		}
		pts := xys(x, d.Xi, nil)
		col := seriesColor(1)
		if d.StdErr != nil {
			// Bars that would reach zero stop a factor 2 under the lowest
			// point drawn, which is below the axis minimum set here.
			bars, err := plotter.NewYErrorBars(lowClippedErrPoints{errPoints{pts, d.StdErr}, yMin / 2})
			if err != nil {
				return nil, fmt.Errorf("depth scale: %w", err)
			}
			bars.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(1)}
			bars.CapWidth = vg.Points(4)
			p.Add(bars)
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("depth scale: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.SquareGlyph{}}
		p.Add(sc)
		leg.avoidPoints(pts, 1)
		name := "Monte Carlo ξ_{mc}"
		if d.StdErr != nil {
			name += " (± 1 s.e.)"
		}
		leg.add(name, sc)
	}
	p.Y.Min = yMin / 1.25
	p.Y.Max *= 1.25
	widenLog(&p.X, 1.1)
	p.Add(leg)
	return p, nil
}
