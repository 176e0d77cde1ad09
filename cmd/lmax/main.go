// Command lmax computes, from mean-field theory, how deep a network with
// N-level quantized activations can be and still train, and how to
// initialize it to reach that depth. Run `lmax help` for the subcommands.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Exit statuses: 0 success, 1 a failure while computing or writing, 2 a
// usage error (a bad flag or argument), as is customary for Unix tools.
const (
	exitFailure = 1
	exitUsage   = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line args and returns the exit status; it is the
// whole program, separated from main so that tests can drive it.
func run(args []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "lmax: %v\n", oneLine(err))
	var u *usageError
	if errors.As(err, &u) {
		return exitUsage
	}
	return exitFailure
}

// usageError marks an error in the command line itself.
type usageError struct{ err error }

func (u *usageError) Error() string { return u.err.Error() }
func (u *usageError) Unwrap() error { return u.err }

// flagError returns a usage error that names the flag and the bad value.
func flagError(flag string, value any, format string, args ...any) error {
	return &usageError{fmt.Errorf("--%s %q: %s", flag, fmt.Sprint(value), fmt.Sprintf(format, args...))}
}

// usagef returns a usage error with a free-form message.
func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// oneLine keeps error messages to a single line on stderr.
func oneLine(err error) string {
	s := err.Error()
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
