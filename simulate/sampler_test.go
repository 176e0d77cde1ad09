package simulate

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// stochSign is the stochastic rounding of clip(x, -1, 1) to ±1: +1 with
// probability (1 + clip(x))/2. Its mean is the hard tanh (Eval), its square
// is 1 whatever x.
type stochSign struct{}

func (stochSign) Eval(x float64) float64 { return math.Max(-1, math.Min(1, x)) }

func (s stochSign) Sample(x float64, r *rand.Rand) float64 {
	if r.Float64() < (1+s.Eval(x))/2 {
		return 1
	}
	return -1
}

// noisyStochSign adds Gaussian output noise to stochSign.
type noisyStochSign struct {
	stochSign
	s float64
}

func (n noisyStochSign) NoiseStd() float64 { return n.s }

// TestSampler checks that a Sampler's draws, not Eval, feed the next layer:
// since φ² = 1 for every draw, E[q^l] = σ_w²(1 + s²) + σ_b² exactly for
// l ≥ 2 (the Eval path would give σ_w² E[clip²] + σ_b², about 0.6 σ_w² +
// σ_b² here), within 4 standard errors at every layer, for both methods
// and with and without output noise; and that runs are bit-identical
// whatever GOMAXPROCS and Workers.
func TestSampler(t *testing.T) {
	for _, tc := range []struct {
		act   Activation
		noise float64
	}{{stochSign{}, 0}, {noisyStochSign{s: 0.5}, 0.5}} {
		for _, m := range []Method{Gram, Weights} {
			c := Config{Activation: tc.act, SigmaW: 1.3, SigmaB: 0.2, Width: 256, Depth: 5, Trials: 24,
				Q0: 1, C0: 0.5, Seed: 7, Method: m}
			res, err := Run(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			want := c.SigmaW*c.SigmaW*(1+tc.noise*tc.noise) + c.SigmaB*c.SigmaB
			for l := 1; l < c.Depth; l++ {
				e := res.Q[l]
				if z := (e.Mean - want) / e.StdErr; math.Abs(z) > 4 {
					t.Errorf("%T %v layer %d: q = %.5f ± %.5f, want %.5f (z = %.1f)", tc.act, m, l+1, e.Mean, e.StdErr, want, z)
				}
			}
		}
	}

	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	c := Config{Activation: noisyStochSign{s: 0.1}, SigmaW: 1.2, SigmaB: 0.1, Width: 200, Depth: 4, Trials: 7,
		Batch: 3, Q0: 1, C0: 0.2, Seed: 42}
	var first *Result
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		for _, workers := range []int{1, 3} {
			c.Workers = workers
			res, err := Run(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = res
				continue
			}
			for tr := range res.TrialQ {
				for l := range res.TrialQ[tr] {
					if res.TrialQ[tr][l] != first.TrialQ[tr][l] || res.TrialC[tr][l] != first.TrialC[tr][l] {
						t.Fatalf("GOMAXPROCS %d, workers %d: trial %d layer %d differs", procs, workers, tr, l+1)
					}
				}
			}
		}
	}
}
