package solver

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "regenerate ../testdata/sweep.json (after verifying it in 320-bit arithmetic)")

var goldenPath = filepath.Join("..", "testdata", "sweep.json")

// goldenEntry is one record of testdata/sweep.json, keys in this order.
type goldenEntry struct {
	Levels      int      `json:"levels"`
	Bits        float64  `json:"bits"`
	Spacing     *float64 `json:"spacing"` // null for N = 2
	SigmaW      float64  `json:"sigma_w"`
	Chi         float64  `json:"chi"`
	OneMinusChi float64  `json:"one_minus_chi"`
	Xi          float64  `json:"xi"`
	LMax        float64  `json:"lmax"`
	STESlope    float64  `json:"ste_slope"`
}

func goldenLevels() []int {
	var levels []int
	for n := 2; n <= 64; n++ {
		levels = append(levels, n)
	}
	return append(levels, 128, 256, 512, 1024)
}

func toGolden(s Scheme) goldenEntry {
	e := goldenEntry{Levels: s.Levels, Bits: s.Bits, SigmaW: s.SigmaW, Chi: s.ChiMax,
		OneMinusChi: s.OneMinusChi, Xi: s.Xi, LMax: s.LMax, STESlope: s.STESlope}
	if s.HasSpacing() {
		d := s.Spacing
		e.Spacing = &d
	}
	return e
}

// verifyGolden checks one canonical scheme against the 320-bit reference:
// D_opt bracketed to 1e−13 by the sign of β − D S, χ and 1 − χ at D_opt to
// 2e−15, σ_w = 1/(D_opt √S) (canonical δ, A) to 2e−15, and ξ, L_max, the STE
// slope recomputed from those in big arithmetic's float64 image.
func verifyGolden(t *testing.T, s Scheme) {
	t.Helper()
	n := s.Levels
	if n == 2 {
		if s.ChiMax != 2/math.Pi || s.SigmaW != 1 {
			t.Errorf("N=2: %+v", s)
		}
		return
	}
	d := s.Spacing
	if lo, hi := bigSign(n, d*(1-1e-13)), bigSign(n, d*(1+1e-13)); lo != 1 || hi != -1 {
		t.Errorf("N=%d: D_opt %v not bracketed to 1e−13 in 320 bits", n, d)
	}
	chi, omc, sb, _ := bigChi(n, d, n <= 64)
	if e := relBig(s.ChiMax, chi); e > 2e-15 {
		t.Errorf("N=%d: χ rel error %.3g", n, e)
	}
	if e := relBig(s.OneMinusChi, omc); e > 2e-15 {
		t.Errorf("N=%d: 1−χ rel error %.3g", n, e)
	}
	sw := bnew().Mul(bf(d), bnew().Sqrt(sb))
	sw.Quo(bf(1), sw)
	if e := relBig(s.SigmaW, sw); e > 2e-15 {
		t.Errorf("N=%d: σ_w rel error %.3g", n, e)
	}
	omcF, _ := omc.Float64()
	xi := 1 / -math.Log1p(-omcF)
	if rel(s.Xi, xi) > 2e-15 || rel(s.LMax, 6*xi) > 2e-15 {
		t.Errorf("N=%d: ξ %v vs %v", n, s.Xi, xi)
	}
	swF, _ := sw.Float64()
	ste := 1 / (swF * math.Sqrt(math.Erf(d*float64(n-1)/2/math.Sqrt2)))
	if rel(s.STESlope, ste) > 2e-15 {
		t.Errorf("N=%d: STE slope %v vs %v", n, s.STESlope, ste)
	}
}

// TestGolden compares the canonical sweep with testdata/sweep.json to 1e−12
// relative. With -update it first verifies every entry in 320-bit
// arithmetic (verifyGolden) and then rewrites the file.
func TestGolden(t *testing.T) {
	ss, err := Sweep(goldenLevels(), DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		entries := make([]goldenEntry, len(ss))
		for i, s := range ss {
			verifyGolden(t, s)
			entries[i] = toGolden(s)
		}
		if t.Failed() {
			t.Fatal("not writing the golden file: verification failed")
		}
		b, err := json.MarshalIndent(entries, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (regenerate with go test ./solver -run TestGolden -update)", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var want []goldenEntry
	if err := dec.Decode(&want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(ss) {
		t.Fatalf("golden file has %d entries, sweep %d", len(want), len(ss))
	}
	for i, s := range ss {
		got, w := toGolden(s), want[i]
		if got.Levels != w.Levels || (got.Spacing == nil) != (w.Spacing == nil) {
			t.Errorf("entry %d: levels %d vs %d, spacing %v vs %v", i, got.Levels, w.Levels, got.Spacing, w.Spacing)
			continue
		}
		pairs := [][2]float64{{got.Bits, w.Bits}, {got.SigmaW, w.SigmaW}, {got.Chi, w.Chi},
			{got.OneMinusChi, w.OneMinusChi}, {got.Xi, w.Xi}, {got.LMax, w.LMax}, {got.STESlope, w.STESlope}}
		if got.Spacing != nil {
			pairs = append(pairs, [2]float64{*got.Spacing, *w.Spacing})
		}
		for k, p := range pairs {
			if rel(p[0], p[1]) > 1e-12 {
				t.Errorf("N=%d: field %d: %v vs golden %v", got.Levels, k, p[0], p[1])
			}
		}
	}
}

// TestGoldenVerified re-verifies a subset of the golden entries against the
// 320-bit reference on every run (all of them under -update).
func TestGoldenVerified(t *testing.T) {
	levels := []int{2, 3, 4, 5, 10, 37, 64, 128}
	if !testing.Short() {
		levels = append(levels, 512)
	}
	ss, err := Sweep(levels, DefaultKappa)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		verifyGolden(t, s)
	}
}
