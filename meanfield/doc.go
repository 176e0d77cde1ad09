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
// (quadrature) and Noisy (output noise: in V, not in M).
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
// # Maps and fixed points
//
// Network holds (φ, σ_w, σ_b); New validates it. QStar iterates V from q0
// and polishes the root of V(q) - q with Brent's method (hand-written: gonum
// has no scalar root finder); divergence (ErrDiverged) and collapse to
// q* = 0 with σ_b = 0 (ErrCollapsed) are reported as errors. CStar uses the
// convexity of M on [0, 1]: c* = 1 when χ1 ≤ 1 (smooth φ, ordered phase),
// c* = 0 when M(0) = 0, otherwise Brent on M(c) - c in (0, 1) — always so
// for a discontinuous φ, whose χ(c) diverges like 1/√(1-c²). Solve gathers
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
//   - Quantizer E[φ(u1)φ(u2)], equal and unequal variances: within 3e-14
//     of quadrature.Expect2 relative to √(E[φ(u1)²]E[φ(u2)²]) (1e-12;
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
//
// # Cost
//
// Quantizer moments cost O(N) tail probabilities (V, V') and ~N²/4 Φ2 (M)
// or exps (χ); activations without closed forms cost one 1-D or 2-D
// quadrature per moment. See the benchmarks in bench_test.go. The 2-D
// quadrature of package quadrature is slow (seconds) for 0 < |ρ| ≲ 1e-5;
// CrossMoment uses the exact product at ρ = 0 and CStar linearizes when
// M(0) < 1e-10, but a c* of order 1e-9 … 1e-5 for tanh or ELU (σ_b of order
// 1e-4 … 1e-2) still makes CStar slow.
package meanfield
