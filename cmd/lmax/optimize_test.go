package main

import (
	"math"
	"strings"
	"testing"

	"github.com/lmax-project/lmax/solver"
)

func TestOptimizeQuantizerMatchesInit(t *testing.T) {
	out, errs, code := runCLI(t, "optimize", "--activation", "quant:4", "--format", "json")
	if code != 0 {
		t.Fatal(errs)
	}
	last := -1
	for _, k := range optimizeColumns {
		i := strings.Index(out, `"`+k+`"`)
		if i <= last {
			t.Fatalf("key %q missing or out of order:\n%s", k, out)
		}
		last = i
	}
	var r map[string]any
	decodeJSON(t, &r, "optimize", "--activation", "quant:4", "--format", "json")
	s, err := solver.Canonical(4, solver.DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	if sw := r["sigma_w"].(float64); math.Abs(sw-s.SigmaW) > 1e-7*s.SigmaW {
		t.Errorf("σ_w = %v, lmax init: %v", sw, s.SigmaW)
	}
	if xi := r["xi_c"].(float64); math.Abs(xi-s.Xi) > 1e-12*s.Xi {
		t.Errorf("ξ = %v, lmax init: %v", xi, s.Xi)
	}
	if r["sigma_b"].(float64) != 0 || r["critical"] != false || r["chi_1"] != nil || r["evaluations"].(float64) < 100 {
		t.Errorf("result %v", r)
	}
}

// A bias helps uquant:8 a little: compare the full box with σ_b fixed at 0.
func TestOptimizeBiasAndFixedSigmaB(t *testing.T) {
	var full, zero map[string]any
	decodeJSON(t, &full, "optimize", "--activation", "uquant:8", "--format", "json")
	decodeJSON(t, &zero, "optimize", "--activation", "uquant:8", "--sigma-b", "0", "--format", "json")
	if zero["sigma_b"].(float64) != 0 || zero["tol_sigma_b"].(float64) != 0 {
		t.Errorf("--sigma-b 0: %v", zero)
	}
	if !(full["sigma_b"].(float64) > 0.05 && full["xi_c"].(float64) > zero["xi_c"].(float64)) {
		t.Errorf("full box %v, σ_b = 0 %v", full, zero)
	}
}

func TestOptimizeCriticalTable(t *testing.T) {
	out, errs, code := runCLI(t, "optimize", "--activation", "erf", "--sigma-w", "0.5..3", "--sigma-b", "0.3..1")
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(out, "Critical:") || !strings.Contains(out, "true") {
		t.Errorf("table:\n%s", out)
	}
}

func TestOptimizeBadInput(t *testing.T) {
	cases := []struct {
		want string
		args []string
	}{
		{"--activation", []string{"optimize"}},
		{"--activation", []string{"optimize", "--activation", "swish"}},
		{"--sigma-w", []string{"optimize", "--activation", "quant:4", "--sigma-w", "0..2"}},
		{"--sigma-w", []string{"optimize", "--activation", "quant:4", "--sigma-w", "2..1"}},
		{"--sigma-w", []string{"optimize", "--activation", "quant:4", "--sigma-w", "x"}},
		{"--sigma-b", []string{"optimize", "--activation", "quant:4", "--sigma-b", "-1"}},
		{"--grid", []string{"optimize", "--activation", "quant:4", "--grid", "1"}},
		{"--xtol", []string{"optimize", "--activation", "quant:4", "--xtol", "1e-20"}},
		{"--format", []string{"optimize", "--activation", "quant:4", "--format", "yaml"}},
		// ReLU with σ_w² < 2 and no bias: the signal dies out everywhere.
		{"--sigma-w", []string{"optimize", "--activation", "relu", "--sigma-w", "0.5..1.2", "--sigma-b", "0"}},
	}
	for _, c := range cases {
		wantUsageError(t, c.want, c.args...)
	}
}
