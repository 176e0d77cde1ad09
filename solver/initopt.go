package solver

import (
	"errors"
	"fmt"
	"math"
	"sync/atomic"

	"gonum.org/v1/gonum/floats"

	"github.com/lmax-project/lmax/internal/roots"
	"github.com/lmax-project/lmax/meanfield"
)

// Box is a rectangle of initializations σ_w ∈ [SigmaWMin, SigmaWMax],
// σ_b ∈ [SigmaBMin, SigmaBMax]. A side of zero width fixes that parameter
// (SigmaBMin = SigmaBMax = 0 searches σ_w alone at σ_b = 0).
type Box struct {
	SigmaWMin, SigmaWMax float64
	SigmaBMin, SigmaBMax float64
}

func (b Box) check() error {
	if math.IsNaN(b.SigmaWMin) || math.IsInf(b.SigmaWMin, 0) || b.SigmaWMin <= 0 {
		return invalid("sigma_w min %v: must be finite and positive", b.SigmaWMin)
	}
	if math.IsNaN(b.SigmaWMax) || math.IsInf(b.SigmaWMax, 0) || b.SigmaWMax < b.SigmaWMin {
		return invalid("sigma_w max %v: must be finite and ≥ sigma_w min %v", b.SigmaWMax, b.SigmaWMin)
	}
	if math.IsNaN(b.SigmaBMin) || math.IsInf(b.SigmaBMin, 0) || b.SigmaBMin < 0 {
		return invalid("sigma_b min %v: must be finite and non-negative", b.SigmaBMin)
	}
	if math.IsNaN(b.SigmaBMax) || math.IsInf(b.SigmaBMax, 0) || b.SigmaBMax < b.SigmaBMin {
		return invalid("sigma_b max %v: must be finite and ≥ sigma_b min %v", b.SigmaBMax, b.SigmaBMin)
	}
	return nil
}

// Defaults and limits of InitOptions.
const (
	// DefaultInitGrid is the default number of coarse grid points per axis.
	DefaultInitGrid = 16
	// MaxInitGrid is the largest coarse grid OptimizeInit accepts per axis.
	MaxInitGrid = 1000
	// DefaultInitXTol is the default relative tolerance in σ_w and σ_b:
	// 2^−26 ≈ 1.5e−8, the square root of the machine epsilon, below which
	// a derivative-free search for a smooth maximum cannot locate it (the
	// objective is flat to rounding within √ε of the optimum).
	DefaultInitXTol = 0x1p-26
	// MinInitXTol and MaxInitXTol bound InitOptions.XTol.
	MinInitXTol = 0x1p-26
	MaxInitXTol = 1e-2
)

// InitOptions tune OptimizeInit. The zero value selects the defaults.
type InitOptions struct {
	// Grid is the number of coarse grid points per axis (2 … MaxInitGrid;
	// 0 means DefaultInitGrid). The grid must resolve the basin: the
	// refinement searches the grid cells next to the best grid point.
	Grid int
	// XTol is the relative tolerance of the refinement in σ_w and σ_b
	// (MinInitXTol … MaxInitXTol; 0 means DefaultInitXTol). Near σ_b = 0
	// the σ_b tolerance is XTol·SigmaBMax, not relative to σ_b.
	XTol float64
	// Q0 is the input variance from which the variance map starts (0 means
	// meanfield.DefaultQ0).
	Q0 float64
}

func (o InitOptions) withDefaults() (InitOptions, error) {
	if o.Grid == 0 {
		o.Grid = DefaultInitGrid
	}
	if o.Grid < 2 || o.Grid > MaxInitGrid {
		return o, invalid("grid %d: must be between 2 and %d", o.Grid, MaxInitGrid)
	}
	if o.XTol == 0 {
		o.XTol = DefaultInitXTol
	}
	if !(o.XTol >= MinInitXTol && o.XTol <= MaxInitXTol) {
		return o, invalid("xtol %v: must be between %g and %g", o.XTol, MinInitXTol, MaxInitXTol)
	}
	if o.Q0 == 0 {
		o.Q0 = meanfield.DefaultQ0
	}
	if math.IsNaN(o.Q0) || math.IsInf(o.Q0, 0) || o.Q0 <= 0 {
		return o, invalid("q0 %v: must be finite and positive", o.Q0)
	}
	return o, nil
}

// Init is the initialization OptimizeInit found and the mean-field
// quantities there (THEORY.md §1, §3).
type Init struct {
	Activation string  // phi.String()
	SigmaW     float64 // σ_w
	SigmaB     float64 // σ_b
	QStar      float64 // q*
	CStar      float64 // c*
	ChiCStar   float64 // χ(c*)
	Chi1       float64 // χ1 at q* (+Inf for a discontinuous activation)
	XiC        float64 // ξ_c = −1/ln χ(c*)
	// Critical reports that the supremum ξ_c = +Inf lies on the
	// order–chaos line χ1 = 1 of a continuous noise-free activation, and
	// that (SigmaW, SigmaB) is on that line to within TolSigmaW; XiC is then
	// the large but finite value at the returned point, or +Inf.
	Critical bool
	// TolSigmaW and TolSigmaB are the half-widths of the final brackets of
	// the searches in σ_w and σ_b (0 for a fixed parameter). They bound the
	// distance to the maximizer when ξ_c is unimodal in the searched cells
	// and evaluated exactly; rounding in χ(c*) adds about √(ε/|∂²χ|) ≈ 1e-8.
	TolSigmaW, TolSigmaB float64
	// TolXi is the largest change of ξ_c from the returned point to the
	// corners (σ_w ± TolSigmaW, σ_b ± TolSigmaB) inside the box: how much
	// ξ_c can vary within the achieved tolerance. +Inf when Critical, or
	// when ξ_c is undefined at a corner.
	TolXi float64
	// Evaluations counts the fixed-point solves (meanfield Network.Solve);
	// Undefined counts those where ξ_c was undefined (collapse, divergence,
	// or a fixed-point search that failed), which the search excluded.
	Evaluations, Undefined int
}

// OptimizeInit returns the initialization (σ_w, σ_b) in box that maximizes
// the depth scale ξ_c = −1/ln χ(c*) of a deep network with activation phi
// (THEORY.md §1, §3), or equivalently χ(c*), which ξ_c increases with.
// Initializations where ξ_c is undefined (the variance map collapses to
// q* = 0 or diverges, or a fixed-point search fails: meanfield cannot
// resolve a c* within 2^−52 of 1) are excluded from the search and
// counted in Init.Undefined.
//
// What the maximum is depends on the activation:
//
//   - Discontinuous φ (quantizers, sign): χ(c) → ∞ as c → 1, so c* < 1 and
//     ξ_c is finite everywhere; the maximum is an interior or edge point.
//     For the symmetric quantizers it is at σ_b = 0 and σ_w^opt of
//     Canonical/NewScheme. For sign at σ_b = 0, χ = 2/π whatever σ_w: any
//     σ_w is optimal and the one returned is arbitrary.
//   - Continuous noise-free φ (tanh, erf, …): ξ_c = +Inf on the order–chaos
//     line χ1 = 1, so the supremum is not a point but that line. When the
//     coarse grid shows χ1 − 1 changing sign along σ_w, OptimizeInit returns
//     the crossing on the lowest grid row of σ_b that has one (σ_b =
//     SigmaBMin when the line crosses the bottom of the box), found by
//     Brent's method on χ1(σ_w) − 1, and sets Critical. At σ_b = 0 the line
//     meets collapse (tanh: σ_w = 1, q* → 0), so the point returned is the
//     nearest one within the tolerance that has a positive q*.
//   - Otherwise (noisy activations, boxes the line does not cross) the
//     maximum is found as for discontinuous φ, and may lie on the box edge.
//
// The search is derivative-free: a coarse opts.Grid × opts.Grid grid over
// the box (computed in parallel, deterministically) locates the basin, then
// nested Brent minimization (Brent 1973, ch. 5) refines it: over σ_b, of
// the maximum over σ_w at that σ_b, each started in the grid cells next to
// the best grid point (the σ_w bracket widens if the maximizer drifts out
// of it). Box edges are evaluated explicitly and win ties, so an optimum on
// an edge (σ_b = 0 for the quantizers) is returned exactly on it. Both
// searches stop at a relative tolerance opts.XTol (default 1.5e-8; see
// Init for what is reported). The maximum must be unimodal within the
// grid cells next to the best grid point: a finer grid resolves narrower
// basins.
//
// Invalid arguments (box, options, an activation without χ) give an error
// wrapping ErrInvalid that names the bad value; a box where no
// initialization has a defined ξ_c gives an error too.
func OptimizeInit(phi meanfield.Activation, box Box, opts InitOptions) (Init, error) {
	if _, err := meanfield.New(phi, 1, 0); err != nil {
		return Init{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := box.check(); err != nil {
		return Init{}, err
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return Init{}, err
	}
	s := &initSearch{phi: phi, box: box, opts: opts}
	return s.run()
}

// initSearch holds the state of one OptimizeInit.
type initSearch struct {
	phi   meanfield.Activation
	box   Box
	opts  InitOptions
	evals atomic.Int64
	// undefined counts the evaluations where ξ_c was undefined.
	undefined atomic.Int64
}

func (s *initSearch) solve(sw, sb float64) cell {
	s.evals.Add(1)
	return solveCell(s.phi, sw, sb, s.opts.Q0)
}

// chi returns the objective χ(c*) at (σ_w, σ_b), or −1 (below every
// defined value, χ(c*) ≥ 0) where ξ_c is undefined.
func (s *initSearch) chi(sw, sb float64) float64 {
	c := s.solve(sw, sb)
	if c.status != CellOK {
		s.undefined.Add(1)
		return -1
	}
	return c.fp.ChiCStar
}

// axis returns the coarse grid of one side of the box: one point for a
// side of zero width.
func axis(lo, hi float64, n int) []float64 {
	if lo == hi {
		return []float64{lo}
	}
	return floats.Span(make([]float64, n), lo, hi)
}

func (s *initSearch) tolW(x float64) float64 { return s.opts.XTol * math.Abs(x) }

func (s *initSearch) tolB(x float64) float64 {
	return s.opts.XTol * math.Max(math.Abs(x), s.box.SigmaBMax)
}

func (s *initSearch) run() (Init, error) {
	ws := axis(s.box.SigmaWMin, s.box.SigmaWMax, s.opts.Grid)
	bs := axis(s.box.SigmaBMin, s.box.SigmaBMax, s.opts.Grid)
	nw := len(ws)
	grid := make([]cell, nw*len(bs))
	parallelFor(len(grid), func(k int) { grid[k] = s.solve(ws[k%nw], bs[k/nw]) })

	best, collapsed, diverged, failed := -1, 0, 0, 0
	for k, c := range grid {
		if c.status != CellOK {
			s.undefined.Add(1)
		}
		switch c.status {
		case CellOK:
			// Strictly greater: ties go to the first cell in row-major
			// order, the smallest σ_b and then σ_w.
			if best < 0 || c.fp.ChiCStar > grid[best].fp.ChiCStar {
				best = k
			}
		case CellCollapsed:
			collapsed++
		case CellDiverged:
			diverged++
		case CellFailed:
			failed++
		}
	}
	if best < 0 {
		return Init{}, invalid("box σ_w ∈ [%v, %v], σ_b ∈ [%v, %v]: ξ_c is undefined at all %d grid points of %v (%d collapse to q* = 0, %d diverge, %d fail)",
			s.box.SigmaWMin, s.box.SigmaWMax, s.box.SigmaBMin, s.box.SigmaBMax, len(grid), s.phi, collapsed, diverged, failed)
	}

	if res, ok, err := s.critical(ws, bs, grid); err != nil || ok {
		return res, err
	}

	i, j := best/nw, best%nw
	wlo, whi := ws[max(j-1, 0)], ws[min(j+1, nw-1)]
	blo, bhi := bs[max(i-1, 0)], bs[min(i+1, len(bs)-1)]
	inner := func(sb float64) (w, chi, tol float64, err error) {
		return s.maxOverW(sb, wlo, whi)
	}
	var sb, tolB float64
	var err error
	if blo == bhi {
		sb = blo
	} else {
		neg := func(b float64) (float64, error) {
			_, chi, _, err := inner(b)
			return -chi, err
		}
		sb, tolB, err = s.maximizeWidening(neg, blo, bhi, s.box.SigmaBMin, s.box.SigmaBMax, s.tolB)
		if err != nil {
			return Init{}, fmt.Errorf("search in σ_b: %w", err)
		}
	}
	sw, _, tolW, err := inner(sb)
	if err != nil {
		return Init{}, fmt.Errorf("search in σ_w at σ_b = %v: %w", sb, err)
	}
	return s.result(sw, sb, tolW, tolB, false)
}

// maxOverW returns the σ_w in the box that maximizes χ(c*) at σ_b = sb,
// starting from the bracket [lo, hi].
func (s *initSearch) maxOverW(sb, lo, hi float64) (w, chi, tol float64, err error) {
	if lo == hi {
		return lo, s.chi(lo, sb), 0, nil
	}
	neg := func(w float64) (float64, error) { return -s.chi(w, sb), nil }
	w, tol, err = s.maximizeWidening(neg, lo, hi, s.box.SigmaWMin, s.box.SigmaWMax, s.tolW)
	if err != nil {
		return 0, 0, 0, err
	}
	return w, s.chi(w, sb), tol, nil
}

// maximizeWidening is maximize started on [lo, hi] inside the box
// [edgeLo, edgeHi], widening the bracket (doubling, up to the box) while
// the minimizer sits at one of its ends inside the box. The best point of
// the coarse grid brackets the optimum along each axis through it, but not
// along the axes through the optimum when the ridge of ξ_c runs
// diagonally (σ_w^opt grows with σ_b), so the nested searches may need to
// look beyond the neighbouring grid cells.
func (s *initSearch) maximizeWidening(f func(float64) (float64, error), lo, hi, edgeLo, edgeHi float64,
	tol func(float64) float64) (x, half float64, err error) {
	for {
		x, half, err = s.maximize(f, lo, hi, edgeLo, edgeHi, tol)
		if err != nil {
			return 0, 0, err
		}
		width := hi - lo
		switch {
		case x-lo <= 3*tol(x) && lo > edgeLo:
			lo = math.Max(edgeLo, lo-2*width)
		case hi-x <= 3*tol(x) && hi < edgeHi:
			hi = math.Min(edgeHi, hi+2*width)
		default:
			return x, half, nil
		}
	}
}

// maximize minimizes f on [lo, hi] by Brent's method with tolerance
// tol(x) and returns the minimizer and the half-width of the final bracket
// around it. Brent's method never evaluates the ends, so an end of
// [lo, hi] that is also an end of the box [edgeLo, edgeHi] is evaluated
// afterwards and wins ties within 4 ulps; the half-width then grows to the
// distance from Brent's point to the edge. That distance is the honest
// tolerance at an edge where the objective is flat to second order (ξ_c
// depends on σ_b², so ∂ξ/∂σ_b = 0 at σ_b = 0): rounding of χ(c*) at
// 1e−15 hides a decrease below σ_b ≈ √(1e−15/|∂²χ/∂σ_b²|), about 1e−6.
func (s *initSearch) maximize(f func(float64) (float64, error), lo, hi, edgeLo, edgeHi float64,
	tol func(float64) float64) (x, half float64, err error) {
	m, err := roots.Minimize(f, lo, hi, roots.Options{Tol: tol})
	if errors.Is(err, roots.ErrMaxIter) {
		err = fmt.Errorf("%w: %w", ErrNoConvergence, err)
	}
	if err != nil {
		return 0, 0, err
	}
	x, fx := m.X, m.F
	half = math.Max(x-m.Lo, m.Hi-x)
	for _, e := range []float64{lo, hi} {
		if e != edgeLo && e != edgeHi {
			continue
		}
		fe, err := f(e)
		if err != nil {
			return 0, 0, err
		}
		if fe <= fx+4*0x1p-52*math.Abs(fx) {
			half = math.Max(half, math.Abs(x-e))
			x, fx = e, fe
		}
	}
	return x, half, nil
}

// critical handles the order–chaos line of a continuous noise-free
// activation (see OptimizeInit): ok is false when it does not apply.
func (s *initSearch) critical(ws, bs []float64, grid []cell) (res Init, ok bool, err error) {
	if meanfield.HasOutputNoise(s.phi) {
		return Init{}, false, nil
	}
	nw := len(ws)
	chi1 := func(c cell) (float64, bool) {
		v := c.fp.Chi1
		usable := (c.status == CellOK || c.status == CellCollapsed) && !math.IsNaN(v) && !math.IsInf(v, 0)
		return v, usable
	}
	for i, sb := range bs {
		for j := 0; j+1 < nw; j++ {
			x0, ok0 := chi1(grid[i*nw+j])
			x1, ok1 := chi1(grid[i*nw+j+1])
			if !ok0 || !ok1 || (x0-1)*(x1-1) > 0 {
				continue
			}
			f := func(w float64) float64 {
				c := s.solve(w, sb)
				if v, ok := chi1(c); ok {
					return v - 1
				}
				return math.NaN()
			}
			w, err := roots.Brent(f, ws[j], ws[j+1], x0-1, x1-1, roots.Options{Tol: func(x float64) float64 { return 2 * s.opts.XTol * math.Max(1, math.Abs(x)) }})
			if err != nil {
				return Init{}, true, fmt.Errorf("%w: order–chaos line at σ_b = %v: %w", ErrNoConvergence, sb, err)
			}
			tolW := 2 * s.opts.XTol * math.Max(1, w)
			// At σ_b = 0 the line may meet collapse (q* = 0): step off it
			// to the nearest side where the fixed points exist.
			for k := 0; k <= 20; k++ {
				for _, try := range []float64{w + float64(k)*tolW, w - float64(k)*tolW} {
					if try < s.box.SigmaWMin || try > s.box.SigmaWMax {
						continue
					}
					if s.solve(try, sb).status == CellOK {
						return s.finish(try, sb, float64(k+1)*tolW, 0, true)
					}
				}
			}
			return Init{}, true, fmt.Errorf("order–chaos line at σ_w = %v, σ_b = %v: no fixed point with q* > 0 within %v", w, sb, 20*tolW)
		}
	}
	return Init{}, false, nil
}

func (s *initSearch) finish(sw, sb, tolW, tolB float64, crit bool) (Init, bool, error) {
	r, err := s.result(sw, sb, tolW, tolB, crit)
	return r, true, err
}

// result evaluates the mean-field quantities at (sw, sb) and the change of
// ξ_c over the tolerance box.
func (s *initSearch) result(sw, sb, tolW, tolB float64, crit bool) (Init, error) {
	c := s.solve(sw, sb)
	if c.status != CellOK {
		return Init{}, fmt.Errorf("%w: optimum σ_w = %v, σ_b = %v: fixed points %v", ErrNoConvergence, sw, sb, c.status)
	}
	fp := c.fp
	r := Init{Activation: s.phi.String(), SigmaW: sw, SigmaB: sb, QStar: fp.QStar, CStar: fp.CStar,
		ChiCStar: fp.ChiCStar, Chi1: fp.Chi1, XiC: fp.XiC, Critical: crit, TolSigmaW: tolW, TolSigmaB: tolB}
	if crit {
		r.TolXi = math.Inf(1)
	} else {
		clamp := func(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
		for _, dw := range []float64{-tolW, tolW} {
			for _, db := range []float64{-tolB, tolB} {
				w := clamp(sw+dw, s.box.SigmaWMin, s.box.SigmaWMax)
				b := clamp(sb+db, s.box.SigmaBMin, s.box.SigmaBMax)
				cc := s.solve(w, b)
				if cc.status != CellOK {
					r.TolXi = math.Inf(1)
					continue
				}
				r.TolXi = math.Max(r.TolXi, math.Abs(cc.fp.XiC-fp.XiC))
			}
		}
	}
	r.Evaluations, r.Undefined = int(s.evals.Load()), int(s.undefined.Load())
	return r, nil
}
