// Package notebook holds what the programs under notebooks/ share: the
// -out flag, atomic writing of their outputs, and the staleness check that
// tests use to prove the committed outputs are what the code produces now.
//
// A notebook is a main package with a function
//
//	func generate(out string) error
//
// that writes README.md and its figures and tables into the folder out, and
// a main that calls Main(defaultOut, generate). Its test calls CheckFresh,
// which runs generate into a temporary folder and compares every file
// there with the committed copy.
package notebook

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/lmax-project/lmax/internal/fileio"
)

// Main parses -out (default defaultOut, relative to the repository root
// from which `go run ./notebooks/NAME` is run), creates the folder and runs
// generate, exiting 1 with the error on failure.
func Main(defaultOut string, generate func(out string) error) {
	out := flag.String("out", defaultOut, "folder to write README.md and the figures into")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := generate(*out); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", filepath.Base(defaultOut), err)
		os.Exit(1)
	}
}

// WriteFile writes data to out/name atomically.
func WriteFile(out, name string, data []byte) error {
	return fileio.WriteAtomic(filepath.Join(out, name), func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// T is the part of testing.TB that CheckFresh uses.
type T interface {
	Helper()
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
	TempDir() string
}

// Options tune CheckFresh.
type Options struct {
	// Seed lists committed files copied into the temporary folder before
	// generate runs: caches such as a resumable results CSV, which
	// generate reuses instead of recomputing.
	Seed []string
	// SkipBytes lists files compared only for existence, not content
	// (binary figures whose bytes may depend on the font rasterizer).
	SkipBytes []string
}

// CheckFresh regenerates the notebook committed in dir into a temporary
// folder and reports every file that differs from, or is missing in, the
// committed copy, and every committed output the generator no longer makes
// (Go sources and tests excepted).
func CheckFresh(t T, dir string, generate func(out string) error, o Options) {
	t.Helper()
	tmp := t.TempDir()
	for _, name := range o.Seed {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("seed file: %v", err)
		}
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			t.Fatalf("seed file: %v", err)
		}
	}
	if err := generate(tmp); err != nil {
		t.Fatalf("regenerating %s: %v", dir, err)
	}
	skip := map[string]bool{}
	for _, s := range o.SkipBytes {
		skip[s] = true
	}
	generated := listFiles(t, tmp)
	for _, name := range generated {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s/%s is generated but not committed: run go run ./%s", dir, name, dir)
			continue
		}
		if skip[name] {
			continue
		}
		got, _ := os.ReadFile(filepath.Join(tmp, name))
		if !bytes.Equal(got, want) {
			t.Errorf("%s/%s is stale (%s): run go run ./%s", dir, name, firstDifference(got, want), dir)
		}
	}
	made := map[string]bool{}
	for _, n := range generated {
		made[n] = true
	}
	for _, name := range listFiles(t, dir) {
		if !made[name] && !strings.HasSuffix(name, ".go") {
			t.Errorf("%s/%s is committed but no longer generated", dir, name)
		}
	}
}

func listFiles(t T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v", err)
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// firstDifference describes where two files first differ, by line.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) && i < len(w); i++ {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: now %q, committed %q", i+1, clip(g[i]), clip(w[i]))
		}
	}
	return fmt.Sprintf("now %d lines, committed %d", len(g), len(w))
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
