package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lmax-project/lmax/quantize"
)

func mnist(t testing.TB) (train, test *Dataset) {
	t.Helper()
	train, test, err := MNIST()
	if err != nil {
		t.Fatal(err)
	}
	return train, test
}

func quantCfg(t testing.TB, levels, depth, width int, sigmaW float64) Config {
	q, err := quantize.Canonical(levels)
	return Config{Depth: depth, Width: width, Activation: mustQuantized(t, q, err, 1), SigmaW: sigmaW,
		Optimizer: Adam, LearningRate: 1e-3, BatchSize: 32, Steps: 100, Seed: 1}
}

func TestValidate(t *testing.T) {
	base := quantCfg(t, 4, 2, 8, 1)
	if err := base.Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	for _, tc := range []struct {
		field string
		edit  func(*Config)
	}{
		{"depth 0", func(c *Config) { c.Depth = 0 }},
		{"depth -3", func(c *Config) { c.Depth = -3 }},
		{"width 0", func(c *Config) { c.Width = 0 }},
		{"activation", func(c *Config) { c.Activation = nil }},
		{"sigma_w 0", func(c *Config) { c.SigmaW = 0 }},
		{"sigma_w NaN", func(c *Config) { c.SigmaW = math.NaN() }},
		{"sigma_b -1", func(c *Config) { c.SigmaB = -1 }},
		{"sigma_b +Inf", func(c *Config) { c.SigmaB = math.Inf(1) }},
		{"optimizer", func(c *Config) { c.Optimizer = 0 }},
		{"learning rate 0", func(c *Config) { c.LearningRate = 0 }},
		{"learning rate -0.1", func(c *Config) { c.LearningRate = -0.1 }},
		{"learning rate NaN", func(c *Config) { c.LearningRate = math.NaN() }},
		{"learning rate +Inf", func(c *Config) { c.LearningRate = math.Inf(1) }},
		{"momentum 1", func(c *Config) { c.Momentum = 1 }},
		{"beta1 -0.5", func(c *Config) { c.Beta1 = -0.5 }},
		{"beta2 1", func(c *Config) { c.Beta2 = 1 }},
		{"epsilon NaN", func(c *Config) { c.Epsilon = math.NaN() }},
		{"batch size 0", func(c *Config) { c.BatchSize = 0 }},
		{"steps 0", func(c *Config) { c.Steps = 0 }},
		{"steps -1", func(c *Config) { c.Steps = -1 }},
		{"loss window -1", func(c *Config) { c.LossWindow = -1 }},
	} {
		c := base
		tc.edit(&c)
		err := c.Validate()
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("%s: error %v, want one wrapping ErrInvalid and naming %q", tc.field, err, tc.field)
		}
		// Train refuses before touching the data.
		if _, err2 := Train(context.Background(), c, nil, nil); err2 == nil || err2.Error() != err.Error() {
			t.Errorf("%s: Train error %v, want %v", tc.field, err2, err)
		}
	}
	// Levels are validated where quantizers are built.
	if _, err := quantize.Canonical(1); err == nil || !strings.Contains(err.Error(), "levels 1") {
		t.Errorf("Canonical(1): %v", err)
	}
	if _, err := NewQuantized(nil, 1); err == nil || !errors.Is(err, ErrInvalid) {
		t.Errorf("NewQuantized(nil): %v", err)
	}
	q, _ := quantize.Canonical(4)
	for _, s := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if _, err := NewQuantized(q, s); err == nil || !strings.Contains(err.Error(), "slope") {
			t.Errorf("NewQuantized(slope %v): %v", s, err)
		}
	}
}

func TestTrainDataErrors(t *testing.T) {
	cfg := quantCfg(t, 4, 1, 8, 1)
	good := syntheticSet(50, 12, 3, 1)
	bad := func(edit func(*Dataset)) *Dataset {
		d := *good
		edit(&d)
		return &d
	}
	for _, tc := range []struct {
		name        string
		train, test *Dataset
		cfg         func(*Config)
		want        string
	}{
		{"nil training", nil, good, nil, "training set: nil"},
		{"label", bad(func(d *Dataset) { d.Labels = append([]uint8{7}, d.Labels[1:]...) }), good, nil, "label 7 of example 0"},
		{"pixels", bad(func(d *Dataset) { d.Pixels = d.Pixels[1:] }), good, nil, "pixels"},
		{"std", good, bad(func(d *Dataset) { d.Norm.Std = 0 }), nil, "test set: normalization"},
		{"shape", good, syntheticSet(50, 13, 3, 1), nil, "13 inputs"},
		{"batch", good, good, func(c *Config) { c.BatchSize = 51 }, "batch size 51"},
	} {
		c := cfg
		if tc.cfg != nil {
			tc.cfg(&c)
		}
		_, err := Train(context.Background(), c, tc.train, tc.test)
		if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
}

// TestShallowMNIST trains a shallow 16-level quantized network (L = 4,
// width 256, Adam, 400 steps of 32) and requires more than 90% test
// accuracy. It takes about 7 s on an idle core.
func TestShallowMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for about 7 s")
	}
	train, test := mnist(t)
	cfg := quantCfg(t, 16, 4, 256, 1)
	cfg.Steps = 400
	start := time.Now()
	res, err := Train(context.Background(), cfg, train, test)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("N=16, L=4, width 256: %+v in %v", res, time.Since(start))
	if !(res.TestAccuracy > 0.90) {
		t.Errorf("test accuracy %v, want > 0.90", res.TestAccuracy)
	}
	if !(res.TrainLoss < 0.5) {
		t.Errorf("train loss %v, want < 0.5", res.TrainLoss)
	}
}

// TestBeyondLmax trains sign networks (N = 2) at σ_w = 1, σ_b = 0, where the
// correlation map M(c) = (2/π) arcsin c drives every pair of inputs to
// c* = 0 with slope χ(0) = 2/π (ξ = -1/ln χ ≈ 2.2, L_max = 6ξ ≈ 13): at
// L = 50 the readout sees inputs that are uncorrelated whatever their class,
// and the test accuracy stays near chance (< 20%), while the same run at
// L = 2 learns.
func TestBeyondLmax(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for about 3 s")
	}
	train, test := mnist(t)
	for _, tc := range []struct {
		depth    int
		min, max float64
	}{
		{2, 0.7, 1},
		{50, 0, 0.2},
	} {
		cfg := quantCfg(t, 2, tc.depth, 64, 1)
		cfg.Steps = 200
		res, err := Train(context.Background(), cfg, train, test)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("sign, L=%d, width 64: %+v", tc.depth, res)
		if !(res.TestAccuracy >= tc.min && res.TestAccuracy <= tc.max) {
			t.Errorf("L = %d: test accuracy %v, want in [%v, %v]", tc.depth, res.TestAccuracy, tc.min, tc.max)
		}
	}
}

// TestDeterminism runs the same configuration twice (the second time with a
// different GOMAXPROCS) and requires bit-identical per-step losses and
// results; a different seed must change them.
func TestDeterminism(t *testing.T) {
	train, test := mnist(t)
	run := func(seed uint64) ([]float64, Result) {
		cfg := quantCfg(t, 4, 3, 32, 1.2)
		cfg.Steps, cfg.Seed = 30, seed
		var losses []float64
		cfg.OnStep = func(step int, loss float64) {
			if step != len(losses)+1 {
				t.Fatalf("OnStep step %d after %d calls", step, len(losses))
			}
			losses = append(losses, loss)
		}
		res, err := Train(context.Background(), cfg, train, test)
		if err != nil {
			t.Fatal(err)
		}
		return losses, res
	}
	l1, r1 := run(7)
	prev := runtime.GOMAXPROCS(1)
	l2, r2 := run(7)
	runtime.GOMAXPROCS(prev)
	if len(l1) != 30 || fmt.Sprint(l1) != fmt.Sprint(l2) || r1 != r2 {
		t.Errorf("same seed, different runs:\n%v %+v\n%v %+v", l1, r1, l2, r2)
	}
	l3, _ := run(8)
	if l3[0] == l1[0] {
		t.Errorf("seeds 7 and 8 give the same first loss %v", l1[0])
	}
	// TrainLoss is the mean of the last LossWindow (here all 30) losses.
	var sum float64
	for _, v := range l1 {
		sum += v
	}
	if r1.TrainLoss != sum/30 {
		t.Errorf("TrainLoss %v, mean of step losses %v", r1.TrainLoss, sum/30)
	}
}

// TestDiverged checks that a non-finite loss stops training with
// ErrDiverged and no accuracy. With bounded activations the loss only
// overflows when a single update does, hence the learning rates near
// MaxFloat64; with an unbounded (here linear) activation an ordinary but too
// large rate diverges geometrically.
func TestDiverged(t *testing.T) {
	train, test := mnist(t)
	linear := HardTanh{Slope: 1, Clip: math.Inf(1)}
	for _, tc := range []struct {
		name string
		edit func(*Config)
	}{
		{"sgd", func(c *Config) { c.Optimizer, c.LearningRate = SGD, 1e308 }},
		{"adam", func(c *Config) { c.LearningRate = 1e308 }},
		{"linear", func(c *Config) { c.Activation, c.Optimizer, c.LearningRate, c.Steps = linear, SGD, 10, 500 }},
	} {
		cfg := quantCfg(t, 16, 2, 32, 1)
		tc.edit(&cfg)
		res, err := Train(context.Background(), cfg, train, test)
		if !errors.Is(err, ErrDiverged) || !strings.Contains(err.Error(), "step ") {
			t.Errorf("%s: error %v, want ErrDiverged with the step", tc.name, err)
			continue
		}
		if !res.Diverged || !math.IsNaN(res.TestAccuracy) || !math.IsNaN(res.TrainLoss) || res.Steps >= cfg.Steps {
			t.Errorf("%s: result %+v", tc.name, res)
		}
		t.Logf("%s: %v", tc.name, err)
	}
}

func TestCancel(t *testing.T) {
	train, test := mnist(t)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := quantCfg(t, 4, 1, 8, 1)
	cfg.OnStep = func(step int, _ float64) {
		if step == 5 {
			cancel()
		}
	}
	res, err := Train(ctx, cfg, train, test)
	if !errors.Is(err, context.Canceled) || res.Steps != 5 {
		t.Errorf("got %+v, %v; want 5 steps and context.Canceled", res, err)
	}
}

// BenchmarkStep measures training steps per second (batch 32, Adam, 16-level
// quantizer, MNIST-shaped synthetic input) at widths 256 and 1024 and depths
// 4 and 16.
func BenchmarkStep(b *testing.B) {
	d := syntheticSet(1024, MNISTInputs, MNISTClasses, 1)
	for _, width := range []int{256, 1024} {
		for _, depth := range []int{4, 16} {
			b.Run(fmt.Sprintf("w=%d/L=%d", width, depth), func(b *testing.B) {
				cfg := quantCfg(b, 16, depth, width, 1)
				r := newRun(cfg, d)
				r.step()
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					r.step()
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
			})
		}
	}
}
