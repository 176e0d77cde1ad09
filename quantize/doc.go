// Package quantize implements the N-level quantized activations of THEORY.md
// §2: non-decreasing step functions
//
//	φ(x) = y_0 + Σ_{k=1}^{N-1} a_k H(x - g_k),   a_k = y_k - y_{k-1},
//
// with thresholds g_1 < … < g_{N-1} and levels y_0 ≤ … ≤ y_{N-1}, together
// with the straight-through estimator of THEORY.md §4 used to train them.
//
// Three families are provided: the uniform symmetric quantizer of the paper
// (Uniform, and its canonical member Canonical, which rounds clip(x, -1, 1)
// to the nearest of N evenly spaced levels), the unsigned ReLU-style
// quantizer (Unsigned, CanonicalUnsigned), and arbitrary thresholds and
// levels (New). Every constructor validates its arguments and returns an
// error that names the bad value; a *Quantizer is immutable once built and
// safe for concurrent use.
//
// H is the right-continuous Heaviside step: φ(g_k) takes the upper level.
// The convention is immaterial for Gaussian expectations (a threshold has
// probability zero) but fixes the value of Eval at a threshold.
package quantize
