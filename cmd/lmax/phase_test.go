package main

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/solver"
)

func TestPhaseCSVMatchesLibrary(t *testing.T) {
	out, errs, code := runCLI(t, "phase", "--activation", "erf", "--sigma-w", "0.5..2", "--sigma-b", "0..1", "--grid", "4", "--format", "csv")
	if code != 0 {
		t.Fatal(errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "sigma_w,sigma_b,q_star,c_star,chi_c_star,chi_1,xi_c,status" {
		t.Fatalf("header %s", got)
	}
	if len(recs) != 1+16 {
		t.Fatalf("%d rows, want 16", len(recs)-1)
	}
	ws, bs := []float64{0.5, 1, 1.5, 2}, []float64{0, 1.0 / 3, 2.0 / 3, 1}
	p, err := solver.PhaseDiagram(meanfield.Erf{}, ws, bs)
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		return v
	}
	for k, rec := range recs[1:] {
		if num(rec[0]) != ws[k%4] || math.Abs(num(rec[1])-bs[k/4]) > 1e-16 || rec[7] != p.Status[k].String() {
			t.Errorf("row %d: %v", k, rec)
		}
		switch p.Status[k] {
		case solver.CellOK:
			if num(rec[2]) != p.QStar[k] || num(rec[4]) != p.ChiCStar[k] || num(rec[5]) != p.Chi1[k] || num(rec[6]) != p.XiC[k] {
				t.Errorf("row %d: %v, library %v %v %v %v", k, rec, p.QStar[k], p.ChiCStar[k], p.Chi1[k], p.XiC[k])
			}
		case solver.CellCollapsed:
			// σ_b = 0, σ_w = 0.5 < √π/2: q* = 0, χ1 its limit, c* and ξ undefined.
			if rec[2] != "0" || num(rec[5]) != p.Chi1[k] || rec[3] != "" || rec[4] != "" || rec[6] != "" {
				t.Errorf("collapsed row %d: %v", k, rec)
			}
		default:
			t.Errorf("row %d: status %v", k, p.Status[k])
		}
	}
	if recs[1][7] != "collapsed" {
		t.Errorf("erf at (0.5, 0) should collapse: %v", recs[1])
	}
}

func TestPhaseJSONAndInfinities(t *testing.T) {
	var rows []map[string]any
	decodeJSON(t, &rows, "phase", "--activation", "quant:4", "--sigma-w", "0.9..1.2", "--sigma-b", "0..0.2", "--grid", "2", "--format", "json")
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if r["chi_1"] != nil || r["status"] != "ok" {
			t.Errorf("row %v: χ1 of a quantizer is infinite (null)", r)
		}
		if xi, ok := r["xi_c"].(float64); !ok || !(xi > 1) {
			t.Errorf("row %v: ξ_c", r)
		}
	}
	out, _, code := runCLI(t, "phase", "--activation", "quant:4", "--sigma-w", "0.9..1.2", "--sigma-b", "0..0.2", "--grid", "2")
	if code != 0 || !strings.Contains(out, "inf") || !strings.Contains(out, "xi_c") {
		t.Errorf("table:\n%s", out)
	}
}

func TestPhasePlots(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ spec, ws string }{
		{"quant:4", "0.5..2"},                 // marker at σ_w^opt
		{"quant:4:delta=0.5,amp=2", "0.2..2"}, // marker from NewScheme
		{"erf", "0.5..2"},                     // boundary χ1 = 1
		{"sign", "0.5..2"},                    // neither
	} {
		path := filepath.Join(dir, strings.NewReplacer(":", "_", "=", "_", ",", "_").Replace(c.spec)+".png")
		_, errs, code := runCLI(t, "phase", "--activation", c.spec, "--sigma-w", c.ws, "--sigma-b", "0..1", "--grid", "6", "--plot", path, "--format", "csv")
		if code != 0 {
			t.Errorf("%s: %s", c.spec, errs)
			continue
		}
		if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
			t.Errorf("%s: plot not written: %v", c.spec, err)
		}
	}
	if sw, ok := optimalSigmaW(mustActivation(t, "quant:4:delta=0.5,amp=2")); !ok || math.Abs(sw-0.399489502410039) > 1e-12 {
		t.Errorf("σ_w^opt = %v, %v", sw, ok)
	}
	for _, spec := range []string{"sign", "quant:2", "uquant:4", "tanh"} {
		if _, ok := optimalSigmaW(mustActivation(t, spec)); ok {
			t.Errorf("%s: has no σ_w^opt marker", spec)
		}
	}
}

func mustActivation(t *testing.T, spec string) meanfield.Activation {
	t.Helper()
	phi, err := meanfield.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return phi
}

func TestPhaseBadInput(t *testing.T) {
	base := []string{"phase", "--activation", "quant:4", "--grid", "3"}
	with := func(extra ...string) []string { return append(append([]string(nil), base...), extra...) }
	cases := []struct {
		want string
		args []string
	}{
		{"--activation", []string{"phase", "--grid", "3"}},
		{"--activation", []string{"phase", "--activation", "quant:1"}},
		{"--sigma-w", with("--sigma-w", "1")},
		{"--sigma-w", with("--sigma-w", "2..1")},
		{"--sigma-w", with("--sigma-w", "1..1")},
		{"--sigma-w", with("--sigma-w", "0..1")},
		{"--sigma-w", with("--sigma-w", "a..2")},
		{"--sigma-w", with("--sigma-w", "1..NaN")},
		{"--sigma-w", with("--sigma-w", "1..Inf")},
		{"--sigma-b", with("--sigma-b", "-1..1")},
		{"--sigma-b", with("--sigma-b", "0.5..0.5")},
		{"--grid", with("--grid", "1")},
		{"--grid", with("--grid", "1001")},
		{"--format", with("--format", "yaml")},
		{"--plot", with("--plot", "x.gif")},
		{"--plot", with("--plot", "/no/such/dir/x.png")},
	}
	for _, c := range cases {
		wantUsageError(t, c.want, c.args...)
	}
}

func BenchmarkPhaseQuant4Grid50(b *testing.B) {
	for b.Loop() {
		if code := run([]string{"phase", "--activation", "quant:4", "--sigma-w", "0.5..2.5", "--sigma-b", "0..1", "--grid", "50", "--format", "csv"}, devNull{}, devNull{}); code != 0 {
			b.Fatal(code)
		}
	}
}

type devNull struct{}

func (devNull) Write(p []byte) (int, error) { return len(p), nil }
