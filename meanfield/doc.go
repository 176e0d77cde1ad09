// Package meanfield implements the mean-field maps of THEORY.md §1–§2 for a
// deep fully connected network at initialization, h^l = W^l φ(h^{l-1}) + b^l
// with W_ij ~ N(0, σ_w²/n), b_i ~ N(0, σ_b²): the variance map V and its
// slope V', the covariance step used by the Monte Carlo comparison, the
// correlation map M and its slope χ (Price's theorem), their fixed points q*
// and c*, and the depth scales ξ_q = -1/ln V'(q*) and ξ_c = -1/ln χ(c*).
//
// # Activations
//
// An Activation needs only Eval and String (its spec in the grammar of
// Parse). Everything else is an optional interface, checked at run time as
// io does with WriterTo: Breakpointer (kinks and jumps, for quadrature),
// Differentiable (φ' a.e.), Stepper (the jumps of a step function), and the
// closed-form Gaussian moments Meaner, SecondMomenter, SecondMomentDeriver,
// CrossMomenter and SlopeMomenter. The package functions Mean,
// SecondMoment, SecondMomentDeriv and CrossMoment use a closed form when the
// activation has one, the step-function sums of THEORY.md §2 for any
// Stepper (a raw *quantize.Quantizer included), and breakpoint-aware
// quadrature (package quadrature) otherwise. Cross and slope moments take
// (q11, q22, ρ) rather than the covariance so that 1 - ρ stays exact where
// the step-function moments are singular.
//
// Provided: Sign, Quantized (wrapping *quantize.Quantizer; all moments in
// closed form through Ψ, Φ2 and p2, for unequal variances too), Identity,
// Tanh (quadrature), Erf (closed forms, THEORY.md §6 with a = 1), ReLU
// (arc-cosine kernel), LeakyReLU (ReLU kernel plus identity), HardTanh
// (closed second and slope moments, quadrature cross moment), ELU
// (quadrature), Noisy (output noise: in V, not in M) and StochasticRounding
// (see below).
//
// The cross moment of an N-level quantizer is the Φ2 double sum of
// THEORY.md §2 rewritten as E[φ]E[φ] + Σ a_k a_m Cov(H, H), grouped by
// threshold magnitude: about N²/4 bivariate CDFs for a symmetric quantizer
// (N²/2 unsigned) instead of N², with pairs negligible against
// √(E[φ(u1)²]E[φ(u2)²]) skipped. The sum stays O(N²) because Φ2 does not
// separate; the Mehler (Hermite) series would make it O(N·K) but needs
// K ~ 1/(1-|c|) terms for a step function, hopeless near c = 1 where c*
// lies for fine quantizers. The slope moment is the same sum over
// densities (one exp per pair).
//
// # Stochastic activations: can noise lengthen ξ?
//
// A stochastic activation's output is random given its input. Noisy adds
// Gaussian noise of standard deviation S (the noise-injected activations
// of Gulcehre et al.); StochasticRounding (sround:N, usround:N) rounds to
// the level just below or above the input with probability equal to its
// fractional position between them, so that its conditional mean is a
// scaled hard tanh (clipped ReLU) for every N and its conditional variance
// s²(x - x_k)(x_{k+1} - x) is, on average, twice the δ²/12 of
// deterministic rounding. Both implement the optional OutputVariancer
// (E[Var(φ(u)|u)], in closed form: a Hermite series per bin, which agrees
// with a 40-digit reference to 2e-16) and simulate's Sample hook. The
// output variance enters V but not the cross moment of distinct inputs, so
// M jumps at c = 1: M(1⁻) = 1 - σ_w² E[Var]/q* (1 - σ_w²S²/q* for Noisy),
// c* < 1 and ξ_c is finite for every σ_w (TestStochasticJump).
//
// Noise never lengthens ξ_c. At q*, the noisy map is the map of the
// noise-free mean activation with σ_b'² = σ_b² + σ_w² E[Var] minus the
// gap g = σ_w² E[Var]/q*, with the same χ(c); that map is convex with
// M(1) = 1 and χ is non-decreasing on [0, 1] (Mehler), so its stable
// fixed point lies above the noisy c* and has the larger χ: every noisy
// initialization is beaten by a noise-free one. Numerically (best σ_w at
// σ_b = 0, TestNoiseCannotLengthenXi), ξ_c falls for quant:4 from 7.90 to
// 7.89, 6.63 and 3.29 with S = 0.01, 0.1 and 0.3; for quant:16 from 86.1 to
// 81.7, 17.2 and 3.89; for sign by exactly the factor 1/(1+S²) in χ;
// tanh and hardtanh, critical (ξ = ∞) without noise, reach only 289 and
// 825 at S = 0.01 and 14.5 and 19.0 at S = 0.1. Stochastic rounding,
// although its χ stays finite as c → 1, is shorter than deterministic
// rounding for every N (TestStochasticVsDeterministicRounding): at σ_b = 0
// its best ξ_c is 3.39, 5.22, 15.8, 49.6 and 6128 against 4.74, 7.90,
// 26.2, 86.1 and 11404 for N = 3, 4, 8, 16 and 256 (ratio 0.72 falling
// towards 1/2, as (1-χ) doubles with the doubled rounding variance); for
// N = 2 it approaches 2/π only as σ_w → ∞. A bias moves c* towards 1 but
// lowers the best χ(c*) of both (σ_b = 0.05: 5.14 against 7.58 at N = 4,
// 33.5 against 46.3 at N = 16; scans up to σ_b = 2 keep the order): with
// c* near 1 the gap g = σ_w² E[Var]/q* costs 1 - χ(c*) of order g^{1/3}
// (expanding M about c = 1, where χ(c) ≈ χ1 - K√(1-c)),
// far more than at c* = 0.
//
// # Maps and fixed points
//
// Network holds (φ, σ_w, σ_b); New validates it. QStar iterates V from q0
// and polishes the root of V(q) - q with Brent's method (internal/roots:
// gonum has no scalar root finder); divergence (ErrDiverged) and collapse to
// q* = 0 with σ_b = 0 (ErrCollapsed) are reported as errors. CStar uses the
// convexity of M on [0, 1]: c* = 1 when χ1 ≤ 1 (smooth φ, ordered phase),
// c* = 0 when M(0) = 0, otherwise Brent on M(c) - c in (0, 1) — always so
// for a discontinuous φ, whose χ(c) diverges like 1/√(1-c²), and for a noisy
// or stochastic one, whose M(1) < 1. Trajectory iterates the full covariance
// map from given inputs, for comparison with simulations. Solve gathers
// q*, V'(q*), c*, χ(c*), χ1, ξ_q and ξ_c in a FixedPoint. Slopes within 4
// ulps of 1 count as critical (ξ = +Inf): σ_w = fl(√2) for ReLU has
// σ_w² = 2(1 + 2⁻⁵²).
//
// For quantizers M is also computed by a second, independent route,
// CorrelationByIntegral: M(0) + ∫_0^c χ(r) dr with r = cos φ (which
// cancels the 1/√(1-r²) singularity of χ exactly) and Gauss–Legendre panels
// graded towards r = ±1 down to the spacing of the normalized thresholds.
//
// # Accuracy
//
// Achieved (observed worst case; the tests' tolerances in parentheses):
//
//   - Quantizer E[φ], E[φ²] against quadrature.Expect: 4e-16 relative
//     (1e-12; TestMeanAndSecondMomentVsQuadrature). Smooth closed forms:
//     3e-16 (1e-10).
//   - d/dq E[φ²]: closed forms against quadrature by parts 5e-16 relative,
//     and against a 5-point difference (1e-8, the difference's own error;
//     TestSecondMomentDeriv).
//   - Quantizer E[φ(u1)φ(u2)], equal and unequal variances: within about
//     1e-15 of quadrature.Expect2 (3e-14 before Expect2's unequal-variance
//     fix) relative to √(E[φ(u1)²]E[φ(u2)²]) (1e-12;
//     TestCrossMomentVsQuadrature) — the difference is Expect2's, at
//     |ρ| = 0.999 and unequal variances: against Price's theorem integrated
//     in ρ the closed form agrees to 5e-16 (1e-14;
//     TestCrossMomentPriceIntegral). Smooth closed forms (ReLU, leaky ReLU,
//     erf, identity, sign): 4e-16 (1e-10).
//   - The two routes of M, Φ2 sums and ∫χ: 4e-15 absolute over
//     c ∈ [-1, 1], quant:3 to quant:128, unsigned and irregular quantizers;
//     1e-15 for tanh, erf, ReLU, hardtanh (1e-13; TestCorrelationRoutes).
//   - χ = dM/dc against 5-point differences of M (1e-9;
//     TestChiIsSlopeOfM, TestPriceStep); χ ≥ 0 and |M| ≤ V(q)/q (hence ≤ 1
//     at q*) under fuzzing (FuzzMaps).
//   - THEORY.md §3: χ(c* = 0) of the uniform symmetric quantizer at σ_b = 0
//     equals the χ(D) of the naive double sum with D = δ/√q* (1e-12
//     relative; TestChiZeroUniform).
//   - THEORY.md §6: sign (M = (2/π) arcsin c, q* = σ_w², χ(0) = 2/π, both
//     routes, within the conditioning ulp·c·M'(c)), erf, ReLU kernel and
//     σ_w² = 2 criticality, tanh σ_w = 1 criticality, Φ2(0, 0; ρ)
//     (identities_test.go).
//   - q*: V(q*) = q* to 1e-15 relative, closed-form q* to 1e-14
//     (TestQStar).
//   - StochasticRounding: E[m], E[m²], E[φ²] and d/dq E[φ²] against
//     quadrature 5e-16 relative, E[Var] 1e-14 (1e-12; the quadrature's
//     error: Var(x) evaluated in floating point has condition |x|/δ near
//     the bin centers), and E[Var] against a 40-digit mpmath sum 2e-16;
//     cross moments, equal and unequal variances, ρ ∈ [-1, 1], against
//     Expect2 within 1e-14 of √(E[m1²]E[m2²]), slope moments 5e-16 (1e-12;
//     TestStochasticMomentsVsQuadrature) and against Price's theorem
//     integrated in ρ (1e-13; TestStochasticPrice); the ramp-product moment
//     G(h, k; ρ) to 1e-13 including ρ = ±1 (TestRampProduct). The cross
//     moment's absolute error is a few ulps of max(q, b²), b the clip
//     point, so relative to the moment it grows like q/b² for q ≫ b².
//
// # Cost
//
// Quantizer moments cost O(N) tail probabilities (V, V') and ~N²/4 Φ2 (M)
// or exps (χ); activations without closed forms cost one 1-D or 2-D
// quadrature per moment. See the benchmarks in bench_test.go. Smooth
// activations take quadrature's fast path for smooth functions (a full
// Solve for tanh costs about 1 ms, half of it in QStar's 1-D iterations);
// kinked ones without a closed-form cross moment (ELU) take the adaptive
// 2-D path, about 20 ms a Solve. CrossMoment uses the exact product at
// ρ = 0 and CStar linearizes when M(0) < 1e-10: both are exact shortcuts.
package meanfield
