package solver

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestFitPowerLawHand: a 4-point example worked by hand. With X = ln x =
// (0, 1, 2, 3) and Y = ln y = (0, 2, 3, 7): mean X 1.5, mean Y 3, Sxx 5,
// Sxy 11, slope 2.2, intercept 3 − 2.2·1.5 = −0.3, residuals (0.3, 0.1,
// −1.1, 0.7), SSR 1.8, s² = 0.9, SE(slope) = √(0.9/5), SE(intercept) =
// √(0.9 (1/4 + 2.25/5)), R² = 1 − 1.8/SST with SST = 26.
func TestFitPowerLawHand(t *testing.T) {
	x := []float64{1, math.E, math.Exp(2), math.Exp(3)}
	y := []float64{1, math.Exp(2), math.Exp(3), math.Exp(7)}
	f, err := FitPowerLaw(x, y)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"slope", f.Slope, 2.2},
		{"intercept", f.Intercept, -0.3},
		{"slope stderr", f.SlopeStdErr, math.Sqrt(0.9 / 5)},
		{"intercept stderr", f.InterceptStdErr, math.Sqrt(0.9 * (0.25 + 2.25/5))},
		{"R²", f.R2, 1 - 1.8/26},
		{"xmin", f.XMin, 1},
		{"xmax", f.XMax, math.Exp(3)},
	} {
		if math.Abs(c.got-c.want) > 1e-14*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if f.Points != 4 {
		t.Errorf("points %d", f.Points)
	}
}

// TestFitPowerLawStdErr: on y = 3 x^{−1.8} e^{σε} with Gaussian ε, over 2000
// seeds, the spread of the fitted slopes and intercepts matches the mean
// reported standard errors within 5% (the Monte Carlo standard error of a
// standard deviation from 2000 draws is 1.6%), and the slope is unbiased
// within 4 standard errors of the mean.
func TestFitPowerLawStdErr(t *testing.T) {
	const seeds, points, sigma = 2000, 25, 0.1
	x := make([]float64, points)
	for i := range x {
		x[i] = math.Pow(10, 0.5+3*float64(i)/points)
	}
	slopes := make([]float64, seeds)
	inters := make([]float64, seeds)
	var seSlope, seInter float64
	for s := range seeds {
		rng := rand.New(rand.NewPCG(uint64(s), 42))
		y := make([]float64, points)
		for i := range y {
			y[i] = 3 * math.Pow(x[i], -1.8) * math.Exp(sigma*rng.NormFloat64())
		}
		f, err := FitPowerLaw(x, y)
		if err != nil {
			t.Fatal(err)
		}
		slopes[s], inters[s] = f.Slope, f.Intercept
		seSlope += f.SlopeStdErr / seeds
		seInter += f.InterceptStdErr / seeds
	}
	mean, sd := stat.MeanStdDev(slopes, nil)
	if r := sd/seSlope - 1; math.Abs(r) > 0.05 {
		t.Errorf("slope spread %v vs mean stderr %v", sd, seSlope)
	}
	if math.Abs(mean+1.8) > 4*sd/math.Sqrt(seeds) {
		t.Errorf("slope mean %v, want −1.8 ± %v", mean, sd/math.Sqrt(seeds))
	}
	_, sdi := stat.MeanStdDev(inters, nil)
	if r := sdi/seInter - 1; math.Abs(r) > 0.05 {
		t.Errorf("intercept spread %v vs mean stderr %v", sdi, seInter)
	}
}

func TestFitPowerLawExact(t *testing.T) {
	x := []float64{2, 3, 5, 8, 13}
	y := make([]float64, len(x))
	for i := range x {
		y[i] = 0.5 * math.Pow(x[i], 1.82)
	}
	f, err := FitPowerLaw(x, y)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.Slope-1.82) > 1e-14 || math.Abs(f.Intercept-math.Log(0.5)) > 1e-14 || f.SlopeStdErr > 1e-14 || f.InterceptStdErr > 1e-14 || math.Abs(f.R2-1) > 1e-14 {
		t.Errorf("exact power law: %+v", f)
	}
	// A constant y is the power law x^0, fitted exactly: R² = 1, not the
	// 0/0 of 1 − SSR/SST.
	flat, err := FitPowerLaw(x, []float64{5, 5, 5, 5, 5})
	if err != nil || flat.Slope != 0 || flat.R2 != 1 || flat.SlopeStdErr != 0 {
		t.Errorf("constant y: %+v, %v", flat, err)
	}
	p, err := LocalExponents(x, y)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range p {
		if math.Abs(v-1.82) > 1e-13 {
			t.Errorf("local exponent %d = %v", i, v)
		}
	}
}

// TestLocalExponentsSecondOrder: on y = x² e^{(ln x)²/10} (local exponent
// 2 + ln x/5, a parabola in ln x), the three-point formula is exact at the
// interior points even for unequal steps.
func TestLocalExponentsSecondOrder(t *testing.T) {
	x := []float64{1, 1.5, 4, 5, 20, 21, 100}
	y := make([]float64, len(x))
	for i, v := range x {
		l := math.Log(v)
		y[i] = math.Exp(2*l + l*l/10)
	}
	p, err := LocalExponents(x, y)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(x)-1; i++ {
		if want := 2 + math.Log(x[i])/5; math.Abs(p[i]-want) > 1e-13 {
			t.Errorf("x=%v: %v, want %v", x[i], p[i], want)
		}
	}
}

func TestPowerLawErrors(t *testing.T) {
	for _, c := range []struct{ x, y []float64 }{
		{[]float64{1, 2}, []float64{1, 2}},
		{[]float64{1, 2, 3}, []float64{1, 2}},
		{[]float64{1, 2, 0}, []float64{1, 2, 3}},
		{[]float64{1, 2, 3}, []float64{1, -2, 3}},
		{[]float64{1, 2, math.NaN()}, []float64{1, 2, 3}},
		{[]float64{1, 2, 3}, []float64{1, math.Inf(1), 3}},
		{[]float64{2, 2, 2}, []float64{1, 2, 3}},
	} {
		if _, err := FitPowerLaw(c.x, c.y); !errors.Is(err, ErrInvalid) {
			t.Errorf("FitPowerLaw(%v, %v): %v", c.x, c.y, err)
		}
	}
	if _, err := LocalExponents([]float64{1, 3, 2}, []float64{1, 2, 3}); !errors.Is(err, ErrInvalid) {
		t.Errorf("unsorted x: %v", err)
	}
	if _, err := FitOneMinusChi([]int{3, 4, 1}); !errors.Is(err, ErrInvalid) {
		t.Errorf("FitOneMinusChi bad N: %v", err)
	}
}

// TestPaperExponent: the paper's fit of ln(1 − χ_max) on ln(N+1) over
// N = 3 … 1000 gives an exponent near −1.82; the fit must be tight and in
// that neighbourhood, and the local exponent must drift (THEORY.md §3).
func TestPaperExponent(t *testing.T) {
	var levels []int
	for n := 3; n <= 1000; n++ {
		levels = append(levels, n)
	}
	f, err := FitOneMinusChi(levels)
	if err != nil {
		t.Fatal(err)
	}
	if f.Slope > -1.7 || f.Slope < -2.0 || f.R2 < 0.99 || f.Points != 998 {
		t.Errorf("fit over 3…1000: %+v", f)
	}
	t.Logf("N = 3…1000: slope %.4f ± %.4f, R² %.6f", f.Slope, f.SlopeStdErr, f.R2)
}
