package solver_test

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/lmax-project/lmax/meanfield"
	"github.com/lmax-project/lmax/solver"
)

func ExampleOptimize() {
	o, err := solver.Optimize(4) // 2 bits
	if err != nil {
		panic(err)
	}
	fmt.Printf("D_opt = %.6f  χ_max = %.6f  1 − χ_max = %.6e\n", o.Spacing, o.Chi, o.OneMinusChi)
	// Output:
	// D_opt = 0.995687  χ_max = 0.881154  1 − χ_max = 1.188461e-01
}

func ExampleChi() {
	p, err := solver.Chi(1<<20, 1.3e-5)
	if err != nil {
		panic(err)
	}
	// 1 − χ keeps its digits even at 1e−11, where 1 − p.Chi would not.
	fmt.Printf("1 − χ = %.10e\n", p.OneMinusChi)
	// Output:
	// 1 − χ = 1.4449410495e-11
}

func ExampleCanonical() {
	s, err := solver.Canonical(256, solver.DefaultKappa) // 8 bits
	if err != nil {
		panic(err)
	}
	fmt.Printf("N=%d σ_w=%.6f ξ=%.1f L_max=%.0f STE slope=%.6f\n",
		s.Levels, s.SigmaW, s.Xi, s.LMax, s.STESlope)
	// Output:
	// N=256 σ_w=1.000044 ξ=11403.8 L_max=68423 STE slope=1.000000
}

func ExampleScheme_MarshalJSON() {
	s, err := solver.Canonical(2, solver.DefaultKappa)
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(s)
	fmt.Println(string(b)[:60])
	// Output:
	// {"levels":2,"bits":1,"spacing":null,"sigma_w":1,"chi":0.6366
}

func ExampleLevelsFor() {
	n, bits, s, err := solver.LevelsFor(1000, solver.DefaultKappa)
	if err != nil {
		panic(err)
	}
	fmt.Printf("depth 1000 needs N = %d (%d bits): L_max = %.1f\n", n, bits, s.LMax)
	// Output:
	// depth 1000 needs N = 24 (5 bits): L_max = 1040.3
}

func ExampleFitOneMinusChi() {
	var levels []int
	for n := 3; n <= 1000; n++ {
		levels = append(levels, n)
	}
	f, err := solver.FitOneMinusChi(levels)
	if err != nil {
		panic(err)
	}
	fmt.Printf("ln(1 − χ_max) ≈ %.3f ln(N+1) + %.3f over N = %g … %g\n", f.Slope, f.Intercept, f.XMin-1, f.XMax-1)
	// Output:
	// ln(1 − χ_max) ≈ -1.813 ln(N+1) + 0.709 over N = 3 … 1000
}

func ExampleOptimizeLloydMax() {
	o, err := solver.OptimizeLloydMax(4) // 2 bits
	if err != nil {
		panic(err)
	}
	fmt.Printf("thresholds %.4f\nlevels     %.4f\nχ_max = %.6f  1 − χ_max = %.6f\n",
		o.Thresholds, o.Values, o.Chi, o.OneMinusChi)
	// Output:
	// thresholds [-0.9816 0.0000 0.9816]
	// levels     [-1.5104 -0.4528 0.4528 1.5104]
	// χ_max = 0.882518  1 − χ_max = 0.117482
}

func ExampleFamily_Canonical() {
	for _, f := range []solver.Family{solver.Uniform, solver.LloydMax} {
		s, err := f.Canonical(16, solver.DefaultKappa) // 4 bits
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-9s σ_w=%.6f q*=%.4f ξ=%.2f L_max=%.1f\n", f, s.SigmaW, s.QStar, s.Xi, s.LMax)
	}
	// Output:
	// uniform   σ_w=1.005822 q*=0.1582 ξ=86.13 L_max=516.8
	// lloyd-max σ_w=1.004785 q*=1.0000 ξ=104.75 L_max=628.5
}

func ExampleOptimize_asymptotic() {
	o, err := solver.Optimize(1 << 32) // 32 bits: asymptotic sums
	if err != nil {
		panic(err)
	}
	fmt.Printf("%v: D_opt = %.10e  1 − χ_max = %.10e\n", o.Method, o.Spacing, o.OneMinusChi)
	// Output:
	// asymptotic: D_opt = 4.0954152830e-09  1 − χ_max = 1.4325534164e-18
}

func ExampleFitPowerLaw() {
	// y = 0.5 x^1.82 exactly: the fit recovers exponent and prefactor.
	x := []float64{2, 3, 5, 8, 13}
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = 0.5 * math.Pow(v, 1.82)
	}
	f, err := solver.FitPowerLaw(x, y)
	if err != nil {
		panic(err)
	}
	fmt.Printf("y ≈ %.4f x^%.4f over x = %g … %g (%d points, R² = %.4f)\n",
		math.Exp(f.Intercept), f.Slope, f.XMin, f.XMax, f.Points, f.R2)
	// Output:
	// y ≈ 0.5000 x^1.8200 over x = 2 … 13 (5 points, R² = 1.0000)
}

// The general optimizer, searching (σ_w, σ_b) for the 4-level canonical
// quantizer, lands on the solver's closed-form optimum: σ_b = 0 and the
// σ_w of Canonical.
func ExampleOptimizeInit_symmetric() {
	phi, err := meanfield.Parse("quant:4")
	if err != nil {
		panic(err)
	}
	r, err := solver.OptimizeInit(phi, solver.Box{SigmaWMin: 0.5, SigmaWMax: 2.5, SigmaBMin: 0, SigmaBMax: 1}, solver.InitOptions{})
	if err != nil {
		panic(err)
	}
	s, err := solver.Canonical(4, solver.DefaultKappa)
	if err != nil {
		panic(err)
	}
	fmt.Printf("OptimizeInit: σ_w = %.6f σ_b = %g ξ_c = %.6f\n", r.SigmaW, r.SigmaB, r.XiC)
	fmt.Printf("Canonical:    σ_w = %.6f σ_b = %g ξ   = %.6f\n", s.SigmaW, s.SigmaB, s.Xi)
	// Output:
	// OptimizeInit: σ_w = 1.065305 σ_b = 0 ξ_c = 7.903706
	// Canonical:    σ_w = 1.065305 σ_b = 0 ξ   = 7.903706
}
