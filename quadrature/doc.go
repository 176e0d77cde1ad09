// Package quadrature computes the Gaussian integrals of the mean-field
// theory (THEORY.md §1–2, §6): the normal CDF Ψ and density, Gauss rules,
// one- and two-dimensional Gaussian expectations of piecewise-smooth
// functions such as quantizers, and the bivariate normal CDF Φ2 and density
// p2. It depends on gonum only.
//
// # Functions
//
//   - NormalCDF, NormalPDF: Ψ and φ, accurate relative to themselves in
//     both tails.
//   - Legendre, Hermite: Gauss–Legendre rules on [-1, 1] and Gauss–Hermite
//     rules for the standard normal weight, cached per n and shared.
//   - Expect: E[f(√q Z)] for f with declared breakpoints (jumps, kinks).
//   - Expect2: E[f(u1) g(u2)] for a bivariate normal (u1, u2).
//   - BivariateCDF, BivariateDensity: Φ2(h, k; ρ) and p2(x, y; ρ).
//
// Invalid arguments (a negative variance, |ρ| > 1, NaN) give NaN, as
// documented on each function; the signatures are fixed for the meanfield
// package, so there is no error value.
//
// # Accuracy achieved
//
// Each figure is the worst case measured by the named test (run
// go test -v ./quadrature/ to see them logged).
//
//   - NormalCDF: within 3 ulps of 40-digit references for x from -38 to 9,
//     and within 1 ulp in the upper tail (TestNormalCDFReference); the plain
//     erfc(-x/√2)/2 is up to 1100 ulps off in the far left tail
//     (TestNormalCDFPlainErfc). NormalPDF: within 2 ulps
//     (TestNormalPDFReference).
//   - Legendre: nodes within 2.9e-16 (relative to max(|x|, 1/n)) and weights
//     within 6.6e-16 relative of 25-digit references for n up to 257;
//     gonum's own 26-point rule, which is wrong (Σw = 1.979), is repaired
//     (TestRulesAgainstReference, TestGonumLegendre26). Hermite: nodes within
//     3.8e-16, weights within 1.6e-14 relative for n up to 201, an error
//     that grows like n ε from the recurrence (gonum's are off by 8e-9 at
//     n = 200).
//   - Expect: quantizer-like step functions (N = 2 … 256 levels, symmetric
//     and unsigned, q from 1e-4 to 1e4) match the closed form Σ y_j·P(bin j)
//     to 1.2e-15 relative (TestExpectQuantizer), also when only the tails
//     beyond 35σ contribute, down to values of 1e-273 (TestExpectTail).
//     Smooth and piecewise-smooth functions with closed forms (u², u⁴, u⁶,
//     ReLU, ReLU², |u - 0.2|, cos, exp, erf(au)² for a = 0.1 … 10 via
//     (2/π) arcsin(2a²q/(1+2a²q))) agree to 4.9e-16
//     (TestExpectSmoothClosedForms), tanh², sech⁴, softplus and
//     tanh(u + 0.3) agree with 20-digit mpmath values to 1.4e-14 relative,
//     the worst being the small, cancelling E[tanh(u+0.3)] at q = 1e4
//     (TestExpectSmoothReference). A jump that is not declared as a break is
//     still found, to 1e-12 (TestExpectUndeclaredJump). A 256-level
//     quantizer takes about 60 µs (BenchmarkExpect).
//   - Expect2: sign, erf and ReLU against (2/π) arcsin c, the erf identity
//     and the arc-cosine kernel (THEORY.md §6), |c| ≤ 0.99, equal and
//     unequal variances: 1.6e-14 relative (TestExpect2ClosedForms);
//     quantizers with 2 … 16 levels against the Φ2 sum of THEORY.md §2:
//     9e-15 relative to E[φ²] (TestExpect2Quantizer). Closer to |c| = 1,
//     for 1 - |c| from 1e-2 down to 1e-14, sign and a 4-level quantizer stay
//     within 1e-15 (TestExpect2NearOne), thanks to breakpoints graded down to
//     the width √(1-c²) of the inner step; |c| = 1 and c = 0 are handled
//     exactly (TestExpect2SpecialCases).
//   - BivariateCDF: absolute error ≤ 2.2e-16 against 20-digit mpmath values
//     (by conditioning, an independent route) over h, k in [-8, 8] and ρ
//     including ±(1 - 10^-j), j = 1 … 15 (TestBivariateCDFReference);
//     ≤ 6.1e-16 against a composite Plackett integral of p2 in
//     δ = π/2 - arcsin ρ (TestBivariateCDFPlackett), ≤ 4.4e-16 against
//     Expect2 of indicators (TestBivariateCDFExpect2), ≤ 5.6e-17 against
//     Φ2(0, 0; ρ) = 1/4 + arcsin(ρ)/(2π) (TestBivariateCDFZeroZero); exact
//     symmetry, the reflection identity to 4e-16, Fréchet bounds and
//     monotonicity in ρ (TestBivariateCDFIdentities).
//   - BivariateDensity: within 4ε(1+E) relative of 20-digit values, E the
//     exponent, down to |ρ| = 1 - 1e-15 (TestBivariateDensity).
//
// Note for callers: math.Asin loses about 1e-14 near ±1 (8e-15 at 0.999999);
// atan2(c, √((1-c)(1+c))) does not.
package quadrature
