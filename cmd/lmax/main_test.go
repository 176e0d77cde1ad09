package main

import (
	"bytes"
	"encoding/json"
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
