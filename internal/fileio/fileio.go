// Package fileio writes output files atomically: the content goes to a
// temporary file in the destination's folder, which is synced and then
// renamed over the destination, so an interrupted run never leaves a
// half-written file behind.
package fileio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// CheckDestination reports, before any work is done, why path cannot be
// written: a missing parent folder, a parent that is not a folder, or a
// destination that is itself a folder.
func CheckDestination(path string) error {
	if path == "" {
		return errors.New("empty file name")
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("folder %s does not exist", dir)
		}
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	return nil
}

// WriteAtomic creates or replaces path with what write produces. On any
// error the destination is left as it was.
func WriteAtomic(path string, write func(w io.Writer) error) (err error) {
	if err := CheckDestination(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	// CreateTemp makes the file 0600; output files are ordinary documents.
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
