package main

import (
	"testing"

	"github.com/lmax-project/lmax/internal/notebook"
)

// TestFresh fails when the committed README.md or figure differ from what
// the notebook generates now. The committed grid.csv is copied in first, so
// no cell is trained again: the test checks the analysis and the figure,
// and that the grid still matches the notebook's configuration.
func TestFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the notebook")
	}
	notebook.CheckFresh(t, ".", generate, notebook.Options{Seed: []string{"grid.csv"}})
}
