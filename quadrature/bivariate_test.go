package quadrature

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// bvnGrid is the grid of the identity checks: h, k in [-8, 8] and ρ in
// [-1, 1] including ±(1 - 10^-j), j = 1 … 15.
func bvnGrid() (hs, rhos []float64) {
	hs = []float64{-8, -6, -4, -3, -2, -1.5, -1, -0.5, -0.1, 0, 0.2, 0.7, 1, 1.7, 2.5, 3.3, 5, 8}
	base := []float64{0, 0.05, 0.2, 0.5, 0.8, 0.9, 0.92, 0.924, 0.925, 0.926, 0.95, 0.98, 1}
	for j := 1; j <= 15; j++ {
		base = append(base, 1-math.Pow(10, -float64(j)))
	}
	for _, r := range base {
		rhos = append(rhos, r)
		if r != 0 {
			rhos = append(rhos, -r)
		}
	}
	return hs, rhos
}

// TestBivariateCDFReference compares with 20-digit values from mpmath,
// computed by an independent route (conditioning on X; see
// testdata/gen_bvn.py), over h, k in [-8, 8] and ρ including ±(1 - 10^-j).
func TestBivariateCDFReference(t *testing.T) {
	f, err := os.Open("testdata/bvn.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, worst := 0, 0.0
	var worstAt [3]float64
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		var v [4]float64
		for i, s := range strings.Fields(sc.Text()) {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("bad line %q", sc.Text())
			}
		}
		for _, hk := range [][2]float64{{v[0], v[1]}, {v[1], v[0]}} {
			got := BivariateCDF(hk[0], hk[1], v[2])
			e := math.Abs(got - v[3])
			if e > worst {
				worst, worstAt = e, [3]float64{hk[0], hk[1], v[2]}
			}
			if !(e <= 1e-15) {
				t.Errorf("Φ2(%g, %g; %v) = %.17g, want %.17g (err %.2e)", hk[0], hk[1], v[2], got, v[3], e)
			}
		}
		n++
	}
	if n < 3000 {
		t.Fatalf("only %d reference values", n)
	}
	t.Logf("worst absolute error %.2e at (h, k, ρ) = %v over %d values", worst, worstAt, 2*n)
}

func TestBivariateCDFZeroZero(t *testing.T) {
	_, rhos := bvnGrid()
	worst := 0.0
	for _, r := range rhos {
		want := 0.25 + arcsin(r)/(2*math.Pi)
		e := math.Abs(BivariateCDF(0, 0, r) - want)
		worst = math.Max(worst, e)
		if !(e <= 2e-16) {
			t.Errorf("Φ2(0, 0; %v) off by %.2e", r, e)
		}
	}
	t.Logf("worst absolute error %.2e", worst)
}

// TestBivariateCDFIdentities: exact symmetry, the reflection
// Φ2(h,k;ρ) + Φ2(h,-k;-ρ) = Ψ(h), ρ = 0 and ρ = ±1 limits, Fréchet bounds
// and monotonicity in ρ (∂Φ2/∂ρ = p2 > 0), over the grid.
func TestBivariateCDFIdentities(t *testing.T) {
	hs, rhos := bvnGrid()
	for _, h := range hs {
		for _, k := range hs {
			ph, pk := NormalCDF(h), NormalCDF(k)
			for _, r := range rhos {
				v := BivariateCDF(h, k, r)
				if w := BivariateCDF(k, h, r); v != w {
					t.Errorf("Φ2(%g,%g;%v) = %.17g but Φ2(%g,%g;%v) = %.17g", h, k, r, v, k, h, r, w)
				}
				if e := math.Abs(v + BivariateCDF(h, -k, -r) - ph); !(e <= 4e-16) {
					t.Errorf("reflection at (%g,%g,%v) off by %.2e", h, k, r, e)
				}
				// Lower bound max(0, Ψ(h)+Ψ(k)-1) = P(-k < Z ≤ h), formed
				// without cancellation.
				lo, hi := normalMass(-k, h), min(ph, pk)
				if !(v >= lo-1e-16 && v <= hi+1e-16) {
					t.Errorf("Φ2(%g,%g;%v) = %.17g outside Fréchet bounds [%g, %g]", h, k, r, v, lo, hi)
				}
			}
			if got, want := BivariateCDF(h, k, 0), ph*pk; got != want {
				t.Errorf("Φ2(%g,%g;0) = %.17g, want Ψ(h)Ψ(k) = %.17g", h, k, got, want)
			}
			if got, want := BivariateCDF(h, k, 1), NormalCDF(min(h, k)); got != want {
				t.Errorf("Φ2(%g,%g;1) = %.17g, want %.17g", h, k, got, want)
			}
			if got, want := BivariateCDF(h, k, -1), max(0, ph-NormalCDF(-k)); math.Abs(got-want) > 2e-16 {
				t.Errorf("Φ2(%g,%g;-1) = %.17g, want %.17g", h, k, got, want)
			}
			// Monotone in ρ, up to rounding.
			prev := -1.0
			for r := -1.0; r <= 1; r += 1.0 / 64 {
				v := BivariateCDF(h, k, r)
				if v < prev-2e-16 {
					t.Errorf("Φ2(%g,%g;ρ) decreases at ρ = %v: %.17g < %.17g", h, k, r, v, prev)
				}
				prev = v
			}
		}
	}
}

// plackettReference returns Φ2(h, k; ρ) = Ψ(h)Ψ(k) + ∫_0^ρ p2(h, k; r) dr
// computed as an independent route: in δ = π/2 - |θ|, r = sin θ, on a
// composite 20-point Gauss–Legendre mesh graded geometrically towards the
// end δ0 = arccos|ρ| (where, for |ρ| → 1, the integrand switches on over a
// width of order |h ∓ k|), with no closed-form parts.
func plackettReference(h, k, rho float64) float64 {
	if rho == 0 {
		return NormalCDF(h) * NormalCDF(k)
	}
	x, w := Legendre(20)
	sgn := 1.0
	kk := k
	if rho < 0 {
		sgn, kk = -1, -k
	}
	a := math.Abs(rho)
	d0 := math.Atan2(math.Sqrt((1-a)*(1+a)), a) // π/2 - arcsin|ρ|
	// With θ = sgn(π/2 - δ): h² - 2hk sinθ + k² = (h - kk)² + 4h·kk·sin²(δ/2)
	// and cos θ = sin δ.
	g := func(d float64) float64 {
		sh, sd := math.Sin(d/2), math.Sin(d)
		return math.Exp(-((h-kk)*(h-kk) + 4*h*kk*sh*sh) / (2 * sd * sd))
	}
	var pts []float64
	for p := d0; p < math.Pi/2; p *= 1.5 {
		pts = append(pts, p)
	}
	pts = append(pts, math.Pi/2)
	sum := 0.0
	for i := 0; i+1 < len(pts); i++ {
		const sub = 4
		for j := 0; j < sub; j++ {
			lo := pts[i] + (pts[i+1]-pts[i])*float64(j)/sub
			hi := pts[i] + (pts[i+1]-pts[i])*float64(j+1)/sub
			for m := range x {
				sum += w[m] * (hi - lo) / 2 * g(lo+(hi-lo)*(1+x[m])/2)
			}
		}
	}
	return NormalCDF(h)*NormalCDF(k) + sgn*sum/(2*math.Pi)
}

func TestBivariateCDFPlackett(t *testing.T) {
	hs, rhos := bvnGrid()
	worst := 0.0
	for _, h := range hs {
		for _, k := range hs {
			for _, r := range rhos {
				if math.Abs(r) == 1 {
					continue
				}
				got := BivariateCDF(h, k, r)
				want := plackettReference(h, k, r)
				e := math.Abs(got - want)
				worst = math.Max(worst, e)
				if !(e <= 1e-14) {
					t.Errorf("Φ2(%g, %g; %v) = %.17g, Plackett integral %.17g (err %.2e)", h, k, r, got, want, e)
				}
			}
		}
	}
	t.Logf("worst absolute difference %.2e", worst)
}

// TestBivariateCDFExpect2: Φ2 as the expectation of a product of
// indicators by breakpoint-aware quadrature.
func TestBivariateCDFExpect2(t *testing.T) {
	worst := 0.0
	for _, h := range []float64{-3, -1, 0, 0.4, 2} {
		for _, k := range []float64{-2, 0, 0.5, 1.5} {
			for _, r := range []float64{-0.999, -0.95, -0.6, 0.1, 0.7, 0.93, 0.99, 0.999999} {
				f := func(x float64) float64 {
					if x <= h {
						return 1
					}
					return 0
				}
				g := func(x float64) float64 {
					if x <= k {
						return 1
					}
					return 0
				}
				got := Expect2(f, g, 1, 1, r, []float64{h}, []float64{k})
				want := BivariateCDF(h, k, r)
				e := math.Abs(got - want)
				worst = math.Max(worst, e)
				if !(e <= 1e-14) {
					t.Errorf("(%g,%g,%v): Expect2 %.17g, Φ2 %.17g (err %.2e)", h, k, r, got, want, e)
				}
			}
		}
	}
	t.Logf("worst absolute difference %.2e", worst)
}

func TestBivariateCDFSpecialCases(t *testing.T) {
	inf := math.Inf(1)
	tests := []struct {
		h, k, r, want float64
	}{
		{-inf, 1, 0.5, 0},
		{1, -inf, 0.5, 0},
		{inf, 1, 0.5, NormalCDF(1)},
		{0.3, inf, -0.5, NormalCDF(0.3)},
		{inf, inf, 0.9, 1},
		{40, 40, 0.99, 1},
		{-40, 3, 0.99, 0},
	}
	for _, tc := range tests {
		if got := BivariateCDF(tc.h, tc.k, tc.r); got != tc.want {
			t.Errorf("Φ2(%g, %g; %g) = %v, want %v", tc.h, tc.k, tc.r, got, tc.want)
		}
	}
	for _, bad := range [][3]float64{{0, 0, 1.0000001}, {0, 0, -2}, {math.NaN(), 0, 0}, {0, math.NaN(), 0}, {0, 0, math.NaN()}} {
		if got := BivariateCDF(bad[0], bad[1], bad[2]); !math.IsNaN(got) {
			t.Errorf("Φ2%v = %v, want NaN", bad, got)
		}
	}
}

func TestBivariateDensity(t *testing.T) {
	// 20-digit references from mpmath (testdata/gen_density.py), down to
	// |ρ| = 1 - 1e-15.
	f, err := os.Open("testdata/density.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, worst := 0, 0.0
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		var v [4]float64
		for i, s := range strings.Fields(sc.Text()) {
			if v[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("bad line %q", sc.Text())
			}
		}
		got := BivariateDensity(v[0], v[1], v[2])
		// The exponent E = -ln(2π√(1-ρ²)p2) is formed to a few ulps of
		// itself, so the density is good to a few ε·(1+E), E ≤ 690 here.
		e := math.Abs(got-v[3]) / v[3]
		E := -math.Log(v[3] * 2 * math.Pi * math.Sqrt((1-v[2])*(1+v[2])))
		tol := 4e-16 * (1 + E)
		worst = math.Max(worst, e/tol)
		if !(e <= tol) {
			t.Errorf("p2(%g,%g;%v) = %.17g, want %.17g (rel %.2e)", v[0], v[1], v[2], got, v[3], e)
		}
		if got != BivariateDensity(v[1], v[0], v[2]) {
			t.Errorf("p2 not symmetric at %v", v[:3])
		}
		n++
	}
	if n < 1000 {
		t.Fatalf("only %d reference values", n)
	}
	t.Logf("worst error %.2f of the tolerance 4ε(1+E) over %d values", worst, n)
	// ∂Φ2/∂ρ = p2 (Plackett), by a 4-point central difference.
	for _, c := range [][3]float64{{0.3, -0.2, 0.4}, {1, 1.5, 0.93}, {-0.5, 0.7, -0.97}, {0, 0, 0.99}} {
		h, k, r := c[0], c[1], c[2]
		const d = 1e-5
		D := (8*(BivariateCDF(h, k, r+d)-BivariateCDF(h, k, r-d)) -
			(BivariateCDF(h, k, r+2*d) - BivariateCDF(h, k, r-2*d))) / (12 * d)
		p := BivariateDensity(h, k, r)
		if e := math.Abs(D-p) / p; !(e <= 1e-8) {
			t.Errorf("∂Φ2/∂ρ at %v = %.12g, p2 = %.12g (rel %.2e)", c, D, p, e)
		}
	}
	if got := BivariateDensity(0.5, 0.5, 1); !math.IsInf(got, 1) {
		t.Errorf("p2(x, x; 1) = %v, want +Inf", got)
	}
	if got := BivariateDensity(0.5, 0.6, 1); got != 0 {
		t.Errorf("p2(x, y≠x; 1) = %v, want 0", got)
	}
	if got := BivariateDensity(0.5, -0.5, -1); !math.IsInf(got, 1) {
		t.Errorf("p2(x, -x; -1) = %v, want +Inf", got)
	}
	if got := BivariateDensity(0, 0, 1.5); !math.IsNaN(got) {
		t.Errorf("p2(0, 0; 1.5) = %v, want NaN", got)
	}
}
