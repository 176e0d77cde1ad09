package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PowerLaw is a straight line in ln–ln coordinates against N+1:
//
//	ln y = Intercept + Slope·ln(N+1),   y = e^Intercept · (N+1)^Slope,
//
// as fitted to 1 − χ_max(N) or D_opt(N) (THEORY.md §3).
type PowerLaw struct {
	Slope, Intercept float64
	// NMin and NMax are the range of N that the fit used; the line is drawn
	// over it and the legend reports it. Zeros mean the data's range.
	NMin, NMax int
}

// At returns the power law's value at N.
func (f PowerLaw) At(n float64) float64 { return math.Exp(f.Intercept + f.Slope*math.Log(n+1)) }

// Equation returns the law as text with Scripts markup, e.g.
// "1.23·(N+1)^{−1.82}".
func (f PowerLaw) Equation() string {
	return num(math.Exp(f.Intercept)) + "·(N+1)^{" + num(f.Slope) + "}"
}

func (f PowerLaw) check(name string) error {
	if !finite(f.Slope) || !finite(f.Intercept) {
		return fmt.Errorf("%s fit: slope %v, intercept %v: need finite numbers", name, f.Slope, f.Intercept)
	}
	if f.NMin < 0 || f.NMax < 0 || (f.NMax != 0 && f.NMax < f.NMin) {
		return fmt.Errorf("%s fit: range N = %d…%d is not a range", name, f.NMin, f.NMax)
	}
	return nil
}

// SweepData is the input of Sweep: the quantization–depth trade-off over
// the number of levels N.
type SweepData struct {
	// N are the numbers of levels, each at least 2.
	N []int
	// OneMinusChi[i] is 1 − χ_max(N[i]) > 0.
	OneMinusChi []float64
	// DOpt[i] is the optimal normalized spacing D_opt(N[i]) > 0, or NaN
	// where it is undefined (N = 2, where χ does not depend on D). It may
	// be nil.
	DOpt []float64
	// ChiFit and DFit are the fitted power laws; nil draws no line.
	ChiFit, DFit *PowerLaw
	// Title is the plot title; empty for none.
	Title string
}

// Sweep draws the paper's second figure: 1 − χ_max(N) and D_opt(N) against
// N + 1 on log–log axes, as markers, with their fitted power laws as lines
// whose equations (and fit ranges) are in the legend.
func Sweep(d SweepData) (*plot.Plot, error) {
	if len(d.N) == 0 {
		return nil, fmt.Errorf("sweep: no data")
	}
	if len(d.OneMinusChi) != len(d.N) {
		return nil, fmt.Errorf("sweep: %d values of 1−χ_max for %d values of N", len(d.OneMinusChi), len(d.N))
	}
	if d.DOpt != nil && len(d.DOpt) != len(d.N) {
		return nil, fmt.Errorf("sweep: %d values of D_opt for %d values of N", len(d.DOpt), len(d.N))
	}
	x := make([]float64, len(d.N))
	nMin, nMax := d.N[0], d.N[0]
	for i, n := range d.N {
		if n < 2 {
			return nil, fmt.Errorf("sweep: N = %d: need at least 2 levels", n)
		}
		if v := d.OneMinusChi[i]; !positive(v) {
			return nil, fmt.Errorf("sweep: 1−χ_max = %v at N = %d: need a positive finite number", v, n)
		}
		if d.DOpt != nil {
			if v := d.DOpt[i]; !math.IsNaN(v) && !positive(v) {
				return nil, fmt.Errorf("sweep: D_opt = %v at N = %d: need a positive finite number or NaN", v, n)
			}
		}
		x[i] = float64(n + 1)
		nMin, nMax = min(nMin, n), max(nMax, n)
	}
	for _, f := range []struct {
		name string
		fit  *PowerLaw
	}{{"1−χ_max", d.ChiFit}, {"D_opt", d.DFit}} {
		if f.fit != nil {
			if err := f.fit.check(f.name); err != nil {
				return nil, fmt.Errorf("sweep: %w", err)
			}
		}
	}

	p := newPlot(d.Title, "N + 1   (N = number of quantization levels)", "1 − χ_{max}   and   D_{opt}")
	setLog(&p.X)
	setLog(&p.Y)
	p.Add(plotter.NewGrid())
	leg := newLegend(p, placeAuto)

	series := []struct {
		name  string
		y     []float64
		fit   *PowerLaw
		shape draw.GlyphDrawer
	}{
		{"1 − χ_{max}", d.OneMinusChi, d.ChiFit, draw.CircleGlyph{}},
		{"D_{opt}", d.DOpt, d.DFit, draw.PyramidGlyph{}},
	}
	for i, s := range series {
		if s.y == nil {
			continue
		}
		pts := xys(x, s.y, func(_, y float64) bool { return positive(y) })
		if len(pts) == 0 {
			continue
		}
		col := seriesColor(i)
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("sweep: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: s.shape}
		leg.avoidPoints(pts, 1)
		thumbs := []plot.Thumbnailer{sc}
		name := s.name
		if s.fit != nil {
			lo, hi := s.fit.NMin, s.fit.NMax
			if lo == 0 {
				lo = nMin
			}
			if hi == 0 {
				hi = nMax
			}
			line, err := plotter.NewLine(fitLine(*s.fit, lo, hi))
			if err != nil {
				return nil, fmt.Errorf("sweep: %w", err)
			}
			line.LineStyle = lineStyle(col)
			p.Add(line)
			leg.avoidLine(line.XYs, 1)
			thumbs = append(thumbs, line)
			name = fmt.Sprintf("%s ≈ %s   (fit over N = %d…%d)", s.name, s.fit.Equation(), lo, hi)
		}
		p.Add(sc)
		leg.add(name, thumbs...)
	}
	p.Add(leg)
	widenLog(&p.X, 1.15)
	widenLog(&p.Y, 1.3)
	return p, nil
}

// widenLog widens a log axis by factor f at both ends, so that end points
// do not sit on the frame.
func widenLog(a *plot.Axis, f float64) {
	a.Min /= f
	a.Max *= f
}

// fitLine samples a power law over N ∈ [lo, hi], evenly in ln(N+1).
func fitLine(f PowerLaw, lo, hi int) plotter.XYs {
	const k = 64
	a, b := math.Log(float64(lo+1)), math.Log(float64(hi+1))
	out := make(plotter.XYs, k+1)
	for i := range out {
		x := math.Exp(a + (b-a)*float64(i)/k)
		out[i] = plotter.XY{X: x, Y: f.At(x - 1)}
	}
	return out
}
