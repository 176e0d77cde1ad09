package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lmax-project/lmax/quantize"
	"github.com/lmax-project/lmax/solver"
	"github.com/lmax-project/lmax/train"
)

// tiny are flags that make a training run take a few milliseconds.
var tiny = []string{"--width", "16", "--steps", "40", "--batch", "16", "--lr", "0.01"}

func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "g.csv")
	cases := []struct {
		want string
		args []string
	}{
		{"--levels", []string{"train", "--depth", "2"}},
		{"--levels", []string{"train", "--levels", "1", "--depth", "2"}},
		{"--depth", []string{"train", "--levels", "4"}},
		{"--depth", []string{"train", "--levels", "4", "--depth", "0"}},
		{"--depth", []string{"train", "--levels", "4", "--depth", "-3"}},
		{"--width", []string{"train", "--levels", "4", "--depth", "2", "--width", "0"}},
		{"--width", []string{"train", "--levels", "4", "--depth", "100000", "--width", "100000"}},
		{"--steps", []string{"train", "--levels", "4", "--depth", "2", "--steps", "0"}},
		{"--batch", []string{"train", "--levels", "4", "--depth", "2", "--batch", "-1"}},
		{"--batch", []string{"train", "--levels", "4", "--depth", "2", "--batch", "60001"}},
		{"--lr", []string{"train", "--levels", "4", "--depth", "2", "--lr", "0"}},
		{"--lr", []string{"train", "--levels", "4", "--depth", "2", "--lr", "-0.1"}},
		{"--lr", []string{"train", "--levels", "4", "--depth", "2", "--lr", "NaN"}},
		{"--lr", []string{"train", "--levels", "4", "--depth", "2", "--lr", "+Inf"}},
		{"--optimizer", []string{"train", "--levels", "4", "--depth", "2", "--optimizer", "rmsprop"}},
		{"--momentum", []string{"train", "--levels", "4", "--depth", "2", "--optimizer", "sgd", "--momentum", "1"}},
		{"--sigma-w", []string{"train", "--levels", "4", "--depth", "2", "--sigma-w", "0"}},
		{"--sigma-w", []string{"train", "--levels", "4", "--depth", "2", "--sigma-w", "Inf"}},
		{"--sigma-b", []string{"train", "--levels", "4", "--depth", "2", "--sigma-b", "-1"}},
		{"--ste-slope", []string{"train", "--levels", "4", "--depth", "2", "--ste-slope", "0"}},
		{"--kappa", []string{"train", "--levels", "4", "--depth", "2", "--kappa", "-6"}},
		{"--format", []string{"train", "--levels", "4", "--depth", "2", "--format", "xml"}},
		{"--seed", []string{"train", "--levels", "4", "--depth", "2", "--seed", "-1"}},

		{"--levels", []string{"trainability", "--depths", "2", "--out", out}},
		{"--levels", []string{"trainability", "--levels", "1..3", "--depths", "2", "--out", out}},
		{"--depths", []string{"trainability", "--levels", "2", "--out", out}},
		{"--depths", []string{"trainability", "--levels", "2", "--depths", "0,2", "--out", out}},
		{"--out", []string{"trainability", "--levels", "2", "--depths", "2"}},
		{"--out", []string{"trainability", "--levels", "2", "--depths", "2", "--out", filepath.Join(dir, "no", "g.csv")}},
		{"--out", []string{"trainability", "--levels", "2", "--depths", "2", "--out", dir}},
		{"--plot", []string{"trainability", "--levels", "2,3", "--depths", "1,2", "--out", out, "--plot", filepath.Join(dir, "g.gif")}},
		{"--plot", []string{"trainability", "--levels", "2", "--depths", "1,2", "--out", out, "--plot", filepath.Join(dir, "g.png")}},
		{"--workers", []string{"trainability", "--levels", "2", "--depths", "2", "--out", out, "--workers", "0"}},
		{"--lr", []string{"trainability", "--levels", "2", "--depths", "2", "--out", out, "--lr", "NaN"}},
		{"--width", []string{"trainability", "--levels", "2", "--depths", "2", "--out", out, "--width", "-8"}},
		{"--optimizer", []string{"trainability", "--levels", "2", "--depths", "2", "--out", out, "--optimizer", "lbfgs"}},
	}
	for _, c := range cases {
		wantUsageError(t, c.want, c.args...)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused command created %s", out)
	}
}

func TestTrainJSON(t *testing.T) {
	args := append([]string{"train", "--levels", "4", "--depth", "2", "--format", "json"}, tiny...)
	out, errs, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if errs != "" {
		t.Errorf("stderr %q: no progress bar off a terminal", errs)
	}
	// Keys in the documented order, and no others.
	dec := json.NewDecoder(strings.NewReader(out))
	var keys []string
	vals := map[string]float64{}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("output does not open an object: %v %v\n%s", tok, err, out)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		k := tok.(string)
		var v float64
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("key %s: %v", k, err)
		}
		keys = append(keys, k)
		vals[k] = v
	}
	if strings.Join(keys, ",") != strings.Join(trainColumns, ",") {
		t.Fatalf("keys %v, want %v", keys, trainColumns)
	}

	// Theory and initialization: bit for bit the solver's.
	s, err := solver.Canonical(4, solver.DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	if vals["xi"] != s.Xi || vals["lmax"] != s.LMax {
		t.Errorf("xi %v, lmax %v; the solver's %v, %v", vals["xi"], vals["lmax"], s.Xi, s.LMax)
	}
	for _, c := range []struct {
		key         string
		got, solver float64
	}{{"sigma_w", vals["sigma_w"], s.SigmaW}, {"ste_slope", vals["ste_slope"], s.STESlope}} {
		if c.got != c.solver {
			t.Errorf("%s %v: not the solver's %v", c.key, c.got, c.solver)
		}
	}
	if vals["sigma_b"] != 0 {
		t.Errorf("sigma_b %v, want 0", vals["sigma_b"])
	}

	// The numbers are the library's for the same configuration.
	trainSet, testSet, err := train.MNIST()
	if err != nil {
		t.Fatal(err)
	}
	q, _ := quantize.Canonical(4)
	act, err := train.NewQuantized(q, vals["ste_slope"])
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Train(context.Background(), train.Config{
		Depth: 2, Width: 16, Activation: act, SigmaW: vals["sigma_w"], Optimizer: train.Adam,
		LearningRate: 0.01, BatchSize: 16, Steps: 40, Seed: 1,
	}, trainSet, testSet)
	if err != nil {
		t.Fatal(err)
	}
	if vals["test_accuracy"] != res.TestAccuracy || vals["train_loss"] != res.TrainLoss {
		t.Errorf("CLI accuracy %v, loss %v; library %v, %v", vals["test_accuracy"], vals["train_loss"],
			res.TestAccuracy, res.TrainLoss)
	}
	if vals["levels"] != 4 || vals["depth"] != 2 || vals["width"] != 16 || vals["steps"] != 40 {
		t.Errorf("configuration echoed wrongly: %v", vals)
	}
	// 40 steps of a width-16 network already beat chance (10%) by far.
	if !(res.TestAccuracy > 0.3) {
		t.Errorf("test accuracy %v: the tiny network did not learn", res.TestAccuracy)
	}
}

func TestTrainOverridesAndDefaultLR(t *testing.T) {
	var rec map[string]float64
	decodeJSON(t, &rec, append([]string{"train", "--levels", "3", "--depth", "1", "--format", "json",
		"--sigma-w", "1.5", "--sigma-b", "0.25", "--ste-slope", "0.75"}, tiny...)...)
	if rec["sigma_w"] != 1.5 || rec["sigma_b"] != 0.25 || rec["ste_slope"] != 0.75 {
		t.Errorf("overrides not applied: %v", rec)
	}

	// Without --lr each optimizer takes its documented default: the result
	// equals the run with that rate given explicitly, and differs from
	// the other optimizer's default.
	base := []string{"train", "--levels", "3", "--depth", "1", "--width", "8", "--steps", "10", "--batch", "16", "--format", "json"}
	get := func(extra ...string) string {
		out, errs, code := runCLI(t, append(append([]string{}, base...), extra...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, errs)
		}
		return out
	}
	if a, b := get(), get("--lr", "1e-4"); a != b {
		t.Errorf("adam default is not --lr 1e-4:\n%s\n%s", a, b)
	}
	if a, b := get("--optimizer", "sgd"), get("--optimizer", "sgd", "--lr", "1e-3"); a != b {
		t.Errorf("sgd default is not --lr 1e-3:\n%s\n%s", a, b)
	}
	if a, b := get("--optimizer", "sgd"), get("--optimizer", "sgd", "--lr", "1e-4"); a == b {
		t.Errorf("sgd with lr 1e-4 gave the same result as with its default")
	}
}

func TestTrainDiverges(t *testing.T) {
	args := append([]string{"train", "--levels", "2", "--depth", "2", "--format", "json"}, tiny...)
	args = append(args, "--optimizer", "sgd", "--lr", "1e308")
	out, errs, code := runCLI(t, args...)
	if code != exitFailure {
		t.Fatalf("exit %d, want %d (stderr %q)", code, exitFailure, errs)
	}
	if out != "" {
		t.Errorf("printed %q after diverging", out)
	}
	if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, "diverged") || !strings.Contains(errs, "--lr") {
		t.Errorf("stderr %q: want one line saying it diverged and suggesting --lr", errs)
	}
}

func TestTrainabilityGrid(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "grid.csv")
	plot := filepath.Join(dir, "grid.png")
	args := append([]string{"trainability", "--levels", "4,2", "--depths", "1,2", "--out", path,
		"--plot", plot, "--format", "json"}, tiny...)

	out, errs, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Off a terminal: one line per trained cell on stderr.
	if n := strings.Count(errs, "\n"); n != 4 || !strings.Contains(errs, "N=2 L=2: test accuracy") {
		t.Errorf("stderr has %d lines, want one per cell:\n%s", n, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("summary is not JSON: %v\n%s", err, out)
	}
	wantCells := [][2]float64{{4, 1}, {4, 2}, {2, 1}, {2, 2}} // in the order given
	if len(rows) != len(wantCells) {
		t.Fatalf("%d summary rows, want %d", len(rows), len(wantCells))
	}
	for i, r := range rows {
		if r["levels"] != wantCells[i][0] || r["depth"] != wantCells[i][1] {
			t.Errorf("row %d: %v, want levels %v depth %v", i, r, wantCells[i][0], wantCells[i][1])
		}
		s, _ := solver.Canonical(int(wantCells[i][0]), solver.DefaultKappa)
		if r["lmax"] != s.LMax {
			t.Errorf("row %d: lmax %v, want %v", i, r["lmax"], s.LMax)
		}
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 5 || recs[0][0] != "levels" {
		t.Fatalf("CSV has %d records, want a header and 4 cells:\n%s", len(recs), data)
	}
	png, err := os.ReadFile(plot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("heat map %s: %v, not a PNG", plot, err)
	}

	// A grid cell is what train computes for the same flags.
	var one map[string]float64
	decodeJSON(t, &one, append([]string{"train", "--levels", "2", "--depth", "2", "--format", "json"}, tiny...)...)
	if rows[3]["test_accuracy"] != one["test_accuracy"] {
		t.Errorf("grid cell N=2 L=2 accuracy %v, train says %v", rows[3]["test_accuracy"], one["test_accuracy"])
	}

	// Rerun: every cell is read back, nothing is trained, same summary.
	out2, errs2, code := runCLI(t, args...)
	if code != 0 || errs2 != "" || out2 != out {
		t.Errorf("rerun: exit %d, stderr %q (want none: no cell trained), summary changed: %v", code, errs2, out2 != out)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, data) {
		t.Errorf("rerun changed the CSV:\n%s", again)
	}

	// A rerun over a subset of the levels reads the other cells back
	// without refusing the file, and summarizes only the cells asked for.
	sub := append([]string{"trainability", "--levels", "2", "--depths", "1,2", "--out", path, "--format", "json"}, tiny...)
	out3, errs3, code := runCLI(t, sub...)
	if code != 0 || errs3 != "" {
		t.Fatalf("rerun over a subset: exit %d, stderr %q (want none: no cell trained)", code, errs3)
	}
	var subRows []map[string]any
	if err := json.Unmarshal([]byte(out3), &subRows); err != nil {
		t.Fatalf("subset summary is not JSON: %v\n%s", err, out3)
	}
	if len(subRows) != 2 || subRows[0]["levels"] != 2.0 || subRows[1]["test_accuracy"] != rows[3]["test_accuracy"] {
		t.Errorf("subset summary %v, want the two cells of N = 2 as before", subRows)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, data) {
		t.Errorf("a rerun over a subset changed the CSV:\n%s", again)
	}

	// Another configuration on the same file: refused, file untouched.
	other := append([]string{"trainability", "--levels", "4,2", "--depths", "1,2", "--out", path}, tiny...)
	other = append(other, "--width", "17") // the last --width wins
	wantUsageError(t, "--out", other...)
	wantUsageError(t, "another configuration", other...)
	if again, _ := os.ReadFile(path); !bytes.Equal(again, data) {
		t.Errorf("a refused run changed the CSV:\n%s", again)
	}

	// A file that is not a grid at all: refused too.
	foreign := filepath.Join(dir, "foreign.csv")
	os.WriteFile(foreign, []byte("a,b\n1,2\n"), 0o644)
	wantUsageError(t, "header", append([]string{"trainability", "--levels", "2", "--depths", "1", "--out", foreign}, tiny...)...)
}

func TestCurveLevels(t *testing.T) {
	if got := curveLevels(2, 6); !slices.Equal(got, []int{2, 3, 4, 5, 6}) {
		t.Errorf("curveLevels(2, 6) = %v", got)
	}
	ns := curveLevels(3, 5000)
	if ns[0] != 3 || ns[len(ns)-1] != 5000 {
		t.Errorf("curveLevels(3, 5000) runs from %d to %d", ns[0], ns[len(ns)-1])
	}
	for i := 1; i < len(ns); i++ {
		if ns[i] <= ns[i-1] {
			t.Fatalf("not increasing at %d: %v", i, ns[i-1:i+1])
		}
	}
	if len(ns) > 256+64*5 {
		t.Errorf("%d levels for a curve", len(ns))
	}
}

func TestGridProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := &gridProgress{w: &b, steps: 10, all: 3}
	p.bar = newBar(&b, 10*(1+2+4), p.describe())
	p.cell(train.Cell{Levels: 2, Depth: 2, Resumed: true})
	if got := p.bar.GetMax64(); got != 10*(1+4) {
		t.Errorf("after a resumed cell of depth 2: max %d, want %d", got, 10*(1+4))
	}
	for range 10 {
		p.step(2, 4, 0, 0)
	}
	p.cell(train.Cell{Levels: 2, Depth: 4})
	if s := p.bar.State(); s.CurrentNum != 40 || p.describe() != "2/3 cells" {
		t.Errorf("after a trained cell of depth 4: at %d, %q", s.CurrentNum, p.describe())
	}
	p.finish()
}
