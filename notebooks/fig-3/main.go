// Command fig-3 regenerates notebooks/fig-3: the paper's MNIST figure, the
// test accuracy of quantized networks trained at the solver's
// initialization over the number of levels N and the depth L, against the
// curves L = κ ξ(N) for κ = 4, 6 and 9.
//
//	go run ./notebooks/fig-3 [-out DIR] [-workers K]
//
// The grid of training runs is kept in DIR/grid.csv and resumed from it:
// with the committed grid.csv in DIR nothing is trained, and the program only
// redraws fig-3.png and rewrites README.md (in about a second). Without it
// the 60 runs take about 13 minutes on one core.
//
// The interpretive part of README.md is fixed text written after looking at
// the results; the claims it makes are checked against the data (see
// checkReading), so a change that alters the results makes the program fail
// instead of leaving the text silently wrong.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/template"

	"github.com/lmax-project/lmax/internal/notebook"
	"github.com/lmax-project/lmax/plots"
	"github.com/lmax-project/lmax/solver"
	"github.com/lmax-project/lmax/train"
)

var workers = flag.Int("workers", 1, "grid cells trained at once, one core each (the results do not depend on it)")

func main() { notebook.Main("notebooks/fig-3", generate) }

// The grid. N runs over the levels whose curves 4ξ … 9ξ cross the depths we
// can afford (N ≤ 6) and two (8, 16) whose 4ξ lies beyond them; L is roughly
// geometric up to 96, where one run of width 128 takes about 45 s.
var (
	levels = []int{2, 3, 4, 6, 8, 16}
	depths = []int{2, 4, 8, 12, 16, 24, 32, 48, 64, 96}
)

// The training configuration, the same for every cell. Adam at 1e-4 rather
// than the usual 1e-3: at 1e-3 deep networks do not learn at all whatever N
// (16 levels, L = 32: 10% test accuracy, against 88% at 1e-4), an
// optimization failure that would hide the depth limit this figure is about.
const (
	width     = 128
	steps     = 400
	batch     = 32
	lr        = 1e-4
	seed      = 1
	threshold = 0.5 // the test accuracy that counts as trained
)

// level is what the grid says about one N.
type level struct {
	N  int
	Xi float64
	// Acc is the test accuracy at each depth; NaN for a diverged run.
	Acc []float64
	// L50 is the depth at which the accuracy first falls to threshold (see
	// crossing); Inside is false when it does not fall within the grid.
	L50    float64
	Inside bool
}

func (l level) ratio() float64 { return l.L50 / l.Xi }

// near returns the index of the grid depth nearest (in ln L) to L = κ ξ,
// and false if κ ξ lies more than a quarter beyond the deepest depth.
func (l level) near(kappa float64) (int, bool) {
	target := kappa * l.Xi
	best := 0
	for i, d := range depths {
		if math.Abs(math.Log(float64(d)/target)) < math.Abs(math.Log(float64(depths[best])/target)) {
			best = i
		}
	}
	return best, target <= 1.25*float64(depths[len(depths)-1])
}

// crossing returns the depth L₅₀ at which the accuracy acc (over depths)
// first falls to threshold, interpolated linearly in ln L between the last
// grid depth above it and the next; a diverged run counts as accuracy 0.
// inside is false when it never falls within the grid (L₅₀ is then the
// deepest depth); L₅₀ is NaN when even the shallowest depth is below.
func crossing(acc []float64) (l50 float64, inside bool) {
	at := func(i int) float64 {
		if math.IsNaN(acc[i]) {
			return 0
		}
		return acc[i]
	}
	if !(at(0) > threshold) {
		return math.NaN(), false
	}
	for i := 0; i+1 < len(acc); i++ {
		if a, b := at(i), at(i+1); b <= threshold {
			f := (a - threshold) / (a - b)
			x0, x1 := math.Log(float64(depths[i])), math.Log(float64(depths[i+1]))
			return math.Exp(x0 + f*(x1-x0)), true
		}
	}
	return float64(depths[len(depths)-1]), false
}

type levelRow struct {
	N                    int
	Xi, K4, K6, K9       string
	Deepest, L50, Ratio  string
	AccAt6, AccAtDeepest string
}

type page struct {
	Levels, Depths              string
	Width, Steps, Batch, Cells  int
	Examples, Deepest           int
	LR, Seed, Threshold, Epochs string
	Command                     string
	AccHeader, AccRule          string
	AccRows                     []string
	Rows                        []levelRow
	// The numbers the reading quotes, filled by checkReading.
	ShallowLo, ShallowHi           string // range over N of the best accuracy
	SmallN, SmallLo, SmallHi       string // N whose L₅₀ follows ξ; their L₅₀/ξ range
	SmallXiGrowth, SmallL50Growth  string
	SmallAt6Hi, SmallAt9Hi         string // their highest accuracy near 6ξ and 9ξ
	LargeN, LargeFirst, LargeLast  string // N whose L₅₀ falls behind ξ
	LargeL50Lo, LargeL50Hi         string
	LargeXiGrowth, LargeL50Growth  string
	DeepestAccHi, DeepestRatioLast string // at the deepest depth
	FluctFirst, FluctLast          string // √(ξ/(2n))
}

func g(v float64, digits int) string { return strconv.FormatFloat(v, 'g', digits, 64) }

func pct(a float64) string {
	if math.IsNaN(a) {
		return "diverged"
	}
	return strconv.FormatFloat(100*a, 'f', 1, 64)
}

func joinInts(v []int, sep string) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, sep)
}

func generate(out string) error {
	schemes, err := solver.Sweep(levels, solver.DefaultKappa)
	if err != nil {
		return err
	}
	scheme := map[int]solver.Scheme{}
	for _, s := range schemes {
		scheme[s.Levels] = s
	}
	trainSet, testSet, err := train.MNIST()
	if err != nil {
		return err
	}
	grid := train.Grid{
		Levels: levels, Depths: depths,
		Width: width, Steps: steps, BatchSize: batch,
		Optimizer: train.Adam, LearningRate: lr, Seed: seed,
		Workers: *workers,
		Init: func(n int) (train.Init, error) {
			s := scheme[n]
			return train.Init{SigmaW: s.SigmaW, SigmaB: s.SigmaB, Slope: s.STESlope}, nil
		},
		OnCell: func(c train.Cell) {
			if !c.Resumed {
				fmt.Fprintf(os.Stderr, "fig-3: N=%d L=%d: test accuracy %.4f\n", c.Levels, c.Depth, c.Result.TestAccuracy)
			}
		},
	}
	cells, err := train.RunGrid(context.Background(), grid, trainSet, testSet, filepath.Join(out, "grid.csv"))
	if err != nil {
		return err
	}

	lv := make([]level, len(levels))
	for j, n := range levels {
		lv[j] = level{N: n, Xi: scheme[n].Xi, Acc: make([]float64, len(depths))}
	}
	for _, c := range cells {
		a := c.Result.TestAccuracy
		if c.Result.Diverged {
			a = math.NaN()
		}
		lv[indexOf(levels, c.Levels)].Acc[indexOf(depths, c.Depth)] = a
	}
	for j := range lv {
		lv[j].L50, lv[j].Inside = crossing(lv[j].Acc)
	}

	if err := saveFigure(filepath.Join(out, "fig-3.png"), lv); err != nil {
		return err
	}
	p, err := describe(lv, trainSet.Len())
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := readme.Execute(&b, p); err != nil {
		return err
	}
	return notebook.WriteFile(out, "README.md", b.Bytes())
}

// saveFigure draws the heat map with the curves κ ξ(N) evaluated at every
// integer N of the range, so that they are smooth between the columns.
func saveFigure(path string, lv []level) error {
	flat := make([]float64, 0, len(depths)*len(levels))
	for i := range depths {
		for _, l := range lv {
			flat = append(flat, l.Acc[i])
		}
	}
	var xiN []int
	for n := levels[0]; n <= levels[len(levels)-1]; n++ {
		xiN = append(xiN, n)
	}
	dense, err := solver.Sweep(xiN, solver.DefaultKappa)
	if err != nil {
		return err
	}
	xi := make([]float64, len(dense))
	for i, s := range dense {
		xi[i] = s.Xi
	}
	fig, err := plots.Trainability(plots.TrainData{
		N: levels, Depth: depths, Accuracy: flat, XiN: xiN, Xi: xi, Kappas: plots.DefaultKappas,
		Title: fmt.Sprintf("MNIST test accuracy after %d Adam steps (width %d)", steps, width),
	})
	if err != nil {
		return err
	}
	return plots.Save(fig, path, 0, 0)
}

// describe fills the page: the tables, and the numbers the reading quotes.
func describe(lv []level, trainLen int) (page, error) {
	last := len(depths) - 1
	p := page{
		Levels: joinInts(levels, ", "), Depths: joinInts(depths, ", "),
		Width: width, Steps: steps, Batch: batch, Cells: len(levels) * len(depths),
		Examples: steps * batch, Deepest: depths[last],
		LR: g(lr, 3), Seed: strconv.Itoa(seed), Threshold: g(100*threshold, 3),
		Epochs: strconv.FormatFloat(float64(steps*batch)/float64(trainLen), 'f', 2, 64),
		Command: fmt.Sprintf("lmax trainability --levels %s --depths %s --width %d --steps %d --batch %d --lr %g --seed %d --out grid.csv --plot fig-3.png",
			joinInts(levels, ","), joinInts(depths, ","), width, steps, batch, lr, seed),
		AccHeader: "| L \\ N | " + joinInts(levels, " | ") + " |",
		AccRule:   "|---:|" + strings.Repeat("---:|", len(levels)),
	}
	for i, d := range depths {
		row := make([]string, len(lv))
		for j, l := range lv {
			row[j] = pct(l.Acc[i])
			if l.Acc[i] > threshold {
				row[j] = "**" + row[j] + "**"
			}
		}
		p.AccRows = append(p.AccRows, fmt.Sprintf("| %d | %s |", d, strings.Join(row, " | ")))
	}
	for _, l := range lv {
		r := levelRow{N: l.N, Xi: g(l.Xi, 3), K4: g(4*l.Xi, 3), K6: g(6*l.Xi, 3), K9: g(9*l.Xi, 3),
			Deepest: "none", AccAtDeepest: pct(l.Acc[last])}
		for i, d := range depths {
			if l.Acc[i] > threshold {
				r.Deepest = strconv.Itoa(d)
			}
		}
		switch {
		case math.IsNaN(l.L50):
			r.L50, r.Ratio = "—", "—"
		case !l.Inside:
			r.L50, r.Ratio = "> "+g(l.L50, 3), "> "+g(l.ratio(), 2)
		default:
			r.L50, r.Ratio = g(l.L50, 3), g(l.ratio(), 2)
		}
		r.AccAt6 = "beyond the grid"
		if i, ok := l.near(6); ok {
			r.AccAt6 = fmt.Sprintf("%s (L = %d)", pct(l.Acc[i]), depths[i])
		}
		p.Rows = append(p.Rows, r)
	}
	return p, checkReading(&p, lv)
}

// The reading sorts the levels into those whose boundary follows ξ and
// those where it falls behind.
var (
	smallLevels = []int{2, 3, 4}
	largeLevels = []int{6, 8, 16}
)

// checkReading verifies each claim of the fixed text against the data and
// fills the numbers it quotes; it fails, naming the claim, if one no longer
// holds.
func checkReading(p *page, lv []level) error {
	get := func(n int) level { return lv[indexOf(levels, n)] }
	fail := func(format string, args ...any) error {
		return fmt.Errorf("the reading in README.md no longer matches the data: "+format+"; rewrite it", args...)
	}
	last := len(depths) - 1

	// Claim: at every N the accuracy ends at chance, and the depth of the
	// fall (L₅₀) grows with N.
	bestLo, bestHi := math.Inf(1), math.Inf(-1)
	for j, l := range lv {
		best := 0.0
		for _, a := range l.Acc {
			if !math.IsNaN(a) {
				best = max(best, a)
			}
		}
		bestLo, bestHi = min(bestLo, best), max(bestHi, best)
		if a := l.Acc[last]; !(a < 0.2) && !math.IsNaN(a) {
			return fail("N = %d still reaches %.3f at L = %d", l.N, a, depths[last])
		}
		if j > 0 && !(l.L50 > lv[j-1].L50) {
			return fail("L₅₀ does not grow from N = %d to N = %d", lv[j-1].N, l.N)
		}
	}
	p.ShallowLo, p.ShallowHi = pct(bestLo), pct(bestHi)

	// Claim: for the small N, L₅₀ lies between 4ξ and 5ξ and grows like ξ
	// (within 25%); near 6ξ the accuracy is below 35%, near 9ξ below 20%.
	lo, hi, at6, at9 := math.Inf(1), math.Inf(-1), 0.0, 0.0
	for _, n := range smallLevels {
		l := get(n)
		i6, ok6 := l.near(6)
		i9, ok9 := l.near(9)
		if !l.Inside || !ok6 || !ok9 || l.ratio() < 4 || l.ratio() > 5 {
			return fail("N = %d: L₅₀ = %.3gξ is not between 4ξ and 5ξ inside the grid", n, l.ratio())
		}
		if !(l.Acc[i6] < 0.35) || !(l.Acc[i9] < 0.2) {
			return fail("N = %d: accuracy %.3f near 6ξ, %.3f near 9ξ", n, l.Acc[i6], l.Acc[i9])
		}
		lo, hi = min(lo, l.ratio()), max(hi, l.ratio())
		at6, at9 = max(at6, l.Acc[i6]), max(at9, l.Acc[i9])
	}
	a, b := get(smallLevels[0]), get(smallLevels[len(smallLevels)-1])
	xiGrowth, l50Growth := b.Xi/a.Xi, b.L50/a.L50
	if math.Abs(math.Log(l50Growth/xiGrowth)) > math.Log(1.25) {
		return fail("from N = %d to %d, L₅₀ grows %.3g× but ξ %.3g×", a.N, b.N, l50Growth, xiGrowth)
	}
	p.SmallN, p.SmallLo, p.SmallHi = joinInts(smallLevels, ", "), g(lo, 2), g(hi, 2)
	p.SmallXiGrowth, p.SmallL50Growth = g(xiGrowth, 2), g(l50Growth, 2)
	p.SmallAt6Hi, p.SmallAt9Hi = pct(at6), pct(at9)

	// Claim: for the large N, L₅₀ is below 4ξ, its ratio to ξ falls as N
	// grows, and L₅₀ grows by less than 1.5× while ξ grows more than 3×;
	// L₅₀ lies between 50 and 90 layers.
	prev := math.Inf(1)
	for _, n := range largeLevels {
		l := get(n)
		if !l.Inside || !(l.ratio() < 4) || !(l.ratio() < prev) || l.L50 < 50 || l.L50 > 90 {
			return fail("N = %d: L₅₀ = %.3g = %.3gξ is not below 4ξ, below the previous ratio and in 50…90",
				n, l.L50, l.ratio())
		}
		prev = l.ratio()
	}
	a, b = get(largeLevels[0]), get(largeLevels[len(largeLevels)-1])
	xiGrowth, l50Growth = b.Xi/a.Xi, b.L50/a.L50
	if !(l50Growth < 1.5 && xiGrowth > 3) {
		return fail("from N = %d to %d, L₅₀ grows %.3g× and ξ %.3g×", a.N, b.N, l50Growth, xiGrowth)
	}
	p.LargeN, p.LargeFirst, p.LargeLast = joinInts(largeLevels, ", "), strconv.Itoa(a.N), strconv.Itoa(b.N)
	p.LargeL50Lo, p.LargeL50Hi = g(a.L50, 2), g(b.L50, 2)
	p.LargeXiGrowth, p.LargeL50Growth = g(xiGrowth, 2), g(l50Growth, 2)
	p.FluctFirst = g(math.Sqrt(a.Xi/(2*width)), 2)
	p.FluctLast = g(math.Sqrt(b.Xi/(2*width)), 2)

	deepest := 0.0
	for _, l := range lv {
		if a := l.Acc[last]; !math.IsNaN(a) {
			deepest = max(deepest, a)
		}
	}
	p.DeepestAccHi = pct(deepest)
	p.DeepestRatioLast = g(float64(depths[last])/b.Xi, 2)
	return nil
}

func indexOf(v []int, x int) int {
	for i, y := range v {
		if y == x {
			return i
		}
	}
	panic(fmt.Sprintf("%d not in %v", x, v)) // RunGrid returns only the grid's cells
}

var readme = template.Must(template.New("README").Parse(`# Figure 3: which depths train, against L = κ ξ(N)

The paper's MNIST figure (Blumenfeld, Gilboa and Soudry 2019) trains fully
connected networks whose hidden activation is an N-level quantizer and
colours each (N, L) by the test accuracy reached; the curves L = 4ξ, 6ξ and
9ξ of mean-field theory should separate the networks that train from those
that do not. This notebook redoes it with the project's own code: the
canonical quantizer (levels from −1 to 1, threshold spacing δ = 2/(N−1)),
the solver's initialization for it (σ_w^opt, σ_b = 0, and the
straight-through slope that keeps gradient norms through depth; THEORY.md
§3–4) and ` + "`train.RunGrid`" + `.

Regenerate with ` + "`go run ./notebooks/fig-3`" + ` from the repository root. It
reuses grid.csv, so it only redraws the figure and rewrites this page; delete
grid.csv to retrain the {{.Cells}} networks (about 13 minutes on one core). The same
grid from the command line:

    {{.Command}}

**Set-up.** N ∈ {{"{"}}{{.Levels}}{{"}"}}; L ∈ {{"{"}}{{.Depths}}{{"}"}} hidden layers
of width {{.Width}}; {{.Steps}} Adam steps of {{.Batch}} examples at learning rate {{.LR}}
({{.Examples}} examples, {{.Epochs}} epochs); seed {{.Seed}}, one run per cell. Test
accuracy on the 10 000 MNIST test images; chance is 10%.

![Test accuracy over N and L with the curves 4ξ, 6ξ and 9ξ](fig-3.png)

## Test accuracy (%)

Bold: above {{.Threshold}}%.

{{.AccHeader}}
{{.AccRule}}
{{range .AccRows}}{{.}}
{{end}}
## The measured boundary against κ ξ

L₅₀ is the depth at which the test accuracy first falls to {{.Threshold}}%,
interpolated linearly in ln L between the two grid depths around it; L₅₀ ÷ ξ
is the κ of the measured boundary. "Deepest L" is the deepest grid depth
above {{.Threshold}}%; "near 6ξ" is the grid depth closest to 6ξ in ratio.

| N | ξ | 4ξ | 6ξ | 9ξ | deepest L > {{.Threshold}}% | L₅₀ | L₅₀ ÷ ξ | accuracy near 6ξ | accuracy at L = {{.Deepest}} |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
{{range .Rows}}| {{.N}} | {{.Xi}} | {{.K4}} | {{.K6}} | {{.K9}} | {{.Deepest}} | {{.L50}} | {{.Ratio}} | {{.AccAt6}} | {{.AccAtDeepest}} |
{{end}}
## Reading

At every N the test accuracy falls, as L grows, from its shallow value
({{.ShallowLo}}–{{.ShallowHi}}% at best) to chance or near it, and the depth of the fall grows with N
in the order of ξ(N), as the theory says.

**N = {{.SmallN}}: the boundary follows ξ, at about 4ξ.** L₅₀ lies between
{{.SmallLo}}ξ and {{.SmallHi}}ξ, just above the 4ξ curve; from N = 2 to 4, ξ grows
{{.SmallXiGrowth}}-fold and L₅₀ {{.SmallL50Growth}}-fold. At the grid depth nearest 6ξ the accuracy is
down to {{.SmallAt6Hi}}% or less, and nearest 9ξ to {{.SmallAt9Hi}}% or less. In this set-up the
4ξ curve, not the 6ξ of the rule of thumb L ≲ 6ξ, marks where training
stops working; 6ξ marks where it has mostly failed.

**N = {{.LargeN}}: the boundary falls behind ξ.** L₅₀ is below 4ξ and its
ratio to ξ shrinks as N grows: from N = {{.LargeFirst}} to {{.LargeLast}}, ξ grows {{.LargeXiGrowth}}-fold but
L₅₀ only {{.LargeL50Growth}}-fold (from {{.LargeL50Lo}} to {{.LargeL50Hi}} layers), and no N trains at
L = {{.Deepest}} (at most {{.DeepestAccHi}}%), although that is only {{.DeepestRatioLast}}ξ for N = {{.LargeLast}}. Beyond
about {{.LargeL50Lo}}–{{.LargeL50Hi}} layers something other than the mean-field forward signal
limits these networks. The data cannot tell which; three candidates, each a
departure from the theory's assumptions:

- *The training budget.* {{.Steps}} steps at learning rate {{.LR}} are {{.Epochs}} epochs.
  Deep networks train here only at a small step size (in separate runs at
  1e-3, the 16-level network did not learn at all at L = 32), and a small
  step size needs many steps.
- *Finite width.* Mean-field theory is the limit of infinite width. At
  width n the correlation between two inputs fluctuates about its
  mean-field value by about √(ξ/(2n)) (THEORY.md §5): {{.FluctFirst}} for N = {{.LargeFirst}} and
  {{.FluctLast}} for N = {{.LargeLast}} at n = {{.Width}}, so at large N the finite network may lose
  its inputs' structure long before ξ says it should.
- *The backward pass.* The straight-through slope keeps the gradient's norm
  on average only, and the estimator is biased; its errors compound over
  depth whatever N.

A wider or longer-trained grid would separate them; so would repeating it
at several seeds.

**Caveats.** One seed per cell, so no error bars: differences of a point or
two between neighbouring cells mean nothing. A short budget, so the
accuracies are those of {{.Epochs}} epochs, below what longer training reaches.
One width. And the {{.Threshold}}% threshold is a convention: the
table of accuracies above lets the reader place the boundary at another
level. Depth counts hidden layers, the number of times the signal passes
through the quantizer.
`))
