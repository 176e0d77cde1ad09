package simulate

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkRun measures the throughput of each method in layer-units per
// second: layers × width × trials simulated per second, on one worker
// (one core), with a 4-level quantizer and a pair of inputs.
func BenchmarkRun(b *testing.B) {
	for _, m := range []Method{Gram, Weights} {
		for _, n := range []int{1024, 4096} {
			b.Run(fmt.Sprintf("%v/n=%d", m, n), func(b *testing.B) {
				c := Config{Activation: mustCanonical(b, 4), SigmaW: 1, Width: n, Depth: 2, Trials: 2,
					Q0: 0.33, C0: 0.5, Method: m, Workers: 1}
				if m == Gram {
					c.Depth, c.Trials = 8, 8
				}
				iters := 0
				for b.Loop() {
					if _, err := Run(context.Background(), c); err != nil {
						b.Fatal(err)
					}
					iters++
				}
				units := float64(iters * c.Depth * c.Trials * n)
				b.ReportMetric(units/b.Elapsed().Seconds(), "layer-units/s")
			})
		}
	}
}

func BenchmarkDepthScale(b *testing.B) {
	res, err := Run(context.Background(), Config{Activation: sign{}, SigmaW: 1, Width: 1024, Depth: 10,
		Trials: 64, Q0: 1, C0: 0.1, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := res.DepthScale(FitOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
