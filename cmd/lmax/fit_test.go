package main

import (
	"math"
	"testing"

	"github.com/lmax-project/lmax/solver"
)

func TestFitMatchesLibrary(t *testing.T) {
	var rec map[string]any
	decodeJSON(t, &rec, "fit", "--levels", "3..40", "--format", "json")
	levels := make([]int, 0, 38)
	for n := 3; n <= 40; n++ {
		levels = append(levels, n)
	}
	want, err := solver.FitOneMinusChi(levels)
	if err != nil {
		t.Fatal(err)
	}
	if rec["slope"].(float64) != want.Slope || rec["slope_stderr"].(float64) != want.SlopeStdErr ||
		rec["intercept"].(float64) != want.Intercept || int(rec["points"].(float64)) != 38 {
		t.Errorf("fit JSON %v, library %+v", rec, want)
	}
	if rec["levels_min"].(float64) != 3 || rec["levels_max"].(float64) != 40 ||
		rec["quantity"] != "one_minus_chi" || rec["against"] != "n+1" {
		t.Errorf("fit metadata %v", rec)
	}
	// ξ ≈ 1/(1 − χ) once χ is near 1, so its exponent is nearly the
	// negative of that of 1 − χ; L_max = κ ξ has the same exponent as ξ.
	var xi, lmax map[string]any
	decodeJSON(t, &xi, "fit", "--levels", "64..1024:x2", "--quantity", "xi", "--against", "n", "--format", "json")
	decodeJSON(t, &lmax, "fit", "--levels", "64..1024:x2", "--quantity", "lmax", "--against", "n", "--format", "json")
	if d := math.Abs(xi["slope"].(float64) - lmax["slope"].(float64)); d > 1e-12 {
		t.Errorf("slopes of ξ and L_max differ by %g", d)
	}
	if d := lmax["intercept"].(float64) - xi["intercept"].(float64); math.Abs(d-math.Log(6)) > 1e-12 {
		t.Errorf("intercepts of L_max and ξ differ by %v, want ln 6", d)
	}
}

// TestFitLloydMax: the fit of the Lloyd–Max family matches the library's
// fit of its sweep, and its exponent is near the Panter–Dite −2, the local
// exponent rising in magnitude towards 2 with N.
func TestFitLloydMax(t *testing.T) {
	var rec map[string]any
	decodeJSON(t, &rec, "fit", "--levels", "64..4096:x2", "--quantizer", "lloyd-max", "--against", "n", "--format", "json")
	levels := []int{64, 128, 256, 512, 1024, 2048, 4096}
	ss, err := solver.LloydMax.Sweep(levels, solver.DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	x, y := make([]float64, len(ss)), make([]float64, len(ss))
	for i, s := range ss {
		x[i], y[i] = float64(s.Levels), s.OneMinusChi
	}
	want, err := solver.FitPowerLaw(x, y)
	if err != nil {
		t.Fatal(err)
	}
	if rec["slope"].(float64) != want.Slope || rec["intercept"].(float64) != want.Intercept {
		t.Errorf("fit JSON %v, library %+v", rec, want)
	}
	lo, hi := rec["local_exponent_at_min"].(float64), rec["local_exponent_at_max"].(float64)
	if !(want.Slope > -2 && want.Slope < -1.98) || !(hi < lo && hi > -2) {
		t.Errorf("Lloyd–Max exponent %v, local %v … %v", want.Slope, lo, hi)
	}
}

func TestFitBadInput(t *testing.T) {
	wantUsageError(t, "--quantizer", "fit", "--levels", "3..10", "--quantizer", "x")
	wantUsageError(t, "--levels", "fit", "--levels", "3..70000:x2", "--quantizer", "lloyd-max")
	wantUsageError(t, "--against", "fit", "--levels", "3..10", "--against", "x")
	wantUsageError(t, "--quantity", "fit", "--levels", "3..10", "--quantity", "chi")
	wantUsageError(t, "--levels", "fit", "--levels", "3,4")
	wantUsageError(t, "--levels", "fit")
}

// TestFitUnsigned: the fit of the unsigned family matches the library's fit
// of its sweep.
func TestFitUnsigned(t *testing.T) {
	var rec map[string]any
	decodeJSON(t, &rec, "fit", "--levels", "4..16:x2", "--quantizer", "unsigned", "--against", "n", "--format", "json")
	ss, err := solver.Unsigned.Sweep([]int{4, 8, 16}, solver.DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	x, y := make([]float64, len(ss)), make([]float64, len(ss))
	for i, s := range ss {
		x[i], y[i] = float64(s.Levels), s.OneMinusChi
	}
	want, err := solver.FitPowerLaw(x, y)
	if err != nil {
		t.Fatal(err)
	}
	if rec["slope"].(float64) != want.Slope || rec["intercept"].(float64) != want.Intercept || rec["points"].(float64) != 3 {
		t.Errorf("fit JSON %v, library %+v", rec, want)
	}
	// 1 − χ(c*) falls much more slowly than the uniform quantizer's N^−1.8.
	if s := want.Slope; !(s > -1.2 && s < -0.5) {
		t.Errorf("unsigned exponent %v", s)
	}
}
