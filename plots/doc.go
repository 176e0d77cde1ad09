// Package plots builds the project's figures with gonum.org/v1/plot and
// writes them as PNG, SVG or PDF.
//
// The builders take plain data (slices and the small structs defined here),
// never the project's solver types, so notebooks, the CLI and tests can
// feed them from anywhere:
//
//   - Sweep: the paper's second figure, 1 − χ_max(N) and D_opt(N) against
//     N + 1 on log–log axes with their fitted power laws (PowerLaw) and the
//     equations in the legend (THEORY.md §3).
//   - Correlations: Monte Carlo c^l against the layer l, means with
//     standard-error bars over the mean-field curve, one colour per run;
//     DepthScale: ξ_mc against N over the theory ξ(N), log–log (§5).
//   - Maps: the correlation map M(c) and its slope χ(c) on [−1, 1], the
//     identity, the level χ = 1 and the fixed points c* (§1–2).
//   - Phase: ξ_c over a (σ_w, σ_b) grid as a heat map on a log colour scale
//     with a colour bar, the order–chaos boundary as a contour, and a marker
//     such as σ_w^opt (§3).
//   - Trainability: test accuracy over (N, L) as a heat map with the curves
//     L = κ·ξ(N) for κ = 4, 6, 9 (§3).
//
// Each returns a *plot.Plot or a *HeatFigure (a plot and its ColorBar),
// both Figures, which the caller may still adjust; Panels tiles figures for
// side-by-side display. Save writes a figure to a file, choosing the format
// from the extension and writing atomically through internal/fileio;
// Render writes it to any io.Writer.
//
// Builders validate their input and return errors that name the bad value;
// Render turns a panic inside gonum (which reports some bad input that way)
// into an error. Non-finite values are handled where they are expected: a
// missing D_opt at N = 2 (NaN), χ = +Inf near c = 1 (left out, the axis
// capped), ξ = +Inf at criticality (top colour, labelled "≥ cap"), error
// bars reaching zero on a log axis (run off the bottom).
//
// Legibility: at the default 8 × 5 inch size and DPI = 100 a PNG is 800 ×
// 500 pixels with 10.5–13 pt (15–18 px) text. Labels use the Scripts text
// handler, which renders "χ_{max}" and "(N+1)^{−1.82}" with real sub- and
// superscripts and otherwise draws exactly as gonum's plain handler
// (TestScriptsMatchesPlain compares the pixels). Legends sit in a
// translucent box, placed automatically where they hide the fewest data
// (TestLegendPlacement). Series use the Okabe–Ito colours with distinct
// marker shapes; heat maps use perceptually uniform maps (viridis for
// accuracy, Moreland's extended black body for ξ).
//
// Tests render every builder, from realistic synthetic data, to PNG (decoded
// and its pixel size checked), SVG and PDF, and check Save's errors and its
// atomicity. Set PLOTS_PREVIEW to a folder to keep the rendered figures:
//
//	PLOTS_PREVIEW=/tmp/plots-preview go test -run Preview ./plots/
package plots
