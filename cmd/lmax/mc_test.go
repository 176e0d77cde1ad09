package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/lmax-project/lmax/solver"
)

// mcDoc mirrors mc's JSON document for decoding in tests.
type mcDoc struct {
	Runs []struct {
		Levels     *int     `json:"levels"`
		Activation string   `json:"activation"`
		SigmaW     float64  `json:"sigma_w"`
		SigmaB     float64  `json:"sigma_b"`
		Width      int      `json:"width"`
		Trials     int      `json:"trials"`
		Method     string   `json:"method"`
		XiTheory   *float64 `json:"xi_theory"`
		XiMC       *float64 `json:"xi_mc"`
		XiMCStdErr *float64 `json:"xi_mc_stderr"`
		Layers     []struct {
			L       int     `json:"l"`
			CMean   float64 `json:"c_mean"`
			CStdErr float64 `json:"c_stderr"`
			CTheory float64 `json:"c_theory"`
			QMean   float64 `json:"q_mean"`
			QStdErr float64 `json:"q_stderr"`
			QTheory float64 `json:"q_theory"`
		} `json:"layers"`
	} `json:"runs"`
	Fit *struct {
		Slope       *float64 `json:"slope"`
		SlopeStdErr *float64 `json:"slope_stderr"`
		TheorySlope *float64 `json:"theory_slope"`
	} `json:"fit"`
}

// wantKeysInOrder checks that the keys appear in s in the given order,
// starting at offset from.
func wantKeysInOrder(t *testing.T, s string, from int, keys ...string) {
	t.Helper()
	last := from - 1
	for _, k := range keys {
		i := strings.Index(s[last+1:], `"`+k+`":`)
		if i < 0 {
			t.Fatalf("key %q missing or out of order after offset %d:\n%.2000s", k, last, s)
		}
		last += 1 + i
	}
}

func TestMCJSONKeysAndFit(t *testing.T) {
	// N = 2, 3, 4 at σ_w^opt: default depths ⌈3ξ⌉ = 7, 15, 24.
	out, errs, code := runCLI(t, "mc", "--levels", "2,3,4", "--width", "512", "--trials", "6", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	wantKeysInOrder(t, out, 0, "runs", "levels", "activation", "sigma_w", "sigma_b", "width", "trials", "method",
		"xi_theory", "xi_mc", "xi_mc_stderr", "layers", "l", "c_mean", "c_stderr", "c_theory", "q_mean", "q_stderr", "q_theory")
	wantKeysInOrder(t, out, strings.Index(out, `"fit":`), "fit", "slope", "slope_stderr", "theory_slope")
	// Exactly the documented keys: nothing extra at any level.
	var raw struct {
		Runs []map[string]json.RawMessage `json:"runs"`
		Fit  map[string]json.RawMessage   `json:"fit"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw.Runs) != 3 || len(raw.Runs[0]) != 11 || len(raw.Fit) != 3 {
		t.Errorf("runs %d with %d keys, fit %d keys; want 3, 11, 3", len(raw.Runs), len(raw.Runs[0]), len(raw.Fit))
	}
	var top map[string]json.RawMessage
	json.Unmarshal([]byte(out), &top)
	if len(top) != 2 {
		t.Errorf("top level has %d keys, want runs and fit", len(top))
	}

	var doc mcDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var x, xi []float64
	for i, n := range []int{2, 3, 4} {
		r := doc.Runs[i]
		s, err := solver.Canonical(n, solver.DefaultKappa)
		if err != nil {
			t.Fatal(err)
		}
		if r.Levels == nil || *r.Levels != n || r.Activation != "quant:"+string(rune('0'+n)) {
			t.Errorf("run %d: levels %v, activation %q", i, r.Levels, r.Activation)
		}
		if r.SigmaW != s.SigmaW || r.SigmaB != 0 || r.Width != 512 || r.Trials != 6 || r.Method != "gram" {
			t.Errorf("N = %d: σ_w %v (want σ_w^opt %v), σ_b %v, width %d, trials %d, method %s",
				n, r.SigmaW, s.SigmaW, r.SigmaB, r.Width, r.Trials, r.Method)
		}
		// The mean-field ξ_c at σ_w^opt is the solver's ξ(N), by another route.
		if r.XiTheory == nil || math.Abs(*r.XiTheory-s.Xi) > 1e-9*s.Xi {
			t.Errorf("N = %d: ξ theory %v, solver ξ %v", n, r.XiTheory, s.Xi)
		}
		if want := int(math.Ceil(3 * s.Xi)); len(r.Layers) != want {
			t.Errorf("N = %d: depth %d, want ⌈3ξ⌉ = %d", n, len(r.Layers), want)
		}
		if r.XiMC == nil || r.XiMCStdErr == nil {
			t.Fatalf("N = %d: no ξ_mc", n)
		}
		x = append(x, float64(n))
		xi = append(xi, s.Xi)
	}
	th, err := solver.FitPowerLaw(x, xi)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Fit == nil || doc.Fit.Slope == nil || doc.Fit.SlopeStdErr == nil || doc.Fit.TheorySlope == nil {
		t.Fatalf("fit missing or incomplete: %+v", doc.Fit)
	}
	if math.Abs(*doc.Fit.TheorySlope-th.Slope) > 1e-9 {
		t.Errorf("theory slope %v, want %v", *doc.Fit.TheorySlope, th.Slope)
	}
}

// TestMCSignTheory: for sign with σ_b = 0 the mean-field trajectory is
// c^1 = c0, c^{l+1} = (2/π) arcsin c^l and q^1 = σ_w² q0, q^l = σ_w² after
// (THEORY.md §6); the simulated means must lie within 4 standard errors of
// it at every layer (width 512, 8 trials; the finite-width bias, O(1/n),
// is below the statistical error here).
func TestMCSignTheory(t *testing.T) {
	const sw, q0, c0 = 1.3, 0.7, 0.9
	var doc mcDoc
	decodeJSON(t, &doc, "mc", "--activation", "sign", "--sigma-w", "1.3", "--q0", "0.7", "--width", "512",
		"--trials", "8", "--depth", "6", "--format", "json")
	if len(doc.Runs) != 1 || doc.Fit != nil {
		t.Fatalf("%d runs, fit %v: want one run, no fit", len(doc.Runs), doc.Fit)
	}
	r := doc.Runs[0]
	if r.Levels != nil || r.Activation != "sign" {
		t.Errorf("levels %v, activation %q: want null, sign", r.Levels, r.Activation)
	}
	if r.XiTheory == nil || math.Abs(*r.XiTheory+1/math.Log(2/math.Pi)) > 1e-13 {
		t.Errorf("ξ theory %v, want −1/ln(2/π)", r.XiTheory)
	}
	// At depth 6 from c0 = 0.9 the linear regime holds only from layer 5:
	// too few layers for an unbiased fit, so no ξ_mc.
	if r.XiMC != nil || r.XiMCStdErr != nil {
		t.Errorf("ξ_mc %v ± %v from a window of 2 layers", r.XiMC, r.XiMCStdErr)
	}
	if len(r.Layers) != 6 {
		t.Fatalf("%d layers, want 6", len(r.Layers))
	}
	c := c0
	for i, ly := range r.Layers {
		q := sw * sw
		if i == 0 {
			q = sw * sw * q0
		}
		if ly.L != i+1 {
			t.Errorf("layer %d numbered %d", i+1, ly.L)
		}
		if math.Abs(ly.CTheory-c) > 1e-14 {
			t.Errorf("layer %d: c theory %v, want %v", ly.L, ly.CTheory, c)
		}
		if math.Abs(ly.QTheory-q) > 1e-14 {
			t.Errorf("layer %d: q theory %v, want %v", ly.L, ly.QTheory, q)
		}
		if z := (ly.CMean - c) / ly.CStdErr; !(math.Abs(z) < 4) {
			t.Errorf("layer %d: c = %v ± %v, theory %v (z = %.2f)", ly.L, ly.CMean, ly.CStdErr, c, z)
		}
		if z := (ly.QMean - q) / ly.QStdErr; !(math.Abs(z) < 4) {
			t.Errorf("layer %d: q = %v ± %v, theory %v (z = %.2f)", ly.L, ly.QMean, ly.QStdErr, q, z)
		}
		c = 2 / math.Pi * math.Asin(c)
	}
}

func TestMCDeterministicAcrossGOMAXPROCS(t *testing.T) {
	args := []string{"mc", "--levels", "2,4", "--width", "256", "--trials", "6", "--seed", "7", "--format", "json"}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	out1, errs, code := runCLI(t, args...)
	if code != 0 {
		t.Fatal(errs)
	}
	runtime.GOMAXPROCS(2)
	out2, _, _ := runCLI(t, args...)
	if out1 != out2 {
		t.Error("output differs between GOMAXPROCS 1 and 2")
	}
	// A different seed changes the simulation, so the comparison has teeth.
	args[len(args)-3] = "8"
	if out3, _, _ := runCLI(t, args...); out3 == out1 {
		t.Error("seeds 7 and 8 gave the same output")
	}
	// The run for N does not depend on the other N of the list (seed S+N).
	var both, one mcDoc
	decodeJSON(t, &both, args[:len(args)]...)
	decodeJSON(t, &one, "mc", "--levels", "4", "--width", "256", "--trials", "6", "--seed", "8", "--format", "json")
	a, b := both.Runs[1].Layers, one.Runs[0].Layers
	if len(a) != len(b) || a[len(a)-1].CMean != b[len(b)-1].CMean {
		t.Error("N = 4 differs when run alone")
	}
}

func TestMCFitOnlyForMoreThanTwoLevels(t *testing.T) {
	for _, tc := range []struct {
		args []string
		fit  bool
	}{
		{[]string{"--levels", "2,3"}, false},
		{[]string{"--levels", "3"}, false},
		{[]string{"--activation", "sign", "--sigma-w", "1"}, false},
		{[]string{"--levels", "2..4"}, true},
	} {
		args := append([]string{"mc", "--width", "128", "--trials", "3", "--format", "json"}, tc.args...)
		out, errs, code := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: %s", tc.args, errs)
		}
		if got := strings.Contains(out, `"fit"`); got != tc.fit {
			t.Errorf("%v: fit present %v, want %v", tc.args, got, tc.fit)
		}
	}
}

func TestMCTableCSVAndPlot(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "mc.png")
	out, errs, code := runCLI(t, "mc", "--levels", "2,3,4", "--width", "256", "--trials", "4", "--plot", png)
	if code != 0 {
		t.Fatal(errs)
	}
	for _, want := range []string{"xi_theory", "xi_mc_stderr", "depth", "quant:3", "Fit ξ ∝ N^p over N = 2, 3, 4", "fitted over layers"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, p := range []string{png, filepath.Join(dir, "mc-xi.png")} {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("plot %s: %v", p, err)
		}
	}
	// One N: no ξ-against-N figure.
	one := filepath.Join(dir, "one.svg")
	if _, errs, code := runCLI(t, "mc", "--levels", "4", "--width", "128", "--trials", "3", "--plot", one); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "one-xi.svg")); !os.IsNotExist(err) {
		t.Errorf("ξ figure written for a single N: %v", err)
	}

	out, errs, code = runCLI(t, "mc", "--activation", "tanh", "--sigma-w", "1.5", "--sigma-b", "0.1", "--width", "128",
		"--trials", "3", "--depth", "5", "--format", "csv")
	if code != 0 {
		t.Fatal(errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || lines[0] != "run,levels,activation,sigma_w,sigma_b,l,c_mean,c_stderr,c_theory,q_mean,q_stderr,q_theory" ||
		!strings.HasPrefix(lines[5], "1,,tanh,1.5,0.1,5,") {
		t.Errorf("CSV:\n%s", out)
	}
}

func TestMCFitWindow(t *testing.T) {
	// Sign from c0 = 0.9: ln(d_{l+1}/d_l) is within 2 % of ln(2/π) from
	// c^5 = 0.220 on (0.220 → 0.141: 1.5 %), not from c^4 = 0.338 (5 %).
	c := []float64{0.9}
	for len(c) < 9 {
		c = append(c, 2/math.Pi*math.Asin(c[len(c)-1]))
	}
	if first, err := mcFitWindow(c, 0, 2/math.Pi); err != nil || first != 5 {
		t.Errorf("window starts at layer %d (%v), want 5", first, err)
	}
	if _, err := mcFitWindow(c[:6], 0, 2/math.Pi); err == nil || !strings.Contains(err.Error(), "too short") ||
		!strings.HasSuffix(err.Error(), "(raise --depth or lower --c0)") {
		t.Errorf("6 layers: %v", err)
	}
	if got := mcXiPlotPath("out/mc.v1.png"); got != "out/mc.v1-xi.png" {
		t.Errorf("ξ plot path %q", got)
	}
	if got := mcDefaultDepth(math.Inf(1)); got != mcMaxDefaultDepth {
		t.Errorf("depth at ξ = ∞: %d", got)
	}
	// No terminal in tests: no progress bar, and a nil one is safe.
	cmd := &cobra.Command{}
	if p := newDelayedBar(cmd, false, 10, "trials", 0); p != nil {
		t.Error("progress bar on a non-terminal")
	}
	var p *delayedBar
	p.set(3)
	p.finish()
}

func TestMCBadInput(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "mc-xi.png"), 0o755); err != nil {
		t.Fatal(err)
	}
	small := []string{"--width", "64", "--trials", "2"}
	cases := []struct {
		want string
		args []string
	}{
		{"--levels or --activation", nil},
		{"--levels and --activation", []string{"--levels", "4", "--activation", "sign", "--sigma-w", "1"}},
		{"--sigma-w", []string{"--activation", "sign"}},
		{"--activation", []string{"--activation", "bogus", "--sigma-w", "1"}},
		{"--levels", []string{"--levels", "1"}},
		{"--levels", []string{"--levels", "300"}},
		{"--levels", []string{"--levels", "2,x"}},
		{"--sigma-w", []string{"--levels", "4", "--sigma-w", "0"}},
		{"--sigma-w", []string{"--levels", "4", "--sigma-w", "NaN"}},
		{"--sigma-b", []string{"--levels", "4", "--sigma-b", "-1"}},
		{"--width", []string{"--levels", "4", "--width", "0"}},
		{"--width", []string{"--levels", "4", "--width", "-5"}},
		{"--width", []string{"--levels", "4", "--width", "1"}},
		{"--depth", []string{"--levels", "4", "--depth", "0"}},
		{"--depth", []string{"--levels", "4", "--depth", "-1"}},
		{"--trials", []string{"--levels", "4", "--trials", "0"}},
		{"--trials", []string{"--levels", "4", "--trials", "1"}},
		{"--c0", []string{"--levels", "4", "--c0", "1"}},
		{"--c0", []string{"--levels", "4", "--c0", "-1"}},
		{"--c0", []string{"--levels", "4", "--c0", "NaN"}},
		{"--q0", []string{"--levels", "4", "--q0", "0"}},
		{"--q0", []string{"--levels", "4", "--q0", "Inf"}},
		{"--method", []string{"--levels", "4", "--method", "magic"}},
		{"--format", []string{"--levels", "4", "--format", "xml"}},
		{"--precision", []string{"--levels", "4", "--precision", "0"}},
		{"--plot", []string{"--levels", "4", "--plot", filepath.Join(dir, "mc.txt")}},
		{"--plot", []string{"--levels", "4", "--plot", filepath.Join(dir, "missing", "mc.png")}},
		// Two or more N also write FILE-xi.EXT: a directory there is refused
		// before anything is simulated or written.
		{"mc-xi.png is a directory", []string{"--levels", "2,3", "--plot", filepath.Join(dir, "mc.png")}},
		{"--width", []string{"--levels", "4", "--method", "weights", "--width", "20000"}},
		{"--trials", []string{"--levels", "4", "--trials", "100000000", "--depth", "2000"}},
		{"--depth", []string{"--levels", "4", "--trials", "2000", "--depth", "100000000"}},
		{"--seed", []string{"--levels", "4", "--seed", "-1"}},
		{"--width", []string{"--levels", "4", "--width", "many"}},
	}
	for _, c := range cases {
		args := append([]string{"mc"}, c.args...)
		if c.want != "--width" && c.want != "--trials" && c.want != "--depth" {
			args = append(args, small...)
		}
		wantUsageError(t, c.want, args...)
	}
	for _, name := range []string{"mc.txt", "mc.png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); !os.IsNotExist(err) {
			t.Errorf("bad plot path created %s: %v", name, err)
		}
	}
}

// The ξ-against-N figure names its theory line after what was computed:
// ξ(N) = −1/ln χ_max(N) (plots' default) only at σ_w^opt and σ_b = 0.
func TestMCTheoryLabel(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"--sigma-b", "0"}, ""},
		{[]string{"--sigma-w", "1.2"}, "theory ξ_{c} = −1 / ln χ(c*) at σ_{w} = 1.2"},
		{[]string{"--sigma-b", "0.1"}, "theory ξ_{c} = −1 / ln χ(c*) at σ_{w}^{opt}, σ_{b} = 0.1"},
		{[]string{"--sigma-w", "1.2", "--sigma-b", "0.1"}, "theory ξ_{c} = −1 / ln χ(c*) at σ_{w} = 1.2, σ_{b} = 0.1"},
	} {
		var o mcOptions
		cmd := &cobra.Command{}
		cmd.Flags().Float64Var(&o.sigmaW, "sigma-w", 0, "")
		cmd.Flags().Float64Var(&o.sigmaB, "sigma-b", 0, "")
		if err := cmd.ParseFlags(tc.args); err != nil {
			t.Fatal(err)
		}
		if got := mcTheoryLabel(cmd, &o); got != tc.want {
			t.Errorf("%v: label %q, want %q", tc.args, got, tc.want)
		}
	}
}
