// Package solver finds the optimal initialization of deep networks with the
// N-level uniform symmetric quantizer of THEORY.md §2 and σ_b = 0, and the
// maximal trainable depth it allows (THEORY.md §3–§4):
//
//	χ(D) = (Σ_{i∈K} e^{−i²D²/2})² / (2π Σ_{i,j∈K} Ψ(min(i,j)D) Ψ(−max(i,j)D)),
//	K = {k − N/2 : k = 1 … N−1},  D = δ/√q*,
//
// χ_max(N) = max_D χ(D), ξ = −1/ln χ_max, L_max = κ ξ, the weight scale
// σ_w^opt = δ/(A D_opt √V̂) and the straight-through slope s with
// σ_w² s² erf(t/√(2q*)) = 1.
//
// Chi evaluates χ, 1 − χ and ∂χ/∂D at one spacing; Optimize finds D_opt;
// NewScheme, Canonical and Sweep assemble Schemes; LevelsFor inverts
// L_max(N); FitPowerLaw, LocalExponents and FitOneMinusChi fit the paper's
// law 1 − χ_max ∝ (N+1)^p. Beyond the paper, the package does the same for
// the best of all odd N-level quantizers: OptimizeLloydMax computes the
// Lloyd–Max quantizer and NewLloydMaxScheme its scheme; and for the
// unsigned quantizer at its best (σ_w, σ_b) (OptimizeUnsigned). A Family
// (Uniform, LloydMax, Unsigned, parsed by ParseFamily) offers Canonical,
// Sweep and LevelsFor for each. N runs to MaxLevels = 2^32 for the uniform
// family (MaxLloydMaxLevels = 2^16 for Lloyd–Max, MaxUnsignedLevels = 256
// for unsigned).
//
// # The route to 1 − χ
//
// 1 − χ_max falls like N^−1.8 (1e−18 at N = 2^32), so 1 − χ computed by
// subtraction keeps no digit at large N. With unit jumps, φ(z) = Σ_{i∈K}
// (H(z − iD) − 1/2) has levels y_j = j − (N−1)/2 on the bins between
// consecutive thresholds, and Stein's lemma gives E[zφ] = E[φ'] = β =
// Σ_{i∈K} ϕ(iD). Then χ = β²/S with S = E[φ²] = Σ_j y_j² p_j (the double sum
// of THEORY.md is Var φ written with Cov(H_i, H_j) = Ψ(min)Ψ(−max)), and
//
//	1 − χ = R/S,  R = E[(φ − βz)²] = Σ_j ∫_bin (y_j − βz)² ϕ(z) dz,
//
// a sum of non-negative integrals. Each bin's integral is formed from
// moments about the bin's centre by a Hermite series (piece), whose terms
// cannot cancel by more than a small factor; the two outer half-infinite
// bins use the continued fraction of the Mills ratio, whose tails turn
// ∫_T^∞ s^k ϕ(T+s) ds into products of positive numbers. An error in β only
// moves R quadratically (R(b) = R(β) + (b − β)²), so β's rounding does not
// reach 1 − χ. All sums run over the bins with z ≥ 0 (the symmetry of K) and
// are compensated (Neumaier); each costs O(N) time and O(1) memory, and ϕ is
// taken from one exponential per ~100 bins at large N plus a short
// polynomial, exact to 1e−22.
//
// # The optimum
//
// Differentiating bin by bin, dS/dD = −2M and dR/dD = −2τM with
// M = Σ i² ϕ(iD) and τ = 1 − βD, so
//
//	∂χ/∂D = (2M/S)(τ − (1 − χ)),
//
// and D_opt solves 1 − χ(D) = τ(D). τ is a Riemann-sum defect computed
// without cancellation (Poisson summation plus the lattice tail, by
// Euler–Maclaurin at small D); Optimize finds the root by Brent's method
// (internal/roots, shared with meanfield and OptimizeInit) in
// ln D from an asymptotic bracket. N = 2 is sign: χ = 2/π for every D, and
// the spacing is undefined (NaN; HasSpacing reports false).
//
// # Very large N: the asymptotic method
//
// Above AsymptoticLevels = 2^16 (MethodFor), the sums are not taken bin by
// bin but in O(1) time (asymptoticSums, Method Asymptotic): inside the clip
// point T = D(N/2 − 1) the unit-jump quantizer is (z − s(z))/D with s the
// D-periodic sawtooth, so R and S reduce to ∫ s²ϕ, ∫ s zϕ and ∫ z²ϕ over
// |z| < T plus the two outer bins. Over the whole line the Fourier series
// of s and s² (periodic Bernoulli functions) give D²/12 and 0 up to Poisson
// terms e^{−2π²m²/D²}, which are summed; the parts beyond T are integrated by
// parts against the periodic antiderivatives, which at the bin edge T are
// Bernoulli numbers: the Euler–Maclaurin series D^{2j} B_{2j}/(2j)!
// He_{2j−1}(T)ϕ(T), with ratio ~(DT/2π)² ≤ 1e−5 at the optimum above the
// threshold. β and τ come from tau, M2 from the Poisson sum of z²ϕ less its
// Euler–Maclaurin tail. Every combination is dominated by one positive term,
// so the relative accuracy of 1 − χ is that of the exact route. One
// optimization at N = 2^32 takes ~20 µs (BenchmarkAsymptotic2p32). Where the
// series would not converge (D > 1/4, or D·DN/2 > 2 with the lattice tail
// inside |z| ≤ 37: small N only) the exact sums are used instead; Chi,
// ChiMethod, Optimum, Point and Scheme report the Method used.
//
// # Optimal non-uniform quantizers
//
// For any odd quantizer φ (levels y, thresholds g) and σ_b = 0: M(0) =
// σ_w² E[φ]²/q* = 0, so c* = 0, and by Price's theorem and Stein's lemma
// χ(0) = σ_w² (E φ'(u))² = σ_w² (E[zφ(√q* z)])²/q*. The variance fixed point
// σ_w² E[φ(√q* z)²] = q* then gives, with φ̃(z) = φ(√q* z),
//
//	χ = (E[zφ̃])² / E[φ̃²] = corr(z, φ̃(z))²   (E[φ̃] = 0, E[z²] = 1),
//
// which depends only on the thresholds in units of √q* and is invariant to
// rescaling the levels. For given thresholds, Cauchy–Schwarz over the bins
// (χ = (Σ y_j m_j)²/Σ y_j² P_j, m_j = ∫_bin zϕ) is maximized by centroid
// levels y_j ∝ m_j/P_j = E[z | bin j]; then E[zφ̃] = E[φ̃²] = χ, and
// E[(z − φ̃)²] = 1 − 2E[zφ̃] + E[φ̃²] = 1 − χ. So max χ over all odd N-level
// quantizers is 1 − D_LM, D_LM the minimum mean-square distortion of N(0, 1)
// by N levels, attained by the Lloyd–Max quantizer, unique for the
// log-concave normal density (Fleischer 1964) and therefore odd.
// OptimizeLloydMax solves its conditions (thresholds at midpoints, levels at
// centroids) by Newton's method on the positive thresholds with a
// tridiagonal Jacobian, from the companding guess (see its comment); 1 − χ is
// the sum of the bins' ∫(z − y_j)²ϕ, without cancellation. The scheme uses
// the quantizer at q* = 1 (σ_w = 1/√χ_max) or rescaled to outermost level A
// (q* = (A/y_{N−1})², same σ_w), with the straight-through window |x| ≤ A.
// N²(1 − χ_max) rises to the Panter–Dite constant √3π/2 ≈ 2.7207 (2.7206 at
// 2^16), so the exponent of 1 − χ_max against N tends to 2 from below
// (log2 of the ratio between N and 2N: 1.77 for 4 → 8, 1.979 for 64 → 128,
// 1.99995 for 2^15 → 2^16), unlike the uniform family's (1.67, 1.77, 1.90
// there; 1.95 at 2^32), whose error carries a ln N factor.
//
// # Unsigned quantizers
//
// The canonical unsigned (ReLU-style) quantizer uquant:N (levels k/(N−1),
// thresholds (k − 1/2)/(N−1): clip(x, 0, 1) rounded) has E[φ] > 0, so
// M(0) = (σ_w² E[φ]² + σ_b²)/q* > 0 and c* > 0 even at σ_b = 0; χ(c*) then
// depends on both σ_w and σ_b. Family Unsigned maximizes ξ_c over
// UnsignedBox (σ_w ∈ [1, 2.5], σ_b ∈ [0, 0.6]) with OptimizeInit and its
// default options (OptimizeUnsigned), for 2 ≤ N ≤ MaxUnsignedLevels = 256,
// chosen by cost: a search is 500–1000 fixed-point solves, about 25 s at
// N = 256. To make that affordable, UnsignedActivation evaluates the cross
// and slope moments on the lattice of thresholds: with r = cos θ the
// bivariate density splits along the diagonals k ± m of the threshold
// pairs, the sums over each diagonal follow from one another by adding two
// terms, and M(c) = M(1) − ∫_0^{arccos c} (…) dθ is integrated by
// Gauss–Legendre on panels halving towards θ = 0: O(N) per node instead of
// the O(N²) bivariate CDFs of meanfield's general quantizer (1 ms against
// 20 ms per M at N = 256; BenchmarkUnsignedLatticeCrossMoment256), equal to
// them within 2e−15 of E[φ²] (TestUnsignedLatticeMoments).
//
// The scheme (Family.Canonical) reports Spacing = δ/√q* (with σ_b²/q* it
// fixes χ(c*): the threshold spacing in units of the pre-activation's
// standard deviation is as meaningful here as for the symmetric family;
// for N = 2 it is twice the normalized threshold), ChiMax = χ(c*), SigmaB,
// CStar, and the straight-through slope for the window [0, 1]:
// σ_w² s² P(0 ≤ u ≤ 1) = 1. c* is re-solved at the optimum from the
// anchored equation 1 − c = 1 − M(c), whose right side σ_w² a² ∫ G dθ/q*
// is computed to a few ulps relative (using M(1) = V(q*)/q* = 1 instead of
// subtracting numbers near 1): 1 − c*, χ(c*) and 1 − χ(c*) agree with an
// independent solution (plain double sums, other panels, regula falsi) to
// 4e−14 relative up to N = 64 (TestUnsignedOneMinusChi), where meanfield's
// c* from M(c) − c is off by 2.5e−12 relative in 1 − c* and 1 − χ. The
// optimum agrees with `lmax optimize --activation uquant:N` over the same
// box to the search tolerance in σ_w, σ_b (≲ 2e−7) and 1e−13 in ξ
// (TestUnsignedMatchesMeanfield), is a strict local maximum under 1e−3
// perturbations evaluated through meanfield (TestUnsignedIsMaximum) and
// matches a dense independent scan to 1e−4 (TestUnsignedDenseScan).
//
// A bias helps from N = 5 on: σ_b = 0 is optimal for N ≤ 4, and ξ_c gains
// 0.0073 % at N = 5, 0.16 % at 8, 0.86 % at 16 and 9.3 % at 256 over the best
// σ_w at σ_b = 0 (TestUnsignedBias, notebooks/compare). The unsigned
// quantizer is far shorter than the symmetric one: ξ = 97.4 at N = 256, what
// the uniform quantizer reaches with 18 levels, and 1 − χ(c*) falls only
// like N^−0.72 over N = 8 … 256 (uniform: N^−1.75), because c* approaches 1
// (0.99916 at N = 256), where χ(c) of a step function grows like
// (1 − c)^−1/2. L_max increases with N (TestUnsignedLMaxIncreases: every N
// to 24, then 32, 48, 64; with LMAX_LONG=1 every N to 64 and steps
// of 16 and 32 to 256), so LevelsFor applies.
//
// # Accuracy
//
// Against independent high-precision evaluations of the literal formula
// (math/big at 320 bits with Ψ from its Taylor series, N ≤ 1024; and
// double-double arithmetic, N up to 2^20): χ, 1 − χ and S agree to 2e−15
// relative for every N tested, at D_opt and away from it (observed ≤ 5e−16;
// TestChiAgainstBig, TestChiAgainstDoubleDouble), and D_opt is bracketed to
// 1e−13 relative by the sign of ∂χ/∂D in 320 bits (TestOptimizeAgainstBig).
// The golden file testdata/sweep.json (N = 2 … 64, 128 … 1024) is written
// only after the same verification (TestGolden -update). The asymptotic
// method agrees with the exact sums wherever both run (N from 16 to 2^22, at
// D_opt and at 1/2, 2 and 8 times it) to 2e−15 relative in β, τ, S, M2, χ and
// 1 − χ, and ∂χ/∂D to 2e−15 of its scale (TestAsymptoticAgreesWithExact;
// observed ≤ 6e−16); optimizations by the two methods agree to 1e−13 in
// D_opt (observed: identical) and 2e−15 in 1 − χ_max and ξ
// (TestOptimizeMethodsAgree). The supported range is 2 ≤ N ≤ MaxLevels =
// 2^32.
//
// The Lloyd–Max quantizer matches Max's (1960) tables for N = 2 … 8 to their
// last digit and 10-decimal centroid tables for N = 2, 4, 8, 16
// (TestLloydMaxTables). Checked in 320-bit arithmetic (the optimality
// conditions' residual at the returned thresholds, mapped to threshold
// errors by one Newton step), thresholds are within 5e−15 relative, levels
// within 5e−15 of the exact centroids and 1 − χ_max within 1e−15 relative
// for N ≤ 256 (observed 1.1e−15, 1.05e−15, 2.2e−16; TestLloydMaxAgainstBig).
// χ_max agrees with meanfield's general quantized activation to 1e−13
// (TestLloydMaxMeanfield), is a strict local maximum under perturbations
// evaluated by independent code (TestLloydMaxIsMaximum), equals the uniform
// optimum for N = 2, 3 and exceeds it for every tested N ≥ 4
// (TestLloydMaxBeatsUniform), and N²(1 − χ_max) approaches Panter–Dite
// monotonically (TestLloydMaxPanterDite). The conditioning of the
// Lloyd–Max conditions worsens like N² (the slow mode of Lloyd's
// iteration), so threshold accuracy at N ≫ 256 is not verified in high
// precision; χ_max, being stationary in the thresholds, is insensitive to
// it.
package solver
