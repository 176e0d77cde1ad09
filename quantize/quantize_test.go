package quantize

import (
	"errors"
	"math"
	"testing"
)

func TestCanonicalRoundsClippedInput(t *testing.T) {
	// The canonical quantizer rounds clip(x, -1, 1) to the nearest of N
	// levels in [-1, 1]; check that against a direct rounding formula away
	// from the thresholds (where the rounding direction is a convention).
	for _, n := range []int{2, 3, 4, 5, 8, 16, 255, 256} {
		q, err := Canonical(n)
		if err != nil {
			t.Fatal(err)
		}
		step := 2 / float64(n-1)
		for x := -1.7; x <= 1.7; x += 0.0137 {
			c := math.Max(-1, math.Min(1, x))
			pos := (c + 1) / step
			if frac := pos - math.Floor(pos); math.Abs(frac-0.5) < 1e-9 {
				continue
			}
			want := -1 + step*math.Round(pos)
			if n == 2 {
				want = math.Copysign(1, x)
			}
			if got := q.Eval(x); math.Abs(got-want) > 1e-15 {
				t.Fatalf("N=%d: φ(%v) = %v, want %v", n, x, got, want)
			}
		}
	}
}

func TestUniformFormulas(t *testing.T) {
	q, err := Uniform(5, 0.3, 2)
	if err != nil {
		t.Fatal(err)
	}
	wantG := []float64{-0.45, -0.15, 0.15, 0.45}
	wantY := []float64{-2, -1, 0, 1, 2}
	g, a := q.Jumps()
	for k := range wantG {
		if math.Abs(g[k]-wantG[k]) > 1e-15 || a[k] != 1 {
			t.Fatalf("jump %d = (%v, %v), want (%v, 1)", k+1, g[k], a[k], wantG[k])
		}
	}
	for k, y := range q.Levels() {
		if y != wantY[k] {
			t.Fatalf("level %d = %v, want %v", k, y, wantY[k])
		}
	}
	if !q.Odd() {
		t.Error("uniform symmetric quantizer not reported odd")
	}
	if c := q.Clip(); math.Abs(c-0.6) > 1e-15 {
		t.Errorf("clip = %v, want δ(N-1)/2 = 0.6", c)
	}
	if d, amp, ok := q.Uniform(); !ok || d != 0.3 || amp != 2 {
		t.Errorf("Uniform() = %v, %v, %v", d, amp, ok)
	}
	// Thresholds of an even N are exactly antisymmetric.
	e, _ := Uniform(6, 0.1, 1)
	th := e.Thresholds()
	for k := range th {
		if th[k] != -th[len(th)-1-k] {
			t.Fatalf("thresholds not antisymmetric: %v", th)
		}
	}
}

// TestUniformOddAllN holds Uniform to exact antisymmetry for every N up to
// 1000 and several spacings and amplitudes: Odd must report the symmetric
// family as odd (levels computed as A(-1 + 2k/(N-1)) failed for 989 of these
// N), and each level must agree with (A(2k-(N-1)))/(N-1): both are two
// correctly rounded operations from the exact value, so they differ by at
// most 4·2⁻⁵³ relatively.
func TestUniformOddAllN(t *testing.T) {
	for _, p := range []struct{ delta, amp float64 }{{0.37, 1.3}, {0.1, 1}, {1e-3, 7}} {
		for n := 2; n <= 1000; n++ {
			q, err := Uniform(n, p.delta, p.amp)
			if err != nil {
				t.Fatal(err)
			}
			if !q.Odd() {
				t.Fatalf("Uniform(%d, %v, %v) not odd: levels %v", n, p.delta, p.amp, q.Levels())
			}
			for k, y := range q.Levels() {
				want := p.amp * float64(2*k-(n-1)) / float64(n-1)
				if math.Abs(y-want) > 0x1p-51*math.Abs(want) {
					t.Fatalf("N=%d: level %d = %v, want %v", n, k, y, want)
				}
			}
		}
	}
	// Unsigned levels with a huge amplitude stay finite.
	u, err := Unsigned(5, 1, 1e308)
	if err != nil {
		t.Fatal(err)
	}
	if top := u.Levels()[4]; top != 1e308 {
		t.Errorf("Unsigned(5, 1, 1e308) top level = %v, want 1e308", top)
	}
}

func TestJumpsReconstructEval(t *testing.T) {
	q, err := New([]float64{-1, 0.25, 3}, []float64{-2, -2, 0.5, 7})
	if err != nil {
		t.Fatal(err)
	}
	g, a := q.Jumps()
	y0 := q.Levels()[0]
	for x := -5.0; x <= 5; x += 0.01 {
		sum := y0
		for k := range g {
			if x >= g[k] {
				sum += a[k]
			}
		}
		if got := q.Eval(x); got != sum {
			t.Fatalf("φ(%v) = %v, jump sum %v", x, got, sum)
		}
	}
	if q.Odd() {
		t.Error("asymmetric quantizer reported odd")
	}
}

func TestUnsigned(t *testing.T) {
	q, err := CanonicalUnsigned(4)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ x, want float64 }{
		{-3, 0}, {0.1, 0}, {0.2, 1.0 / 3}, {0.5, 2.0 / 3}, {0.9, 1}, {40, 1},
	}
	for _, c := range cases {
		if got := q.Eval(c.x); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("φ(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	ste := q.STE(2)
	if ste.Deriv(-0.1) != 0 || ste.Deriv(0.5) != 2 || ste.Deriv(1.01) != 0 {
		t.Errorf("unsigned STE window wrong: %+v", ste)
	}
}

func TestSTE(t *testing.T) {
	q, _ := Canonical(8)
	s := q.STE(1.5)
	for _, c := range []struct{ x, want float64 }{{-1, 1.5}, {1, 1.5}, {0, 1.5}, {1.0001, 0}, {-2, 0}} {
		if got := s.Deriv(c.x); got != c.want {
			t.Errorf("STE'(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	sign, _ := Canonical(2)
	if sign.Clip() != 1 {
		t.Errorf("sign clip = %v, want 1", sign.Clip())
	}
}

func TestValidation(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	bad := []struct {
		name string
		make func() (*Quantizer, error)
	}{
		{"levels 1", func() (*Quantizer, error) { return Canonical(1) }},
		{"levels 0", func() (*Quantizer, error) { return Uniform(0, 1, 1) }},
		{"levels -3", func() (*Quantizer, error) { return CanonicalUnsigned(-3) }},
		{"delta 0", func() (*Quantizer, error) { return Uniform(4, 0, 1) }},
		{"delta NaN", func() (*Quantizer, error) { return Uniform(4, nan, 1) }},
		{"amplitude Inf", func() (*Quantizer, error) { return Unsigned(4, 1, inf) }},
		{"amplitude -1", func() (*Quantizer, error) { return Uniform(4, 1, -1) }},
		{"thresholds count", func() (*Quantizer, error) { return New([]float64{0, 1}, []float64{0, 1}) }},
		{"threshold 2", func() (*Quantizer, error) { return New([]float64{0, 0}, []float64{0, 1, 2}) }},
		{"level 1", func() (*Quantizer, error) { return New([]float64{0}, []float64{1, 0}) }},
		{"threshold 1", func() (*Quantizer, error) { return New([]float64{nan}, []float64{0, 1}) }},
		{"uniform thresholds overflow", func() (*Quantizer, error) { return Uniform(4, 1e308, 1) }},
		{"uniform thresholds collapse", func() (*Quantizer, error) { return Uniform(3, 5e-324, 1) }},
		{"unsigned clip overflows", func() (*Quantizer, error) { return Unsigned(3, 1e308, 1) }},
		{"new clip overflows", func() (*Quantizer, error) { return New([]float64{-1e308, 1e308}, []float64{0, 1, 2}) }},
	}
	for _, c := range bad {
		q, err := c.make()
		if err == nil || q != nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: error %v does not wrap ErrInvalid", c.name, err)
		}
	}
}

func TestNewCopiesInput(t *testing.T) {
	g, y := []float64{0}, []float64{-1, 1}
	q, err := New(g, y)
	if err != nil {
		t.Fatal(err)
	}
	g[0], y[1] = 5, 9
	if q.Eval(1) != 1 {
		t.Fatal("quantizer changed when the caller's slices did")
	}
}

func BenchmarkEval256(b *testing.B) {
	q, _ := Canonical(256)
	x := 0.0
	for i := 0; i < b.N; i++ {
		x += q.Eval(float64(i%2000)/1000 - 1)
	}
	_ = x
}
