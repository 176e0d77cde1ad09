package simulate_test

import (
	"context"
	"fmt"
	"math"

	"github.com/lmax-project/lmax/quantize"
	"github.com/lmax-project/lmax/simulate"
)

// Propagate a pair of inputs with cosine 0.9 through 64 sign networks
// (σ_w = 1, σ_b = 0) and compare c^l with the mean-field iterates
// c^{l+1} = (2/π) arcsin c^l.
func ExampleRun() {
	sign, err := quantize.Canonical(2)
	if err != nil {
		panic(err)
	}
	res, err := simulate.Run(context.Background(), simulate.Config{
		Activation: sign, SigmaW: 1, Width: 4096, Depth: 5, Trials: 64,
		Q0: 1, C0: 0.9, Seed: 1,
	})
	if err != nil {
		panic(err)
	}
	mf := 0.9
	for l, c := range res.C {
		fmt.Printf("layer %d: q = %.2f  c = %.3f ± %.3f  mean field %.3f\n",
			l+1, res.Q[l].Mean, c.Mean, c.StdErr, mf)
		mf = 2 / math.Pi * math.Asin(mf)
	}
	// Output:
	// layer 1: q = 1.00  c = 0.901 ± 0.000  mean field 0.900
	// layer 2: q = 1.00  c = 0.712 ± 0.001  mean field 0.713
	// layer 3: q = 1.00  c = 0.508 ± 0.002  mean field 0.505
	// layer 4: q = 1.00  c = 0.337 ± 0.003  mean field 0.337
	// layer 5: q = 1.00  c = 0.219 ± 0.003  mean field 0.219
}

// Estimate the correlation depth scale of sign networks, whose mean-field
// value is ξ = -1/ln(2/π) ≈ 2.21.
func ExampleResult_DepthScale() {
	sign, err := quantize.Canonical(2)
	if err != nil {
		panic(err)
	}
	res, err := simulate.Run(context.Background(), simulate.Config{
		Activation: sign, SigmaW: 1, Width: 4096, Depth: 10, Trials: 128,
		Q0: 1, C0: 0.1, Seed: 2,
	})
	if err != nil {
		panic(err)
	}
	fit, err := res.DepthScale(simulate.FitOptions{CStar: 0})
	if err != nil {
		panic(err)
	}
	fmt.Printf("ξ_mc = %.1f ± %.1f (mean field %.2f)\n", fit.Xi, fit.XiErr, -1/math.Log(2/math.Pi))
	// Output:
	// ξ_mc = 2.2 ± 0.1 (mean field 2.21)
}

// Choose the window of the ξ_mc fit from the mean-field curve: for sign
// networks from c0 = 0.9 the deviation c^l decays at the rate 2/π to
// within 2 % from layer 5 on.
func ExampleFitWindow() {
	c := []float64{0.9}
	for len(c) < 10 {
		c = append(c, 2/math.Pi*math.Asin(c[len(c)-1]))
	}
	first, err := simulate.FitWindow(c, 0, 2/math.Pi, simulate.DefaultWindowTol)
	fmt.Println(first, err)
	_, err = simulate.FitWindow(c[:6], 0, 2/math.Pi, simulate.DefaultWindowTol)
	fmt.Println(err)
	// Output:
	// 5 <nil>
	// depth 6 too short: the fit needs 3 layers from layer 5, where c^l − c* starts to decay at the rate χ(c*)
}
