// Package roots holds the scalar root-finder and minimizer that meanfield
// and solver share: Brent's methods (R. P. Brent, Algorithms for
// Minimization without Derivatives, Prentice-Hall 1973, chapters 4 and 5).
//
// They are written here because gonum has no scalar root-finder
// (gonum/optimize minimizes, and its Bisection is a line search on a
// gradient; gonum/mathext has no zero-in) and no derivative-free bounded
// scalar minimizer (its line searches need gradients, and NelderMead does
// not stop on a bracket).
//
//   - Brent finds a sign change of f in a bracket [a, b] by inverse
//     quadratic interpolation and secant steps, safeguarded by bisection.
//     It returns x within Tol(x) + 4ε|x| of a sign change (ε = 2⁻⁵²), and
//     never takes more evaluations than about the square of bisection's.
//   - Minimize finds a local minimum of f in (a, b) by golden-section
//     search accelerated by successive parabolic interpolation, and returns
//     the final bracket with the minimizer.
//
// Accuracy (TestBrent, TestMinimize): with Tol = 0 the roots of
// x³ − 2x − 5 and cos x − x come out within 4 ulps of the correctly
// rounded root, and that of eˣ − 1 within 1e−16 of 0 (below 2⁻⁵³, eˣ − 1
// rounds to 0); a triple root, x²⁰ − 1, a jump, a pole and a steep tanh
// are located to the requested tolerance, and 5000 random cubics show a
// sign change within Tol(x) + 4ε|x| of every result
// (TestBrentBracketsASignChange). Minimize keeps the minimizer of
// unimodal test functions in its final bracket, which reaches at most
// 2(Tol(x) + ε|x|) from x; where f is flat to rounding (within √ε of a
// smooth minimum, ε^¼ of a quartic one) that bracket is as good as it
// gets.
package roots
