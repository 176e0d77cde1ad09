package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// DefaultKappas are the trainability multiples κ of the paper's MNIST
// figure: curves L = κ·ξ(N) for κ = 4, 6 and 9 (THEORY.md §3).
var DefaultKappas = []float64{4, 6, 9}

// TrainData is the input of Trainability: test accuracy of trained
// networks over the number of levels N and the depth L, and the theory's
// depth scale ξ(N).
type TrainData struct {
	// N are the numbers of levels of the columns, increasing, each ≥ 2.
	N []int
	// Depth are the depths L of the rows, increasing, each ≥ 1.
	Depth []int
	// Accuracy is row-major: Accuracy[i*len(N)+j] is the test accuracy at
	// (N[j], Depth[i]); NaN marks a run not made (drawn light grey).
	Accuracy []float64
	// XiN and Xi are the depth scale ξ(N) > 0 at the levels XiN
	// (increasing, each ≥ 2; may be denser than N); nil draws no curves.
	XiN []int
	Xi  []float64
	// Kappas are the multiples κ of the curves L = κ·ξ(N); nil means
	// DefaultKappas.
	Kappas []float64
	// Title is the plot title; empty for none.
	Title string
}

// Trainability draws test accuracy as a heat map over N (on a log₂ axis,
// one column per N, labelled with N) and L, with curves L = κ·ξ(N) over it
// and a colour bar for the accuracy.
func Trainability(d TrainData) (*HeatFigure, error) {
	if len(d.N) < 2 || len(d.Depth) < 2 {
		return nil, fmt.Errorf("trainability: %d levels × %d depths: need at least 2 of each", len(d.N), len(d.Depth))
	}
	if len(d.Accuracy) != len(d.N)*len(d.Depth) {
		return nil, fmt.Errorf("trainability: %d accuracies for %d levels × %d depths", len(d.Accuracy), len(d.N), len(d.Depth))
	}
	if len(d.Xi) != len(d.XiN) {
		return nil, fmt.Errorf("trainability: %d values of ξ for %d values of N", len(d.Xi), len(d.XiN))
	}
	x := make([]float64, len(d.N))
	for i, n := range d.N {
		if n < 2 {
			return nil, fmt.Errorf("trainability: N = %d: need at least 2 levels", n)
		}
		if i > 0 && n <= d.N[i-1] {
			return nil, fmt.Errorf("trainability: N = %d after %d: need increasing levels", n, d.N[i-1])
		}
		x[i] = math.Log2(float64(n))
	}
	y := make([]float64, len(d.Depth))
	for i, l := range d.Depth {
		if l < 1 {
			return nil, fmt.Errorf("trainability: depth %d: need L ≥ 1", l)
		}
		if i > 0 && l <= d.Depth[i-1] {
			return nil, fmt.Errorf("trainability: depth %d after %d: need increasing depths", l, d.Depth[i-1])
		}
		y[i] = float64(l)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, a := range d.Accuracy {
		if math.IsInf(a, 0) {
			return nil, fmt.Errorf("trainability: accuracy %v: need a finite number or NaN", a)
		}
		if !math.IsNaN(a) {
			lo, hi = min(lo, a), max(hi, a)
		}
	}
	if lo > hi {
		return nil, fmt.Errorf("trainability: every accuracy is NaN")
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	for i, n := range d.XiN {
		if n < 2 || (i > 0 && n <= d.XiN[i-1]) {
			return nil, fmt.Errorf("trainability: ξ at N = %d: need increasing N ≥ 2", n)
		}
		if !positive(d.Xi[i]) {
			return nil, fmt.Errorf("trainability: ξ = %v at N = %d: need a positive finite number", d.Xi[i], n)
		}
	}
	kappas := d.Kappas
	if kappas == nil {
		kappas = DefaultKappas
	}
	for _, k := range kappas {
		if !positive(k) {
			return nil, fmt.Errorf("trainability: κ = %v: need a positive finite number", k)
		}
	}

	p := newPlot(d.Title, "N   (quantization levels, log_{2} scale)", "depth L   (layers)")
	p.X.Padding, p.Y.Padding = 0, 0
	g := heatGrid{x: x, y: y, z: d.Accuracy}
	cm := viridis()
	heat := newCells(g, cm, lo, hi)
	p.Add(heat)
	p.X.Tick.Marker = plot.ConstantTicks(levelTicks(d.N))
	leg := newLegend(p, placeAuto)

	if len(d.XiN) > 0 {
		dashes := [][]vg.Length{
			{vg.Points(2), vg.Points(3)},
			nil,
			{vg.Points(8), vg.Points(4)},
			{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)},
		}
		for i, k := range kappas {
			pts := make(plotter.XYs, len(d.XiN))
			for j, n := range d.XiN {
				pts[j] = plotter.XY{X: math.Log2(float64(n)), Y: k * d.Xi[j]}
			}
			halo, line := haloLine(pts, color.White, color.Black, dashes[i%len(dashes)])
			p.Add(halo, line)
			leg.avoidLine(pts, 1)
			leg.add("L = "+num(k)+"·ξ(N)", halo, line)
		}
	}
	p.Add(leg)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = heat.DataRange()

	return &HeatFigure{Plot: p, Bar: ColorBar{
		Map:       cm,
		Label:     "test accuracy",
		TextStyle: p.Y.Tick.Label,
	}}, nil
}

// levelTicks labels the columns with their N, thinned to powers of two (or
// every k-th column) when there are more than 10.
func levelTicks(ns []int) []plot.Tick {
	ticks := make([]plot.Tick, len(ns))
	pow2 := 0
	for _, n := range ns {
		if n&(n-1) == 0 {
			pow2++
		}
	}
	step := (len(ns) + 9) / 10
	for i, n := range ns {
		t := plot.Tick{Value: math.Log2(float64(n))}
		switch {
		case len(ns) <= 10:
			t.Label = strconv.Itoa(n)
		case pow2 >= 2 && pow2 <= 10:
			if n&(n-1) == 0 {
				t.Label = strconv.Itoa(n)
			}
		case i%step == 0:
			t.Label = strconv.Itoa(n)
		}
		ticks[i] = t
	}
	return ticks
}

// viridis returns the viridis colour map (van der Walt and Smith, the
// default of matplotlib): perceptually uniform, readable in grey and by
// colour-blind readers, and, unlike moreland's maps, ending in yellow rather
// than white, so that the best cells do not look empty.
func viridis() palette.ColorMap {
	hex := []uint32{0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E, 0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725}
	cols := make([]color.Color, len(hex))
	for i, h := range hex {
		cols[i] = color.RGBA{R: uint8(h >> 16), G: uint8(h >> 8), B: uint8(h), A: 0xFF}
	}
	cm, err := moreland.NewLuminance(cols)
	if err != nil {
		panic(err) // the control colours above have increasing luminance
	}
	return cm
}
