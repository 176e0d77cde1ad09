package train

import (
	"fmt"
	"math"
	"strings"
)

// Optimizer selects the update rule. The zero value is unset and fails
// validation, so that a configuration always names its optimizer.
type Optimizer int

// The optimizers.
const (
	// SGD is stochastic gradient descent with heavy-ball momentum μ:
	// v ← μ v + g, θ ← θ - η v (μ = 0 is plain SGD).
	SGD Optimizer = iota + 1
	// Adam is Kingma and Ba's Adam with bias correction:
	// m ← β1 m + (1-β1) g, v ← β2 v + (1-β2) g², θ ← θ - η m̂/(√v̂ + ε)
	// with m̂ = m/(1-β1^t), v̂ = v/(1-β2^t).
	Adam
)

// Default Adam hyper-parameters, used where Config leaves them zero.
const (
	DefaultBeta1   = 0.9
	DefaultBeta2   = 0.999
	DefaultEpsilon = 1e-8
)

// String returns "sgd" or "adam".
func (o Optimizer) String() string {
	switch o {
	case SGD:
		return "sgd"
	case Adam:
		return "adam"
	}
	return fmt.Sprintf("Optimizer(%d)", int(o))
}

// ParseOptimizer returns the optimizer named s ("sgd" or "adam", any case).
func ParseOptimizer(s string) (Optimizer, error) {
	switch strings.ToLower(s) {
	case "sgd":
		return SGD, nil
	case "adam":
		return Adam, nil
	}
	return 0, invalid("optimizer %q: want sgd or adam", s)
}

// optimizer updates theta from grad in place, allocation-free.
type optimizer interface {
	step(theta, grad []float64)
}

type sgd struct {
	lr, mu float64
	v      []float64
}

func (o *sgd) step(theta, grad []float64) {
	v := o.v[:len(theta)]
	for i, g := range grad[:len(theta)] {
		v[i] = o.mu*v[i] + g
		theta[i] -= o.lr * v[i]
	}
}

type adam struct {
	lr, b1, b2, eps float64
	t               int
	m, v            []float64
}

func (o *adam) step(theta, grad []float64) {
	o.t++
	c1 := 1 - math.Pow(o.b1, float64(o.t))
	c2 := 1 - math.Pow(o.b2, float64(o.t))
	m, v := o.m[:len(theta)], o.v[:len(theta)]
	for i, g := range grad[:len(theta)] {
		m[i] = o.b1*m[i] + (1-o.b1)*g
		v[i] = o.b2*v[i] + (1-o.b2)*g*g
		theta[i] -= o.lr * (m[i] / c1) / (math.Sqrt(v[i]/c2) + o.eps)
	}
}

func (c *Config) newOptimizer(n int) optimizer {
	if c.Optimizer == SGD {
		return &sgd{lr: c.LearningRate, mu: c.Momentum, v: make([]float64, n)}
	}
	o := &adam{lr: c.LearningRate, b1: c.Beta1, b2: c.Beta2, eps: c.Epsilon,
		m: make([]float64, n), v: make([]float64, n)}
	if o.b1 == 0 {
		o.b1 = DefaultBeta1
	}
	if o.b2 == 0 {
		o.b2 = DefaultBeta2
	}
	if o.eps == 0 {
		o.eps = DefaultEpsilon
	}
	return o
}
