package main

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

// runCLI runs the program in-process and returns what it printed and its
// exit status.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return out.String(), errb.String(), code
}

// wantUsageError checks the contract for bad input: exit status 2, nothing
// on stdout, exactly one line on stderr that mentions want.
func wantUsageError(t *testing.T, want string, args ...string) {
	t.Helper()
	out, errs, code := runCLI(t, args...)
	if code != exitUsage {
		t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, errs)
		return
	}
	if out != "" {
		t.Errorf("%v: printed %q on stdout", args, out)
	}
	if strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") {
		t.Errorf("%v: stderr is not one line: %q", args, errs)
	}
	if !strings.Contains(errs, want) {
		t.Errorf("%v: stderr %q does not mention %q", args, errs, want)
	}
}

// decodeJSON runs the command and decodes its JSON output into v.
func decodeJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out, errs, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%v: output is not JSON: %v\n%s", args, err, out)
	}
}

func TestUnknownCommandAndFlag(t *testing.T) {
	_, errs, code := runCLI(t, "frobnicate")
	if code == 0 || errs == "" {
		t.Errorf("unknown command: exit %d, stderr %q", code, errs)
	}
	wantUsageError(t, "--no-such-flag", "sweep", "--no-such-flag")
}

func TestOrderedObjectKeepsColumnOrder(t *testing.T) {
	r := &report{columns: []string{"zeta", "alpha", "mid"}}
	r.add(1.5, nil, "x")
	var b bytes.Buffer
	if err := r.write(&b, &outputOptions{format: formatJSON}); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(strings.Fields(b.String()), "")
	if want := `[{"zeta":1.5,"alpha":null,"mid":"x"}]`; got != want {
		t.Errorf("JSON %s, want %s", got, want)
	}
}

func TestFormatCell(t *testing.T) {
	inf := 1.0
	inf /= 0
	cases := []struct {
		v     any
		exact bool
		want  string
	}{
		{0.1, true, "0.1"},
		{1.0 / 3, true, "0.3333333333333333"},
		{1.0 / 3, false, "0.3333333333"},
		{inf, false, "inf"},
		{nil, false, "—"},
		{nil, true, ""},
		{7, false, "7"},
	}
	for _, c := range cases {
		if got := formatCell(c.v, defaultPrecision, c.exact); got != c.want {
			t.Errorf("formatCell(%v, exact=%v) = %q, want %q", c.v, c.exact, got, c.want)
		}
	}
}

// TestMarkdownAndPrecisionEverywhere runs every command that prints a table
// with --format markdown --precision 2: the output must be a markdown table
// (header, separator row, data rows) in which every non-integer number has
// at most two significant digits, and at least one number is shown.
func TestMarkdownAndPrecisionEverywhere(t *testing.T) {
	grid := t.TempDir() + "/grid.csv"
	cmds := [][]string{
		{"sweep", "--levels", "2..4"},
		{"sweep", "--bits", "1..3", "--quantizer", "lloyd-max"},
		{"init", "--levels", "4"},
		{"init", "--levels", "4", "--quantizer", "lloyd-max"},
		{"depth", "--layers", "100"},
		{"fit", "--levels", "3..10"},
		{"maps", "--activation", "sign", "--sigma-w", "1"},
		{"optimize", "--activation", "quant:4", "--sigma-b", "0"},
		{"phase", "--activation", "erf", "--grid", "3"},
		{"mc", "--levels", "2,3", "--width", "64", "--trials", "2"},
		append([]string{"train", "--levels", "4", "--depth", "1", "--quiet"}, tiny...),
		append([]string{"trainability", "--levels", "2", "--depths", "1", "--out", grid, "--quiet"}, tiny...),
	}
	for _, c := range cmds {
		args := append(append([]string(nil), c...), "--format", "markdown", "--precision", "2")
		out, errs, code := runCLI(t, args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errs)
			continue
		}
		var rows, seps, shown int
		for _, line := range strings.Split(out, "\n") {
			if !strings.HasPrefix(line, "|") {
				continue
			}
			if strings.HasPrefix(line, "|-") || strings.HasPrefix(line, "|:") {
				seps++
				continue
			}
			rows++
			for _, cell := range strings.Split(strings.Trim(line, "|"), "|") {
				cell = strings.TrimSpace(cell)
				if _, err := strconv.Atoi(cell); err == nil {
					continue
				}
				v, err := strconv.ParseFloat(cell, 64)
				if err != nil || math.IsInf(v, 0) {
					continue
				}
				shown++
				mant := strings.TrimLeft(strings.Split(strings.ToLower(cell), "e")[0], "-")
				digits := strings.TrimLeft(strings.ReplaceAll(mant, ".", ""), "0")
				if len(digits) > 2 {
					t.Errorf("%v: cell %q has more than 2 significant digits", c, cell)
				}
			}
		}
		if seps == 0 || rows < 2 || shown == 0 {
			t.Errorf("%v: not a markdown table with numbers (%d separator rows, %d rows, %d numbers):\n%s",
				c, seps, rows, shown, out)
		}
	}
}
