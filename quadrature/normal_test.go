package quadrature

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

type normalRef struct{ x, cdf, pdf float64 }

// readNormalRef reads testdata/normal.txt: Ψ and φ at 40 digits by mpmath
// (testdata/gen_normal.py).
func readNormalRef(t *testing.T) []normalRef {
	t.Helper()
	f, err := os.Open("testdata/normal.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []normalRef
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		fs := strings.Fields(sc.Text())
		var v [3]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(fs[i], 64); err != nil {
				t.Fatalf("bad line %q", sc.Text())
			}
		}
		out = append(out, normalRef{v[0], v[1], v[2]})
	}
	if len(out) < 380 {
		t.Fatalf("read only %d reference values", len(out))
	}
	return out
}

// ulpErr is |got-want| in units of the spacing of float64 at want (the
// smallest subnormal below the normal range).
func ulpErr(got, want float64) float64 {
	ulp := math.Nextafter(math.Abs(want), math.Inf(1)) - math.Abs(want)
	return math.Abs(got-want) / ulp
}

func TestNormalCDFReference(t *testing.T) {
	worst, worstX := 0.0, 0.0
	for _, r := range readNormalRef(t) {
		e := ulpErr(NormalCDF(r.x), r.cdf)
		if e > worst {
			worst, worstX = e, r.x
		}
		// Ψ(-x) = 1 - Ψ(x): the upper tail is as accurate as the lower.
		if e := ulpErr(NormalCDF(-r.x), 1-r.cdf); r.x < -1 && e > 1 {
			t.Errorf("NormalCDF(%g) off by %.1f ulp", -r.x, e)
		}
	}
	t.Logf("NormalCDF: worst %.2f ulp at x = %g", worst, worstX)
	if worst > 4 {
		t.Errorf("NormalCDF: worst error %.2f ulp at x = %g", worst, worstX)
	}
}

// TestNormalCDFPlainErfc shows why NormalCDF corrects the rounding of
// -x/√2: the plain formula is hundreds of ulps off in the far left tail.
func TestNormalCDFPlainErfc(t *testing.T) {
	worst := 0.0
	for _, r := range readNormalRef(t) {
		if r.cdf > 1e-300 {
			worst = math.Max(worst, ulpErr(0.5*math.Erfc(-r.x/math.Sqrt2), r.cdf))
		}
	}
	t.Logf("plain erfc(-x/√2)/2: worst %.0f ulp", worst)
	if worst < 50 {
		t.Errorf("plain formula unexpectedly accurate (%.1f ulp); is the correction still needed?", worst)
	}
}

func TestNormalPDFReference(t *testing.T) {
	worst, worstX := 0.0, 0.0
	for _, r := range readNormalRef(t) {
		if e := ulpErr(NormalPDF(r.x), r.pdf); e > worst {
			worst, worstX = e, r.x
		}
	}
	t.Logf("NormalPDF: worst %.2f ulp at x = %g", worst, worstX)
	if worst > 4 {
		t.Errorf("NormalPDF: worst error %.2f ulp at x = %g", worst, worstX)
	}
}

func TestNormalSpecialValues(t *testing.T) {
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"Ψ(-Inf)", NormalCDF(math.Inf(-1)), 0},
		{"Ψ(+Inf)", NormalCDF(math.Inf(1)), 1},
		{"Ψ(0)", NormalCDF(0), 0.5},
		{"Ψ(-40)", NormalCDF(-40), 0},
		{"φ(±Inf)", NormalPDF(math.Inf(1)), 0},
		{"φ(0)", NormalPDF(0), 1 / math.Sqrt(2*math.Pi)},
		{"mass(0,Inf)", normalMass(0, math.Inf(1)), 0.5},
		{"mass(-Inf,Inf)", normalMass(math.Inf(-1), math.Inf(1)), 1},
		{"mass(2,1)", normalMass(2, 1), 0},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	if !math.IsNaN(NormalCDF(math.NaN())) || !math.IsNaN(NormalPDF(math.NaN())) {
		t.Error("NaN in should give NaN out")
	}
}

// TestNormalMass checks P(a < Z ≤ b) relative to itself, far in both
// tails, against differences of the reference Ψ on the left (where both are
// small and carry 20 digits) and, by symmetry, on the right.
func TestNormalMass(t *testing.T) {
	ref := readNormalRef(t)
	n := 0
	for i := 0; i+8 < len(ref); i += 7 {
		a, b := ref[i], ref[i+8]
		want := b.cdf - a.cdf
		if b.x > 0 || want < 1e-300 {
			continue
		}
		n++
		if got := normalMass(a.x, b.x); math.Abs(got-want) > 1e-14*want {
			t.Errorf("normalMass(%g, %g) = %.17g, want %.17g", a.x, b.x, got, want)
		}
		if got := normalMass(-b.x, -a.x); math.Abs(got-want) > 1e-14*want {
			t.Errorf("normalMass(%g, %g) = %.17g, want %.17g", -b.x, -a.x, got, want)
		}
	}
	if n < 30 {
		t.Fatalf("only %d intervals checked", n)
	}
}
