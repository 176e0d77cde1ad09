package meanfield

import (
	"math"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		spec, str string // str: the canonical String
		x, y      float64
	}{
		{"sign", "sign", -0.3, -1},
		{"SIGN", "sign", 0, 1},
		{"quant:2", "quant:2", 0.1, 1},
		{"quant:4", "quant:4", 0.2, 1.0 / 3},
		{"quant:4:delta=0.6666666666666666", "quant:4", 0.2, 1.0 / 3},
		{"quant:3:delta=0.5", "quant:3:delta=0.5,amp=1", 0.3, 1},
		{"quant:3:amp=2", "quant:3:delta=1,amp=2", 0.3, 0},
		{"quant:5:amp=2,delta=0.25", "quant:5:delta=0.25,amp=2", 0.2, 1},
		{"uquant:3", "uquant:3", 0.3, 0.5},
		{"uquant:3:delta=2", "uquant:3:delta=2,amp=1", 3.1, 1},
		{"identity", "identity", 1.5, 1.5},
		{"tanh", "tanh", 1, math.Tanh(1)},
		{"erf", "erf", 1, math.Erf(1)},
		{"relu", "relu", -2, 0},
		{"lrelu:0.1", "lrelu:0.1", -2, -0.2},
		{"hardtanh", "hardtanh", 3, 1},
		{"elu:1", "elu:1", -1, math.Expm1(-1)},
		{"noisy:0.1:tanh", "noisy:0.1:tanh", 1, math.Tanh(1)},
		{"noisy:0:quant:3", "noisy:0:quant:3", 0.6, 1},
		{"sround:4", "sround:4", 0.2, 0.2},
		{"SROUND:3:amp=2", "sround:3:delta=1,amp=2", 0.25, 0.5},
		{"sround:5:delta=0.25", "sround:5:delta=0.25,amp=1", 0.2, 0.4},
		{"usround:3", "usround:3", 0.25, 0.25},
		{"usround:3:delta=2", "usround:3:delta=2,amp=1", 1, 0.25},
		{"noisy:0.1:sround:4", "noisy:0.1:sround:4", -0.4, -0.4},
	} {
		a, err := Parse(tc.spec)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.spec, err)
			continue
		}
		if got := a.String(); got != tc.str {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.spec, got, tc.str)
		}
		if got := a.Eval(tc.x); math.Abs(got-tc.y) > 1e-15 {
			t.Errorf("Parse(%q).Eval(%g) = %g, want %g", tc.spec, tc.x, got, tc.y)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ spec, msg string }{
		{"quant:1", `activation "quant:1": levels 1: need at least 2`},
		{"quant", "needs a number of levels"},
		{"quant:x", `levels "x": not an integer`},
		{"quant:99999999", "at most"},
		{"quant:4:delta=-1", "delta -1: must be positive"},
		{"quant:4:amp=0", "amp 0: must be positive"},
		{"quant:4:delta=NaN", "must be finite"},
		{"quant:4:delta=1e999", "out of range"},
		{"quant:4:delta=1e308", "delta 1e+308 with 4 levels: threshold 1 overflows"},
		{"quant:3:delta=5e-324", "thresholds 1 and 2 are not distinct"},
		{"usround:3:delta=1e308", "clip point overflows"},
		{"quant:4:delta=1,delta=2", "given twice"},
		{"quant:4:width=1", `unknown option "width"`},
		{"quant:4:delta", "want key=value"},
		{"quant:4:", "want key=value"},
		{"uquant:0", "levels 0: need at least 2"},
		{"tanh:3", "takes no parameters"},
		{"lrelu", "needs a parameter"},
		{"lrelu:abc", `alpha "abc": not a number`},
		{"elu:Inf", "must be finite"},
		{"noisy:0.1", "noisy:S:SPEC"},
		{"noisy:-1:tanh", "noise std -1: must be non-negative"},
		{"noisy:0.1:bogus", `unknown activation "bogus"`},
		{"noisy:0.1:noisy:0.1:tanh", "noisy inside noisy"},
		{"sround", "sround needs a number of levels"},
		{"usround:1", "levels 1: need at least 2"},
		{"sround:x", `levels "x": not an integer`},
		{"sround:4:width=1", `unknown option "width"`},
		{"usround:4:amp=-2", "amp -2: must be positive"},
		{"", "empty activation name"},
		{"swish", `unknown activation "swish"`},
	} {
		_, err := Parse(tc.spec)
		if err == nil {
			t.Errorf("Parse(%q): no error, want %q", tc.spec, tc.msg)
			continue
		}
		if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "activation ") {
			t.Errorf("Parse(%q) error %q, want it to contain %q", tc.spec, err, tc.msg)
		}
	}
}

// FuzzParse checks that Parse never panics and that every accepted spec
// round-trips: String gives a spec that parses to an activation with the
// same String and the same values.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"sign", "quant:4", "quant:5:delta=0.3,amp=2", "uquant:3:amp=1e-3",
		"identity", "tanh", "erf", "relu", "lrelu:-0", "hardtanh", "elu:0.5", "noisy:0.25:quant:3",
		"noisy:1e-300:uquant:2:delta=7", "quant:4:delta=0x1p-3", "lrelu:1e308",
		"sround:4", "usround:3:delta=0.5,amp=2", "noisy:0.1:sround:5", "sround:2:delta=1e-300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		a, err := Parse(spec)
		if err != nil {
			if a != nil {
				t.Fatalf("Parse(%q) returned %v with error %v", spec, a, err)
			}
			return
		}
		s := a.String()
		b, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", spec, s, err)
		}
		if b.String() != s {
			t.Fatalf("round trip %q → %q → %q", spec, s, b.String())
		}
		for _, x := range []float64{-2.5, -0.4, 0, 0.3, 1, 7} {
			va, vb := a.Eval(x), b.Eval(x)
			if va != vb && !(math.IsNaN(va) && math.IsNaN(vb)) {
				t.Fatalf("%q and %q differ at %g: %g vs %g", spec, s, x, va, vb)
			}
		}
	})
}
