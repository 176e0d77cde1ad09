package meanfield

import (
	"errors"
	"math"
	"testing"
)

// TestTrajectory holds Trajectory to closed-form iterates (THEORY.md §6):
// for sign with σ_b = 0, c^1 = c0, c^{l+1} = (2/π) arcsin c^l, q^1 = σ_w² q0
// and q^l = σ_w² after; for erf with a bias, q^{l+1} = σ_w² (2/π)
// arcsin(2q/(1+2q)) + σ_b² and q12^{l+1} = σ_w² (2/π) arcsin(2 q12/(1+2q))
// + σ_b². The closed forms are iterated here by hand, so the only
// difference is rounding (a few ulps per layer, damped by the contraction).
func TestTrajectory(t *testing.T) {
	const depth = 40
	for _, tc := range []struct {
		name       string
		phi        Activation
		sw, sb     float64
		q0, c0     float64
		step       func(q, q12 float64) (float64, float64) // per-layer map of (q, q12)
		tolQ, tolC float64
	}{
		{"sign", Sign{}, 1.3, 0, 0.7, 0.9, func(q, q12 float64) (float64, float64) {
			return 1.3 * 1.3, 1.3 * 1.3 * 2 / math.Pi * math.Asin(q12/q)
		}, 1e-14, 1e-14},
		{"sign, c0 = −0.5", Sign{}, 0.8, 0, 2, -0.5, func(q, q12 float64) (float64, float64) {
			return 0.8 * 0.8, 0.8 * 0.8 * 2 / math.Pi * math.Asin(q12/q)
		}, 1e-14, 1e-14},
		{"erf with bias", Erf{}, 1.5, 0.3, 1, 0.6, func(q, q12 float64) (float64, float64) {
			w2, b2 := 1.5*1.5, 0.3*0.3
			return w2*2/math.Pi*math.Asin(2*q/(1+2*q)) + b2, w2*2/math.Pi*math.Asin(2*q12/(1+2*q)) + b2
		}, 1e-13, 1e-13},
	} {
		n, err := New(tc.phi, tc.sw, tc.sb)
		if err != nil {
			t.Fatal(err)
		}
		q, c, err := n.Trajectory(tc.q0, tc.c0, depth)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(q) != depth || len(c) != depth {
			t.Fatalf("%s: %d, %d layers, want %d", tc.name, len(q), len(c), depth)
		}
		w2, b2 := tc.sw*tc.sw, tc.sb*tc.sb
		wq, wq12 := w2*tc.q0+b2, w2*tc.c0*tc.q0+b2
		for l := range depth {
			if l > 0 {
				wq, wq12 = tc.step(wq, wq12)
			}
			if math.Abs(q[l]-wq) > tc.tolQ*wq {
				t.Errorf("%s: q^%d = %.17g, want %.17g", tc.name, l+1, q[l], wq)
			}
			if math.Abs(c[l]-wq12/wq) > tc.tolC {
				t.Errorf("%s: c^%d = %.17g, want %.17g", tc.name, l+1, c[l], wq12/wq)
			}
		}
	}
}

// TestTrajectoryReachesFixedPoint: deep down the trajectory sits at the
// fixed points that Solve finds by root-finding, another route.
func TestTrajectoryReachesFixedPoint(t *testing.T) {
	n, err := New(Erf{}, 1.5, 0.3)
	if err != nil {
		t.Fatal(err)
	}
	fp, err := n.Solve(1)
	if err != nil {
		t.Fatal(err)
	}
	q, c, err := n.Trajectory(1, 0.2, 400)
	if err != nil {
		t.Fatal(err)
	}
	if last := len(q) - 1; math.Abs(q[last]-fp.QStar) > 1e-13*fp.QStar || math.Abs(c[last]-fp.CStar) > 1e-12 {
		t.Errorf("layer 400: q = %.17g, c = %.17g; fixed points q* = %.17g, c* = %.17g", q[last], c[last], fp.QStar, fp.CStar)
	}
}

func TestTrajectoryInvalid(t *testing.T) {
	n, err := New(Sign{}, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q0, c0 float64
		depth  int
	}{
		{0, 0.5, 3}, {-1, 0.5, 3}, {math.NaN(), 0.5, 3}, {math.Inf(1), 0.5, 3},
		{1, 1.5, 3}, {1, -1.01, 3}, {1, math.NaN(), 3},
		{1, 0.5, 0}, {1, 0.5, -2},
	} {
		if _, _, err := n.Trajectory(tc.q0, tc.c0, tc.depth); !errors.Is(err, ErrInvalid) {
			t.Errorf("Trajectory(%v, %v, %d): err = %v, want ErrInvalid", tc.q0, tc.c0, tc.depth, err)
		}
	}
	if _, _, err := (Network{Phi: Sign{}, SigmaW: -1}).Trajectory(1, 0.5, 3); !errors.Is(err, ErrInvalid) {
		t.Errorf("σ_w = −1: err = %v", err)
	}
}

func BenchmarkTrajectoryQuant16(b *testing.B) {
	phi, err := Parse("quant:16")
	if err != nil {
		b.Fatal(err)
	}
	n, err := New(phi, 1.05, 0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := n.Trajectory(1, 0.9, 100); err != nil {
			b.Fatal(err)
		}
	}
}
