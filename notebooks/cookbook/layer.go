package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/lmax-project/lmax/solver"
)

// initLayer initializes one hidden layer of a network with 4-bit (16-level)
// quantized activations at the optimal scheme, and checks that its
// pre-activations come out with the variance q* the scheme promises.
func initLayer() (string, error) {
	const fanIn, fanOut, bits = 1024, 512, 4
	scheme, err := solver.Canonical(1<<bits, solver.DefaultKappa) // A = 1, δ = 2/(N−1)
	if err != nil {
		return "", err
	}
	quant, err := scheme.Quantizer() // the forward activation φ
	if err != nil {
		return "", err
	}
	ste := scheme.STE() // the backward surrogate φ'_STE(x) = s·1{|x| ≤ t}

	// W_ij ~ N(0, σ_w²/fan_in), b = 0 (σ_b = 0 is optimal for this family).
	rng := rand.New(rand.NewPCG(1, 2))
	w := make([]float64, fanOut*fanIn)
	for i := range w {
		w[i] = rng.NormFloat64() * scheme.SigmaW / math.Sqrt(fanIn)
	}

	// Feed the layer the outputs of a previous layer at its fixed point:
	// φ applied to pre-activations of variance q*.
	x := make([]float64, fanIn)
	for i := range x {
		x[i] = quant.Eval(rng.NormFloat64() * math.Sqrt(scheme.QStar))
	}
	var meanSquare float64
	for o := 0; o < fanOut; o++ {
		var h float64
		for i, xi := range x {
			h += w[o*fanIn+i] * xi
		}
		meanSquare += h * h / fanOut
	}
	return fmt.Sprintf("N = %d levels: σ_w = %.6f, STE slope s = %.6f on |x| ≤ %.4g\n"+
		"q* = %.6f; mean square of this layer's pre-activations = %.6f\n"+
		"ξ = %.2f layers, L_max = κξ = %.0f layers (κ = %g)\n",
		quant.N(), scheme.SigmaW, ste.Slope, ste.Hi, scheme.QStar, meanSquare, scheme.Xi, scheme.LMax, scheme.Kappa), nil
}
