package simulate

import (
	"errors"
	"fmt"
	"math"
)

// Errors of FitWindow and DepthScale that callers may want to tell apart
// (errors.Is); bad arguments wrap ErrInvalid instead.
var (
	// ErrTooShallow: too few layers are left for a fit from where its
	// window starts; a deeper network (or a nearer start) is needed.
	ErrTooShallow = errors.New("too few layers for a depth fit")
	// ErrNoDecay: over the window the data do not decay geometrically at
	// an identifiable rate, or a layer has no spread to weight by.
	ErrNoDecay = errors.New("no geometric decay to fit")
)

// MinFitLayers is the fewest layers DepthScale fits.
const MinFitLayers = 3

// DefaultWindowTol is the customary tolerance of FitWindow: from where the
// window starts, the curvature of the correlation map biases ξ_mc by less
// than 2 %.
const DefaultWindowTol = 0.02

// linearDev: mean-field deviations |c^l − c*| below this count as linear,
// since their ratio is rounding.
const linearDev = 1e-9

// WindowError is the error of FitWindow when fewer than MinFitLayers
// layers remain from the start of the linear regime. It wraps
// ErrTooShallow.
type WindowError struct {
	Depth int // layers of the theory curve
	First int // 1-based layer where the linear regime starts
}

// Error describes the depth and the layer where the decay window starts.
func (e *WindowError) Error() string {
	return fmt.Sprintf("depth %d too short: the fit needs %d layers from layer %d, where c^l − c* starts to decay at the rate χ(c*)",
		e.Depth, MinFitLayers, e.First)
}

// Unwrap returns ErrTooShallow.
func (e *WindowError) Unwrap() error { return ErrTooShallow }

// FitWindow returns where the ξ_mc fit of DepthScale should start
// (1-based, for FitOptions.First), given the mean-field correlations
// theory[l-1] = c^l of the simulated inputs (meanfield.Network.Trajectory),
// the fixed point c* and χ = χ(c*) ∈ (0, 1): the first layer from which
// every step of the deviation d_l = c^l − c* decays at a log-rate
// ln(d_{l+1}/d_l) within tol·|ln χ| of ln χ (DefaultWindowTol is 2 %).
// From there the correlation map is linear enough that its curvature
// biases ξ_mc by less than that fraction, while the window still starts
// as early as the theory allows (the deviation, and so the signal, is
// largest there). Deviations below 1e-9 count as linear.
//
// When fewer than MinFitLayers layers remain from that layer the error is
// a *WindowError (wrapping ErrTooShallow); bad arguments wrap ErrInvalid.
func FitWindow(theory []float64, cStar, chi, tol float64) (int, error) {
	switch {
	case !finite(cStar) || cStar <= -1 || cStar >= 1:
		return 0, invalid("c* %v: must lie in (-1, 1)", cStar)
	case !(chi > 0 && chi < 1):
		return 0, invalid("χ(c*) %v: must lie in (0, 1) for a geometric decay", chi)
	case !(tol > 0) || math.IsInf(tol, 0):
		return 0, invalid("window tolerance %v: must be finite and positive", tol)
	}
	lnChi := math.Log(chi)
	first := 0
	for l := 0; l+1 < len(theory); l++ {
		d0, d1 := theory[l]-cStar, theory[l+1]-cStar
		if math.Abs(d0) < linearDev || math.Abs(d1) < linearDev {
			continue
		}
		if r := d1 / d0; !(r > 0) || math.Abs(math.Log(r)-lnChi) > tol*math.Abs(lnChi) {
			first = l + 1
		}
	}
	if len(theory)-first < MinFitLayers {
		return 0, &WindowError{Depth: len(theory), First: first + 1}
	}
	return first + 1, nil
}
