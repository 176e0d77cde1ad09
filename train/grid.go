package train

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/lmax-project/lmax/quantize"
)

// Init is the initialization scheme of a quantized network (THEORY.md §4):
// the hidden layers' weight and bias scales and the slope of the
// straight-through estimator.
type Init struct {
	SigmaW, SigmaB, Slope float64
}

// Grid is a sweep of training runs over the number of quantization levels N
// and the depth L, all else fixed. Each cell trains a network whose hidden
// activation is the canonical N-level quantizer (quantize.Canonical) with the
// initialization Init(N).
type Grid struct {
	Levels []int // N of each row of the grid, each at least 2
	Depths []int // L of each column, each positive

	Width, Steps, BatchSize int
	Optimizer               Optimizer
	LearningRate, Momentum  float64 // Momentum: SGD only
	Seed                    uint64

	// Init returns the initialization for N levels (the caller wires in the
	// solver's σ_w^opt and STE slope). It is called once per level.
	Init func(levels int) (Init, error)

	// Workers is the number of cells trained at once, each on its own
	// goroutine (a training run uses one core); 0 or 1 trains them one after
	// the other. Each cell's result is the same whatever Workers; only the
	// order of the rows in the file may change.
	Workers int

	// OnStep, if not nil, is called after every training step of every cell
	// that is trained (not of those read back from the file).
	OnStep func(levels, depth, step int, loss float64)
	// OnCell, if not nil, is called once per distinct cell: first for those
	// read back from the file, in grid order, then for each trained cell as
	// it finishes (in grid order when Workers ≤ 1).
	//
	// Calls of OnStep and OnCell never overlap, even with several workers.
	OnCell func(Cell)
}

// Cell is one finished grid cell.
type Cell struct {
	Levels, Depth int
	Init          Init
	Result        Result // Steps is unknown (0) for a diverged cell read back
	Resumed       bool   // read back from the file rather than trained
}

// gridHeader is the first row of a grid's CSV file.
var gridHeader = []string{"levels", "depth", "width", "steps", "batch", "lr", "optimizer",
	"momentum", "seed", "sigma_w", "sigma_b", "ste_slope", "test_accuracy", "train_loss", "diverged"}

// Column indices into gridHeader.
const (
	colLevels = iota
	colDepth
	colWidth
	colSteps
	colBatch
	colLR
	colOptimizer
	colMomentum
	colSeed
	colSigmaW
	colSigmaB
	colSlope
	colAccuracy
	colLoss
	colDiverged
)

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// record returns the CSV row of a cell; floats are written in the shortest
// form that parses back to the same float64, so that comparing strings
// compares values.
func (g *Grid) record(c Cell) []string {
	return []string{strconv.Itoa(c.Levels), strconv.Itoa(c.Depth), strconv.Itoa(g.Width),
		strconv.Itoa(g.Steps), strconv.Itoa(g.BatchSize), ftoa(g.LearningRate), g.Optimizer.String(),
		ftoa(g.Momentum), strconv.FormatUint(g.Seed, 10), ftoa(c.Init.SigmaW), ftoa(c.Init.SigmaB),
		ftoa(c.Init.Slope), ftoa(c.Result.TestAccuracy), ftoa(c.Result.TrainLoss),
		strconv.FormatBool(c.Result.Diverged)}
}

// config returns the training configuration of the cell (levels, depth).
func (g *Grid) config(levels, depth int, init Init) (Config, error) {
	q, err := quantize.Canonical(levels)
	if err != nil {
		return Config{}, invalid("%v", err)
	}
	act, err := NewQuantized(q, init.Slope)
	if err != nil {
		return Config{}, fmt.Errorf("levels %d: %w", levels, err)
	}
	cfg := Config{Depth: depth, Width: g.Width, Activation: act,
		SigmaW: init.SigmaW, SigmaB: init.SigmaB, Optimizer: g.Optimizer,
		LearningRate: g.LearningRate, Momentum: g.Momentum,
		BatchSize: g.BatchSize, Steps: g.Steps, Seed: g.Seed}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("levels %d, depth %d: %w", levels, depth, err)
	}
	return cfg, nil
}

// RunGrid trains every cell of g (levels outer, depths inner) and returns
// them in that order, duplicates included. Each finished cell is appended to the CSV file at path
// at once and synced to disk, so an interrupted sweep loses at most the cell
// in progress: a rerun with the same path skips the cells already in the
// file. A file written under another configuration (width, steps, batch
// size, learning rate, optimizer, momentum, seed, or the Init of a level) is
// refused with an error naming the first difference, never mixed. A last line
// without its newline (a write cut short) is dropped and its cell redone.
//
// A diverged cell is recorded with diverged=true and NaN accuracy and loss,
// and the sweep goes on; any other error stops it. If ctx is cancelled,
// RunGrid returns the cells finished so far (in grid order) and ctx's error.
func RunGrid(ctx context.Context, g Grid, train, test *Dataset, path string) ([]Cell, error) {
	if g.Init == nil {
		return nil, invalid("grid init: nil")
	}
	if len(g.Levels) == 0 || len(g.Depths) == 0 {
		return nil, invalid("grid of %d levels × %d depths: empty", len(g.Levels), len(g.Depths))
	}
	// Validate every cell before touching the file.
	inits := map[int]Init{}
	initFor := func(levels int) (Init, error) {
		if in, ok := inits[levels]; ok {
			return in, nil
		}
		in, err := g.Init(levels)
		if err != nil {
			return Init{}, fmt.Errorf("levels %d: init: %w", levels, err)
		}
		inits[levels] = in
		return in, nil
	}
	for _, n := range g.Levels {
		if n < 2 {
			return nil, invalid("levels %d: need at least 2", n)
		}
		in, err := initFor(n)
		if err != nil {
			return nil, err
		}
		for _, l := range g.Depths {
			if _, err := g.config(n, l, in); err != nil {
				return nil, err
			}
		}
	}

	done, err := g.readGrid(path, initFor)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("grid: %w", err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	appendRow := func(row []string) error {
		w.Write(row)
		w.Flush()
		if err := w.Error(); err != nil {
			return fmt.Errorf("grid: writing %s: %w", path, err)
		}
		if err := f.Sync(); err != nil {
			return fmt.Errorf("grid: syncing %s: %w", path, err)
		}
		return nil
	}
	if done == nil {
		if err := appendRow(gridHeader); err != nil {
			return nil, err
		}
	}

	// The distinct cells still to train, in grid order.
	var todo [][2]int
	queued := map[[2]int]bool{}
	for _, n := range g.Levels {
		for _, l := range g.Depths {
			key := [2]int{n, l}
			if _, ok := done[key]; !ok && !queued[key] {
				todo = append(todo, key)
				queued[key] = true
			}
		}
	}
	if done == nil {
		done = map[[2]int]Cell{}
	}
	if g.OnCell != nil {
		reported := map[[2]int]bool{}
		for _, n := range g.Levels {
			for _, l := range g.Depths {
				key := [2]int{n, l}
				if c, ok := done[key]; ok && !reported[key] {
					g.OnCell(c)
					reported[key] = true
				}
			}
		}
	}

	// Workers take cells in grid order; mu serializes the file, the results
	// and the callbacks. The first error cancels the others.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		next     int
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	work := func() {
		defer wg.Done()
		for {
			mu.Lock()
			if next == len(todo) || firstErr != nil {
				mu.Unlock()
				return
			}
			n, l := todo[next][0], todo[next][1]
			next++
			mu.Unlock()

			c := Cell{Levels: n, Depth: l, Init: inits[n]}
			cfg, err := g.config(n, l, c.Init)
			if err == nil {
				if g.OnStep != nil {
					cfg.OnStep = func(step int, loss float64) {
						mu.Lock()
						g.OnStep(n, l, step, loss)
						mu.Unlock()
					}
				}
				c.Result, err = Train(wctx, cfg, train, test)
			}
			mu.Lock()
			switch {
			case err != nil && !errors.Is(err, ErrDiverged):
				if ctx.Err() == nil && wctx.Err() != nil {
					// Stopped because another cell failed: not this one's error.
					err = nil
				}
				if err != nil {
					fail(fmt.Errorf("grid cell levels %d, depth %d: %w", n, l, err))
				}
			default:
				if err := appendRow(g.record(c)); err != nil {
					fail(err)
					break
				}
				done[[2]int{n, l}] = c
				if g.OnCell != nil {
					g.OnCell(c)
				}
			}
			stop := err != nil && !errors.Is(err, ErrDiverged)
			mu.Unlock()
			if stop {
				return
			}
		}
	}
	for range max(1, min(g.Workers, len(todo))) {
		wg.Add(1)
		go work()
	}
	wg.Wait()

	var cells []Cell
	for _, n := range g.Levels {
		for _, l := range g.Depths {
			if c, ok := done[[2]int{n, l}]; ok {
				cells = append(cells, c)
			}
		}
	}
	if firstErr != nil {
		return cells, firstErr
	}
	if err := f.Close(); err != nil {
		return cells, fmt.Errorf("grid: closing %s: %w", path, err)
	}
	return cells, nil
}

// readGrid returns the cells recorded in the file at path, or nil if it does
// not exist or is empty. It truncates a torn last line and refuses a file
// whose header or configuration differs from g's.
func (g *Grid) readGrid(path string, initFor func(int) (Init, error)) (map[[2]int]Cell, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("grid: %w", err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		keep := bytes.LastIndexByte(data, '\n') + 1
		if err := os.Truncate(path, int64(keep)); err != nil {
			return nil, fmt.Errorf("grid: dropping the unfinished last line of %s: %w", path, err)
		}
		data = data[:keep]
	}
	if len(data) == 0 {
		return nil, nil
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(gridHeader)
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("grid: %s: header: %v: %w: not a grid file", path, err, ErrGridMismatch)
	}
	if !slices.Equal(header, gridHeader) {
		return nil, fmt.Errorf("grid: %s: header %q, want %q: %w: not a grid file of this version",
			path, strings.Join(header, ","), strings.Join(gridHeader, ","), ErrGridMismatch)
	}
	done := map[[2]int]Cell{}
	for {
		row, err := r.Read()
		if err == io.EOF {
			return done, nil
		}
		if err != nil {
			return nil, fmt.Errorf("grid: %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		c, err := g.parseRow(row, initFor)
		if err != nil {
			return nil, fmt.Errorf("grid: %s line %d: %w", path, line, err)
		}
		key := [2]int{c.Levels, c.Depth}
		if _, dup := done[key]; dup {
			return nil, fmt.Errorf("grid: %s line %d: levels %d, depth %d recorded twice", path, line, c.Levels, c.Depth)
		}
		done[key] = c
	}
}

// initTolerance is the relative difference below which two recorded
// initializations count as the same. The values come from the solver, whose
// results may move by a few ulps between versions (or be rounded for
// display); training cannot tell such initializations apart, and a grid
// must not be refused because of them.
const initTolerance = 1e-9

// sameInit reports whether two recorded initialization values agree to
// initTolerance.
func sameInit(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return false
	}
	return math.Abs(x-y) <= initTolerance*math.Max(math.Abs(x), math.Abs(y))
}

// parseRow decodes a row and checks that it was written under g's
// configuration.
func (g *Grid) parseRow(row []string, initFor func(int) (Init, error)) (Cell, error) {
	var c Cell
	var err error
	if c.Levels, err = strconv.Atoi(row[colLevels]); err != nil || c.Levels < 2 {
		return c, fmt.Errorf("levels %q: not a level count", row[colLevels])
	}
	if c.Depth, err = strconv.Atoi(row[colDepth]); err != nil || c.Depth < 1 {
		return c, fmt.Errorf("depth %q: not a depth", row[colDepth])
	}
	if c.Init, err = initFor(c.Levels); err != nil {
		return c, err
	}
	want := g.record(c)
	for _, i := range []int{colWidth, colSteps, colBatch, colLR, colOptimizer, colMomentum, colSeed,
		colSigmaW, colSigmaB, colSlope} {
		same := row[i] == want[i]
		if !same && (i == colSigmaW || i == colSigmaB || i == colSlope) {
			same = sameInit(row[i], want[i])
		}
		if !same {
			return c, fmt.Errorf("%s %s, but this grid has %s: %w; use another file",
				gridHeader[i], row[i], want[i], ErrGridMismatch)
		}
	}
	c.Resumed = true
	if c.Result.TestAccuracy, err = strconv.ParseFloat(row[colAccuracy], 64); err != nil {
		return c, fmt.Errorf("test_accuracy %q: %w", row[colAccuracy], err)
	}
	if c.Result.TrainLoss, err = strconv.ParseFloat(row[colLoss], 64); err != nil {
		return c, fmt.Errorf("train_loss %q: %w", row[colLoss], err)
	}
	if c.Result.Diverged, err = strconv.ParseBool(row[colDiverged]); err != nil {
		return c, fmt.Errorf("diverged %q: %w", row[colDiverged], err)
	}
	if !c.Result.Diverged {
		c.Result.Steps = g.Steps
	}
	return c, nil
}
