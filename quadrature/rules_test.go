package quadrature

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/integrate/quad"
)

// legendreTable returns P_0 … P_{m-1} at x.
func legendreTable(m int, x float64) []float64 {
	p := make([]float64, m)
	p[0] = 1
	if m > 1 {
		p[1] = x
	}
	for k := 1; k+1 < m; k++ {
		fk := float64(k)
		p[k+1] = ((2*fk+1)*x*p[k] - fk*p[k-1]) / (fk + 1)
	}
	return p
}

// hermiteTable returns the orthonormal probabilists' Hermite polynomials
// p_0 … p_{m-1} at x.
func hermiteTable(m int, x float64) []float64 {
	p := make([]float64, m)
	p[0] = 1
	if m > 1 {
		p[1] = x
	}
	for k := 1; k+1 < m; k++ {
		p[k+1] = (x*p[k] - math.Sqrt(float64(k))*p[k-1]) / math.Sqrt(float64(k+1))
	}
	return p
}

// orthoErr returns max over j, k < m of |Σ w p_j p_k - δ_jk N_j| / N_j,
// the discrete orthogonality that an n-point Gauss rule satisfies exactly
// for j + k ≤ 2n - 1, with N_j the norm of the j-th polynomial.
func orthoErr(x, w []float64, m int, table func(int, float64) []float64, norm func(int) float64) float64 {
	g := make([]float64, m*m)
	for i := range x {
		p := table(m, x[i])
		for j := 0; j < m; j++ {
			for k := 0; k < m; k++ {
				g[j*m+k] += w[i] * p[j] * p[k]
			}
		}
	}
	worst := 0.0
	for j := 0; j < m; j++ {
		for k := 0; k < m; k++ {
			want := 0.0
			if j == k {
				want = norm(j)
			}
			worst = math.Max(worst, math.Abs(g[j*m+k]-want)/math.Sqrt(norm(j)*norm(k)))
		}
	}
	return worst
}

func legendreNorm(j int) float64 { return 2 / float64(2*j+1) }
func hermiteNorm(int) float64    { return 1 }

func TestLegendreOrthogonality(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 8, 16, 20, 24, 25, 26, 27, 32, 50, 64, 100, 101, 128, 200, 257} {
		x, w := Legendre(n)
		if len(x) != n || len(w) != n {
			t.Fatalf("n=%d: got %d nodes, %d weights", n, len(x), len(w))
		}
		for i := range x {
			if x[i] != -x[n-1-i] || w[i] != w[n-1-i] {
				t.Errorf("n=%d: rule not symmetric at %d", n, i)
			}
			if i > 0 && !(x[i] > x[i-1]) {
				t.Errorf("n=%d: nodes not increasing at %d", n, i)
			}
			if !(w[i] > 0) {
				t.Errorf("n=%d: weight %d = %g", n, i, w[i])
			}
		}
		// Rounding: an n-term sum of products of recurrence values that
		// carry O(m ε) each.
		m := min(n, 64)
		if e := orthoErr(x, w, m, legendreTable, legendreNorm); e > 1e-16*float64(n+2*m) {
			t.Errorf("n=%d: orthogonality error %.2e", n, e)
		}
	}
}

// TestGonumLegendre26 documents the defect in gonum v0.17.0 that
// Legendre's Newton polish repairs.
func TestGonumLegendre26(t *testing.T) {
	x := make([]float64, 26)
	w := make([]float64, 26)
	quad.Legendre{}.FixedLocations(x, w, -1, 1)
	s := 0.0
	for _, v := range w {
		s += v
	}
	t.Logf("gonum 26-point Legendre: Σw = %.17g (want 2)", s)
	_, ours := Legendre(26)
	s = 0
	for _, v := range ours {
		s += v
	}
	if math.Abs(s-2) > 4e-16 {
		t.Errorf("Legendre(26): Σw = %.17g", s)
	}
}

func TestHermiteOrthogonality(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 8, 16, 20, 32, 64, 100, 150, 200, 201, 256} {
		x, w := Hermite(n)
		if len(x) != n || len(w) != n {
			t.Fatalf("n=%d: got %d nodes, %d weights", n, len(x), len(w))
		}
		for i := range x {
			if x[i] != -x[n-1-i] || w[i] != w[n-1-i] {
				t.Errorf("n=%d: rule not symmetric at %d", n, i)
			}
			if i > 0 && !(x[i] > x[i-1]) {
				t.Errorf("n=%d: nodes not increasing at %d", n, i)
			}
		}
		m := min(n, 64)
		if e := orthoErr(x, w, m, hermiteTable, hermiteNorm); e > 1e-16*float64(n+2*m) {
			t.Errorf("n=%d: orthogonality error %.2e", n, e)
		}
	}
}

// TestRulesAgainstReference compares the rules node by node with 25-digit
// references computed independently by mpmath (testdata/gen_rules.py).
func TestRulesAgainstReference(t *testing.T) {
	f, err := os.Open("testdata/rules.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var worstX, worstW [2]float64
	lines := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		n, _ := strconv.Atoi(fs[1])
		i, _ := strconv.Atoi(fs[2])
		xr, err1 := strconv.ParseFloat(fs[3], 64)
		wr, err2 := strconv.ParseFloat(fs[4], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad line %q", line)
		}
		kind := 0
		x, w := Legendre(n)
		if fs[0] == "H" {
			kind = 1
			x, w = Hermite(n)
		}
		// Node error relative to max(|x|, spacing scale 1/n): the absolute
		// error is what moves an integral.
		ex := math.Abs(x[i]-xr) / math.Max(math.Abs(xr), 1/float64(n))
		ew := math.Abs(w[i]-wr) / wr
		worstX[kind] = math.Max(worstX[kind], ex)
		worstW[kind] = math.Max(worstW[kind], ew)
		lines++
	}
	if lines < 800 {
		t.Fatalf("read only %d reference nodes", lines)
	}
	t.Logf("Legendre: node %.2e, weight %.2e; Hermite: node %.2e, weight %.2e",
		worstX[0], worstW[0], worstX[1], worstW[1])
	// Legendre weights come from gonum (an ulp or two); Hermite weights from
	// the recurrence, whose rounding grows like n ε (the largest n here is
	// 201).
	for k, name := range []string{"Legendre", "Hermite"} {
		if worstX[k] > 4e-16 || worstW[k] > []float64{1e-15, 201 * 1.2e-16}[k] {
			t.Errorf("%s: worst node error %.2e, weight error %.2e", name, worstX[k], worstW[k])
		}
	}
}

// TestHermiteExpectations: Σ w f(x) ≈ E[f(Z)] for the standard normal,
// exact for polynomials up to degree 2n-1 and spectrally accurate for
// entire functions.
func TestHermiteExpectations(t *testing.T) {
	for _, n := range []int{4, 10, 40} {
		x, w := Hermite(n)
		df := 1.0 // (2k-1)!!
		for k := 0; 2*k <= 2*n-1; k++ {
			if k > 0 {
				df *= float64(2*k - 1)
			}
			s := 0.0
			for i := range x {
				s += w[i] * math.Pow(x[i], float64(2*k))
			}
			if e := math.Abs(s-df) / df; !(e <= 1e-16*float64(n+2*k+4)) {
				t.Errorf("n=%d: E[Z^%d] = %.17g, want %g (rel %.2e)", n, 2*k, s, df, e)
			}
		}
	}
	x, w := Hermite(40)
	s := 0.0
	for i := range x {
		s += w[i] * math.Cos(x[i])
	}
	if want := math.Exp(-0.5); math.Abs(s-want) > 4e-16 { // a few ulps of summation
		t.Errorf("40-point E[cos Z] = %.17g, want %.17g", s, want)
	}
	if x, w := Hermite(0); x != nil || w != nil {
		t.Error("Hermite(0) should be empty")
	}
	if x, w := Legendre(-1); x != nil || w != nil {
		t.Error("Legendre(-1) should be empty")
	}
}
