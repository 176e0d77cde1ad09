package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "lmax",
		Short: "Maximal trainable depth of networks with quantized activations",
		Long: `lmax computes, from mean-field theory (Blumenfeld, Gilboa and Soudry,
NeurIPS 2019), how deep a fully connected network with N-level quantized
activations can be and still train, and how to initialize it to get there.

Depth scale ξ = -1/ln χ_max(N), maximal depth L_max = κ ξ (κ = 6 by default).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err}
	})
	root.AddCommand(
		newMapsCmd(),
		newSweepCmd(),
		newInitCmd(),
		newDepthCmd(),
		newFitCmd(),
		newTrainCmd(),
		newTrainabilityCmd(),
		newMCCmd(),
		newPhaseCmd(),
		newOptimizeCmd(),
	)
	for _, c := range root.Commands() {
		c.Args = noArgs
	}
	return root
}

// noArgs rejects positional arguments with a usage error: every input is a flag.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s: unexpected argument %q (all inputs are flags; see lmax %s --help)", cmd.Name(), args[0], cmd.Name())
	}
	return nil
}

// changed reports whether the user set the flag.
func changed(fs *pflag.FlagSet, name string) bool {
	f := fs.Lookup(name)
	return f != nil && f.Changed
}
