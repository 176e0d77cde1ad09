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
// law 1 − χ_max ∝ (N+1)^p.
//
// # The route to 1 − χ
//
// 1 − χ_max falls like N^−1.8 (1e−12 at N = 2^22), so 1 − χ computed by
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
// Euler–Maclaurin at small D); Optimize finds the root by Brent's method in
// ln D from an asymptotic bracket. N = 2 is sign: χ = 2/π for every D, and
// the spacing is undefined (NaN; HasSpacing reports false).
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
// only after the same verification (TestGolden -update). The supported range
// is 2 ≤ N ≤ MaxLevels = 2^22.
package solver
