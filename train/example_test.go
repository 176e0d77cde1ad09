package train_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/lmax-project/lmax/quantize"
	"github.com/lmax-project/lmax/train"
)

func ExampleNewQuantized() {
	q, err := quantize.Canonical(4) // levels -1, -1/3, 1/3, 1
	if err != nil {
		log.Fatal(err)
	}
	act, err := train.NewQuantized(q, 1.5)
	if err != nil {
		log.Fatal(err)
	}
	for _, x := range []float64{-2, -0.5, 0.2, 0.9, 1.5} {
		fmt.Printf("φ(%4.1f) = %5.2f   φ'_STE = %.1f\n", x, act.Eval(x), act.Deriv(x))
	}
	// Output:
	// φ(-2.0) = -1.00   φ'_STE = 0.0
	// φ(-0.5) = -0.33   φ'_STE = 1.5
	// φ( 0.2) =  0.33   φ'_STE = 1.5
	// φ( 0.9) =  1.00   φ'_STE = 1.5
	// φ( 1.5) =  1.00   φ'_STE = 0.0
}

func ExampleTrain() {
	trainSet, testSet, err := train.MNIST()
	if err != nil {
		log.Fatal(err)
	}
	q, err := quantize.Canonical(8)
	if err != nil {
		log.Fatal(err)
	}
	act, err := train.NewQuantized(q, 1)
	if err != nil {
		log.Fatal(err)
	}
	cfg := train.Config{
		Depth: 2, Width: 64, Activation: act, SigmaW: 1.2,
		Optimizer: train.Adam, LearningRate: 2e-3,
		BatchSize: 32, Steps: 200, Seed: 1,
	}
	res, err := train.Train(context.Background(), cfg, trainSet, testSet)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("test accuracy %.2f, train loss %.2f\n", res.TestAccuracy, res.TrainLoss)
	// Output:
	// test accuracy 0.90, train loss 0.40
}

func ExampleRunGrid() {
	trainSet, testSet, err := train.MNIST()
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "grid")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	g := train.Grid{
		Levels: []int{2, 16}, Depths: []int{2, 30},
		Width: 32, Steps: 100, BatchSize: 32,
		Optimizer: train.Adam, LearningRate: 2e-3, Seed: 1,
		// The caller wires in the solver's initialization per N here.
		Init: func(levels int) (train.Init, error) {
			return train.Init{SigmaW: 1, SigmaB: 0, Slope: 1}, nil
		},
	}
	cells, err := train.RunGrid(context.Background(), g, trainSet, testSet, filepath.Join(dir, "grid.csv"))
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range cells {
		fmt.Printf("N=%2d L=%2d accuracy %.2f\n", c.Levels, c.Depth, c.Result.TestAccuracy)
	}
	// Output:
	// N= 2 L= 2 accuracy 0.82
	// N= 2 L=30 accuracy 0.08
	// N=16 L= 2 accuracy 0.87
	// N=16 L=30 accuracy 0.33
}
