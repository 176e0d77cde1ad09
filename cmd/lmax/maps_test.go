package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lmax-project/lmax/meanfield"
)

func TestMapsSignIdentities(t *testing.T) {
	// THEORY.md §6: sign with σ_b = 0 has q* = σ_w², c* = 0, χ(0) = 2/π and
	// M(c) = (2/π) arcsin c.
	var res map[string]any
	decodeJSON(t, &res, "maps", "--activation", "sign", "--sigma-w", "1.3", "--at", "-0.4,0,0.7,1", "--format", "json")
	if q := res["q_star"].(float64); math.Abs(q-1.69) > 1e-14 {
		t.Errorf("q* = %v, want 1.69", q)
	}
	if c := res["c_star"].(float64); math.Abs(c) > 1e-15 {
		t.Errorf("c* = %v, want 0", c)
	}
	if chi := res["chi_c_star"].(float64); math.Abs(chi-2/math.Pi) > 1e-14 {
		t.Errorf("χ(c*) = %v, want 2/π", chi)
	}
	if res["chi_1"] != nil {
		t.Errorf("χ1 = %v, want null (infinite)", res["chi_1"])
	}
	if xi := res["xi_c"].(float64); math.Abs(xi+1/math.Log(2/math.Pi)) > 1e-13 {
		t.Errorf("ξ_c = %v", xi)
	}
	at := res["at"].([]any)
	if len(at) != 4 {
		t.Fatalf("at has %d entries", len(at))
	}
	for _, e := range at {
		p := e.(map[string]any)
		c := p["c"].(float64)
		if m := p["m"].(float64); math.Abs(m-2/math.Pi*math.Asin(c)) > 1e-14 {
			t.Errorf("M(%v) = %v, want (2/π) arcsin c", c, m)
		}
		if c == 1 && p["chi"] != nil {
			t.Errorf("χ(1) = %v, want null", p["chi"])
		}
		if c == 0 && math.Abs(p["chi"].(float64)-2/math.Pi) > 1e-14 {
			t.Errorf("χ(0) = %v", p["chi"])
		}
	}
}

func TestMapsMatchesLibraryAndKeyOrder(t *testing.T) {
	out, errs, code := runCLI(t, "maps", "--activation", "noisy:0.1:tanh", "--sigma-w", "1.4", "--sigma-b", "0.2", "--format", "json")
	if code != 0 {
		t.Fatal(errs)
	}
	last := -1
	for _, k := range []string{"activation", "sigma_w", "sigma_b", "q_star", "c_star", "chi_c_star", "chi_1", "xi_q", "xi_c", "at"} {
		i := strings.Index(out, `"`+k+`"`)
		if i <= last {
			t.Fatalf("key %q missing or out of order:\n%s", k, out)
		}
		last = i
	}
	phi, _ := meanfield.Parse("noisy:0.1:tanh")
	net, _ := meanfield.New(phi, 1.4, 0.2)
	fp, err := net.Solve(1)
	if err != nil {
		t.Fatal(err)
	}
	var res map[string]any
	decodeJSON(t, &res, "maps", "--activation", "noisy:0.1:tanh", "--sigma-w", "1.4", "--sigma-b", "0.2", "--format", "json")
	if res["q_star"].(float64) != fp.QStar || res["xi_c"].(float64) != fp.XiC {
		t.Errorf("CLI %v, library %+v", res, fp)
	}
}

func TestMapsTableAndPlot(t *testing.T) {
	dir := t.TempDir()
	png := filepath.Join(dir, "maps.png")
	out, errs, code := runCLI(t, "maps", "--activation", "quant:4", "--sigma-w", "1.1", "--plot", png)
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(out, "inf") || !strings.Contains(out, "xi_c") {
		t.Errorf("table output:\n%s", out)
	}
	if fi, err := os.Stat(png); err != nil || fi.Size() == 0 {
		t.Errorf("plot not written: %v", err)
	}
}

func TestMapsBadInput(t *testing.T) {
	cases := []struct {
		want string
		args []string
	}{
		{"--activation", []string{"maps", "--sigma-w", "1"}},
		{"--activation", []string{"maps", "--activation", "quant:1", "--sigma-w", "1"}},
		{"--activation", []string{"maps", "--activation", "swish", "--sigma-w", "1"}},
		{"--activation", []string{"maps", "--activation", "quant:x", "--sigma-w", "1"}},
		{"--sigma-w", []string{"maps", "--activation", "tanh"}},
		{"--sigma-w", []string{"maps", "--activation", "tanh", "--sigma-w", "-1"}},
		{"--sigma-w", []string{"maps", "--activation", "tanh", "--sigma-w", "NaN"}},
		{"--sigma-w", []string{"maps", "--activation", "tanh", "--sigma-w", "Inf"}},
		{"--sigma-b", []string{"maps", "--activation", "tanh", "--sigma-w", "1", "--sigma-b", "-0.1"}},
		{"--at", []string{"maps", "--activation", "tanh", "--sigma-w", "1", "--at", "0,1.5"}},
		{"--at", []string{"maps", "--activation", "tanh", "--sigma-w", "1", "--at", "x"}},
		{"--q0", []string{"maps", "--activation", "tanh", "--sigma-w", "1", "--q0", "0"}},
		{"--sigma-w", []string{"maps", "--activation", "quant:8", "--sigma-w", "1e300"}},
		{"--sigma-b", []string{"maps", "--activation", "quant:8", "--sigma-w", "1", "--sigma-b", "1e101"}},
		{"--activation", []string{"maps", "--activation", "quant:100000", "--sigma-w", "1"}},
		{"--activation", []string{"maps", "--activation", "noisy:0.1:quant:2000", "--sigma-w", "1"}},
		{"--format", []string{"maps", "--activation", "tanh", "--sigma-w", "1", "--format", "yaml"}},
		{"--plot", []string{"maps", "--activation", "tanh", "--sigma-w", "1", "--plot", "x.gif"}},
		{"--plot", []string{"maps", "--activation", "tanh", "--sigma-w", "1", "--plot", "/no/such/dir/x.png"}},
	}
	for _, c := range cases {
		wantUsageError(t, c.want, c.args...)
	}
}
