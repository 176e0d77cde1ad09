package quadrature

// This file fixes the package's public API so that dependent packages can be
// written against it; the bodies are filled in by the implementation.

// NormalCDF returns Ψ(x) = P(Z ≤ x) for a standard normal Z, accurate to a
// few ulps relative in both tails.
func NormalCDF(x float64) float64 { panic("quadrature: NormalCDF not implemented") }

// NormalPDF returns the standard normal density exp(-x²/2)/√(2π).
func NormalPDF(x float64) float64 { panic("quadrature: NormalPDF not implemented") }

// Legendre returns the n-point Gauss–Legendre nodes and weights on [-1, 1].
// The slices are shared and must not be modified.
func Legendre(n int) (x, w []float64) { panic("quadrature: Legendre not implemented") }

// Hermite returns the n-point Gauss–Hermite nodes and weights for the
// standard normal weight, so that Σ w_i f(x_i) ≈ E[f(Z)].
// The slices are shared and must not be modified.
func Hermite(n int) (x, w []float64) { panic("quadrature: Hermite not implemented") }

// Expect returns E[f(√q Z)] for a piecewise-smooth f whose discontinuities
// or kinks lie at breaks (in the units of the argument of f). q must be ≥ 0.
func Expect(f func(float64) float64, q float64, breaks []float64) float64 {
	panic("quadrature: Expect not implemented")
}

// Expect2 returns E[f(u1) g(u2)] for (u1, u2) ~ N(0, [[q11, q12], [q12, q22]]),
// with breaksF and breaksG the breakpoints of f and g.
func Expect2(f, g func(float64) float64, q11, q22, q12 float64, breaksF, breaksG []float64) float64 {
	panic("quadrature: Expect2 not implemented")
}

// BivariateCDF returns Φ2(h, k; ρ) = P(X ≤ h, Y ≤ k) for standard normals X,
// Y with correlation ρ ∈ [-1, 1].
func BivariateCDF(h, k, rho float64) float64 { panic("quadrature: BivariateCDF not implemented") }

// BivariateDensity returns the standard bivariate normal density p2(x, y; ρ)
// for |ρ| < 1.
func BivariateDensity(x, y, rho float64) float64 {
	panic("quadrature: BivariateDensity not implemented")
}
