package plots_test

import (
	"bytes"
	"fmt"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/lmax-project/lmax/plots"
)

// Sweep data for N = 2 … 256: 1 − χ_max(N), and D_opt(N), undefined at
// N = 2, with power laws fitted over N ≥ 3.
func Example() {
	d := plots.SweepData{
		ChiFit: &plots.PowerLaw{Slope: -1.82, Intercept: math.Log(1.5), NMin: 3},
		DFit:   &plots.PowerLaw{Slope: -0.75, Intercept: math.Log(3.4), NMin: 3},
	}
	for n := 2; n <= 256; n *= 2 {
		d.N = append(d.N, n)
		d.OneMinusChi = append(d.OneMinusChi, 1.5*math.Pow(float64(n+1), -1.82))
		dopt := 3.4 * math.Pow(float64(n+1), -0.75)
		if n == 2 {
			dopt = math.NaN() // χ does not depend on D for the sign function
		}
		d.DOpt = append(d.DOpt, dopt)
	}
	p, err := plots.Sweep(d)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "plots-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// The extension chooses the format; zero sizes take the default 8 × 5 in.
	for _, name := range []string{"sweep.png", "sweep.svg"} {
		if err := plots.Save(p, filepath.Join(dir, name), 0, 0); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(plots.Save(p, filepath.Join(dir, "sweep.gif"), 0, 0) != nil)
	// Output: true
}

// Render writes a figure to any writer, as a notebook does to show it.
func ExampleRender() {
	fig, err := plots.Maps(plots.MapData{
		C:     []float64{-1, -0.5, 0, 0.5, 1},
		M:     []float64{-1, -1.0 / 3, 0, 1.0 / 3, 1}, // (2/π) arcsin c
		Chi:   []float64{math.Inf(1), 0.735, 0.637, 0.735, math.Inf(1)},
		CStar: []float64{0},
	})
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := plots.Render(&buf, fig, "png", 0, 0); err != nil {
		log.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(img.Bounds().Dx(), "×", img.Bounds().Dy(), "pixels")
	// Output: 800 × 500 pixels
}

// A phase diagram of ξ_c on a small (σ_w, σ_b) grid with the boundary
// χ = 1, beside the same diagram for another activation.
func ExamplePanels() {
	g := plots.PhaseGrid{SigmaW: []float64{0.5, 1, 1.5, 2}, SigmaB: []float64{0, 0.5, 1}}
	var chi []float64
	for _, sb := range g.SigmaB {
		for _, sw := range g.SigmaW {
			x := sw * sw * 0.64 / (1 + sb*sb)
			chi = append(chi, x)
			g.Values = append(g.Values, -1/math.Log(math.Min(x, 1/x)))
		}
	}
	a, err := plots.Phase(plots.PhaseData{Xi: g, Boundary: chi, BoundaryLevel: 1, Title: "sign"})
	if err != nil {
		log.Fatal(err)
	}
	b, err := plots.Phase(plots.PhaseData{Xi: g, Title: "sign, no boundary"})
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	err = plots.Render(&buf, plots.Panels{Figures: []plots.Figure{a, b}}, "svg", 0, 0)
	fmt.Println(err)
	// Output: <nil>
}
