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
	wantUsageError(t, "--plot", "sweep", "--levels", "2..4", "--plot", dir+"/x.gif")
	wantUsageError(t, "--plot", "sweep", "--levels", "2..4", "--plot", dir)
}
