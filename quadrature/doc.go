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
//     still found, to 1e-12 (TestExpectUndeclaredJump), and so is a steep
//     undeclared feature wherever it falls (panel ends that are not
//     breakpoints are probed): E[erf(a(m + σZ))] for aσ up to 1e4 and m
//     swept across the panels, to 1.8e-13 absolute (TestExpectSteepShifted;
//     before, up to 7e-4 when the step sat between a panel's last node and
//     its end). A 256-level quantizer takes about 60 µs (BenchmarkExpect),
//     tanh² about 10 µs (BenchmarkExpectTanh).
//   - Expect2: sign, erf and ReLU against (2/π) arcsin c, the erf identity
//     and the arc-cosine kernel (THEORY.md §6), |c| ≤ 0.99, equal and
//     unequal variances: 1.7e-15 relative (TestExpect2ClosedForms);
//     quantizers with 2 … 16 levels against the Φ2 sum of THEORY.md §2:
//     9e-15 relative to E[φ²] (TestExpect2Quantizer), and an irregular
//     6-level quantizer with unequal variances for 1 - |c| = 1e-2 … 1e-4:
//     1.2e-15 (TestExpect2UnequalNearOne; 2.8e-14 before the smoothed steps'
//     tails got their own breakpoints). Closer to |c| = 1, for 1 - |c| from
//     1e-2 down to 1e-14, sign and a 4-level quantizer stay within 1e-15
//     (TestExpect2NearOne), thanks to breakpoints graded down to the width
//     √(1-c²) of the inner step; |c| = 1 and c = 0 are handled exactly
//     (TestExpect2SpecialCases).
//   - Expect2, smooth f and g (no breakpoints; Mehler's series, product and
//     nested trapezoid rules, see expect2.go): erf(a u) against the closed
//     form for a = 0.1 … 10, q = 1e-3 … 1e3 (a²q up to 1e5, where the
//     fallback to the adaptive path takes over), equal and unequal
//     variances and c = ±{0, 1e-12, 1e-6, 0.1, 0.5, 0.9, 0.99, 0.999}:
//     5.5e-15 relative to the result, which is odd in c and so is its
//     covariance part (TestExpect2ErfGrid). Against the adaptive path for
//     tanh, shifted tanh, softplus, GELU and a Gaussian-damped cosine, up
//     to 1 - |c| = 1e-5: 8.3e-16 of √(E f² E g²)
//     (TestExpect2SmoothVsAdaptive).
//   - Expect2 at small |c|: the covariance part E[f g] - E f E g is accurate
//     relative to itself for every c down to 1e-300, by Mehler's series with
//     coefficients from the trapezoid grid (smooth) or from Expect
//     (breakpoints, |c| ≤ 0.25): tanh against shifted tanh at q = 1, 75 and
//     unequal variances, 1.5e-15 against the series with adaptive
//     coefficients; sign against sign and hardtanh, 5.7e-16
//     (TestExpect2SmallCorrelation). Before, tanh at q = 75 took 12 s at
//     c = 1e-6 and was 7e-6 off at c = 1e-12. What cannot be relative to
//     the covariance part is the product of the means, which carries a few
//     ε of the scale √(E f² E g²) whenever E f E g ≠ 0.
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
// # Cost
//
// Expect2 of tanh at q = 1 takes about 15–70 µs for every 0 < |c| < 1
// (BenchmarkExpect2Tanh on a loaded 2-core machine; before: 1.8–2.6 ms,
// and 28 ms at c = 1e-6), a few hundred to a few thousand evaluations of
// f and g; at q = 100 about 0.25 ms (before 18 ms). tanh at q = 1e4 falls
// back to the adaptive path (about 0.8M evaluations, 20 ms). With
// breakpoints the cost is bounded for every c
// (TestExpect2BoundedCost counts evaluations: before, a small c drove the
// outer bisection to its panel budget): for |c| ≤ 0.25 it is 2(K+1)
// calls of Expect, K ≤ 27; a 16-level quantizer still costs millions of
// evaluations near |c| = 1. The smooth path assumes f and g analytic near
// the real axis on the scale of its grid (σ/10 or finer, chosen by
// halving): a feature narrower than the grid's step between its nodes can
// be missed, so declare such features (and every kink or jump) as
// breakpoints.
//
// Note for callers: math.Asin loses about 1e-14 near ±1 (8e-15 at 0.999999);
// atan2(c, √((1-c)(1+c))) does not.
package quadrature
