package simulate

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// signTheory returns the mean-field c^l of sign with σ_b = 0 from c^1 = c0:
// c^{l+1} = (2/π) arcsin c^l (THEORY.md §6).
func signTheory(c0 float64, depth int) []float64 {
	c := []float64{c0}
	for len(c) < depth {
		c = append(c, 2/math.Pi*math.Asin(c[len(c)-1]))
	}
	return c
}

func TestFitWindow(t *testing.T) {
	// Sign from c0 = 0.9: ln(d_{l+1}/d_l) is within 2 % of ln(2/π) from
	// c^5 = 0.220 on (0.220 → 0.141: 1.5 %), not from c^4 = 0.338 (5 %).
	c := signTheory(0.9, 9)
	chi := 2 / math.Pi
	if first, err := FitWindow(c, 0, chi, DefaultWindowTol); err != nil || first != 5 {
		t.Errorf("window starts at layer %d (%v), want 5", first, err)
	}
	// A looser tolerance admits layer 4 (5 % off), a tighter one only later layers.
	if first, err := FitWindow(c, 0, chi, 0.06); err != nil || first != 4 {
		t.Errorf("tolerance 6 %%: window starts at layer %d (%v), want 4", first, err)
	}
	if first, err := FitWindow(c, 0, chi, 0.005); err != nil || first <= 5 {
		t.Errorf("tolerance 0.5 %%: window starts at layer %d (%v), want after 5", first, err)
	}
	// Already linear from the start: c0 = 0.01 is 0.002 % off.
	if first, err := FitWindow(signTheory(0.01, 5), 0, chi, DefaultWindowTol); err != nil || first != 1 {
		t.Errorf("c0 = 0.01: window starts at layer %d (%v), want 1", first, err)
	}
	// Six layers leave two from layer 5: too short.
	_, err := FitWindow(c[:6], 0, chi, DefaultWindowTol)
	var we *WindowError
	if !errors.Is(err, ErrTooShallow) || !errors.As(err, &we) || we.Depth != 6 || we.First != 5 || !strings.Contains(err.Error(), "too short") {
		t.Errorf("6 layers: %v (%+v)", err, we)
	}
	for _, bad := range []struct{ cStar, chi, tol float64 }{
		{1, chi, 0.02}, {math.NaN(), chi, 0.02}, {0, 1, 0.02}, {0, 0, 0.02}, {0, math.NaN(), 0.02},
		{0, chi, 0}, {0, chi, -1}, {0, chi, math.Inf(1)},
	} {
		if _, err := FitWindow(c, bad.cStar, bad.chi, bad.tol); !errors.Is(err, ErrInvalid) {
			t.Errorf("FitWindow(c*=%v, χ=%v, tol=%v): %v, want ErrInvalid", bad.cStar, bad.chi, bad.tol, err)
		}
	}
}

// TestDepthScaleFirst: a window fixed by FitOptions.First gives, bit for
// bit, the fit on the result cut at that layer (what callers did before
// First existed), with the layers numbered in the full result.
func TestDepthScaleFirst(t *testing.T) {
	res, err := Run(context.Background(), Config{Activation: sign{}, SigmaW: 1, Width: 512, Depth: 14, Trials: 16, Q0: 1, C0: 0.9, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	first, err := FitWindow(signTheory(0.9, 14), 0, 2/math.Pi, DefaultWindowTol)
	if err != nil {
		t.Fatal(err)
	}
	fit, err := res.DepthScale(FitOptions{First: first})
	if err != nil {
		t.Fatal(err)
	}
	cut := &Result{C: res.C[first-1:], TrialC: make([][]float64, len(res.TrialC))}
	for i, row := range res.TrialC {
		cut.TrialC[i] = row[first-1:]
	}
	want, err := cut.DepthScale(FitOptions{MaxDev: 2})
	if err != nil {
		t.Fatal(err)
	}
	want.First += first - 1
	want.Last += first - 1
	if fit != want {
		t.Errorf("First = %d: %+v, cut result: %+v", first, fit, want)
	}
	if fit.First != first || fit.Last != 14 {
		t.Errorf("window %d–%d, want %d–14", fit.First, fit.Last, first)
	}
	// With Layers the window ends Layers − 1 after First.
	if f, err := res.DepthScale(FitOptions{First: first, Layers: 4}); err != nil || f.First != first || f.Last != first+3 {
		t.Errorf("First %d, Layers 4: %d–%d (%v)", first, f.First, f.Last, err)
	}
	// Fewer than MinFitLayers layers from First.
	for _, f := range []int{13, 15, 40} {
		if _, err := res.DepthScale(FitOptions{First: f}); !errors.Is(err, ErrTooShallow) {
			t.Errorf("First = %d of 14 layers: %v, want ErrTooShallow", f, err)
		}
	}
	if _, err := res.DepthScale(FitOptions{First: -1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("First = −1: %v, want ErrInvalid", err)
	}
}

// TestDepthScaleErrorKinds: the failures callers act on are told apart by
// errors.Is and errors.As, not by their text.
func TestDepthScaleErrorKinds(t *testing.T) {
	res, err := Run(context.Background(), Config{Activation: sign{}, SigmaW: 1, Width: 256, Depth: 3, Trials: 8, Q0: 1, C0: 0.9, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// c: 0.9, 0.71, 0.51: never within 0.1 of c* = 0.
	if _, err := res.DepthScale(FitOptions{}); !errors.Is(err, ErrTooShallow) || !strings.Contains(err.Error(), "never") {
		t.Errorf("no layer near c*: %v", err)
	}
	// Only layers 2 and 3 within 0.75 of c* = 0.
	if _, err := res.DepthScale(FitOptions{MaxDev: 0.75}); !errors.Is(err, ErrTooShallow) {
		t.Errorf("two layers: %v", err)
	}
	// Correlations pushed away from a wrong "fixed point": no decay.
	_, err = res.DepthScale(FitOptions{CStar: 0.99, MaxDev: 1})
	var fe *FitError
	if !errors.Is(err, ErrNoDecay) || !errors.As(err, &fe) || fe.First != 1 || fe.Last != 3 || fe.Trial != -1 {
		t.Errorf("growing deviation: %v (%+v)", err, fe)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "depth scale over layers 1–3: ") {
		t.Errorf("message %q", err)
	}
	// A layer without spread over trials has nothing to weight by.
	flat := &Result{C: []Estimate{{Mean: 0.5, StdErr: 0.01}, {Mean: 0.3}, {Mean: 0.2, StdErr: 0.01}},
		TrialC: [][]float64{{0.5, 0.3, 0.2}, {0.5, 0.3, 0.2}}}
	_, err = flat.DepthScale(FitOptions{MaxDev: 1})
	if !errors.Is(err, ErrNoDecay) || !errors.As(err, &fe) || !strings.Contains(err.Error(), "c^2 has zero spread") {
		t.Errorf("zero spread: %v", err)
	}
}
