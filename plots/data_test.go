package plots

import (
	"math"
	"math/rand/v2"
)

// Synthetic but realistic inputs for the figure builders.

func sweepData() SweepData {
	var d SweepData
	for n := 2; n <= 1024; n = n*3/2 + 1 {
		d.N = append(d.N, n)
		x := float64(n + 1)
		d.OneMinusChi = append(d.OneMinusChi, 1.5*math.Pow(x, -1.8))
		if n == 2 {
			d.DOpt = append(d.DOpt, math.NaN())
		} else {
			d.DOpt = append(d.DOpt, 2.5*math.Log(float64(n))/float64(n))
		}
	}
	d.ChiFit = fitLogLog(d.N[1:], d.OneMinusChi[1:])
	d.DFit = fitLogLog(d.N[1:], d.DOpt[1:])
	d.Title = "Quantization–depth trade-off (synthetic data)"
	return d
}

// fitLogLog fits ln y = a + b ln(N+1) by least squares.
func fitLogLog(ns []int, ys []float64) *PowerLaw {
	var sx, sy, sxx, sxy float64
	for i, n := range ns {
		x, y := math.Log(float64(n+1)), math.Log(ys[i])
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	k := float64(len(ns))
	b := (k*sxy - sx*sy) / (k*sxx - sx*sx)
	return &PowerLaw{Slope: b, Intercept: (sy - b*sx) / k, NMin: ns[0], NMax: ns[len(ns)-1]}
}

func correlationRuns() []CorrelationRun {
	rng := rand.New(rand.NewPCG(1, 2))
	var runs []CorrelationRun
	for i, chi := range []float64{2 / math.Pi, 0.85, 0.95} {
		r := CorrelationRun{Label: []string{"N = 2", "N = 4", "N = 16"}[i]}
		for l := 0; l <= 30; l++ {
			th := 0.9 * math.Pow(chi, float64(l))
			se := 0.01 + 0.005*math.Sqrt(float64(l))
			r.Layer = append(r.Layer, l)
			r.Theory = append(r.Theory, th)
			r.Mean = append(r.Mean, th+se*rng.NormFloat64())
			r.StdErr = append(r.StdErr, se)
		}
		runs = append(runs, r)
	}
	return runs
}

func xiTheory(n int) float64 {
	oneMinusChi := 1.5 * math.Pow(float64(n+1), -1.8)
	return -1 / math.Log1p(-oneMinusChi)
}

func depthScaleData() DepthScaleData {
	rng := rand.New(rand.NewPCG(3, 4))
	var d DepthScaleData
	for n := 2; n <= 64; n *= 2 {
		xi := xiTheory(n)
		se := 0.05 * xi
		d.N = append(d.N, n)
		d.Xi = append(d.Xi, xi*(1+0.04*rng.NormFloat64()))
		d.StdErr = append(d.StdErr, se)
	}
	for n := 2; n <= 64; n++ {
		d.TheoryN = append(d.TheoryN, n)
		d.TheoryXi = append(d.TheoryXi, xiTheory(n))
	}
	return d
}

// mapData is the sign activation at σ_w = 1, σ_b = 0:
// M(c) = (2/π) arcsin c, χ(c) = (2/π)/√(1−c²), c* = 0.
func mapData() MapData {
	var d MapData
	for i := 0; i <= 400; i++ {
		c := -1 + 2*float64(i)/400
		d.C = append(d.C, c)
		d.M = append(d.M, 2/math.Pi*math.Asin(c))
		d.Chi = append(d.Chi, 2/math.Pi/math.Sqrt(1-c*c))
	}
	d.CStar = []float64{0}
	return d
}

// phaseData is a tanh-like phase diagram: χ(c*) = σ_w²·g(σ_b) with a
// ridge of ξ = −1/ln χ at χ = 1, ξ = +Inf exactly on it.
func phaseData() PhaseData {
	var d PhaseData
	for i := 0; i <= 60; i++ {
		d.Xi.SigmaW = append(d.Xi.SigmaW, 0.1+3.9*float64(i)/60)
	}
	for i := 0; i <= 40; i++ {
		d.Xi.SigmaB = append(d.Xi.SigmaB, 0.05*float64(i))
	}
	for _, sb := range d.Xi.SigmaB {
		for _, sw := range d.Xi.SigmaW {
			chi := sw * sw * 0.64 / (1 + 0.5*sb*sb)
			if chi > 1 {
				chi = 1 / chi // chaotic side: the stable c* < 1 has χ < 1 again
			}
			xi := -1 / math.Log(chi)
			if chi == 1 {
				xi = math.Inf(1)
			}
			d.Xi.Values = append(d.Xi.Values, xi)
			d.Boundary = append(d.Boundary, sw*sw*0.64/(1+0.5*sb*sb))
		}
	}
	d.BoundaryLevel = 1
	d.Marker = &Marker{X: 1.25, Y: 0, Label: "σ_{w}^{opt} at σ_{b} = 0"}
	d.Title = "Phase diagram of a tanh-like activation (synthetic data)"
	return d
}

func trainData() TrainData {
	var d TrainData
	for b := 1; b <= 8; b++ {
		d.N = append(d.N, 1<<b)
	}
	for l := 10; l <= 200; l += 10 {
		d.Depth = append(d.Depth, l)
	}
	for _, l := range d.Depth {
		for _, n := range d.N {
			lmax := 6 * xiTheory(n)
			acc := 0.1 + 0.88/(1+math.Exp((float64(l)-lmax)/(0.15*lmax)))
			d.Accuracy = append(d.Accuracy, acc)
		}
	}
	for n := 2; n <= 256; n++ {
		d.XiN = append(d.XiN, n)
		d.Xi = append(d.Xi, xiTheory(n))
	}
	return d
}

// builders returns every figure builder applied to its synthetic data.
func builders() map[string]func() (Figure, error) {
	return map[string]func() (Figure, error){
		"sweep":        func() (Figure, error) { return Sweep(sweepData()) },
		"correlations": func() (Figure, error) { return Correlations(correlationRuns(), "") },
		"depthscale":   func() (Figure, error) { return DepthScale(depthScaleData()) },
		"maps":         func() (Figure, error) { return Maps(mapData()) },
		"phase":        func() (Figure, error) { return Phase(phaseData()) },
		"train":        func() (Figure, error) { return Trainability(trainData()) },
		"lines":        func() (Figure, error) { return Lines(linesData()) },
		"panels": func() (Figure, error) {
			a, err := Phase(phaseData())
			if err != nil {
				return nil, err
			}
			b, err := Maps(mapData())
			if err != nil {
				return nil, err
			}
			return Panels{Figures: []Figure{a, b}}, nil
		},
	}
}

func linesData() LinesData {
	var x, y, ref []float64
	for n := 3; n <= 1<<20; n *= 2 {
		x = append(x, float64(n+1))
		y = append(y, -2+1/math.Log(float64(n)))
		ref = append(ref, -2)
	}
	return LinesData{Title: "local exponent", XLabel: "N + 1", YLabel: "d ln(1 − χ_{max}) / d ln(N+1)", LogX: true,
		Series: []Series{{Label: "exact", X: x, Y: y, Markers: true}, {Label: "limit −2", X: x, Y: ref, Grey: true, Dash: Dotted}},
		YMin:   -2.3, YMax: -1.5}
}
