package main

import (
	"fmt"
	"strconv"
	"strings"
)

// maxSpecItems bounds how many values a SPEC may expand to, so that a typo
// such as 2..1000000000 fails at once instead of exhausting memory.
const maxSpecItems = 1_000_000

// parseIntSpec expands a SPEC of comma-separated items, each
//
//	N        a single value
//	A..B     every integer from A to B
//	A..B:xK  A, AK, AK², … up to B (K ≥ 2)
//
// into the list of values in the order given, duplicates removed (first
// occurrence kept). Every value must lie in [lo, hi].
func parseIntSpec(spec string, lo, hi int) ([]int, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf("empty")
	}
	var out []int
	seen := map[int]bool{}
	emit := func(v int) error {
		if seen[v] {
			return nil
		}
		if len(out) >= maxSpecItems {
			return fmt.Errorf("expands to more than %d values", maxSpecItems)
		}
		seen[v] = true
		out = append(out, v)
		return nil
	}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return nil, fmt.Errorf("empty item")
		}
		rangePart, factor := item, 0
		if i := strings.IndexByte(item, ':'); i >= 0 {
			rangePart = item[:i]
			f := item[i+1:]
			if !strings.HasPrefix(f, "x") {
				return nil, fmt.Errorf("item %q: step must be written :xK", item)
			}
			k, err := parseBounded(f[1:], 2, hi)
			if err != nil {
				return nil, fmt.Errorf("item %q: factor: %v", item, err)
			}
			factor = k
		}
		a, b, isRange := strings.Cut(rangePart, "..")
		if !isRange {
			if factor != 0 {
				return nil, fmt.Errorf("item %q: :xK needs a range A..B", item)
			}
			v, err := parseBounded(a, lo, hi)
			if err != nil {
				return nil, fmt.Errorf("item %q: %v", item, err)
			}
			if err := emit(v); err != nil {
				return nil, err
			}
			continue
		}
		from, err := parseBounded(a, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("item %q: %v", item, err)
		}
		to, err := parseBounded(b, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("item %q: %v", item, err)
		}
		if to < from {
			return nil, fmt.Errorf("item %q: range runs backwards", item)
		}
		if factor == 0 {
			if to-from >= maxSpecItems {
				return nil, fmt.Errorf("item %q: expands to more than %d values", item, maxSpecItems)
			}
			for v := from; v <= to; v++ {
				if err := emit(v); err != nil {
					return nil, err
				}
			}
			continue
		}
		if from == 0 {
			return nil, fmt.Errorf("item %q: a geometric range cannot start at 0", item)
		}
		// Geometric: stop before v*factor exceeds to (checked by division
		// so the product never overflows).
		for v := from; ; v *= factor {
			if err := emit(v); err != nil {
				return nil, err
			}
			if v > to/factor {
				break
			}
		}
	}
	return out, nil
}

// parseBounded parses a decimal integer and checks lo ≤ v ≤ hi.
func parseBounded(s string, lo, hi int) (int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not an integer", s)
	}
	if v < lo {
		return 0, fmt.Errorf("%d is below the minimum %d", v, lo)
	}
	if v > hi {
		return 0, fmt.Errorf("%d is above the maximum %d", v, hi)
	}
	return v, nil
}
