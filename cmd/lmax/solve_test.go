package main

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/lmax-project/lmax/solver"
)

func TestSweepJSONKeysAndValues(t *testing.T) {
	var rows []map[string]any
	decodeJSON(t, &rows, "sweep", "--levels", "2..4,16", "--format", "json")
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	if rows[0]["spacing"] != nil {
		t.Errorf("N=2 spacing = %v, want null", rows[0]["spacing"])
	}
	if got := rows[0]["chi"].(float64); got != 2/math.Pi {
		t.Errorf("N=2 chi = %v, want 2/π", got)
	}
	// The CLI must print exactly what the library computes: JSON carries
	// the float64 bit for bit.
	for _, r := range rows {
		n := int(r["levels"].(float64))
		s, err := solver.Canonical(n, solver.DefaultKappa)
		if err != nil {
			t.Fatal(err)
		}
		if r["lmax"].(float64) != s.LMax || r["xi"].(float64) != s.Xi || r["sigma_w"].(float64) != s.SigmaW {
			t.Errorf("N=%d: JSON %v differs from the library %+v", n, r, s)
		}
		if r["bits"].(float64) != math.Log2(float64(n)) {
			t.Errorf("N=%d: bits %v", n, r["bits"])
		}
		if r["method"] != "exact" {
			t.Errorf("N=%d: method %v", n, r["method"])
		}
	}
}

// TestSweepMethodColumn: the method switches from exact to asymptotic above
// solver.AsymptoticLevels, N reaches 2^32, and the values are the library's.
func TestSweepMethodColumn(t *testing.T) {
	var rows []map[string]any
	decodeJSON(t, &rows, "sweep", "--levels", "65536,65537,4294967296", "--format", "json")
	for i, want := range []string{"exact", "asymptotic", "asymptotic"} {
		n := int(rows[i]["levels"].(float64))
		s, err := solver.Canonical(n, solver.DefaultKappa)
		if err != nil {
			t.Fatal(err)
		}
		if rows[i]["method"] != want || s.Method.String() != want || rows[i]["xi"].(float64) != s.Xi ||
			rows[i]["spacing"].(float64) != s.Spacing {
			t.Errorf("N=%d: %v, library %+v", n, rows[i], s)
		}
	}
	if rows[2]["bits"].(float64) != 32 {
		t.Errorf("bits %v", rows[2]["bits"])
	}
	out, _, code := runCLI(t, "sweep", "--bits", "32", "--format", "csv")
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(out), ",asymptotic") {
		t.Errorf("--bits 32: exit %d\n%s", code, out)
	}
}

// TestSweepLloydMax: --quantizer lloyd-max prints the Lloyd–Max schemes bit
// for bit, with empty spacing, and beats the uniform quantizer from N = 4.
func TestSweepLloydMax(t *testing.T) {
	var rows, uni []map[string]any
	decodeJSON(t, &rows, "sweep", "--levels", "2..8,256", "--quantizer", "lloyd-max", "--format", "json")
	decodeJSON(t, &uni, "sweep", "--levels", "2..8,256", "--format", "json")
	for i, r := range rows {
		n := int(r["levels"].(float64))
		s, err := solver.LloydMax.Canonical(n, solver.DefaultKappa)
		if err != nil {
			t.Fatal(err)
		}
		if r["spacing"] != nil || r["method"] != "exact" || r["chi"].(float64) != s.ChiMax ||
			r["one_minus_chi"].(float64) != s.OneMinusChi || r["sigma_w"].(float64) != s.SigmaW ||
			r["ste_slope"].(float64) != s.STESlope || r["lmax"].(float64) != s.LMax {
			t.Errorf("N=%d: %v, library %+v", n, r, s)
		}
		if n >= 4 && !(r["lmax"].(float64) > uni[i]["lmax"].(float64)) {
			t.Errorf("N=%d: Lloyd–Max L_max %v not above uniform %v", n, r["lmax"], uni[i]["lmax"])
		}
	}
	if got := rows[2]["one_minus_chi"].(float64); math.Abs(got-0.1175) > 1e-4 {
		t.Errorf("N=4: 1 − χ = %v, Max's table 0.1175", got)
	}
	out, _, code := runCLI(t, "sweep", "--bits", "1..2", "--quantizer", "lloyd-max")
	if code != 0 || !strings.Contains(out, "Lloyd–Max") {
		t.Errorf("table note:\n%s", out)
	}
}

func TestSweepJSONKeyOrder(t *testing.T) {
	out, _, code := runCLI(t, "sweep", "--levels", "3", "--format", "json")
	if code != 0 {
		t.Fatal(code)
	}
	last := -1
	for _, k := range sweepColumns {
		i := strings.Index(out, `"`+k+`"`)
		if i < last {
			t.Fatalf("key %q out of order in %s", k, out)
		}
		last = i
	}
}

func TestSweepCSVAndBits(t *testing.T) {
	out, errs, code := runCLI(t, "sweep", "--bits", "1..3", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(sweepColumns, ",") {
		t.Fatalf("header %v", recs[0])
	}
	for i, want := range []string{"2", "4", "8"} {
		if recs[i+1][0] != want {
			t.Errorf("row %d levels %s, want %s", i+1, recs[i+1][0], want)
		}
	}
	if recs[1][2] != "" {
		t.Errorf("sign spacing in CSV = %q, want empty", recs[1][2])
	}
	// Full precision: the CSV value parses back to the library's float.
	s, _ := solver.Canonical(8, solver.DefaultKappa)
	if v, _ := strconv.ParseFloat(recs[3][7], 64); v != s.LMax {
		t.Errorf("CSV lmax %v, library %v", v, s.LMax)
	}
}

func TestSweepTableDigits(t *testing.T) {
	out, _, code := runCLI(t, "sweep", "--levels", "8")
	if code != 0 {
		t.Fatal(code)
	}
	s, _ := solver.Canonical(8, solver.DefaultKappa)
	if want := strconv.FormatFloat(s.Xi, 'g', 10, 64); !strings.Contains(out, want) {
		t.Errorf("table lacks ξ = %s with 10 digits:\n%s", want, out)
	}
	if !strings.Contains(out, "κ = 6") {
		t.Errorf("table does not state κ:\n%s", out)
	}
	md, _, _ := runCLI(t, "sweep", "--levels", "8", "--format", "markdown", "--precision", "4")
	if !strings.Contains(md, "|") || !strings.Contains(md, strconv.FormatFloat(s.Xi, 'g', 4, 64)) {
		t.Errorf("markdown output:\n%s", md)
	}
}

func TestInitAndDepth(t *testing.T) {
	var rec map[string]any
	decodeJSON(t, &rec, "init", "--levels", "4", "--amplitude", "2", "--delta", "0.5", "--format", "json")
	s, err := solver.NewScheme(4, 0.5, 2, 6)
	if err != nil {
		t.Fatal(err)
	}
	if rec["sigma_w"].(float64) != s.SigmaW || rec["q_star"].(float64) != s.QStar || rec["delta"].(float64) != 0.5 {
		t.Errorf("init JSON %v, library %+v", rec, s)
	}
	var d map[string]any
	decodeJSON(t, &d, "depth", "--layers", "100", "--format", "json")
	n := int(d["levels"].(float64))
	below, _ := solver.Canonical(n-1, 6)
	at, _ := solver.Canonical(n, 6)
	if !(below.LMax < 100 && at.LMax >= 100) {
		t.Errorf("depth 100 → N = %d, but L_max(N-1) = %v, L_max(N) = %v", n, below.LMax, at.LMax)
	}
	if int(d["bits"].(float64)) != int(math.Ceil(math.Log2(float64(n)))) {
		t.Errorf("bits %v for N = %d", d["bits"], n)
	}
}

// TestInitLloydMax: init --quantizer lloyd-max has init's keys, with null
// delta and spacing, then thresholds and level_values, all equal to the
// library's; --amplitude rescales the quantizer; CSV keeps full precision.
func TestInitLloydMax(t *testing.T) {
	var rec map[string]any
	decodeJSON(t, &rec, "init", "--levels", "8", "--quantizer", "lloyd-max", "--format", "json")
	s, err := solver.LloydMax.Canonical(8, solver.DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	if rec["delta"] != nil || rec["spacing"] != nil || rec["q_star"].(float64) != 1 ||
		rec["sigma_w"].(float64) != s.SigmaW || rec["amplitude"].(float64) != s.Amplitude {
		t.Errorf("init JSON %v, library %+v", rec, s)
	}
	g, y := rec["thresholds"].([]any), rec["level_values"].([]any)
	wantG, wantY := s.Thresholds(), s.LevelValues()
	if len(g) != 7 || len(y) != 8 {
		t.Fatalf("thresholds %v levels %v", g, y)
	}
	for i := range g {
		if g[i].(float64) != wantG[i] {
			t.Errorf("threshold %d: %v vs %v", i, g[i], wantG[i])
		}
	}
	for i := range y {
		if y[i].(float64) != wantY[i] {
			t.Errorf("level %d: %v vs %v", i, y[i], wantY[i])
		}
	}
	out, _, code := runCLI(t, "init", "--levels", "8", "--quantizer", "lloyd-max", "--format", "json")
	if code != 0 || strings.Index(out, `"ste_slope"`) > strings.Index(out, `"thresholds"`) ||
		strings.Index(out, `"thresholds"`) > strings.Index(out, `"level_values"`) {
		t.Errorf("key order:\n%s", out)
	}

	var scaled map[string]any
	decodeJSON(t, &scaled, "init", "--levels", "8", "--quantizer", "lloyd-max", "--amplitude", "2", "--format", "json")
	ys := scaled["level_values"].([]any)
	if ys[7].(float64) != 2 || scaled["sigma_w"].(float64) != s.SigmaW || scaled["chi"].(float64) != s.ChiMax {
		t.Errorf("--amplitude 2: %v", scaled)
	}
	if q, want := scaled["q_star"].(float64), (2/s.Amplitude)*(2/s.Amplitude); math.Abs(q-want) > 4e-16*want {
		t.Errorf("--amplitude 2: q* %v, want %v", q, want)
	}

	csvOut, errs, code := runCLI(t, "init", "--levels", "4", "--quantizer", "lloyd-max", "--format", "csv")
	if code != 0 {
		t.Fatal(errs)
	}
	recs, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("%v\n%s", err, csvOut)
	}
	s4, _ := solver.LloydMax.Canonical(4, solver.DefaultKappa)
	fields := strings.Fields(recs[1][len(recs[1])-1])
	for i, f := range fields {
		if v, _ := strconv.ParseFloat(f, 64); v != s4.LevelValues()[i] {
			t.Errorf("CSV level %d = %q", i, f)
		}
	}
	if recs[1][1] != "" || recs[1][3] != "" {
		t.Errorf("CSV delta %q spacing %q, want empty", recs[1][1], recs[1][3])
	}
}

// TestDepthLloydMax: the fewest Lloyd–Max levels reaching a depth, no more
// than the uniform quantizer needs.
func TestDepthLloydMax(t *testing.T) {
	var d, u map[string]any
	decodeJSON(t, &d, "depth", "--layers", "1000", "--quantizer", "lloyd-max", "--format", "json")
	decodeJSON(t, &u, "depth", "--layers", "1000", "--format", "json")
	n := int(d["levels"].(float64))
	below, _ := solver.LloydMax.Canonical(n-1, 6)
	at, _ := solver.LloydMax.Canonical(n, 6)
	if !(below.LMax < 1000 && at.LMax >= 1000) || d["lmax"].(float64) != at.LMax {
		t.Errorf("depth 1000 → N = %d, but L_max(N-1) = %v, L_max(N) = %v", n, below.LMax, at.LMax)
	}
	if n > int(u["levels"].(float64)) {
		t.Errorf("Lloyd–Max needs %d levels, uniform %v", n, u["levels"])
	}
}

func TestSolverCommandsBadInput(t *testing.T) {
	cases := []struct {
		want string
		args []string
	}{
		{"--levels", []string{"sweep", "--levels", "1"}},
		{"--levels", []string{"sweep", "--levels", "0..3"}},
		{"--levels", []string{"sweep", "--levels", "9..3"}},
		{"--levels", []string{"sweep", "--levels", "abc"}},
		{"--levels", []string{"sweep", "--levels", "2..1e30"}},
		{"--levels", []string{"sweep", "--levels", "2..3000000"}},
		{"--levels", []string{"sweep", "--levels", "99999999999"}},
		{"--levels", []string{"sweep", "--levels", "4294967297"}},
		{"--bits", []string{"sweep", "--bits", "33"}},
		{"--quantizer", []string{"sweep", "--levels", "4", "--quantizer", "bogus"}},
		{"--quantizer", []string{"sweep", "--levels", "4", "--quantizer", ""}},
		{"--quantizer", []string{"init", "--levels", "4", "--quantizer", "Lloyd-Max"}},
		{"--quantizer", []string{"depth", "--layers", "10", "--quantizer", "nonuniform"}},
		{"--levels", []string{"sweep", "--levels", "70000", "--quantizer", "lloyd-max"}},
		{"--bits", []string{"sweep", "--bits", "17", "--quantizer", "lloyd-max"}},
		{"--levels", []string{"init", "--levels", "70000", "--quantizer", "lloyd-max"}},
		{"--levels", []string{"init", "--levels", "1", "--quantizer", "lloyd-max"}},
		{"--delta", []string{"init", "--levels", "4", "--quantizer", "lloyd-max", "--delta", "0.5"}},
		{"--amplitude", []string{"init", "--levels", "4", "--quantizer", "lloyd-max", "--amplitude", "-1"}},
		{"--kappa", []string{"init", "--levels", "4", "--quantizer", "lloyd-max", "--kappa", "0"}},
		{"--format", []string{"init", "--levels", "4", "--quantizer", "lloyd-max", "--format", "xml"}},
		{"--layers", []string{"depth", "--layers", "1e30", "--quantizer", "lloyd-max"}},
		{"--levels", []string{"sweep"}},
		{"--bits", []string{"sweep", "--bits", "0..3"}},
		{"--bits", []string{"sweep", "--bits", "1..3", "--levels", "4"}},
		{"--kappa", []string{"sweep", "--levels", "4", "--kappa", "0"}},
		{"--kappa", []string{"sweep", "--levels", "4", "--kappa", "-2"}},
		{"--kappa", []string{"sweep", "--levels", "4", "--kappa", "NaN"}},
		{"--format", []string{"sweep", "--levels", "4", "--format", "xml"}},
		{"--precision", []string{"sweep", "--levels", "4", "--precision", "0"}},
		{"--levels", []string{"init"}},
		{"--levels", []string{"init", "--levels", "1"}},
		{"--delta", []string{"init", "--levels", "4", "--delta", "-1"}},
		{"--amplitude", []string{"init", "--levels", "4", "--amplitude", "Inf"}},
		// Finite but so extreme that σ_w, q* or the STE slope would leave
		// float64's normal range (printed as inf or 0 before).
		{"--amplitude 1e-320", []string{"init", "--levels", "4", "--amplitude", "1e-320"}},
		{"--delta 1e+300", []string{"init", "--levels", "4", "--delta", "1e300"}},
		{"--delta 1e-300", []string{"init", "--levels", "4", "--delta", "1e-300"}},
		{"--amplitude 1e+300", []string{"init", "--levels", "8", "--quantizer", "lloyd-max", "--amplitude", "1e300"}},
		{"--kappa", []string{"init", "--levels", "4", "--kappa", "1e308"}},
		{"--kappa", []string{"sweep", "--levels", "4", "--kappa", "1e-310"}},
		{"--kappa", []string{"fit", "--levels", "3..6", "--quantity", "lmax", "--kappa", "1e300"}},
		{"--layers", []string{"depth", "--layers", "-5"}},
		{"--layers", []string{"depth", "--layers", "0"}},
		{"--layers", []string{"depth"}},
		{"--layers", []string{"depth", "--layers", "1e300"}},
		{"--kappa", []string{"depth", "--layers", "5", "--kappa", "0"}},
		{"unexpected argument", []string{"sweep", "--levels", "4", "extra"}},
	}
	for _, c := range cases {
		wantUsageError(t, c.want, c.args...)
	}
}

func TestSweepPlot(t *testing.T) {
	dir := t.TempDir()
	svg := dir + "/sweep.svg"
	if _, errs, code := runCLI(t, "sweep", "--levels", "2..40", "--plot", svg, "--format", "csv"); code != 0 {
		t.Fatal(errs)
	}
	b, err := os.ReadFile(svg)
	if err != nil || !strings.Contains(string(b), "<svg") {
		t.Fatalf("sweep plot: %v", err)
	}
	lm := dir + "/lm.svg"
	if _, errs, code := runCLI(t, "sweep", "--levels", "2..40", "--quantizer", "lloyd-max", "--plot", lm, "--format", "csv"); code != 0 {
		t.Fatal(errs)
	}
	if b, err := os.ReadFile(lm); err != nil || !strings.Contains(string(b), "<svg") {
		t.Fatalf("Lloyd–Max sweep plot: %v", err)
	}
	wantUsageError(t, "--plot", "sweep", "--levels", "2..4", "--plot", dir+"/x.gif")
	wantUsageError(t, "--plot", "sweep", "--levels", "2..4", "--plot", dir)
}

// TestSweepUnsigned: --quantizer unsigned prints the library's schemes bit
// for bit, with sweep's columns then sigma_b and c_star, and stays below
// the uniform quantizer (c* > 0 costs it the levels spent on the sign).
func TestSweepUnsigned(t *testing.T) {
	out, errs, code := runCLI(t, "sweep", "--levels", "2,5,8", "--quantizer", "unsigned", "--format", "json")
	if code != 0 {
		t.Fatal(errs)
	}
	last := -1
	for _, k := range unsignedSweepColumns {
		i := strings.Index(out, `"`+k+`"`)
		if i <= last {
			t.Fatalf("key %q missing or out of order:\n%s", k, out)
		}
		last = i
	}
	var rows, uni []map[string]any
	decodeJSON(t, &rows, "sweep", "--levels", "2,5,8", "--quantizer", "unsigned", "--format", "json")
	decodeJSON(t, &uni, "sweep", "--levels", "2,5,8", "--format", "json")
	for i, r := range rows {
		n := int(r["levels"].(float64))
		s, err := solver.Unsigned.Canonical(n, solver.DefaultKappa)
		if err != nil {
			t.Fatal(err)
		}
		if r["spacing"].(float64) != s.Spacing || r["chi"].(float64) != s.ChiMax || r["one_minus_chi"].(float64) != s.OneMinusChi ||
			r["sigma_w"].(float64) != s.SigmaW || r["sigma_b"].(float64) != s.SigmaB || r["c_star"].(float64) != s.CStar ||
			r["ste_slope"].(float64) != s.STESlope || r["xi"].(float64) != s.Xi || r["lmax"].(float64) != s.LMax || r["method"] != "exact" {
			t.Errorf("N=%d: %v, library %+v", n, r, s)
		}
		if !(r["lmax"].(float64) < uni[i]["lmax"].(float64)) {
			t.Errorf("N=%d: unsigned L_max %v not below uniform %v", n, r["lmax"], uni[i]["lmax"])
		}
	}
	if rows[0]["sigma_b"].(float64) != 0 || !(rows[2]["sigma_b"].(float64) > 0.1) {
		t.Errorf("σ_b: N=2 %v, N=8 %v", rows[0]["sigma_b"], rows[2]["sigma_b"])
	}
	tbl, _, code := runCLI(t, "sweep", "--bits", "1..2", "--quantizer", "unsigned")
	if code != 0 || !strings.Contains(tbl, "unsigned quantizer") || !strings.Contains(tbl, "c_star") {
		t.Errorf("table:\n%s", tbl)
	}
	csvOut, _, code := runCLI(t, "sweep", "--bits", "1..2", "--format", "csv")
	if code != 0 || strings.Contains(csvOut, "c_star") {
		t.Errorf("uniform sweep gained columns:\n%s", csvOut)
	}
}

// TestInitUnsigned: init --quantizer unsigned has init's keys (c_star
// included), the library's values, and the numbers of
// lmax optimize --activation uquant:N over the same box: σ_w and σ_b to
// the search tolerance, ξ_c to 1e−11 relative.
func TestInitUnsigned(t *testing.T) {
	out, errs, code := runCLI(t, "init", "--levels", "8", "--quantizer", "unsigned", "--format", "json")
	if code != 0 {
		t.Fatal(errs)
	}
	last := -1
	for _, k := range initColumns {
		i := strings.Index(out, `"`+k+`"`)
		if i <= last {
			t.Fatalf("key %q missing or out of order:\n%s", k, out)
		}
		last = i
	}
	var rec, opt map[string]any
	decodeJSON(t, &rec, "init", "--levels", "8", "--quantizer", "unsigned", "--format", "json")
	s, err := solver.Unsigned.Canonical(8, solver.DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	if rec["sigma_w"].(float64) != s.SigmaW || rec["sigma_b"].(float64) != s.SigmaB || rec["c_star"].(float64) != s.CStar ||
		rec["q_star"].(float64) != s.QStar || rec["delta"].(float64) != 1.0/7 || rec["amplitude"].(float64) != 1 ||
		rec["spacing"].(float64) != s.Spacing || rec["xi"].(float64) != s.Xi || rec["ste_slope"].(float64) != s.STESlope {
		t.Errorf("init JSON %v, library %+v", rec, s)
	}
	decodeJSON(t, &opt, "optimize", "--activation", "uquant:8", "--sigma-w", "1..2.5", "--sigma-b", "0..0.6", "--format", "json")
	tol := 4 * (opt["tol_sigma_w"].(float64) + opt["tol_sigma_b"].(float64))
	for _, k := range []string{"sigma_w", "sigma_b"} {
		if d := math.Abs(rec[k].(float64) - opt[k].(float64)); d > tol {
			t.Errorf("%s: init %v, optimize %v (tolerance %v)", k, rec[k], opt[k], tol)
		}
	}
	if xi, want := rec["xi"].(float64), opt["xi_c"].(float64); math.Abs(xi-want) > 1e-11*want {
		t.Errorf("ξ: init %v, optimize %v", xi, want)
	}
	if c, want := rec["c_star"].(float64), opt["c_star"].(float64); math.Abs(c-want) > 1e-6 {
		t.Errorf("c*: init %v, optimize %v", c, want)
	}
	// The odd quantizers report c* = 0.
	var u map[string]any
	decodeJSON(t, &u, "init", "--levels", "8", "--format", "json")
	if u["c_star"].(float64) != 0 {
		t.Errorf("uniform c_star %v", u["c_star"])
	}
}

// TestDepthUnsigned: the fewest unsigned levels reaching a depth, more than
// the uniform quantizer needs.
func TestDepthUnsigned(t *testing.T) {
	var d, u map[string]any
	decodeJSON(t, &d, "depth", "--layers", "40", "--quantizer", "unsigned", "--format", "json")
	decodeJSON(t, &u, "depth", "--layers", "40", "--format", "json")
	n := int(d["levels"].(float64))
	below, _ := solver.Unsigned.Canonical(n-1, 6)
	at, _ := solver.Unsigned.Canonical(n, 6)
	if !(below.LMax < 40 && at.LMax >= 40) || d["lmax"].(float64) != at.LMax {
		t.Errorf("depth 40 → N = %d, but L_max(N-1) = %v, L_max(N) = %v", n, below.LMax, at.LMax)
	}
	if n <= int(u["levels"].(float64)) {
		t.Errorf("unsigned needs %d levels, uniform %v", n, u["levels"])
	}
}

func TestUnsignedBadInput(t *testing.T) {
	cases := []struct {
		want string
		args []string
	}{
		{"--delta", []string{"init", "--levels", "4", "--quantizer", "unsigned", "--delta", "0.5"}},
		{"--amplitude", []string{"init", "--levels", "4", "--quantizer", "unsigned", "--amplitude", "2"}},
		{"--levels", []string{"init", "--levels", "257", "--quantizer", "unsigned"}},
		{"--levels", []string{"init", "--levels", "1", "--quantizer", "unsigned"}},
		{"--kappa", []string{"init", "--levels", "4", "--quantizer", "unsigned", "--kappa", "-1"}},
		{"--format", []string{"init", "--levels", "4", "--quantizer", "unsigned", "--format", "xml"}},
		{"--levels", []string{"sweep", "--levels", "2..300", "--quantizer", "unsigned"}},
		{"--bits", []string{"sweep", "--bits", "9", "--quantizer", "unsigned"}},
		{"--kappa", []string{"sweep", "--bits", "1", "--quantizer", "unsigned", "--kappa", "0"}},
		{"--quantizer", []string{"sweep", "--bits", "1", "--quantizer", "uquant"}},
		{"--layers", []string{"depth", "--layers", "-1", "--quantizer", "unsigned"}},
		{"--levels", []string{"fit", "--levels", "2..1000:x2", "--quantizer", "unsigned"}},
	}
	for _, c := range cases {
		wantUsageError(t, c.want, c.args...)
	}
}
