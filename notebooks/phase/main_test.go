package main

import (
	"testing"

	"github.com/lmax-project/lmax/internal/notebook"
)

// TestFresh fails when the committed README.md or figure differ from what
// the notebook generates now. It takes about 10 s (the tanh phase diagram
// needs 2-D quadrature), so -short skips it.
func TestFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the notebook")
	}
	notebook.CheckFresh(t, ".", generate, notebook.Options{})
}
