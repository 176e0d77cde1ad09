package main

import (
	"testing"

	"github.com/lmax-project/lmax/internal/notebook"
)

// TestFresh fails when the committed README.md or figures differ from what
// the notebook generates now.
func TestFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the notebook")
	}
	notebook.CheckFresh(t, ".", generate, notebook.Options{})
}
