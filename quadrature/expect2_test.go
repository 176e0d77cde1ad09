package quadrature

import (
	"math"
	"testing"
)

// arcsin returns arcsin(c) accurately for |c| near 1, where math.Asin
// loses up to 1e-12 (it forms 1 - c²).
func arcsin(c float64) float64 { return math.Atan2(c, math.Sqrt((1-c)*(1+c))) }

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

func relu(x float64) float64 { return max(x, 0) }

// reluKernel returns the arc-cosine kernel (√(1-c²) + (π - arccos c)c)/(2π)
// of THEORY.md §6. For c < 0 the two terms cancel: with θ = arccos|c| it is
// (sin θ - θ cos θ)/(2π), summed as the series Σ_k (-1)^{k+1} 2k
// θ^{2k+1}/(2k+1)! when θ is small.
func reluKernel(c float64) float64 {
	th := math.Atan2(math.Sqrt((1-c)*(1+c)), math.Abs(c)) // arccos|c|, accurate near 1
	if c >= 0 {
		return (math.Sin(th) + (math.Pi-th)*c) / (2 * math.Pi)
	}
	if th > 0.5 {
		return (math.Sin(th) - th*math.Cos(th)) / (2 * math.Pi)
	}
	sum, term, sgn := 0.0, th, 1.0 // term = θ^{2k+1}/(2k+1)!, sgn = (-1)^{k+1}
	for k := 1; k < 30; k++ {
		term *= th * th / float64((2*k)*(2*k+1))
		sum += sgn * float64(2*k) * term
		sgn = -sgn
	}
	return sum / (2 * math.Pi)
}

// corrGrid holds correlations up to |c| = 0.99, where Expect2 is held to
// 1e-12 relative.
var corrGrid = []float64{-0.99, -0.9, -0.5, -0.1, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99}

// TestExpect2ClosedForms checks the identities of THEORY.md §6 (with
// unequal variances where they allow it).
func TestExpect2ClosedForms(t *testing.T) {
	type tc struct {
		name   string
		f      func(float64) float64
		breaks []float64
		want   func(q11, q22, c float64) float64
	}
	erfA := 0.7
	tests := []tc{
		{"sign", sign, []float64{0}, func(_, _, c float64) float64 { return 2 / math.Pi * arcsin(c) }},
		{"erf", func(x float64) float64 { return math.Erf(erfA * x) }, nil, func(q11, q22, c float64) float64 {
			a2 := 2 * erfA * erfA
			return 2 / math.Pi * math.Asin(a2*c*math.Sqrt(q11*q22)/math.Sqrt((1+a2*q11)*(1+a2*q22)))
		}},
		{"relu", relu, []float64{0}, func(q11, q22, c float64) float64 {
			return math.Sqrt(q11*q22) * reluKernel(c)
		}},
	}
	variances := [][2]float64{{1, 1}, {0.3, 0.3}, {4, 4}, {0.5, 2}, {25, 0.04}}
	worst := 0.0
	for _, tc := range tests {
		for _, v := range variances {
			for _, c := range corrGrid {
				q12 := c * math.Sqrt(v[0]*v[1])
				got := Expect2(tc.f, tc.f, v[0], v[1], q12, tc.breaks, tc.breaks)
				// c as Expect2 recomputes it, so that the comparison sees only
				// the integration error.
				cc := q12 / math.Sqrt(v[0]) / math.Sqrt(v[1])
				want := tc.want(v[0], v[1], cc)
				e := math.Abs(got-want) / math.Abs(want)
				worst = math.Max(worst, e)
				if e > 2e-14 {
					t.Logf("%s q=%v c=%g: rel %.2e", tc.name, v, c, e)
				}
				if !(e <= 1e-12) {
					t.Errorf("%s q=%v c=%g: got %.17g, want %.17g (rel %.2e)", tc.name, v, c, got, want, e)
				}
			}
		}
	}
	t.Logf("worst relative error %.2e", worst)
}

// quantizerCorr returns E[φ(u1)φ(u2)] for equal variances q by the Φ2 closed
// form of THEORY.md §2.
func quantizerCorr(s stepFunc, q, c float64) float64 {
	sq := math.Sqrt(q)
	y0 := s.y[0]
	sum := y0 * y0
	for k, gk := range s.g {
		ak := s.y[k+1] - s.y[k]
		sum += y0 * ak * 2 * NormalCDF(-gk/sq)
		for m, gm := range s.g {
			am := s.y[m+1] - s.y[m]
			sum += ak * am * BivariateCDF(-gk/sq, -gm/sq, c)
		}
	}
	return sum
}

func TestExpect2Quantizer(t *testing.T) {
	worst := 0.0
	qs := []float64{0.05, 0.5, 1, 3}
	if testing.Short() {
		qs = []float64{0.5}
	}
	for _, n := range []int{2, 3, 4, 8, 16} {
		for _, unsigned := range []bool{false, true} {
			s := uniformStep(n, unsigned)
			f := s.eval
			for _, q := range qs {
				scale, _ := s.moment(q, func(y float64) float64 { return y * y })
				for _, c := range corrGrid {
					want := quantizerCorr(s, q, c)
					got := Expect2(f, f, q, q, c*q, s.g, s.g)
					e := math.Abs(got-want) / scale
					worst = math.Max(worst, e)
					if !(e <= 1e-12) {
						t.Errorf("N=%d unsigned=%v q=%g c=%g: got %.17g, want %.17g (rel %.2e)",
							n, unsigned, q, c, got, want, e)
					}
				}
			}
		}
	}
	t.Logf("worst error %.2e relative to E[φ²]", worst)
}

// TestExpect2NearOne records how the accuracy holds up as c → 1 for sign
// (the hardest case: the inner expectation becomes a step of width
// √(1-c²)) and for a 4-level quantizer.
func TestExpect2NearOne(t *testing.T) {
	s := uniformStep(4, false)
	worstSign, worstQ := 0.0, 0.0
	for j := 2; j <= 14; j++ {
		for _, sgn := range []float64{1, -1} {
			c := sgn * (1 - math.Pow(10, -float64(j)))
			got := Expect2(sign, sign, 1, 1, c, []float64{0}, []float64{0})
			want := 2 / math.Pi * arcsin(c)
			e := math.Abs(got-want) / math.Abs(want)
			worstSign = math.Max(worstSign, e)
			if !(e <= 1e-12) {
				t.Errorf("sign c=%v: got %.17g, want %.17g (rel %.2e)", c, got, want, e)
			}
			scale, _ := s.moment(0.7, func(y float64) float64 { return y * y })
			got = Expect2(s.eval, s.eval, 0.7, 0.7, c*0.7, s.g, s.g)
			// M'(c) ~ 1/√(1-c²) here, so the reference must use the c that
			// Expect2 sees, not the c before rounding.
			want = quantizerCorr(s, 0.7, c*0.7/math.Sqrt(0.7)/math.Sqrt(0.7))
			e = math.Abs(got-want) / scale
			worstQ = math.Max(worstQ, e)
			if !(e <= 1e-12) {
				t.Errorf("4-level c=%v: got %.17g, want %.17g (rel %.2e)", c, got, want, e)
			}
		}
	}
	t.Logf("1-|c| from 1e-2 to 1e-14: sign worst rel %.2e, 4-level quantizer %.2e", worstSign, worstQ)
}

func TestExpect2SpecialCases(t *testing.T) {
	f := func(x float64) float64 { return math.Tanh(x) + 0.2 }
	g := func(x float64) float64 { return relu(x - 0.1) }
	gb := []float64{0.1}
	ef := Expect(f, 0.8, nil)
	eg := Expect(g, 1.7, gb)
	close := func(name string, got, want float64) {
		t.Helper()
		if !(math.Abs(got-want) <= 1e-14*math.Abs(want)) {
			t.Errorf("%s: got %.17g, want %.17g", name, got, want)
		}
	}
	close("q12 = 0", Expect2(f, g, 0.8, 1.7, 0, nil, gb), ef*eg)
	close("q11 = 0", Expect2(f, g, 0, 1.7, 0, nil, gb), f(0)*eg)
	close("q22 = 0", Expect2(f, g, 0.8, 0, 0, nil, gb), ef*g(0))
	// |c| = 1: u2 = ±√(q22/q11) u1 exactly.
	r := math.Sqrt(1.7 / 0.8)
	q12 := math.Sqrt(0.8 * 1.7)
	close("c = 1", Expect2(f, g, 0.8, 1.7, q12, nil, gb),
		Expect(func(x float64) float64 { return f(x) * g(r*x) }, 0.8, []float64{0.1 / r}))
	close("c = -1", Expect2(f, g, 0.8, 1.7, -q12, nil, gb),
		Expect(func(x float64) float64 { return f(x) * g(-r*x) }, 0.8, []float64{-0.1 / r}))
	close("c = 1 + 1e-14", Expect2(sign, sign, 1, 1, 1+1e-14, []float64{0}, []float64{0}), 1)
	close("sign, c = -1", Expect2(sign, sign, 4, 4, -4, []float64{0}, []float64{0}), -1)
	// Exchanging the roles of u1 and u2.
	for _, c := range []float64{-0.8, 0.3, 0.97} {
		q12 := c * math.Sqrt(0.8*1.7)
		a := Expect2(f, g, 0.8, 1.7, q12, nil, gb)
		b := Expect2(g, f, 1.7, 0.8, q12, gb, nil)
		if math.Abs(a-b) > 1e-13*math.Abs(a) {
			t.Errorf("c=%g: E[f(u1)g(u2)] = %.17g but E[g(u2)f(u1)] = %.17g", c, a, b)
		}
	}
	for _, bad := range [][3]float64{{-1, 1, 0}, {1, -1, 0}, {1, 1, 1.01}, {1, 1, math.NaN()}, {math.Inf(1), 1, 0}, {0, 1, 0.5}} {
		if got := Expect2(f, g, bad[0], bad[1], bad[2], nil, gb); !math.IsNaN(got) {
			t.Errorf("Expect2(q11=%v, q22=%v, q12=%v) = %v, want NaN", bad[0], bad[1], bad[2], got)
		}
	}
}
