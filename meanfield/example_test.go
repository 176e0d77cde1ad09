package meanfield_test

import (
	"fmt"
	"math"

	"github.com/lmax-project/lmax/meanfield"
)

// The sign activation at σ_b = 0: q* = σ_w², c* = 0, χ(c*) = 2/π and
// ξ_c = -1/ln(2/π) (THEORY.md §6).
func ExampleNetwork_Solve() {
	phi, err := meanfield.Parse("sign")
	if err != nil {
		panic(err)
	}
	n, err := meanfield.New(phi, 1.5, 0)
	if err != nil {
		panic(err)
	}
	fp, err := n.Solve(meanfield.DefaultQ0)
	if err != nil {
		panic(err)
	}
	fmt.Printf("q* = %.4f  c* = %.4f  χ(c*) = %.6f  χ1 = %v  ξ_c = %.4f\n",
		fp.QStar, fp.CStar, fp.ChiCStar, fp.Chi1, fp.XiC)
	fmt.Printf("2/π = %.6f  -1/ln(2/π) = %.4f\n", 2/math.Pi, -1/math.Log(2/math.Pi))
	// Output:
	// q* = 2.2500  c* = 0.0000  χ(c*) = 0.636620  χ1 = +Inf  ξ_c = 2.2144
	// 2/π = 0.636620  -1/ln(2/π) = 2.2144
}

// A 4-level quantizer with a small bias: c* < 1 because χ(c) → ∞ as c → 1
// for any discontinuous activation.
func ExampleNetwork_CStar() {
	n, err := meanfield.New(mustParse("quant:4"), 1.8, 0.2)
	if err != nil {
		panic(err)
	}
	q, err := n.QStar(meanfield.DefaultQ0)
	if err != nil {
		panic(err)
	}
	c, chi, err := n.CStar(q)
	if err != nil {
		panic(err)
	}
	fmt.Printf("q* = %.6f  c* = %.6f  χ(c*) = %.6f  |M(c*) - c*| < 1e-15: %v\n", q, c, chi, math.Abs(n.M(q, c)-c) < 1e-15)
	// Output:
	// q* = 2.301849  c* = 0.082827  χ(c*) = 0.791588  |M(c*) - c*| < 1e-15: true
}

// The correlation map of a quantizer by its two routes: bivariate normal
// CDFs (M) and M(0) + ∫_0^c χ(r) dr (CorrelationByIntegral).
func ExampleNetwork_CorrelationByIntegral() {
	n, err := meanfield.New(mustParse("quant:8"), 1.3, 0.1)
	if err != nil {
		panic(err)
	}
	q, _ := n.QStar(meanfield.DefaultQ0)
	for _, c := range []float64{0, 0.5, 0.99, 1} {
		a, b := n.M(q, c), n.CorrelationByIntegral(q, c)
		fmt.Printf("c = %-4g M = %.12f  by integral = %.12f  agree to 1e-14: %v\n", c, a, b, math.Abs(a-b) < 1e-14)
	}
	// Output:
	// c = 0    M = 0.011991495631  by integral = 0.011991495631  agree to 1e-14: true
	// c = 0.5  M = 0.468982778271  by integral = 0.468982778271  agree to 1e-14: true
	// c = 0.99 M = 0.977793922795  by integral = 0.977793922795  agree to 1e-14: true
	// c = 1    M = 1.000000000000  by integral = 1.000000000000  agree to 1e-14: true
}

// The ReLU arc-cosine kernel: E[relu(u1) relu(u2)] = (q/2π)(√(1-c²) + (π - arccos c)c).
func ExampleCrossMoment() {
	q, c := 2.0, 0.5
	got := meanfield.CrossMoment(meanfield.ReLU{}, q, q, c)
	want := q / (2 * math.Pi) * (math.Sqrt(1-c*c) + (math.Pi-math.Acos(c))*c)
	fmt.Printf("%.14f\n%.14f\n", got, want)
	// Output:
	// 0.60899778104423
	// 0.60899778104423
}

// Specs round-trip through String.
func ExampleParse() {
	for _, spec := range []string{"quant:4", "quant:4:amp=2", "uquant:3:delta=0.5", "noisy:0.1:tanh", "lrelu:0.01"} {
		phi, err := meanfield.Parse(spec)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-18s → %-38s φ(0.4) = %.4f\n", spec, phi, phi.Eval(0.4))
	}
	_, err := meanfield.Parse("quant:1")
	fmt.Println(err)
	// Output:
	// quant:4            → quant:4                                φ(0.4) = 0.3333
	// quant:4:amp=2      → quant:4:delta=0.6666666666666666,amp=2 φ(0.4) = 0.6667
	// uquant:3:delta=0.5 → uquant:3                               φ(0.4) = 0.5000
	// noisy:0.1:tanh     → noisy:0.1:tanh                         φ(0.4) = 0.3799
	// lrelu:0.01         → lrelu:0.01                             φ(0.4) = 0.4000
	// activation "quant:1": levels 1: need at least 2
}

func mustParse(spec string) meanfield.Activation {
	phi, err := meanfield.Parse(spec)
	if err != nil {
		panic(err)
	}
	return phi
}

// The mean-field correlation of two inputs through a sign network:
// c^1 = c0, then c^{l+1} = (2/π) arcsin c^l (THEORY.md §6).
func ExampleNetwork_Trajectory() {
	n, err := meanfield.New(meanfield.Sign{}, 1, 0)
	if err != nil {
		panic(err)
	}
	q, c, err := n.Trajectory(1, 0.9, 4)
	if err != nil {
		panic(err)
	}
	for l := range q {
		fmt.Printf("l = %d: q = %.4f, c = %.4f\n", l+1, q[l], c[l])
	}
	// Output:
	// l = 1: q = 1.0000, c = 0.9000
	// l = 2: q = 1.0000, c = 0.7129
	// l = 3: q = 1.0000, c = 0.5052
	// l = 4: q = 1.0000, c = 0.3372
}
