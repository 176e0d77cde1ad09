package main

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// showProgress reports whether to draw a progress bar: not with --quiet,
// and only when stderr is a terminal, so that logs and pipes stay clean.
func showProgress(cmd *cobra.Command, quiet bool) bool {
	if quiet {
		return false
	}
	f, ok := cmd.ErrOrStderr().(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newBar returns the progress bar of every subcommand: max units on w,
// with the time elapsed and left, full width, cleared when done; extra
// options follow.
func newBar(w io.Writer, max int64, description string, extra ...progressbar.Option) *progressbar.ProgressBar {
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionClearOnFinish(),
	}
	return progressbar.NewOptions64(max, append(opts, extra...)...)
}

// delayedBar is a progress bar, with a count, that appears only once the
// work has run for a while, so that short runs print nothing. Its methods
// are safe on a nil *delayedBar, which draws nothing.
type delayedBar struct {
	w           io.Writer
	total       int
	description string
	delay       time.Duration
	start       time.Time
	bar         *progressbar.ProgressBar
}

// newDelayedBar returns a bar over total units that appears after delay,
// or nil when showProgress says no.
func newDelayedBar(cmd *cobra.Command, quiet bool, total int, description string, delay time.Duration) *delayedBar {
	if !showProgress(cmd, quiet) {
		return nil
	}
	return &delayedBar{w: cmd.ErrOrStderr(), total: total, description: description, delay: delay, start: time.Now()}
}

// set reports done units of the total.
func (p *delayedBar) set(done int) {
	if p == nil {
		return
	}
	if p.bar == nil {
		if time.Since(p.start) < p.delay {
			return
		}
		p.bar = newBar(p.w, int64(p.total), p.description, progressbar.OptionShowCount())
	}
	p.bar.Set(done)
}

// finish completes and clears the bar, if one is drawn.
func (p *delayedBar) finish() {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Finish()
	p.bar = nil
}
