package simulate

import (
	"fmt"
	"math"
)

// Default fit settings of DepthScale.
const (
	// DefaultMaxDev is the largest |c^l - c*| admitted into the fit. Near
	// c* the correlation map is M(c*+d) = c* + χ d + O(d²), so the local
	// decay ratio d_{l+1}/d_l differs from χ by O(d) (O(d²) for an odd φ
	// with c* = 0). For sign, M(d)/d = (2/π)(1 + d²/6 + …): at d = 0.1 the
	// log-ratio is off by 0.0017, 0.4 % of |ln(2/π)| = 0.45, and less
	// further down the window.
	DefaultMaxDev = 0.1
)

// FitOptions controls DepthScale. Zero fields take their defaults.
type FitOptions struct {
	// CStar is c*, the stable fixed point of the correlation map.
	CStar float64
	// MaxDev: the window starts at the first layer with
	// |c̄^l - c*| ≤ MaxDev (default DefaultMaxDev).
	MaxDev float64
	// First, if positive, is the first layer (1-based) of the window,
	// which then does not depend on MaxDev: FitWindow chooses it from the
	// mean-field curve, where no noise can bias the choice.
	First int
	// Layers, if positive, caps the number of layers in the window;
	// otherwise it runs to the last simulated layer.
	Layers int
}

// DepthFit is a Monte Carlo estimate of the correlation depth scale ξ_c.
type DepthFit struct {
	// Xi is ξ_mc = -1/ln Ratio from the fit on all trials, XiErr its
	// jackknife standard error over trials.
	Xi, XiErr float64
	// Bias is the jackknife estimate of Xi's bias, (T-1)(mean of the
	// leave-one-out estimates - Xi); Xi - Bias is the bias-corrected
	// estimate. It is reported, not applied.
	Bias float64
	// Ratio is the fitted decay ratio per layer (χ(c*) in the mean-field
	// limit) and RatioErr its jackknife standard error.
	Ratio, RatioErr float64
	// Amp is the fitted c̄^First - c*.
	Amp float64
	// First and Last are the layers (1-based, inclusive) of the window.
	First, Last int
}

// DepthScale estimates ξ_c from the simulated correlations.
//
// Method. With m_l the trial mean of c^l and s_l its standard error, the
// window runs from the first layer with |m_l - c*| ≤ MaxDev, where the
// linearization c^{l+1} - c* ≈ χ(c*)(c^l - c*) holds (or from layer
// First, see FitWindow), to the last layer (or Layers layers). Over it, m_l - c* is fitted to A·r^(l-First) by
// weighted nonlinear least squares with weights 1/s_l², and ξ_mc = -1/ln r.
// The fit profiles A out (it is linear given r) and maximizes over r on a
// grid in ln ξ refined by golden-section search.
//
// Why not a log-linear fit of |m_l - c*|: it needs the layers where the
// signal is buried in the finite-width noise (of stationary size
// ≈ √(ξ/(2n)) per trial) cut off, and any cut made on the noisy data, or
// weights made from it, select upward fluctuations and bias ξ upward (by
// about 0.4 standard errors at T = 64 in our tests). In the linear-space
// fit no layer is selected by its value: layers deep in the noise have a
// vanishing model derivative, so they carry no weight and add neither
// noise nor bias (provided c* is right; with c* off, cap Layers).
//
// The errors of the m_l are strongly correlated across layers (one trial's
// fluctuation propagates down the network), so the least-squares formula
// would understate the error. The standard errors come from the jackknife
// over trials instead: the fit is repeated with each trial left out of the
// means (window and weights held fixed), and
// XiErr = √((T-1)/T Σ_t (ξ_(t) - ξ̄)²).
//
// Finite width biases m_l by a relative O(l/n), which changes r by O(1/n).
// If the inputs' q is not at the fixed point q*, choose MaxDev small
// enough that q^l has converged before the window starts.
//
// Errors: bad options wrap ErrInvalid; a window of fewer than MinFitLayers
// layers wraps ErrTooShallow; data that do not support the fit over the
// window are a *FitError (wrapping ErrNoDecay).
func (r *Result) DepthScale(o FitOptions) (DepthFit, error) {
	if o.MaxDev == 0 {
		o.MaxDev = DefaultMaxDev
	}
	switch {
	case !finite(o.CStar) || o.CStar <= -1 || o.CStar >= 1:
		return DepthFit{}, invalid("c* %v: must lie in (-1, 1)", o.CStar)
	case !finite(o.MaxDev) || o.MaxDev < 0:
		return DepthFit{}, invalid("max deviation %v: must be finite and positive", o.MaxDev)
	case o.Layers < 0:
		return DepthFit{}, invalid("layers %d: must be non-negative", o.Layers)
	case o.First < 0:
		return DepthFit{}, invalid("first layer %d: must be non-negative", o.First)
	}
	L, T := len(r.C), len(r.TrialC)
	if T < 2 {
		return DepthFit{}, invalid("result with %d trials: need at least 2", T)
	}
	for t, row := range r.TrialC {
		if len(row) != L {
			return DepthFit{}, invalid("result trial %d has %d layers, the summary %d", t, len(row), L)
		}
	}
	first := o.First - 1
	where := fmt.Sprintf("layer %d", o.First)
	if o.First == 0 {
		for l, e := range r.C {
			if math.Abs(e.Mean-o.CStar) <= o.MaxDev {
				first = l
				break
			}
		}
		if first < 0 {
			return DepthFit{}, fmt.Errorf("depth scale: |c^l - c*| never falls to %g within %d layers (c* = %g): %w; increase the depth",
				o.MaxDev, L, o.CStar, ErrTooShallow)
		}
		where = fmt.Sprintf("layer %d, where |c^l - c*| ≤ %g,", first+1, o.MaxDev)
	}
	last := L - 1
	if o.Layers > 0 {
		last = min(last, first+o.Layers-1)
	}
	k := last - first + 1
	if k < MinFitLayers {
		return DepthFit{}, fmt.Errorf("depth scale: only %d layers from %s to the end: %w (need %d at least), increase the depth",
			max(k, 0), where, ErrTooShallow, MinFitLayers)
	}
	w := make([]float64, k)
	d := make([]float64, k)
	for j := range k {
		e := r.C[first+j]
		if !(e.StdErr > 0) {
			return DepthFit{}, &FitError{First: first + 1, Last: last + 1, Trial: -1,
				Err: fmt.Errorf("c^%d has zero spread over trials: nothing to weight by", first+j+1)}
		}
		w[j] = 1 / (e.StdErr * e.StdErr)
		d[j] = e.Mean - o.CStar
	}
	ratio, amp, err := fitGeometric(w, d)
	if err != nil {
		return DepthFit{}, &FitError{First: first + 1, Last: last + 1, Trial: -1, Err: err}
	}

	ratios := make([]float64, T)
	xis := make([]float64, T)
	for t, row := range r.TrialC {
		for j := range k {
			l := first + j
			d[j] = (float64(T)*r.C[l].Mean-row[l])/float64(T-1) - o.CStar
		}
		ratios[t], _, err = fitGeometric(w, d)
		if err != nil {
			return DepthFit{}, &FitError{First: first + 1, Last: last + 1, Trial: t, Err: err}
		}
		xis[t] = -1 / math.Log(ratios[t])
	}
	fit := DepthFit{Ratio: ratio, Amp: amp, Xi: -1 / math.Log(ratio), First: first + 1, Last: last + 1}
	fit.RatioErr, _ = jackknife(ratios)
	var xiBar float64
	fit.XiErr, xiBar = jackknife(xis)
	fit.Bias = float64(T-1) * (xiBar - fit.Xi)
	return fit, nil
}

// FitError is the error of DepthScale when the data over the window do
// not support a geometric fit. It wraps ErrNoDecay.
type FitError struct {
	First, Last int   // the window, 1-based and inclusive
	Trial       int   // the trial left out (jackknife), or -1 for the fit on all trials
	Err         error // what went wrong
}

// Error describes the window, the trial left out if any, and the cause.
func (e *FitError) Error() string {
	if e.Trial >= 0 {
		return fmt.Sprintf("depth scale over layers %d–%d, leaving out trial %d: %v", e.First, e.Last, e.Trial, e.Err)
	}
	return fmt.Sprintf("depth scale over layers %d–%d: %v", e.First, e.Last, e.Err)
}

// Unwrap returns ErrNoDecay and the underlying cause.
func (e *FitError) Unwrap() []error { return []error{ErrNoDecay, e.Err} }

// jackknife returns the jackknife standard error of the leave-one-out
// estimates v and their mean.
func jackknife(v []float64) (se, mean float64) {
	T := float64(len(v))
	for _, x := range v {
		mean += x
	}
	mean /= T
	var ss float64
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt((T - 1) / T * ss), mean
}

// Search range of the geometric fit, in ξ = -1/ln r.
const (
	fitXiMin  = 0.05
	fitXiMax  = 1e5
	fitGrid   = 400
	fitGolden = 100
)

// fitGeometric minimizes Σ_j w_j (d_j - A r^j)² over A and r ∈ (0, 1). For
// fixed r the best A is Σ w d r^j / Σ w r^{2j}, leaving the profile
// F(r) = (Σ w_j d_j r^j)² / Σ w_j r^{2j} to maximize. F is maximized over
// u = ln ξ on a grid, then by golden-section search between the best grid
// point's neighbours (gonum/optimize has no bounded scalar search). A
// maximum on the edge of the range means the data do not decay
// geometrically at any identifiable rate.
func fitGeometric(w, d []float64) (r, amp float64, err error) {
	ratio := func(u float64) float64 { return math.Exp(-math.Exp(-u)) }
	profile := func(u float64) float64 {
		num, den := geometricSums(w, d, ratio(u))
		return num * num / den
	}
	lo, hi := math.Log(fitXiMin), math.Log(fitXiMax)
	h := (hi - lo) / fitGrid
	best, bestF := 0, math.Inf(-1)
	for i := 0; i <= fitGrid; i++ {
		if f := profile(lo + float64(i)*h); f > bestF {
			best, bestF = i, f
		}
	}
	if best == 0 || best == fitGrid {
		return 0, 0, fmt.Errorf("the best decay ratio lies at the edge of ξ ∈ [%g, %g]: no geometric decay", fitXiMin, fitXiMax)
	}
	a, b := lo+float64(best-1)*h, lo+float64(best+1)*h
	g := (math.Sqrt(5) - 1) / 2
	x1, x2 := b-g*(b-a), a+g*(b-a)
	f1, f2 := profile(x1), profile(x2)
	for range fitGolden {
		if f1 > f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - g*(b-a)
			f1 = profile(x1)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + g*(b-a)
			f2 = profile(x2)
		}
	}
	r = ratio((a + b) / 2)
	num, den := geometricSums(w, d, r)
	return r, num / den, nil
}

// geometricSums returns Σ_j w_j d_j r^j and Σ_j w_j r^{2j}: the best
// amplitude for the ratio r is their quotient.
func geometricSums(w, d []float64, r float64) (num, den float64) {
	p := 1.0
	for j, wj := range w {
		num += wj * d[j] * p
		den += wj * p * p
		p *= r
	}
	return num, den
}
