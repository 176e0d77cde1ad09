package meanfield

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lmax-project/lmax/quantize"
)

// MaxParseLevels is the largest number of levels Parse accepts in quant:N
// and uquant:N. The closed-form correlation map costs O(N²) bivariate
// normal CDFs, so quantizers beyond a few thousand levels are impractical
// here anyway; the bound keeps a typo from allocating gigabytes.
const MaxParseLevels = 1 << 20

// Parse returns the activation described by spec:
//
//	sign                       sign(x) (Sign)
//	quant:N                    canonical uniform symmetric quantizer, A = 1, δ = 2/(N-1)
//	quant:N:delta=D,amp=A      uniform symmetric quantizer (either key optional)
//	uquant:N                   canonical unsigned quantizer, A = 1, δ = 1/(N-1)
//	uquant:N:delta=D,amp=A     unsigned quantizer (either key optional)
//	identity, tanh, erf, relu, hardtanh
//	lrelu:ALPHA                leaky ReLU with negative-side slope ALPHA
//	elu:ALPHA                  ELU with saturation ALPHA
//	noisy:S:SPEC               SPEC with output noise of standard deviation S ≥ 0
//	sround:N                   stochastic rounding to the levels of quant:N (StochasticRounding)
//	sround:N:delta=D,amp=A     stochastic rounding to the levels of quant:N:delta=D,amp=A
//	usround:N[:delta=D,amp=A]  stochastic rounding to the levels of uquant:N[…]
//
// Names are case-insensitive. Numbers are Go floats (strconv.ParseFloat) and
// must be finite; N is an integer in [2, MaxParseLevels]. quant:2 is sign
// with a threshold spacing that plays no role. Errors name the spec and the
// bad part: `activation "quant:1": levels 1: need at least 2`. String on the
// result returns a spec that Parse maps to an equal activation.
func Parse(spec string) (Activation, error) {
	a, err := parse(spec)
	if err != nil {
		return nil, fmt.Errorf("activation %q: %w", spec, err)
	}
	return a, nil
}

func parse(spec string) (Activation, error) {
	name, rest, hasRest := strings.Cut(spec, ":")
	name = strings.ToLower(name)
	noArgs := func(a Activation) (Activation, error) {
		if hasRest {
			return nil, fmt.Errorf("%s takes no parameters, got %q", name, rest)
		}
		return a, nil
	}
	switch name {
	case "sign":
		return noArgs(Sign{})
	case "identity":
		return noArgs(Identity{})
	case "tanh":
		return noArgs(Tanh{})
	case "erf":
		return noArgs(Erf{})
	case "relu":
		return noArgs(ReLU{})
	case "hardtanh":
		return noArgs(HardTanh{})
	case "lrelu", "elu":
		if !hasRest {
			return nil, fmt.Errorf("%s needs a parameter: %s:ALPHA", name, name)
		}
		alpha, err := parseFinite("alpha", rest)
		if err != nil {
			return nil, err
		}
		if name == "lrelu" {
			return LeakyReLU{Alpha: alpha}, nil
		}
		return ELU{Alpha: alpha}, nil
	case "quant", "uquant":
		if !hasRest {
			return nil, fmt.Errorf("%s needs a number of levels: %s:N", name, name)
		}
		return parseQuant(name, rest)
	case "sround", "usround":
		if !hasRest {
			return nil, fmt.Errorf("%s needs a number of levels: %s:N", name, name)
		}
		base := "quant"
		if name == "usround" {
			base = "uquant"
		}
		a, err := parseQuant(base, rest)
		if err != nil {
			return nil, err
		}
		return StochasticRounding{Q: a.(Quantized).Quantizer}, nil
	case "noisy":
		sStr, inner, ok := strings.Cut(rest, ":")
		if !hasRest || !ok {
			return nil, errors.New("noisy needs a noise level and an activation: noisy:S:SPEC")
		}
		s, err := parseFinite("noise std", sStr)
		if err != nil {
			return nil, err
		}
		if s < 0 {
			return nil, fmt.Errorf("noise std %v: must be non-negative", s)
		}
		phi, err := parse(inner)
		if err != nil {
			return nil, err
		}
		if _, nested := phi.(Noisy); nested {
			return nil, fmt.Errorf("noisy inside noisy: combine the standard deviations (√(S1²+S2²))")
		}
		return Noisy{S: s, Phi: phi}, nil
	case "":
		return nil, errors.New("empty activation name")
	}
	return nil, fmt.Errorf("unknown activation %q (want sign, quant, uquant, sround, usround, identity, tanh, erf, relu, lrelu, hardtanh, elu or noisy)", name)
}

// parseQuant parses N[:delta=D,amp=A] for quant (uniform) and uquant
// (unsigned).
func parseQuant(name, rest string) (Activation, error) {
	nStr, opts, hasOpts := strings.Cut(rest, ":")
	n, err := strconv.Atoi(nStr)
	if err != nil {
		return nil, fmt.Errorf("levels %q: not an integer", nStr)
	}
	if n < 2 {
		return nil, fmt.Errorf("levels %d: need at least 2", n)
	}
	if n > MaxParseLevels {
		return nil, fmt.Errorf("levels %d: at most %d supported", n, MaxParseLevels)
	}
	delta, amp := 2/float64(n-1), 1.0
	if name == "uquant" {
		delta = 1 / float64(n-1)
	}
	if hasOpts {
		seen := map[string]bool{}
		for _, kv := range strings.Split(opts, ",") {
			key, val, ok := strings.Cut(kv, "=")
			if !ok {
				return nil, fmt.Errorf("option %q: want key=value (delta=D or amp=A)", kv)
			}
			key = strings.ToLower(key)
			if seen[key] {
				return nil, fmt.Errorf("option %s given twice", key)
			}
			seen[key] = true
			if key != "delta" && key != "amp" {
				return nil, fmt.Errorf("unknown option %q (want delta or amp)", key)
			}
			v, err := parseFinite(key, val)
			if err != nil {
				return nil, err
			}
			if v <= 0 {
				return nil, fmt.Errorf("%s %v: must be positive", key, v)
			}
			if key == "delta" {
				delta = v
			} else {
				amp = v
			}
		}
	}
	var q *quantize.Quantizer
	if name == "uquant" {
		q, err = quantize.Unsigned(n, delta, amp)
	} else {
		q, err = quantize.Uniform(n, delta, amp)
	}
	if err != nil {
		return nil, err
	}
	return Quantized{q}, nil
}

// parseFinite parses a finite float named what.
func parseFinite(what, s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%s %q: out of range", what, s)
	}
	if err != nil {
		return 0, fmt.Errorf("%s %q: not a number", what, s)
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%s %v: must be finite", what, v)
	}
	return v, nil
}
