package main

import (
	"testing"

	"github.com/lmax-project/lmax/internal/notebook"
)

// TestFresh fails when the committed README.md or figure differ from what
// the notebook generates now.
func TestFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the notebook (about a minute: the 8-bit unsigned search)")
	}
	notebook.CheckFresh(t, ".", generate, notebook.Options{})
}
