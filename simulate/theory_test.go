package simulate

import (
	"math"
	"testing"

	"github.com/lmax-project/lmax/quantize"
)

// Independent mean-field references for the tests, written from THEORY.md
// without the meanfield package.

// sign is φ(x) = sign(x) (with sign(0) = 1, a null event).
type sign struct{}

func (sign) Eval(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// noisySign is sign plus N(0, s²) output noise.
type noisySign struct{ s float64 }

func (noisySign) Eval(x float64) float64 { return sign{}.Eval(x) }
func (n noisySign) NoiseStd() float64    { return n.s }

// normCDF is Ψ, computed through Erfc so that the tails keep their relative
// accuracy.
func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

// meanSq returns E[φ(√q z)²] for a quantizer in closed form: Σ_j y_j² P(bin j).
func meanSq(qz *quantize.Quantizer, q float64) float64 {
	g, y := qz.Thresholds(), qz.Levels()
	sq := math.Sqrt(q)
	var s float64
	for j, yj := range y {
		lo, hi := math.Inf(-1), math.Inf(1)
		if j > 0 {
			lo = g[j-1] / sq
		}
		if j < len(g) {
			hi = g[j] / sq
		}
		// P(lo < z < hi) without cancellation: use the upper tail when the
		// bin is right of zero.
		var p float64
		if lo >= 0 {
			p = normCDF(-lo) - normCDF(-hi)
		} else {
			p = normCDF(hi) - normCDF(lo)
		}
		s += yj * yj * p
	}
	return s
}

// quantFixedPoint returns q* = σ_w² E[φ(√q* z)²] (σ_b = 0) by fixed-point
// iteration from q = 1, and χ(0) = σ_w² (E φ'(u))² = σ_w² (Σ_k a_k p(g_k))²
// with p the N(0, q*) density (THEORY.md §3).
func quantFixedPoint(t testing.TB, qz *quantize.Quantizer, sw float64) (qstar, chi float64) {
	t.Helper()
	q := 1.0
	for it := 0; ; it++ {
		next := sw * sw * meanSq(qz, q)
		if math.Abs(next-q) <= 1e-15*q {
			q = next
			break
		}
		if it > 100000 {
			t.Fatalf("fixed point of V did not converge: q = %v", q)
		}
		q = next
	}
	g, a := qz.Jumps()
	var s float64
	for k := range g {
		s += a[k] * math.Exp(-g[k]*g[k]/(2*q)) / math.Sqrt(2*math.Pi*q)
	}
	return q, sw * sw * s * s
}

// chiD is THEORY.md §3's χ(D) for the uniform symmetric quantizer with N
// levels, D = δ/√q*, by the double sum over K.
func chiD(N int, D float64) float64 {
	K := make([]float64, N-1)
	for k := 1; k < N; k++ {
		K[k-1] = float64(k) - float64(N)/2
	}
	var num, den float64
	for _, i := range K {
		num += math.Exp(-i * i * D * D / 2)
		for _, j := range K {
			den += normCDF(math.Min(i, j)*D) * normCDF(-math.Max(i, j)*D)
		}
	}
	return num * num / (2 * math.Pi * den)
}

// signM is the sign correlation map with σ_b ≥ 0 (THEORY.md §6):
// c' = (σ_w² (2/π) arcsin c / (1+s²) ... ) see signMap.
func signMap(c, sw, sb, noise float64) float64 {
	return (sw*sw*(2/math.Pi)*math.Asin(c) + sb*sb) / (sw*sw*(1+noise*noise) + sb*sb)
}

func TestTheoryHelpers(t *testing.T) {
	for _, N := range []int{2, 4, 8} {
		qz, err := quantize.Canonical(N)
		if err != nil {
			t.Fatal(err)
		}
		qs, chi := quantFixedPoint(t, qz, 1)
		delta, _, _ := qz.Uniform()
		chi2 := chiD(N, delta/math.Sqrt(qs))
		t.Logf("N=%d q*=%.6g chi=%.15g chiD=%.15g xi=%.6g", N, qs, chi, chi2, -1/math.Log(chi))
		if math.Abs(chi-chi2) > 1e-13 {
			t.Errorf("N=%d: χ from the fixed point %v, from χ(D) %v", N, chi, chi2)
		}
	}
	if _, chi := quantFixedPoint(t, mustCanonical(t, 2), 1); math.Abs(chi-2/math.Pi) > 1e-15 {
		t.Errorf("sign: χ(0) = %v, want 2/π", chi)
	}
}

func mustCanonical(t testing.TB, N int) *quantize.Quantizer {
	t.Helper()
	q, err := quantize.Canonical(N)
	if err != nil {
		t.Fatal(err)
	}
	return q
}
