package solver

import (
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// PowerLaw is the least-squares fit ln y = Intercept + Slope·ln x over a
// set of points, y ≈ e^Intercept x^Slope, with the ordinary-least-squares
// standard errors of both coefficients.
type PowerLaw struct {
	Slope           float64 // exponent p of y ∝ x^p
	SlopeStdErr     float64 // s/√Sxx
	Intercept       float64 // ln of the prefactor
	InterceptStdErr float64 // s·√(1/n + mean(ln x)²/Sxx)
	R2              float64 // coefficient of determination of the log-log fit (1 for constant y)
	Points          int     // number of points n
	XMin, XMax      float64 // range of x that the fit covers
}

// FitPowerLaw fits ln y = a + b ln x by ordinary least squares
// (stat.LinearRegression). The standard errors are the usual ones under
// independent, homoscedastic errors in ln y: with the residual variance
// s² = Σ r²/(n−2) and Sxx = Σ (ln x − mean)², SE(b) = s/√Sxx and
// SE(a) = s √(1/n + mean²/Sxx). It needs at least 3 points of equal-length
// x and y, all finite and positive, and at least two distinct x.
func FitPowerLaw(x, y []float64) (PowerLaw, error) {
	lx, ly, err := logs(x, y)
	if err != nil {
		return PowerLaw{}, err
	}
	n := float64(len(lx))
	a, b := stat.LinearRegression(lx, ly, nil, false)
	mean := stat.Mean(lx, nil)
	var sxx, ssr float64
	for i := range lx {
		dx := lx[i] - mean
		sxx += dx * dx
		r := ly[i] - (a + b*lx[i])
		ssr += r * r
	}
	if sxx == 0 {
		return PowerLaw{}, invalid("power-law fit: all %d x values equal %v", len(x), x[0])
	}
	s2 := ssr / (n - 2)
	fit := PowerLaw{
		Slope:           b,
		SlopeStdErr:     math.Sqrt(s2 / sxx),
		Intercept:       a,
		InterceptStdErr: math.Sqrt(s2 * (1/n + mean*mean/sxx)),
		R2:              stat.RSquared(lx, ly, nil, a, b),
		Points:          len(x),
		XMin:            math.Inf(1),
		XMax:            math.Inf(-1),
	}
	if floats.Max(ly) == floats.Min(ly) {
		// Constant y: the flat line fits exactly, where 1 − SSR/SST is 0/0.
		fit.R2 = 1
	}
	for _, v := range x {
		fit.XMin = math.Min(fit.XMin, v)
		fit.XMax = math.Max(fit.XMax, v)
	}
	return fit, nil
}

// LocalExponents returns the local exponents d ln y/d ln x at each point,
// for x strictly increasing. At an interior point the derivative of the
// parabola through the point and its two neighbours in (ln x, ln y) — the
// centred difference, second-order also for unequal spacing:
//
//	p_k = (h₋² Δ₊ + h₊² Δ₋) / (h₋ h₊ (h₋ + h₊)),
//
// h± the steps in ln x to the neighbours and Δ± the matching steps in ln y.
// At the two ends the one-sided difference with the single neighbour
// (first-order). It needs at least 3 points, all finite and positive.
func LocalExponents(x, y []float64) ([]float64, error) {
	lx, ly, err := logs(x, y)
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(x); i++ {
		if !(x[i] > x[i-1]) {
			return nil, invalid("x[%d] = %v: not above x[%d] = %v", i, x[i], i-1, x[i-1])
		}
	}
	n := len(lx)
	p := make([]float64, n)
	p[0] = (ly[1] - ly[0]) / (lx[1] - lx[0])
	p[n-1] = (ly[n-1] - ly[n-2]) / (lx[n-1] - lx[n-2])
	for k := 1; k < n-1; k++ {
		hm, hp := lx[k]-lx[k-1], lx[k+1]-lx[k]
		dm, dp := ly[k]-ly[k-1], ly[k+1]-ly[k]
		p[k] = (hm*hm*dp + hp*hp*dm) / (hm * hp * (hm + hp))
	}
	return p, nil
}

func logs(x, y []float64) (lx, ly []float64, err error) {
	if len(x) != len(y) {
		return nil, nil, invalid("%d x values and %d y values: lengths differ", len(x), len(y))
	}
	if len(x) < 3 {
		return nil, nil, invalid("%d points: need at least 3", len(x))
	}
	lx = make([]float64, len(x))
	ly = make([]float64, len(y))
	for i := range x {
		for _, v := range [2]struct {
			name string
			v    float64
		}{{"x", x[i]}, {"y", y[i]}} {
			if math.IsNaN(v.v) || math.IsInf(v.v, 0) || v.v <= 0 {
				return nil, nil, invalid("%s[%d] = %v: must be finite and positive", v.name, i, v.v)
			}
		}
		lx[i] = math.Log(x[i])
		ly[i] = math.Log(y[i])
	}
	return lx, ly, nil
}

// FitOneMinusChi fits the paper's law ln(1 − χ_max) = const + p ln(N+1)
// (THEORY.md §3) over the given numbers of levels (at least 3, each ≥ 2),
// with x = N+1 and y = 1 − χ_max(N), optimized concurrently as in Sweep.
func FitOneMinusChi(levels []int) (PowerLaw, error) {
	schemes, err := Sweep(levels, DefaultKappa)
	if err != nil {
		return PowerLaw{}, err
	}
	x := make([]float64, len(levels))
	y := make([]float64, len(levels))
	for i, s := range schemes {
		x[i] = float64(s.Levels + 1)
		y[i] = s.OneMinusChi
	}
	return FitPowerLaw(x, y)
}
