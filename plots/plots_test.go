package plots

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// checkFile verifies that path holds a well-formed image of its format; a
// PNG must decode at the expected pixel size.
func checkFile(t *testing.T, path string, wantW, wantH int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 {
		t.Fatalf("%s is empty", path)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if got := img.Bounds().Size(); got.X != wantW || got.Y != wantH {
			t.Errorf("%s: %d × %d pixels, want %d × %d", path, got.X, got.Y, wantW, wantH)
		}
	case ".svg":
		s := string(b)
		if !strings.HasPrefix(s, "<?xml") && !strings.HasPrefix(s, "<svg") {
			t.Errorf("%s does not start like an SVG file: %.40q", path, s)
		}
		if !strings.HasSuffix(strings.TrimSpace(s), "</svg>") {
			t.Errorf("%s does not end like an SVG file", path)
		}
	case ".pdf":
		if !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s does not start like a PDF file: %.10q", path, b)
		}
	}
}

func TestBuildersRender(t *testing.T) {
	exts := []string{".png", ".svg"}
	if !testing.Short() {
		exts = append(exts, ".pdf")
	}
	names := make([]string, 0)
	bs := builders()
	for name := range bs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			fig, err := bs[name]()
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			w, h := DefaultWidth, DefaultHeight
			if s, ok := fig.(Sizer); ok {
				w, h = s.Size()
			}
			for _, ext := range exts {
				p := filepath.Join(dir, name+ext)
				if err := Save(fig, p, 0, 0); err != nil {
					t.Fatal(err)
				}
				checkFile(t, p, int(w.Dots(DPI)+0.5), int(h.Dots(DPI)+0.5))
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != len(exts) {
				t.Errorf("folder holds %d files, want %d (temporary files left?)", len(entries), len(exts))
			}
		})
	}
}

func TestSaveSizeAndCase(t *testing.T) {
	p, err := Sweep(sweepData())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "Figure.PNG")
	if err := Save(p, path, 4*vg.Inch, 3*vg.Inch); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, 400, 300)
}

func TestSaveErrors(t *testing.T) {
	p, err := Sweep(sweepData())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	asDir := filepath.Join(dir, "folder.png")
	if err := os.Mkdir(asDir, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path, want string
	}{
		{filepath.Join(dir, "x.gif"), `plot file "` + filepath.Join(dir, "x.gif") + `": unknown extension .gif (want .png, .svg or .pdf)`},
		{filepath.Join(dir, "x"), "no extension"},
		{filepath.Join(dir, "missing", "x.png"), "does not exist"},
		{asDir, "is a directory"},
	}
	for _, c := range cases {
		err := Save(p, c.path, 0, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Save(%q) = %v, want an error containing %q", c.path, err, c.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("failed saves left files behind: %v", entries)
	}
}

// A figure whose drawing fails must leave an existing file untouched and no
// temporary file behind, and the failure is an error, not a panic.
func TestSaveFailureIsAtomic(t *testing.T) {
	bad := plot.New()
	bad.Y.Scale = plot.LogScale{}
	bad.Y.Tick.Marker = plot.LogTicks{} // panics on a non-positive range
	l, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: -1}, {X: 1, Y: 1}})
	bad.Add(l)

	dir := t.TempDir()
	path := filepath.Join(dir, "keep.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Save(bad, path, 0, 0)
	if err == nil || !strings.Contains(err.Error(), "drawing failed") {
		t.Fatalf("Save of a failing figure = %v, want a drawing error", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Errorf("destination changed to %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary file left behind: %v", entries)
	}
}

func TestRenderErrors(t *testing.T) {
	p, _ := Sweep(sweepData())
	var buf bytes.Buffer
	for _, c := range []struct {
		fig    Figure
		format string
		w, h   vg.Length
		want   string
	}{
		{p, "gif", 0, 0, `format "gif"`},
		{p, "png", -1, 0, "positive"},
		{nil, "png", 0, 0, "nil figure"},
	} {
		if err := Render(&buf, c.fig, c.format, c.w, c.h); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Render(%q, %v, %v) = %v, want %q", c.format, c.w, c.h, err, c.want)
		}
	}
}

// Each builder rejects bad input with an error that names the bad value.
func TestBuilderErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	type build func() error
	sweep := func(f func(*SweepData)) build {
		return func() error { d := sweepData(); f(&d); _, err := Sweep(d); return err }
	}
	runs := func(f func([]CorrelationRun)) build {
		return func() error { r := correlationRuns(); f(r); _, err := Correlations(r, ""); return err }
	}
	depth := func(f func(*DepthScaleData)) build {
		return func() error { d := depthScaleData(); f(&d); _, err := DepthScale(d); return err }
	}
	maps := func(f func(*MapData)) build {
		return func() error { d := mapData(); f(&d); _, err := Maps(d); return err }
	}
	phase := func(f func(*PhaseData)) build {
		return func() error { d := phaseData(); f(&d); _, err := Phase(d); return err }
	}
	train := func(f func(*TrainData)) build {
		return func() error { d := trainData(); f(&d); _, err := Trainability(d); return err }
	}
	cases := []struct {
		name string
		run  build
		want string
	}{
		{"sweep empty", sweep(func(d *SweepData) { *d = SweepData{} }), "no data"},
		{"sweep N=1", sweep(func(d *SweepData) { d.N[0] = 1 }), "N = 1"},
		{"sweep lengths", sweep(func(d *SweepData) { d.OneMinusChi = d.OneMinusChi[1:] }), "values of 1−χ_max"},
		{"sweep 1-chi zero", sweep(func(d *SweepData) { d.OneMinusChi[3] = 0 }), "1−χ_max = 0"},
		{"sweep D negative", sweep(func(d *SweepData) { d.DOpt[3] = -1 }), "D_opt = -1"},
		{"sweep D lengths", sweep(func(d *SweepData) { d.DOpt = d.DOpt[1:] }), "values of D_opt"},
		{"sweep fit NaN", sweep(func(d *SweepData) { d.ChiFit.Slope = nan }), "slope NaN"},
		{"sweep fit range", sweep(func(d *SweepData) { d.DFit.NMin, d.DFit.NMax = 9, 4 }), "9…4"},
		{"runs none", func() error { _, err := Correlations(nil, ""); return err }, "no runs"},
		{"runs lengths", runs(func(r []CorrelationRun) { r[1].Mean = r[1].Mean[1:] }), "means"},
		{"runs se", runs(func(r []CorrelationRun) { r[0].StdErr[2] = -0.1 }), "standard error -0.1"},
		{"runs mean", runs(func(r []CorrelationRun) { r[2].Mean[4] = inf }), "+Inf"},
		{"runs layer", runs(func(r []CorrelationRun) { r[0].Layer[0] = -2 }), "layer -2"},
		{"depth xi", depth(func(d *DepthScaleData) { d.Xi[1] = 0 }), "ξ = 0"},
		{"depth N", depth(func(d *DepthScaleData) { d.N[0] = 0 }), "N = 0"},
		{"depth theory", depth(func(d *DepthScaleData) { d.TheoryXi[2] = nan }), "theory ξ = NaN"},
		{"depth se", depth(func(d *DepthScaleData) { d.StdErr[0] = nan }), "standard error NaN"},
		{"maps c range", maps(func(d *MapData) { d.C[0] = -1.5 }), "correlation -1.5"},
		{"maps order", maps(func(d *MapData) { d.C[5] = d.C[4] }), "increasing"},
		{"maps M", maps(func(d *MapData) { d.M[7] = nan }), "M = NaN"},
		{"maps c*", maps(func(d *MapData) { d.CStar = []float64{2} }), "c* = 2"},
		{"maps ymax", maps(func(d *MapData) { d.YMax = -3 }), "YMax = -3"},
		{"phase axis", phase(func(d *PhaseData) { d.Xi.SigmaW[3] = d.Xi.SigmaW[2] }), "increasing"},
		{"phase values", phase(func(d *PhaseData) { d.Xi.Values = d.Xi.Values[1:] }), "values for"},
		{"phase negative", phase(func(d *PhaseData) { d.Xi.Values[0] = -1 }), "ξ = -1"},
		{"phase all NaN", phase(func(d *PhaseData) {
			for i := range d.Xi.Values {
				d.Xi.Values[i] = nan
			}
		}), "no positive finite ξ"},
		{"phase boundary", phase(func(d *PhaseData) { d.Boundary = d.Boundary[1:] }), "boundary values"},
		{"phase marker", phase(func(d *PhaseData) { d.Marker.X = inf }), "marker"},
		{"train N", train(func(d *TrainData) { d.N[1] = d.N[0] }), "increasing levels"},
		{"train depth", train(func(d *TrainData) { d.Depth[0] = 0 }), "depth 0"},
		{"train acc", train(func(d *TrainData) { d.Accuracy[5] = inf }), "accuracy +Inf"},
		{"train xi", train(func(d *TrainData) { d.Xi[0] = -2 }), "ξ = -2"},
		{"train kappa", train(func(d *TrainData) { d.Kappas = []float64{0} }), "κ = 0"},
	}
	for _, c := range cases {
		err := c.run()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

// Odd but legal inputs render: a missing D_opt series, error bars reaching
// zero on a log axis, χ = +Inf, NaN cells, ξ = 0 and +Inf.
func TestEdgeCasesRender(t *testing.T) {
	var figs []Figure
	d := sweepData()
	d.DOpt, d.DFit = nil, nil
	f, err := Sweep(d)
	figs = append(figs, f)
	if err != nil {
		t.Fatal(err)
	}
	ds := depthScaleData()
	ds.StdErr[0] = 2 * ds.Xi[0] // bar below zero: clipped, not a log of a negative
	f2, err := DepthScale(ds)
	if err != nil {
		t.Fatal(err)
	}
	figs = append(figs, f2)
	m := mapData()
	m.Chi[0], m.Chi[len(m.Chi)-1] = math.Inf(1), math.Inf(1)
	m.Chi[200] = math.NaN()
	f3, err := Maps(m)
	if err != nil {
		t.Fatal(err)
	}
	figs = append(figs, f3)
	ph := phaseData()
	ph.Xi.Values[0], ph.Xi.Values[1], ph.Boundary = 0, math.NaN(), nil
	ph.Marker.Label = ""
	f4, err := Phase(ph)
	if err != nil {
		t.Fatal(err)
	}
	figs = append(figs, f4)
	tr := trainData()
	tr.Accuracy[3] = math.NaN()
	tr.XiN, tr.Xi = nil, nil
	f5, err := Trainability(tr)
	if err != nil {
		t.Fatal(err)
	}
	figs = append(figs, f5)
	for i, f := range figs {
		var buf bytes.Buffer
		if err := Render(&buf, f, "png", 4*vg.Inch, 3*vg.Inch); err != nil {
			t.Errorf("figure %d: %v", i, err)
		}
		if _, err := png.Decode(&buf); err != nil {
			t.Errorf("figure %d: %v", i, err)
		}
	}
}

func TestParseScripts(t *testing.T) {
	cases := []struct {
		in   string
		want []segment
	}{
		{"plain", []segment{{"plain", 0}}},
		{"χ_{max}", []segment{{"χ", 0}, {"max", -1}}},
		{"(N+1)^{−1.82} x", []segment{{"(N+1)", 0}, {"−1.82", 1}, {" x", 0}}},
		{"σ_{w}^{opt}", []segment{{"σ", 0}, {"w", -1}, {"opt", 1}}},
		{"a_b ^c _{", []segment{{"a_b ^c _{", 0}}},
		{"x^{}y", []segment{{"x", 0}, {"y", 0}}},
		{"", nil},
	}
	for _, c := range cases {
		got := parseScripts(c.in)
		if len(got) != len(c.want) {
			t.Errorf("parseScripts(%q) = %v, want %v", c.in, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("parseScripts(%q) = %v, want %v", c.in, got, c.want)
				break
			}
		}
	}
}

// Without markup Scripts measures and draws exactly as text.Plain: a plot
// drawn with either handler gives the same pixels.
func TestScriptsMatchesPlain(t *testing.T) {
	fnt := font.From(plot.DefaultFont, 12)
	plain := text.Plain{Fonts: font.DefaultCache}
	sc := Scripts{}
	for _, s := range []string{"N + 1", "depth L (layers)", "1 − χ ≈ 0.25"} {
		w1, h1, d1 := plain.Box(s, fnt)
		w2, h2, d2 := sc.Box(s, fnt)
		if w1 != w2 || h1 != h2 || d1 != d2 {
			t.Errorf("Box(%q): Scripts %v %v %v, Plain %v %v %v", s, w2, h2, d2, w1, h1, d1)
		}
	}
	render := func(h text.Handler) []byte {
		p := plot.New()
		for _, s := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label} {
			s.Handler = h
		}
		p.Title.Text, p.X.Label.Text, p.Y.Label.Text = "title", "x label", "y label"
		l, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 2}})
		p.Add(l)
		var buf bytes.Buffer
		if err := Render(&buf, p, "png", 3*vg.Inch, 2*vg.Inch); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if !bytes.Equal(render(plain), render(sc)) {
		t.Error("a plot without markup renders differently with Scripts and with text.Plain")
	}
}

func TestScriptsBox(t *testing.T) {
	fnt := font.From(plot.DefaultFont, 12)
	sc := Scripts{}
	w0, h0, d0 := sc.Box("χ", fnt)
	wSub, hSub, dSub := sc.Box("χ_{max}", fnt)
	wSup, hSup, dSup := sc.Box("χ^{max}", fnt)
	wFlat, _, _ := sc.Box("χmax", fnt)
	if !(wSub > w0 && wSub < wFlat && wSub == wSup) {
		t.Errorf("widths: χ %v, χ_{max} %v, χ^{max} %v, χmax %v: scripts must be narrower than base text", w0, wSub, wSup, wFlat)
	}
	if !(dSub > d0 && hSub == h0) {
		t.Errorf("subscript box: height %v depth %v, base %v %v: want extra depth only", hSub, dSub, h0, d0)
	}
	if !(hSup > h0 && dSup == d0) {
		t.Errorf("superscript box: height %v depth %v, base %v %v: want extra height only", hSup, dSup, h0, d0)
	}
}

func labels(ts []plot.Tick) []string {
	var out []string
	for _, t := range ts {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestLogTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   string
	}{
		{1, 1000, "1 10 100 1000"},
		{3, 800, "10 100"},
		{2.1, 9, "3 4 5 6 7 8 9"}, // one 1-2-5 value in range: every integer labelled
		{1.5, 30, "2 5 10 20"},    // one decade: 1-2-5 labels
		{1e-5, 0.5, "10^{−5} 10^{−4} 10^{−3} 10^{−2} 10^{−1}"},
		{20, 1e6, "10^{2} 10^{3} 10^{4} 10^{5} 10^{6}"},
	}
	for _, c := range cases {
		got := strings.Join(labels(logTicks{}.Ticks(c.lo, c.hi)), " ")
		if got != c.want {
			t.Errorf("logTicks(%v, %v) labels %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
	for _, r := range [][2]float64{{0, 10}, {-1, 10}, {math.NaN(), 1}, {1, math.Inf(1)}} {
		if got := (logTicks{}).Ticks(r[0], r[1]); got != nil {
			t.Errorf("logTicks(%v, %v) = %v, want none", r[0], r[1], got)
		}
	}
}

func TestLinearTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   string
	}{
		{-1, 1, "−1.0 −0.5 0.0 0.5 1.0"},
		{0, 30, "0 5 10 15 20 25 30"},
		{-1, 3, "−1 0 1 2 3"},
		{0.1, 4, "1 2 3 4"},
		{-0.05, 2.05, "0.0 0.5 1.0 1.5 2.0"},
		{0.1, 0.98, "0.2 0.4 0.6 0.8"},
		{0, 1.6, "0.0 0.5 1.0 1.5"}, {0, 1.4, "0.00 0.25 0.50 0.75 1.00 1.25"},
	}
	for _, c := range cases {
		got := strings.Join(labels(linearTicks{}.Ticks(c.lo, c.hi)), " ")
		if got != c.want {
			t.Errorf("linearTicks(%v, %v) labels %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
	if got := (linearTicks{}).Ticks(1, 1); got != nil {
		t.Errorf("empty range gave ticks %v", got)
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{
		1000: "1000", 1.5: "1.5", -1.8234: "−1.82", 0.000123: "0.000123", 1e-6: "1e−06", 123456: "123000", 0: "0",
	} {
		if got := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestPowerLaw(t *testing.T) {
	f := PowerLaw{Slope: -1.82, Intercept: math.Log(1.23)}
	if got, want := f.At(9), 1.23*math.Pow(10, -1.82); math.Abs(got-want) > 1e-15*want {
		t.Errorf("At(9) = %v, want %v", got, want)
	}
	if got := f.Equation(); got != "1.23·(N+1)^{−1.82}" {
		t.Errorf("Equation() = %q", got)
	}
}

func TestPhaseGrid(t *testing.T) {
	g := PhaseGrid{SigmaW: []float64{1, 2, 3}, SigmaB: []float64{0, 0.5}, Values: []float64{1, 2, 3, 4, 5, 6}}
	if err := g.Check(); err != nil {
		t.Fatal(err)
	}
	c, r := g.Dims()
	if c != 3 || r != 2 || g.Z(2, 1) != 6 || g.Z(0, 1) != 4 || g.X(2) != 3 || g.Y(1) != 0.5 {
		t.Errorf("grid indexing wrong: dims %d×%d, Z(2,1)=%v Z(0,1)=%v", c, r, g.Z(2, 1), g.Z(0, 1))
	}
	// Crossings of z = σ_w at level 1.5 lie at σ_w = 1.5 on both rows.
	pts := levelCrossings(heatGrid{x: g.SigmaW, y: g.SigmaB, z: []float64{1, 2, 3, 1, 2, 3}}, 1.5)
	if len(pts) != 2 || pts[0].X != 1.5 || pts[1].X != 1.5 {
		t.Errorf("levelCrossings = %v, want two points at σ_w = 1.5", pts)
	}
}

func TestLogBarTicks(t *testing.T) {
	ts := logBarTicks(0.2, 1000, true)
	last := ts[len(ts)-1]
	if last.Label != "≥ 1000" || last.Value != 3 {
		t.Errorf("top tick %+v, want ≥ 1000 at 3", last)
	}
	for _, tk := range ts[:len(ts)-1] {
		if tk.Label != "" && tk.Value > 2.9 {
			t.Errorf("tick %+v collides with the top label", tk)
		}
	}
	if got := strings.Join(labels(logBarTicks(0.2, 1000, false)), " "); got != "1 10 100 1000" {
		t.Errorf("labels without overflow %q", got)
	}
}

func TestCellsColours(t *testing.T) {
	cm := viridis()
	g := heatGrid{x: []float64{0, 1}, y: []float64{0, 1}, z: []float64{-5, 0.5, math.NaN(), 9}}
	h := newCells(g, cm, 0, 1)
	lo, _ := cm.At(0)
	hi, _ := cm.At(1)
	if h.color(-5) != lo || h.color(9) != hi || h.color(math.NaN()) != lightGrey {
		t.Error("out-of-range values must take the end colours, NaN light grey")
	}
	xmin, xmax, ymin, ymax := h.DataRange()
	if xmin != -0.5 || xmax != 1.5 || ymin != -0.5 || ymax != 1.5 {
		t.Errorf("DataRange = %v %v %v %v, want cells of width 1 centred on the grid", xmin, xmax, ymin, ymax)
	}
}

// The automatic legend goes where the data are not.
func TestLegendPlacement(t *testing.T) {
	c := draw.New(vgimg.New(6*vg.Inch, 4*vg.Inch))
	for _, tc := range []struct {
		pts  plotter.XYs
		want place
	}{
		{plotter.XYs{{X: 0, Y: 0}, {X: 10, Y: 10}, {X: 9, Y: 9}, {X: 9.5, Y: 9.8}}, topLeft},
		{plotter.XYs{{X: 0, Y: 10}, {X: 10, Y: 0}, {X: 0.5, Y: 9.5}, {X: 9.5, Y: 0.5}}, topRight},
	} {
		p := newPlot("", "x", "y")
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 10, 0, 10
		leg := newLegend(p, placeAuto)
		leg.add("a rather long legend entry", &plotter.Line{})
		leg.avoidLine(tc.pts, 1)
		if got := leg.choose(p.DataCanvas(c), p, leg.style); got != tc.want {
			t.Errorf("data %v: legend at %v, want %v", tc.pts, got, tc.want)
		}
	}
}

func TestPanelsSize(t *testing.T) {
	w, h := Panels{Figures: make([]Figure, 3), Cols: 2}.Size()
	if w != 12*vg.Inch || h != 9*vg.Inch {
		t.Errorf("Size = %v × %v, want 12in × 9in", w, h)
	}
	var buf bytes.Buffer
	if err := Render(&buf, Panels{}, "svg", 0, 0); err != nil {
		t.Errorf("empty panels: %v", err)
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{"a.png": "png", "b.SVG": "svg", "dir.x/c.Pdf": "pdf"} {
		if got, err := formatOf(path); err != nil || got != want {
			t.Errorf("formatOf(%q) = %q, %v", path, got, err)
		}
	}
	if _, err := formatOf("a.jpeg"); err == nil || !errors.Is(err, err) || !strings.Contains(err.Error(), ".jpeg") {
		t.Errorf("formatOf(a.jpeg) = %v", err)
	}
}

func BenchmarkPhasePNG(b *testing.B) {
	d := phaseData()
	for b.Loop() {
		f, err := Phase(d)
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(&bytes.Buffer{}, f, "png", 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSweepSVG(b *testing.B) {
	d := sweepData()
	for b.Loop() {
		f, err := Sweep(d)
		if err != nil {
			b.Fatal(err)
		}
		if err := Render(&bytes.Buffer{}, f, "svg", 0, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// The theory line of DepthScale is labelled by TheoryLabel, or by
// DefaultTheoryLabel when that is empty (the text is in the SVG, split at
// the sub- and superscripts).
func TestDepthScaleTheoryLabel(t *testing.T) {
	svg := func(label string) string {
		d := depthScaleData()
		d.TheoryLabel = label
		f, err := DepthScale(d)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := Render(&b, f, "svg", 4*vg.Inch, 3*vg.Inch); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	def := svg("")
	if !strings.Contains(def, ">theory ξ(N) = −1 / ln χ<") {
		t.Error("default label missing")
	}
	own := svg("theory ξ_{c} = −1 / ln χ(c*) at σ_{w} = 1.2")
	if !strings.Contains(own, "> = −1 / ln χ(c*) at σ<") || strings.Contains(own, "ln χ<") {
		t.Error("own label missing, or the default drawn too")
	}
}
