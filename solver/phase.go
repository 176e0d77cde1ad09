package solver

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/lmax-project/lmax/meanfield"
)

// CellStatus says whether the mean-field fixed points of one initialization
// (σ_w, σ_b) exist, and if not, why.
type CellStatus int

// The statuses of a cell of a phase diagram or of an optimizer evaluation.
const (
	// CellOK: the variance map has a positive fixed point q* and ξ_c is
	// defined (finite, or +Inf at criticality).
	CellOK CellStatus = iota
	// CellCollapsed: the variance map collapses to q* = 0 (meanfield's
	// ErrCollapsed); correlations, and with them ξ_c, are undefined. χ1
	// still holds its q → 0 limit.
	CellCollapsed
	// CellDiverged: the variance map has no finite fixed point
	// (meanfield's ErrDiverged).
	CellDiverged
	// CellFailed: a fixed-point search failed to converge; see
	// Phase.Failure.
	CellFailed
)

// String returns "ok", "collapsed", "diverged" or "failed".
func (s CellStatus) String() string {
	switch s {
	case CellOK:
		return "ok"
	case CellCollapsed:
		return "collapsed"
	case CellDiverged:
		return "diverged"
	case CellFailed:
		return "failed"
	}
	return fmt.Sprintf("CellStatus(%d)", int(s))
}

// cell is one solved initialization.
type cell struct {
	fp     meanfield.FixedPoint
	status CellStatus
	err    error // set for CellFailed only
}

// solveCell solves the mean-field fixed points of (phi, σ_w, σ_b) from q0,
// sorting the outcome into a CellStatus: collapse and divergence are facts
// about the network, not failures, and leave ξ_c undefined (NaN fields,
// never used as numbers by the callers).
func solveCell(phi meanfield.Activation, sw, sb, q0 float64) cell {
	net, err := meanfield.New(phi, sw, sb)
	if err != nil {
		// The callers validate phi, σ_w and σ_b first; keep the error anyway.
		return cell{fp: nanFixedPoint(), status: CellFailed, err: err}
	}
	fp, err := net.Solve(q0)
	switch {
	case err == nil:
		return cell{fp: fp, status: CellOK}
	case errors.Is(err, meanfield.ErrCollapsed):
		return cell{fp: fp, status: CellCollapsed}
	case errors.Is(err, meanfield.ErrDiverged):
		return cell{fp: fp, status: CellDiverged}
	}
	return cell{fp: fp, status: CellFailed, err: fmt.Errorf("σ_w = %v, σ_b = %v: %w", sw, sb, err)}
}

func nanFixedPoint() meanfield.FixedPoint {
	nan := math.NaN()
	return meanfield.FixedPoint{QStar: nan, VPrime: nan, CStar: nan, ChiCStar: nan, Chi1: nan, XiQ: nan, XiC: nan}
}

// parallelFor calls f(i) for i = 0 … n−1 on up to GOMAXPROCS goroutines.
// Each call must depend on i alone and write only its own outputs, so that
// results do not depend on the schedule (or on GOMAXPROCS).
func parallelFor(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// MaxPhaseCells bounds the number of cells of PhaseDiagram (a 1000 × 1000
// grid), so that a typo cannot ask for days of work or gigabytes.
const MaxPhaseCells = 1000 * 1000

// Phase is the mean-field phase diagram of an activation over a grid of
// initializations (σ_w, σ_b) (THEORY.md §1), from input variance
// meanfield.DefaultQ0. Every per-cell slice is row-major, rows along σ_b:
// entry i·len(SigmaW) + j belongs to (SigmaW[j], SigmaB[i]), the layout of
// plots.PhaseGrid.
//
// Fields that a cell's Status leaves undefined are NaN: for a collapsed
// cell QStar = 0, Chi1 is the q → 0 limit of χ1 and CStar, ChiCStar and
// XiC are NaN; for a diverged or failed cell all are NaN. Test Status, not
// the numbers. XiC is +Inf at criticality (χ(c*) = 1 to working
// precision); Chi1 is +Inf everywhere for a discontinuous activation.
type Phase struct {
	Activation string    // phi.String()
	SigmaW     []float64 // column coordinates σ_w, strictly increasing, > 0
	SigmaB     []float64 // row coordinates σ_b, strictly increasing, ≥ 0

	QStar    []float64 // q*, the positive fixed point of V reached from q0
	CStar    []float64 // c*, the stable fixed point of M
	ChiCStar []float64 // χ(c*)
	Chi1     []float64 // χ1 = χ(1) at q*
	XiC      []float64 // ξ_c = −1/ln χ(c*)
	Status   []CellStatus

	// Failure is the error of the first failed cell in row-major order,
	// nil when no cell failed; Failed counts the failed cells.
	Failure error
	Failed  int
}

// Index returns the position in the per-cell slices of (SigmaW[j], SigmaB[i]).
func (p Phase) Index(i, j int) int { return i*len(p.SigmaW) + j }

// PhaseDiagram solves the mean-field fixed points of phi on every
// initialization (σ_w, σ_b) of the grid sigmaW × sigmaB, by
// meanfield.Network.Solve from meanfield.DefaultQ0. The cells are computed
// in parallel on GOMAXPROCS goroutines; each depends only on its own
// (σ_w, σ_b), so the result is bit-identical whatever GOMAXPROCS.
//
// sigmaW must be finite, positive and strictly increasing; sigmaB finite,
// non-negative and strictly increasing; each at least one value, and at
// most MaxPhaseCells cells in all. Collapse and divergence of the variance
// map mark their cells (CellCollapsed, CellDiverged) and are not errors; a
// fixed-point search that fails marks CellFailed and is reported in
// Phase.Failure, with the rest of the grid still computed. The error
// return is for invalid arguments only (wrapping ErrInvalid).
//
// The cost is one Solve per cell: about 80 µs for quant:4, 0.5 ms for
// quant:16 and 6 ms for quant:64 (closed forms, O(N²) per map evaluation);
// activations without closed-form cross moments (tanh) need 2-D quadrature
// and take a few milliseconds per cell, more where c* is small.
func PhaseDiagram(phi meanfield.Activation, sigmaW, sigmaB []float64) (Phase, error) {
	if _, err := meanfield.New(phi, 1, 0); err != nil {
		return Phase{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := checkAxis("sigma_w", sigmaW, true); err != nil {
		return Phase{}, err
	}
	if err := checkAxis("sigma_b", sigmaB, false); err != nil {
		return Phase{}, err
	}
	nw, nb := len(sigmaW), len(sigmaB)
	if nw*nb > MaxPhaseCells {
		return Phase{}, invalid("grid %d × %d: more than %d cells", nw, nb, MaxPhaseCells)
	}
	n := nw * nb
	p := Phase{
		Activation: phi.String(),
		SigmaW:     append([]float64(nil), sigmaW...),
		SigmaB:     append([]float64(nil), sigmaB...),
		QStar:      make([]float64, n),
		CStar:      make([]float64, n),
		ChiCStar:   make([]float64, n),
		Chi1:       make([]float64, n),
		XiC:        make([]float64, n),
		Status:     make([]CellStatus, n),
	}
	errs := make([]error, n)
	parallelFor(n, func(k int) {
		c := solveCell(phi, sigmaW[k%nw], sigmaB[k/nw], meanfield.DefaultQ0)
		fp := c.fp
		if c.status != CellOK {
			// Leave only what the status defines (see Phase).
			fp.CStar, fp.ChiCStar, fp.XiC = math.NaN(), math.NaN(), math.NaN()
			if c.status != CellCollapsed {
				fp.QStar, fp.Chi1 = math.NaN(), math.NaN()
			}
		}
		p.QStar[k], p.CStar[k], p.ChiCStar[k], p.Chi1[k], p.XiC[k] = fp.QStar, fp.CStar, fp.ChiCStar, fp.Chi1, fp.XiC
		p.Status[k], errs[k] = c.status, c.err
	})
	for k, s := range p.Status {
		if s == CellFailed {
			if p.Failed == 0 {
				p.Failure = errs[k]
			}
			p.Failed++
		}
	}
	return p, nil
}

// checkAxis validates a grid axis: at least one value, finite, strictly
// increasing, and positive (strict) or non-negative.
func checkAxis(name string, v []float64, strict bool) error {
	if len(v) == 0 {
		return invalid("%s: no values", name)
	}
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || (strict && x == 0) {
			want := "finite and non-negative"
			if strict {
				want = "finite and positive"
			}
			return invalid("%s[%d] = %v: must be %s", name, i, x, want)
		}
		if i > 0 && !(x > v[i-1]) {
			return invalid("%s[%d] = %v after %v: must be strictly increasing", name, i, x, v[i-1])
		}
	}
	return nil
}
