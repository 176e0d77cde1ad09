package train

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyGrid is a grid of 2 levels × 2 depths on a small synthetic set; it
// counts the training steps it runs.
func tinyGrid(steps *int) Grid {
	return Grid{Levels: []int{2, 4}, Depths: []int{1, 2}, Width: 8, Steps: 20, BatchSize: 10,
		Optimizer: Adam, LearningRate: 1e-2, Seed: 3,
		Init: func(n int) (Init, error) {
			return Init{SigmaW: 1 + 0.1*float64(n), SigmaB: 0.05, Slope: 1.2}, nil
		},
		OnStep: func(int, int, int, float64) { *steps++ },
	}
}

func gridData() (train, test *Dataset) {
	return syntheticSet(200, 12, 3, 1), syntheticSet(100, 12, 3, 2)
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.SplitAfter(string(b), "\n")
}

func TestGridResume(t *testing.T) {
	train, test := gridData()
	path := filepath.Join(t.TempDir(), "grid.csv")
	var steps int
	g := tinyGrid(&steps)
	var seen []Cell
	g.OnCell = func(c Cell) { seen = append(seen, c) }
	first, err := RunGrid(context.Background(), g, train, test, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 4 || len(seen) != 4 || steps != 4*20 {
		t.Fatalf("%d cells, %d reported, %d steps; want 4, 4, 80", len(first), len(seen), steps)
	}
	wantOrder := [][2]int{{2, 1}, {2, 2}, {4, 1}, {4, 2}}
	for i, c := range first {
		if [2]int{c.Levels, c.Depth} != wantOrder[i] || c.Resumed || c.Result.Diverged || !(c.Result.TestAccuracy > 0) {
			t.Errorf("cell %d: %+v", i, c)
		}
	}
	lines := readLines(t, path)
	if len(lines) != 6 || lines[5] != "" || lines[0] != strings.Join(gridHeader, ",")+"\n" {
		t.Fatalf("file:\n%s", strings.Join(lines, ""))
	}
	t.Logf("file:\n%s", strings.Join(lines, ""))

	// A rerun trains nothing and reads back the same results, bit for bit.
	steps = 0
	again, err := RunGrid(context.Background(), g, train, test, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if !again[i].Resumed || again[i].Result != first[i].Result || again[i].Init != first[i].Init {
			t.Errorf("resumed cell %d: %+v, first run %+v", i, again[i], first[i])
		}
	}
	if steps != 0 || len(readLines(t, path)) != 6 {
		t.Errorf("rerun trained %d steps or changed the file", steps)
	}

	// Extending the grid trains only the new cells.
	g.Depths = append(g.Depths, 3)
	ext, err := RunGrid(context.Background(), g, train, test, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ext) != 6 || steps != 2*20 || ext[2].Resumed || ext[5].Resumed || !ext[4].Resumed {
		t.Errorf("extension: %d cells, %d steps", len(ext), steps)
	}

	// A torn last line is dropped and its cell redone, identically.
	lines = readLines(t, path)
	torn := strings.Join(lines[:len(lines)-2], "") + lines[len(lines)-2][:10]
	if err := os.WriteFile(path, []byte(torn), 0o644); err != nil {
		t.Fatal(err)
	}
	steps = 0
	fixed, err := RunGrid(context.Background(), g, train, test, path)
	if err != nil {
		t.Fatal(err)
	}
	if steps != 20 || fixed[5].Resumed || fixed[5].Result != ext[5].Result {
		t.Errorf("torn line: %d steps, cell %+v, want %+v", steps, fixed[5], ext[5])
	}
	if got := strings.Join(readLines(t, path), ""); got != strings.Join(lines, "") {
		t.Errorf("after repair:\n%s\nwant\n%s", got, strings.Join(lines, ""))
	}
}

func TestGridRefusesOtherConfig(t *testing.T) {
	train, test := gridData()
	path := filepath.Join(t.TempDir(), "grid.csv")
	var steps int
	base := tinyGrid(&steps)
	base.Levels, base.Depths = []int{4}, []int{1}
	if _, err := RunGrid(context.Background(), base, train, test, path); err != nil {
		t.Fatal(err)
	}
	before := readLines(t, path)
	for _, tc := range []struct {
		field string
		edit  func(*Grid)
	}{
		{"width", func(g *Grid) { g.Width = 9 }},
		{"steps", func(g *Grid) { g.Steps = 21 }},
		{"batch", func(g *Grid) { g.BatchSize = 5 }},
		{"lr", func(g *Grid) { g.LearningRate = 0.02 }},
		{"optimizer", func(g *Grid) { g.Optimizer = SGD }},
		{"momentum", func(g *Grid) { g.Momentum = 0.5 }},
		{"seed", func(g *Grid) { g.Seed = 4 }},
		{"sigma_w", func(g *Grid) {
			g.Init = func(int) (Init, error) { return Init{SigmaW: 2, SigmaB: 0.05, Slope: 1.2}, nil }
		}},
		{"ste_slope", func(g *Grid) {
			g.Init = func(int) (Init, error) { return Init{SigmaW: 1.4, SigmaB: 0.05, Slope: 1}, nil }
		}},
	} {
		g := base
		tc.edit(&g)
		steps = 0
		_, err := RunGrid(context.Background(), g, train, test, path)
		if err == nil || !strings.Contains(err.Error(), tc.field+" ") || !strings.Contains(err.Error(), path) {
			t.Errorf("%s changed: error %v, want one naming the field and the file", tc.field, err)
		}
		if steps != 0 || strings.Join(readLines(t, path), "") != strings.Join(before, "") {
			t.Errorf("%s changed: trained %d steps or changed the file", tc.field, steps)
		}
	}

	other := filepath.Join(t.TempDir(), "other.csv")
	if err := os.WriteFile(other, []byte("a,b,c\n1,2,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := RunGrid(context.Background(), base, train, test, other); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("foreign file: error %v, want one about the header", err)
	}
}

func TestGridValidation(t *testing.T) {
	train, test := gridData()
	var steps int
	for _, tc := range []struct {
		want string
		edit func(*Grid)
	}{
		{"levels 1", func(g *Grid) { g.Levels = []int{4, 1} }},
		{"depth 0", func(g *Grid) { g.Depths = []int{0} }},
		{"width -1", func(g *Grid) { g.Width = -1 }},
		{"learning rate NaN", func(g *Grid) { g.LearningRate = math.NaN() }},
		{"init: nil", func(g *Grid) { g.Init = nil }},
		{"empty", func(g *Grid) { g.Depths = nil }},
		{"levels 2: init: no solution", func(g *Grid) {
			g.Init = func(int) (Init, error) { return Init{}, errors.New("no solution") }
		}},
		{"slope 0", func(g *Grid) {
			g.Init = func(int) (Init, error) { return Init{SigmaW: 1}, nil }
		}},
	} {
		g := tinyGrid(&steps)
		tc.edit(&g)
		path := filepath.Join(t.TempDir(), "grid.csv")
		_, err := RunGrid(context.Background(), g, train, test, path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v", tc.want, err)
		}
		if _, statErr := os.Stat(path); !errors.Is(statErr, os.ErrNotExist) {
			t.Errorf("%s: file created for an invalid grid", tc.want)
		}
	}
}

func TestGridDivergedAndCancel(t *testing.T) {
	train, test := gridData()
	path := filepath.Join(t.TempDir(), "grid.csv")
	var steps int
	g := tinyGrid(&steps)
	g.Optimizer, g.LearningRate = SGD, 1e308
	cells, err := RunGrid(context.Background(), g, train, test, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		if !c.Result.Diverged || !math.IsNaN(c.Result.TestAccuracy) {
			t.Errorf("cell %+v: want diverged", c)
		}
	}
	back, err := RunGrid(context.Background(), g, train, test, path)
	if err != nil || !back[0].Resumed || !back[0].Result.Diverged || !math.IsNaN(back[0].Result.TrainLoss) {
		t.Errorf("resumed diverged cell %+v, %v", back[0], err)
	}

	// Cancelling after the first cell keeps it and stops.
	path = filepath.Join(t.TempDir(), "grid.csv")
	g = tinyGrid(&steps)
	ctx, cancel := context.WithCancel(context.Background())
	g.OnCell = func(Cell) { cancel() }
	cells, err = RunGrid(ctx, g, train, test, path)
	if !errors.Is(err, context.Canceled) || len(cells) != 1 || len(readLines(t, path)) != 3 {
		t.Errorf("cancelled: %d cells, %v, %d lines", len(cells), err, len(readLines(t, path)))
	}
	g.OnCell = nil
	cells, err = RunGrid(context.Background(), g, train, test, path)
	if err != nil || len(cells) != 4 || !cells[0].Resumed || cells[1].Resumed {
		t.Errorf("after cancel: %+v, %v", cells, err)
	}
}

// TestGridWorkers checks that training cells concurrently gives each cell
// the result of the sequential sweep, and writes every cell once.
func TestGridWorkers(t *testing.T) {
	train, test := gridData()
	var steps int
	g := tinyGrid(&steps)
	g.Levels, g.Depths = []int{2, 3, 4}, []int{1, 2, 2, 3} // a duplicate depth
	seq, err := RunGrid(context.Background(), g, train, test, filepath.Join(t.TempDir(), "seq.csv"))
	if err != nil {
		t.Fatal(err)
	}
	steps = 0
	var reported int
	g.Workers = 4
	g.OnCell = func(Cell) { reported++ }
	path := filepath.Join(t.TempDir(), "par.csv")
	par, err := RunGrid(context.Background(), g, train, test, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(par) != 12 || reported != 9 || steps != 9*20 || len(readLines(t, path)) != 1+9+1 {
		t.Fatalf("%d cells, %d reported, %d steps, %d lines", len(par), reported, steps, len(readLines(t, path)))
	}
	for i := range seq {
		if par[i] != seq[i] {
			t.Errorf("cell %d: concurrent %+v, sequential %+v", i, par[i], seq[i])
		}
	}
}
