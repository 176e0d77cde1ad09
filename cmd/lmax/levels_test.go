package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseIntSpec(t *testing.T) {
	cases := []struct {
		spec string
		want []int
	}{
		{"2", []int{2}},
		{"2..5", []int{2, 3, 4, 5}},
		{"2..64:x2", []int{2, 4, 8, 16, 32, 64}},
		{"3..100:x3", []int{3, 9, 27, 81}},
		{"2, 3 ,8..9", []int{2, 3, 8, 9}},
		{"4,2..4", []int{4, 2, 3}},
		{"5..5", []int{5}},
	}
	for _, c := range cases {
		got, err := parseIntSpec(c.spec, 2, 1<<20)
		if err != nil {
			t.Errorf("%q: %v", c.spec, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q = %v, want %v", c.spec, got, c.want)
		}
	}
}

func TestParseIntSpecErrors(t *testing.T) {
	cases := map[string]string{
		"":               "empty",
		"1":              "below the minimum",
		"0..3":           "below the minimum",
		"9..3":           "backwards",
		"abc":            "not an integer",
		"2..1e30":        "not an integer",
		"2..99999999999": "above the maximum",
		"2,,3":           "empty item",
		"2..8:2":         ":xK",
		"2..8:x1":        "below the minimum",
		"4:x2":           "needs a range",
	}
	for spec, want := range cases {
		_, err := parseIntSpec(spec, 2, 1<<20)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to mention %q", spec, err, want)
		}
	}
	if _, err := parseIntSpec("2..2000000", 2, 1<<30); err == nil || !strings.Contains(err.Error(), "more than") {
		t.Errorf("huge range accepted: %v", err)
	}
}

func FuzzParseIntSpec(f *testing.F) {
	for _, s := range []string{"2", "2..64", "2..1024:x2", "3,5,7..9", "0..3", "9..3", "a", "2..8:x", ",", "1..1000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		const lo, hi = 2, 1 << 20
		vals, err := parseIntSpec(spec, lo, hi)
		if err != nil {
			return
		}
		if len(vals) == 0 || len(vals) > maxSpecItems {
			t.Fatalf("%q: %d values", spec, len(vals))
		}
		seen := map[int]bool{}
		for _, v := range vals {
			if v < lo || v > hi {
				t.Fatalf("%q: value %d out of range", spec, v)
			}
			if seen[v] {
				t.Fatalf("%q: duplicate %d", spec, v)
			}
			seen[v] = true
		}
	})
}
