package roots

import (
	"errors"
	"fmt"
	"math"
)

// Errors wrapped by Brent and Minimize, for errors.Is.
var (
	// ErrNoBracket: f(a) and f(b) have the same sign (or one is NaN).
	ErrNoBracket = errors.New("root not bracketed")
	// ErrMaxIter: the tolerance was not met within the iteration limit.
	ErrMaxIter = errors.New("no convergence within the iteration limit")
	// ErrNaN: f returned NaN inside the bracket.
	ErrNaN = errors.New("function value is NaN")
)

// Default iteration limits of Options.MaxIter.
const (
	DefaultRootIter = 200 // Brent: four times bisection's 53 halvings
	DefaultMinIter  = 500 // Minimize
)

// eps is the machine epsilon 2⁻⁵², the relative spacing of float64.
const eps = 0x1p-52

// Options tune Brent and Minimize. The zero value asks for the best the
// arithmetic allows within the default iteration limits.
type Options struct {
	// Tol returns the absolute tolerance at x (see Brent and Minimize for
	// what it bounds); nil means 0.
	Tol func(x float64) float64
	// MaxIter bounds the iterations (one evaluation of f each); 0 means
	// DefaultRootIter for Brent and DefaultMinIter for Minimize.
	MaxIter int
}

func (o Options) tol(x float64) float64 {
	if o.Tol == nil {
		return 0
	}
	return o.Tol(x)
}

func (o Options) maxIter(def int) int {
	if o.MaxIter > 0 {
		return o.MaxIter
	}
	return def
}

// Brent returns a root of f in the bracket [a, b], where fa = f(a) and
// fb = f(b) have opposite signs (a zero one is returned at once). Every
// step keeps a sign change of f between the current best point x and a
// bracket end, and the search stops when that bracket is at most
// o.Tol(x) + 4ε|x| wide: x is that close to a sign change of f (a root
// of a continuous f; a jump or a pole otherwise).
//
// The steps are inverse quadratic interpolation through the last three
// points, or secant through two, accepted only when they fall well inside
// the bracket and shrink faster than the step before last; otherwise
// bisection. An error wraps ErrNoBracket, ErrNaN (f returned NaN) or
// ErrMaxIter (o.MaxIter evaluations, default DefaultRootIter).
func Brent(f func(float64) float64, a, b, fa, fb float64, o Options) (float64, error) {
	if math.IsNaN(fa) || math.IsNaN(fb) {
		return math.NaN(), fmt.Errorf("%w: f(%g) = %g, f(%g) = %g", ErrNoBracket, a, fa, b, fb)
	}
	if fa == 0 {
		return a, nil
	}
	if fb == 0 {
		return b, nil
	}
	if (fa > 0) == (fb > 0) {
		return math.NaN(), fmt.Errorf("%w: f(%g) = %g, f(%g) = %g", ErrNoBracket, a, fa, b, fb)
	}
	// b is the best point, c the other end of the bracket around the root,
	// a the previous b; d is the last step and e the one before.
	c, fc := a, fa
	d := b - a
	e := d
	n := o.maxIter(DefaultRootIter)
	for range n {
		if (fb > 0) == (fc > 0) {
			c, fc = a, fa
			d = b - a
			e = d
		}
		if math.Abs(fc) < math.Abs(fb) {
			a, b, c = b, c, b
			fa, fb, fc = fb, fc, fb
		}
		t := 2*eps*math.Abs(b) + 0.5*o.tol(b)
		m := 0.5 * (c - b)
		if math.Abs(m) <= t || fb == 0 {
			return b, nil
		}
		if math.Abs(e) >= t && math.Abs(fa) > math.Abs(fb) {
			s := fb / fa
			var p, q float64
			if a == c {
				p = 2 * m * s
				q = 1 - s
			} else {
				qa, r := fa/fc, fb/fc
				p = s * (2*m*qa*(qa-r) - (b-a)*(r-1))
				q = (qa - 1) * (r - 1) * (s - 1)
			}
			if p > 0 {
				q = -q
			} else {
				p = -p
			}
			if 2*p < math.Min(3*m*q-math.Abs(t*q), math.Abs(e*q)) {
				e = d
				d = p / q
			} else {
				d = m
				e = d
			}
		} else {
			d = m
			e = d
		}
		a, fa = b, fb
		if math.Abs(d) > t {
			b += d
		} else {
			b += math.Copysign(t, m)
		}
		fb = f(b)
		if math.IsNaN(fb) {
			return math.NaN(), fmt.Errorf("%w at x = %g", ErrNaN, b)
		}
	}
	return math.NaN(), fmt.Errorf("%w: %d evaluations, bracket [%g, %g]", ErrMaxIter, n, math.Min(b, c), math.Max(b, c))
}

// Minimum is the result of Minimize.
type Minimum struct {
	X, F   float64 // the minimizer found and f(X)
	Lo, Hi float64 // the final bracket, Lo ≤ X ≤ Hi
}

// Minimize returns a local minimizer of f in (a, b), a < b, with the final
// bracket [Lo, Hi] around it. It stops when the bracket reaches no
// further than 2·(o.Tol(x) + ε|x|) from x on either side; f is never
// evaluated at a or b, so a minimum at an end is approached to that
// distance. An error of f is returned as it is; otherwise an error wraps
// ErrMaxIter (o.MaxIter evaluations, default DefaultMinIter).
//
// The steps are parabolic interpolation through the three best points,
// accepted when they fall inside the bracket and are shorter than half the
// step before last; otherwise a golden-section step into the larger part.
// Near a flat minimum f is flat to rounding within about √ε·|x| of it, and
// no tolerance below that can be met meaningfully.
func Minimize(f func(float64) (float64, error), a, b float64, o Options) (Minimum, error) {
	const golden = 0.3819660112501051 // (3 − √5)/2
	x := a + golden*(b-a)
	w, v := x, x
	fx, err := f(x)
	if err != nil {
		return Minimum{}, err
	}
	fw, fv := fx, fx
	var d, e float64
	n := o.maxIter(DefaultMinIter)
	for range n {
		m := (a + b) / 2
		t := o.tol(x) + eps*math.Abs(x)
		t2 := 2 * t
		if math.Abs(x-m) <= t2-(b-a)/2 {
			return Minimum{X: x, F: fx, Lo: a, Hi: b}, nil
		}
		parabolic := false
		if math.Abs(e) > t {
			// The parabola through (v, fv), (w, fw), (x, fx).
			r := (x - w) * (fx - fv)
			q := (x - v) * (fx - fw)
			p := (x-v)*q - (x-w)*r
			q = 2 * (q - r)
			if q > 0 {
				p = -p
			} else {
				q = -q
			}
			if math.Abs(p) < math.Abs(0.5*q*e) && p > q*(a-x) && p < q*(b-x) {
				e = d
				d = p / q
				if u := x + d; u-a < t2 || b-u < t2 {
					d = math.Copysign(t, m-x)
				}
				parabolic = true
			}
		}
		if !parabolic {
			if x < m {
				e = b - x
			} else {
				e = a - x
			}
			d = golden * e
		}
		u := x + d
		if math.Abs(d) < t {
			u = x + math.Copysign(t, d)
		}
		fu, err := f(u)
		if err != nil {
			return Minimum{}, err
		}
		if fu <= fx {
			if u < x {
				b = x
			} else {
				a = x
			}
			v, fv = w, fw
			w, fw = x, fx
			x, fx = u, fu
		} else {
			if u < x {
				a = u
			} else {
				b = u
			}
			if fu <= fw || w == x {
				v, fv = w, fw
				w, fw = u, fu
			} else if fu <= fv || v == x || v == w {
				v, fv = u, fu
			}
		}
	}
	return Minimum{}, fmt.Errorf("%w: %d evaluations, bracket [%g, %g]", ErrMaxIter, n, a, b)
}
