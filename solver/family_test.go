package solver

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/lmax-project/lmax/meanfield"
)

// TestLloydMaxSchemeFixedPoint checks Lloyd–Max schemes against the
// definitions they claim, through package meanfield's general quantized
// activation built from Scheme.Quantizer: V(q*) = q* (the variance fixed
// point), χ(c* = 0) = χ_max to 1e−13, the STE condition
// σ_w² s² P(|u| ≤ A) = 1, ξ = −1/ln χ, L_max = κξ; and rescaling the
// amplitude leaves χ and σ_w unchanged and moves q* to (A/y_{N−1})².
func TestLloydMaxSchemeFixedPoint(t *testing.T) {
	for _, n := range []int{2, 3, 4, 8, 16, 255} {
		canon, err := LloydMax.Canonical(n, DefaultKappa)
		if err != nil {
			t.Fatal(err)
		}
		o := mustLloydMax(t, n)
		top := o.Values[n-1]
		if canon.QStar != 1 || canon.Amplitude != top || canon.SigmaW != 1/math.Sqrt(o.Chi) ||
			canon.ChiMax != o.Chi || canon.OneMinusChi != o.OneMinusChi {
			t.Errorf("N=%d: canonical scheme %+v", n, canon)
		}
		for _, amp := range []float64{top, 1, 2.5} {
			s, err := NewLloydMaxScheme(n, amp, 4)
			if err != nil {
				t.Fatal(err)
			}
			if s.HasSpacing() || !math.IsNaN(s.Delta) || s.Family != LloydMax || s.Method != Exact || s.SigmaB != 0 {
				t.Errorf("N=%d A=%v: %+v", n, amp, s)
			}
			if s.ChiMax != o.Chi || s.SigmaW != canon.SigmaW || rel(s.QStar, (amp/top)*(amp/top)) > 4e-16 {
				t.Errorf("N=%d A=%v: χ %v σ_w %v q* %v", n, amp, s.ChiMax, s.SigmaW, s.QStar)
			}
			y := s.LevelValues()
			if rel(y[n-1], amp) > 4e-16 || len(s.Thresholds()) != n-1 {
				t.Errorf("N=%d A=%v: outermost level %v", n, amp, y[n-1])
			}
			q, err := s.Quantizer()
			if err != nil {
				t.Fatal(err)
			}
			net, err := meanfield.New(meanfield.Quantized{Quantizer: q}, s.SigmaW, 0)
			if err != nil {
				t.Fatal(err)
			}
			if r := rel(net.V(s.QStar), s.QStar); r > 1e-13 {
				t.Errorf("N=%d A=%v: V(q*) = %v, q* = %v", n, amp, net.V(s.QStar), s.QStar)
			}
			if r := rel(net.Chi(s.QStar, 0), s.ChiMax); r > 1e-13 {
				t.Errorf("N=%d A=%v: meanfield χ(0) = %v, scheme %v", n, amp, net.Chi(s.QStar, 0), s.ChiMax)
			}
			ste := s.STE()
			if ste.Hi != amp || ste.Lo != -amp {
				t.Errorf("N=%d A=%v: STE window %v", n, amp, ste)
			}
			pin := math.Erf(ste.Hi / math.Sqrt(2*s.QStar))
			if r := math.Abs(s.SigmaW*s.SigmaW*s.STESlope*s.STESlope*pin - 1); r > 1e-15 {
				t.Errorf("N=%d A=%v: σ_w² s² P(|u| ≤ t) − 1 = %.3g", n, amp, r)
			}
			if rel(s.Xi, -1/math.Log(s.ChiMax)) > 1e-15/s.OneMinusChi || s.LMax != 4*s.Xi {
				t.Errorf("N=%d: ξ %v L_max %v", n, s.Xi, s.LMax)
			}
		}
	}
}

// TestSchemeJSONKeys: uniform schemes end with quantizer and method; Lloyd–Max
// schemes have null spacing and delta and list their quantizer.
func TestSchemeJSONKeys(t *testing.T) {
	u := mustCanonical(t, 8)
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(b), `"quantizer":"uniform","method":"exact"}`) {
		t.Errorf("uniform JSON %s", b)
	}
	big := mustCanonical(t, 1<<20)
	if b, _ := json.Marshal(big); !strings.Contains(string(b), `"method":"asymptotic"`) {
		t.Errorf("N=2^20 JSON %s", b)
	}
	lm, err := LloydMax.Canonical(4, DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	b, err = json.Marshal(lm)
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if rec["spacing"] != nil || rec["delta"] != nil || rec["quantizer"] != "lloyd-max" || rec["method"] != "exact" {
		t.Errorf("Lloyd–Max JSON %s", b)
	}
	if g, ok := rec["thresholds"].([]any); !ok || len(g) != 3 || g[1].(float64) != 0 {
		t.Errorf("thresholds %v", rec["thresholds"])
	}
	if y, ok := rec["level_values"].([]any); !ok || len(y) != 4 || y[3].(float64) != lm.Amplitude {
		t.Errorf("level_values %v", rec["level_values"])
	}
}

func TestFamily(t *testing.T) {
	for _, c := range []struct {
		name string
		f    Family
	}{{"uniform", Uniform}, {"lloyd-max", LloydMax}, {"unsigned", Unsigned}} {
		f, err := ParseFamily(c.name)
		if err != nil || f != c.f || f.String() != c.name {
			t.Errorf("ParseFamily(%q) = %v, %v", c.name, f, err)
		}
		if b, err := json.Marshal(f); err != nil || string(b) != `"`+c.name+`"` {
			t.Errorf("JSON %s %v", b, err)
		}
	}
	if got := strings.Join(FamilyNames(), ","); got != "uniform,lloyd-max,unsigned" {
		t.Errorf("FamilyNames %v", got)
	}
	for _, bad := range []string{"", "Uniform", "Unsigned", "lloyd_max", "uquant"} {
		if _, err := ParseFamily(bad); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "quantizer") {
			t.Errorf("ParseFamily(%q): %v", bad, err)
		}
	}
	if _, err := json.Marshal(Family(7)); err == nil || Family(7).String() != "Family(7)" {
		t.Error("unknown family")
	}
	if _, err := Family(7).Canonical(4, 6); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown family Canonical: %v", err)
	}
	if _, _, _, err := Family(-1).LevelsFor(10, 6); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown family LevelsFor: %v", err)
	}
	// Uniform's methods are the package-level functions.
	levels := []int{2, 3, 17, 1000}
	a, err := Uniform.Sweep(levels, 5)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Sweep(levels, 5)
	for i := range a {
		ja, _ := json.Marshal(a[i])
		jb, _ := json.Marshal(b[i])
		if string(ja) != string(jb) {
			t.Errorf("Uniform.Sweep differs: %s vs %s", ja, jb)
		}
	}
	if Uniform.MaxLevels() != MaxLevels || LloydMax.MaxLevels() != MaxLloydMaxLevels || Unsigned.MaxLevels() != MaxUnsignedLevels {
		t.Error("MaxLevels")
	}
	for _, c := range []struct {
		f      Family
		levels []int
		kappa  float64
	}{{LloydMax, []int{4, MaxLloydMaxLevels + 1}, 6}, {LloydMax, []int{1}, 6}, {LloydMax, []int{4}, 0},
		{Uniform, []int{MaxLevels + 1}, 6}, {Unsigned, []int{MaxUnsignedLevels + 1}, 6}, {Unsigned, []int{4}, -1}} {
		if _, err := c.f.Sweep(c.levels, c.kappa); !errors.Is(err, ErrInvalid) {
			t.Errorf("%v.Sweep(%v, %v): %v", c.f, c.levels, c.kappa, err)
		}
	}
	for _, c := range []struct {
		n          int
		amp, kappa float64
	}{{1, 1, 6}, {MaxLloydMaxLevels + 1, 1, 6}, {4, 0, 6}, {4, math.NaN(), 6}, {4, math.Inf(1), 6}, {4, 1, -1}} {
		if _, err := NewLloydMaxScheme(c.n, c.amp, c.kappa); !errors.Is(err, ErrInvalid) {
			t.Errorf("NewLloydMaxScheme(%v): %v", c, err)
		}
	}
}

// TestLloydMaxLevelsFor: L_max of the Lloyd–Max schemes rises strictly with N
// (N ≤ 300), exceeds the uniform one for N ≥ 4, and LevelsFor returns the
// smallest N that reaches each depth.
func TestLloydMaxLevelsFor(t *testing.T) {
	ss, err := LloydMax.Sweep(levelsRange(2, 300), 4)
	if err != nil {
		t.Fatal(err)
	}
	us, _ := Sweep(levelsRange(2, 300), 4)
	for i := 1; i < len(ss); i++ {
		if !(ss[i].LMax > ss[i-1].LMax) {
			t.Errorf("L_max(%d) = %v ≤ L_max(%d)", ss[i].Levels, ss[i].LMax, ss[i-1].Levels)
		}
		if ss[i].Levels >= 4 && !(ss[i].LMax > us[i].LMax) {
			t.Errorf("N=%d: Lloyd–Max L_max %v ≤ uniform %v", ss[i].Levels, ss[i].LMax, us[i].LMax)
		}
	}
	for _, i := range []int{0, 1, 5, 30, 200} {
		s := ss[i]
		for _, c := range []struct {
			depth float64
			want  int
		}{{s.LMax, s.Levels}, {math.Nextafter(s.LMax, math.Inf(1)), s.Levels + 1}} {
			n, bits, got, err := LloydMax.LevelsFor(c.depth, 4)
			if err != nil || n != c.want || bits != bitsFor(n) || got.Family != LloydMax || got.LMax < c.depth {
				t.Errorf("depth %v: N = %d, want %d (%v)", c.depth, n, c.want, err)
			}
		}
	}
	if _, _, _, err := LloydMax.LevelsFor(1e30, 6); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "beyond") {
		t.Errorf("unreachable depth: %v", err)
	}
}
