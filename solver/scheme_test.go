package solver

import (
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

func mustCanonical(t testing.TB, n int) Scheme {
	t.Helper()
	s, err := Canonical(n, DefaultKappa)
	if err != nil {
		t.Fatalf("Canonical(%d): %v", n, err)
	}
	return s
}

// TestSchemeSign: N = 2 is sign, χ = 2/π and ξ = −1/ln(2/π) (THEORY.md §6).
func TestSchemeSign(t *testing.T) {
	s := mustCanonical(t, 2)
	xi := -1 / math.Log(2/math.Pi)
	if s.HasSpacing() || s.ChiMax != 2/math.Pi || rel(s.Xi, xi) > 4e-16 || rel(s.LMax, 6*xi) > 4e-16 {
		t.Errorf("sign: %+v", s)
	}
	if s.SigmaW != 1 || s.QStar != 1 || s.Bits != 1 || s.SigmaB != 0 {
		t.Errorf("sign: σ_w %v q* %v bits %v", s.SigmaW, s.QStar, s.Bits)
	}
	if want := 1 / math.Sqrt(math.Erf(1/math.Sqrt2)); rel(s.STESlope, want) > 2e-16 {
		t.Errorf("sign: STE slope %v, want %v", s.STESlope, want)
	}
	b, err := json.Marshal(s)
	if err != nil || !strings.Contains(string(b), `"spacing":null`) {
		t.Errorf("sign JSON: %s, %v", b, err)
	}
}

// TestSchemeFixedPoint checks each scheme against the definitions it
// claims, with the quantizer built by package quantize and E[φ(√q* z)²]
// summed over its bins independently of the solver: q* = σ_w² E[φ(√q* z)²]
// (the variance fixed point), δ/√q* = D_opt, the STE condition
// σ_w² s² P(|u| ≤ t) = 1 with P from the quantizer's clip point, and
// ξ = −1/ln χ.
func TestSchemeFixedPoint(t *testing.T) {
	for _, c := range []struct {
		n          int
		delta, amp float64
	}{{2, 2, 1}, {2, 0.5, 3}, {3, 1, 1}, {4, 2.0 / 3, 1}, {5, 0.1, 7}, {16, 0.05, 0.5}, {255, 2.0 / 254, 1}, {256, 1, 1}} {
		s, err := NewScheme(c.n, c.delta, c.amp, 4)
		if err != nil {
			t.Fatal(err)
		}
		q, err := s.Quantizer()
		if err != nil {
			t.Fatal(err)
		}
		g, y := q.Thresholds(), q.Levels()
		sq := math.Sqrt(s.QStar)
		var e2 float64 // E[φ(√q* z)²] = Σ_j y_j² P(bin j)
		for j := range y {
			lo, hi := math.Inf(-1), math.Inf(1)
			if j > 0 {
				lo = g[j-1] / sq
			}
			if j < len(g) {
				hi = g[j] / sq
			}
			p := 0.5*math.Erfc(lo/math.Sqrt2) - 0.5*math.Erfc(hi/math.Sqrt2)
			if lo > 0 {
				p = upperTail(lo) - upperTail(hi)
			}
			e2 += y[j] * y[j] * p
		}
		if r := rel(s.SigmaW*s.SigmaW*e2, s.QStar); r > 1e-13 {
			t.Errorf("N=%d δ=%v A=%v: σ_w² E[φ²] = %v, q* = %v (rel %.3g)", c.n, c.delta, c.amp, s.SigmaW*s.SigmaW*e2, s.QStar, r)
		}
		if c.n > 2 {
			if r := rel(c.delta/sq, s.Spacing); r > 4e-16 {
				t.Errorf("N=%d: δ/√q* = %v, D_opt = %v", c.n, c.delta/sq, s.Spacing)
			}
			o := mustOptimum(t, c.n)
			if o.Spacing != s.Spacing || o.Chi != s.ChiMax {
				t.Errorf("N=%d: scheme and optimum differ", c.n)
			}
		}
		ste := s.STE()
		if ste.Hi != q.Clip() {
			t.Errorf("N=%d: STE window %v, quantizer clip %v", c.n, ste.Hi, q.Clip())
		}
		pin := math.Erf(q.Clip() / (sq * math.Sqrt2))
		if r := math.Abs(s.SigmaW*s.SigmaW*s.STESlope*s.STESlope*pin - 1); r > 1e-15 {
			t.Errorf("N=%d: σ_w² s² P(|u| ≤ t) = 1 %+.3g", c.n, r)
		}
		if r := rel(s.Xi, -1/math.Log(s.ChiMax)); r > 1e-15/s.OneMinusChi {
			t.Errorf("N=%d: ξ = %v vs −1/ln χ = %v", c.n, s.Xi, -1/math.Log(s.ChiMax))
		}
		if s.LMax != 4*s.Xi {
			t.Errorf("N=%d: L_max %v ≠ κ ξ", c.n, s.LMax)
		}
	}
}

// TestSchemeScaleFree: χ, ξ and σ_w·A/δ do not depend on δ and A.
func TestSchemeScaleFree(t *testing.T) {
	for _, n := range []int{3, 8, 100} {
		a := mustCanonical(t, n)
		b, err := NewScheme(n, 0.37, 2.5, DefaultKappa)
		if err != nil {
			t.Fatal(err)
		}
		if a.ChiMax != b.ChiMax || a.Xi != b.Xi {
			t.Errorf("N=%d: χ depends on δ, A", n)
		}
		ra := a.SigmaW * a.Amplitude / a.Delta
		rb := b.SigmaW * b.Amplitude / b.Delta
		if rel(ra, rb) > 4e-16 {
			t.Errorf("N=%d: σ_w A/δ = %v vs %v", n, ra, rb)
		}
	}
}

// TestLMaxMonotone: L_max increases strictly with N, for every N ≤ 2000,
// on a geometric grid to MaxLevels and at every N across the switch to the
// asymptotic method (the premise of LevelsFor's search).
func TestLMaxMonotone(t *testing.T) {
	var levels []int
	for n := 2; n <= 2000; n++ {
		levels = append(levels, n)
	}
	for n := 2048; n < AsymptoticLevels-8; n = n * 5 / 4 {
		levels = append(levels, n)
	}
	for n := AsymptoticLevels - 8; n <= AsymptoticLevels+8; n++ {
		levels = append(levels, n)
	}
	for n := AsymptoticLevels + 16; n < MaxLevels; n = n * 5 / 4 {
		levels = append(levels, n)
	}
	levels = append(levels, MaxLevels-1, MaxLevels)
	ss, err := Sweep(levels, DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(ss); i++ {
		if !(ss[i].LMax > ss[i-1].LMax) {
			t.Errorf("L_max(%d) = %v ≤ L_max(%d) = %v", ss[i].Levels, ss[i].LMax, ss[i-1].Levels, ss[i-1].LMax)
		}
	}
}

// TestSweepDeterministic: results in input order, bit-identical with one
// worker and with several.
func TestSweepDeterministic(t *testing.T) {
	levels := []int{1000, 2, 7, 64, 3, 513, 2, 100}
	prev := runtime.GOMAXPROCS(1)
	one, err := Sweep(levels, 9)
	runtime.GOMAXPROCS(4)
	four, err4 := Sweep(levels, 9)
	runtime.GOMAXPROCS(prev)
	if err != nil || err4 != nil {
		t.Fatal(err, err4)
	}
	for i, n := range levels {
		a, b := one[i], four[i]
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if a.Levels != n || string(ja) != string(jb) {
			t.Errorf("entry %d: %s vs %s", i, ja, jb)
		}
		c := mustCanonical(t, n)
		if c.OneMinusChi != a.OneMinusChi || a.Kappa != 9 {
			t.Errorf("entry %d: sweep differs from Canonical", i)
		}
	}
}

func TestSchemeErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, c := range []struct {
		n                 int
		delta, amp, kappa float64
	}{{1, 1, 1, 6}, {MaxLevels + 1, 1, 1, 6}, {4, 0, 1, 6}, {4, nan, 1, 6}, {4, 1, -1, 6}, {4, 1, inf, 6},
		{4, 1, 1, 0}, {4, 1, 1, nan}, {4, 1, 1, inf}, {4, 1, 1, -6},
		// Finite, positive, but σ_w, q*, the STE slope or L_max would
		// overflow, underflow or be subnormal.
		{4, 1e-300, 1, 6}, {4, 1e300, 1, 6}, {2, 1, 1e-300, 6}, {2, 1, 1e300, 6}, {4, 1e-320, 1e300, 6},
		{4, math.MaxFloat64, 1e-300, 6}, {4, 1, 1, math.MaxFloat64}, {1 << 20, 1, 1, 1e-320}} {
		if _, err := NewScheme(c.n, c.delta, c.amp, c.kappa); !errors.Is(err, ErrInvalid) {
			t.Errorf("NewScheme(%v): err = %v", c, err)
		}
	}
	if _, err := Canonical(0, 6); !errors.Is(err, ErrInvalid) {
		t.Errorf("Canonical(0): %v", err)
	}
	if _, _, _, err := LevelsFor(math.MaxFloat64, 1e300); !errors.Is(err, ErrInvalid) {
		t.Errorf("LevelsFor with L_max overflowing: %v", err)
	}
	if _, err := Sweep([]int{4, 1}, 6); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "levels[1]") {
		t.Errorf("Sweep bad entry: %v", err)
	}
	if _, err := Sweep([]int{4}, nan); !errors.Is(err, ErrInvalid) {
		t.Errorf("Sweep bad κ: %v", err)
	}
}

// TestLevelsFor: the answer is the smallest N with L_max ≥ depth, exactly
// at and just above each L_max(N).
func TestLevelsFor(t *testing.T) {
	ss, err := Sweep([]int{2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 100, 101, 1000, 1001}, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		for _, c := range []struct {
			depth float64
			want  int
		}{{s.LMax, s.Levels}, {math.Nextafter(s.LMax, 0), s.Levels}, {math.Nextafter(s.LMax, math.Inf(1)), s.Levels + 1}} {
			n, bits, got, err := LevelsFor(c.depth, 4)
			if err != nil {
				t.Fatal(err)
			}
			// Just below L_max(N) the answer may be smaller only if
			// L_max(N−1) reaches it, which monotonicity excludes.
			if n != c.want || bits != bitsFor(c.want) || got.Levels != n || got.LMax < c.depth {
				t.Errorf("depth %v: N = %d bits %d, want %d", c.depth, n, bits, c.want)
			}
		}
	}
	if n, bits, _, err := LevelsFor(1e-3, 6); n != 2 || bits != 1 || err != nil {
		t.Errorf("tiny depth: %d %d %v", n, bits, err)
	}
	if n, bits, _, _ := LevelsFor(1e6, 6); bits != bitsFor(n) || n < 2 {
		t.Errorf("depth 1e6: %d %d", n, bits)
	}
	for _, d := range []float64{0, -1, math.NaN(), math.Inf(1), 1e300} {
		if _, _, _, err := LevelsFor(d, 6); !errors.Is(err, ErrInvalid) {
			t.Errorf("LevelsFor(%v): %v", d, err)
		}
	}
	if _, _, _, err := LevelsFor(10, 0); !errors.Is(err, ErrInvalid) {
		t.Errorf("LevelsFor κ=0: %v", err)
	}
}

func TestBitsFor(t *testing.T) {
	for n, want := range map[int]int{1: 0, 2: 1, 3: 2, 4: 2, 5: 3, 255: 8, 256: 8, 257: 9, 1 << 22: 22, 1<<32 - 1: 32, 1 << 32: 32} {
		if got := bitsFor(n); got != want {
			t.Errorf("bitsFor(%d) = %d, want %d", n, got, want)
		}
	}
}

// TestXiMaxLevels checks the constant that lets LevelsFor reject depths
// beyond L_max(MaxLevels) cheaply.
func TestXiMaxLevels(t *testing.T) {
	s := mustCanonical(t, MaxLevels)
	if r := rel(s.Xi, xiMaxLevels); r > 1e-12 {
		t.Errorf("ξ(MaxLevels) = %.17g, constant %.17g", s.Xi, xiMaxLevels)
	}
}
