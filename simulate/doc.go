// Package simulate checks the mean-field theory of THEORY.md by Monte Carlo:
// it propagates a batch of inputs through finite random networks
//
//	h^1 = W^1 x + b^1,   h^l = W^l φ(h^{l-1}) + b^l,
//	W^l_ij ~ N(0, σ_w²/n),   b^l_i ~ N(0, σ_b²),
//
// and measures, layer by layer, the empirical q^l (mean square
// pre-activation) and c^l (cosine between inputs) over T independent
// networks, with their standard errors (THEORY.md §1, §5).
//
// Two methods give the same law. Weights draws the n × n matrices and
// multiplies (gonum BLAS): O(n²B) per layer. Gram uses that, given the
// previous layer's outputs X (n × B), the rows of H = W X + b are i.i.d.
// N(0, (σ_w²/n) XᵀX + σ_b² 11ᵀ), and samples them from that B × B matrix:
// O(nB² + B³) per layer, several hundred times faster at n = 4096 (see
// BenchmarkRun). Gram factors the covariance by Cholesky and falls back to
// a clamped symmetric eigen decomposition when the outputs are collinear.
//
// A stochastic activation (one with a Sample method, such as
// meanfield.StochasticRounding) has every output drawn by Sample from the
// trial's stream instead of computed by Eval; TestSampler checks that the
// draws reach the next layer and that runs stay bit-reproducible.
//
// Trials run in parallel; each draws from its own PCG stream derived from
// (Seed, trial), and reductions run in trial order, so results are
// bit-identical whatever GOMAXPROCS and the number of workers
// (TestDeterminism). Progress reports and context cancellation let a CLI
// drive long runs. Memory is bounded (DefaultMaxMemory, 2 GiB); a Weights
// run holds one n × n matrix per worker and uses fewer workers if needed.
//
// Result.DepthScale estimates the correlation depth scale ξ_c from the
// simulated c^l by a weighted geometric fit of c̄^l - c* with jackknife
// errors over trials. FitWindow chooses where that fit starts from the
// mean-field curve: the first layer at which the theory decays at its
// asymptotic rate χ(c*) to within DefaultWindowTol, so that the fit sees a
// geometric decay and not the nonlinear transient. Failures are structured:
// ErrTooShallow and ErrNoDecay, *WindowError and *FitError.
//
// Accuracy achieved in the tests:
//   - inputs have q0 and pairwise cosine c0 to 1e-14 (TestInputs);
//   - the layer covariance square root reproduces Σ to 8Bε‖Σ‖, singular
//     cases included (TestCovSqrt);
//   - for sign networks (with and without bias, output noise, three
//     inputs, anticorrelated inputs) c^l follows the mean-field map and q^l
//     the variance map within 4 standard errors at every one of 12 layers,
//     at width 4096 and 64 trials, where finite-width bias is below the
//     statistical error, while a map 2 % off is rejected
//     (TestSignMeanField);
//   - Gram and Weights agree at every layer under a Bonferroni-corrected
//     two-sample z-test at overall level 1e-3, and a σ_w 3 % off is
//     detected (TestMethodsAgree);
//   - ξ_mc matches ξ = -1/ln χ(0) within 3 jackknife standard errors for
//     the canonical quantizers N = 2, 4, 8 at σ_w = 1, width 4096, 128
//     trials (ξ = 2.21, 7.52, 24.96; relative errors about 7-9 %, 7 %,
//     10 %). Over 80 seeds for N = 2 the mean of ξ_mc was 2.222 ± 0.016
//     and over 16 seeds for N = 8 25.08 ± 0.80, no bias at that precision;
//     the z-scores had rms 1.0-1.15, so the jackknife error is at most
//     about 15 % optimistic (TestDepthScale).
package simulate
