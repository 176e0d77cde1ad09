package plots

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPreview writes every figure, built from the synthetic data of
// data_test.go, into the folder named by $PLOTS_PREVIEW, for looking at.
// It is skipped when the variable is unset.
func TestPreview(t *testing.T) {
	dir := os.Getenv("PLOTS_PREVIEW")
	if dir == "" {
		t.Skip("set PLOTS_PREVIEW to a folder to write the preview figures")
	}
	for name, build := range builders() {
		fig, err := build()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, ext := range []string{".png", ".svg"} {
			if err := Save(fig, filepath.Join(dir, name+ext), 0, 0); err != nil {
				t.Fatal(err)
			}
		}
	}
}
