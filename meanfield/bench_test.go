package meanfield

import "testing"

var sink float64

// BenchmarkCrossMoment256 is E[φ(u1)φ(u2)] for quant:256 at q = 1, c = 0.5:
// 128 threshold magnitudes, 2·128·129/2 = 16512 bivariate CDFs.
func BenchmarkCrossMoment256(b *testing.B) {
	phi := mustParse(b, "quant:256")
	for b.Loop() {
		sink = CrossMoment(phi, 1, 1, 0.5)
	}
}

// BenchmarkSlopeMoment256 is E[φ'(u1)φ'(u2)] for quant:256: 16512 exps.
func BenchmarkSlopeMoment256(b *testing.B) {
	phi := mustParse(b, "quant:256")
	for b.Loop() {
		sink, _ = slopeMoment(phi, 1, 1, 0.5)
	}
}

// BenchmarkCorrelationByIntegral is the integral route of M for quant:8.
func BenchmarkCorrelationByIntegral(b *testing.B) {
	n := mustNet(b, mustParse(b, "quant:8"), 1.3, 0.1)
	for b.Loop() {
		sink = n.CorrelationByIntegral(0.8, 0.9)
	}
}

// BenchmarkSolve is the full fixed-point solve (q*, c*, χ, ξ) from q0 = 1.
func BenchmarkSolve(b *testing.B) {
	for _, tc := range []struct {
		spec   string
		sw, sb float64
	}{{"quant:8", 1.3, 0.1}, {"tanh", 1.5, 0.1}, {"quant:64", 1.2, 0.05}} {
		n := mustNet(b, mustParse(b, tc.spec), tc.sw, tc.sb)
		b.Run(tc.spec, func(b *testing.B) {
			for b.Loop() {
				fp, err := n.Solve(DefaultQ0)
				if err != nil {
					b.Fatal(err)
				}
				sink = fp.XiC
			}
		})
	}
}
