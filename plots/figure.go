package plots

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/lmax-project/lmax/internal/fileio"
)

// Default figure size and PNG resolution. At DPI dots per inch the default
// size renders 800 × 500 pixels, where the 10–13 pt fonts of the figures are
// 14–18 pixels high: readable in a notebook or on a web page. For print,
// prefer SVG or PDF, which are resolution independent.
const (
	DefaultWidth  = 8 * vg.Inch
	DefaultHeight = 5 * vg.Inch
	DPI           = 100
)

// Figure is anything that draws itself onto a canvas: a *plot.Plot, a
// *HeatFigure (a plot with a colour bar) or Panels of figures.
type Figure interface {
	Draw(c draw.Canvas)
}

var _ Figure = (*plot.Plot)(nil)

// Sizer is a Figure with a preferred size, which Save and Render use in
// place of DefaultWidth and DefaultHeight when given zero sizes.
type Sizer interface {
	Size() (width, height vg.Length)
}

// Formats lists the file formats that Save and Render write, by extension
// (lower case, without the dot).
var Formats = []string{"png", "svg", "pdf"}

// CheckPath reports, before any work is done, why Save could not write
// path: an unknown extension, a missing parent folder, or a destination
// that is a folder. Commands call it while validating their flags.
func CheckPath(path string) error {
	if _, err := formatOf(path); err != nil {
		return err
	}
	return fileio.CheckDestination(path)
}

// formatOf returns the format named by path's extension, in lower case.
func formatOf(path string) (string, error) {
	ext := filepath.Ext(path)
	f := strings.ToLower(strings.TrimPrefix(ext, "."))
	for _, known := range Formats {
		if f == known {
			return f, nil
		}
	}
	if ext == "" {
		return "", fmt.Errorf("plot file %q: no extension (want .png, .svg or .pdf)", path)
	}
	return "", fmt.Errorf("plot file %q: unknown extension %s (want .png, .svg or .pdf)", path, ext)
}

// Save writes fig to path, as PNG, SVG or PDF according to the file's
// extension (any case), at width × height; zero sizes take the figure's
// own (see Sizer), else DefaultWidth and DefaultHeight. PNG is rendered at DPI dots per inch on a white
// background. The file is written atomically (see fileio.WriteAtomic):
// on any error an existing file at path is left as it was.
//
// Save checks the extension and the destination before drawing, so a bad
// path costs nothing.
func Save(fig Figure, path string, width, height vg.Length) error {
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	if err := fileio.CheckDestination(path); err != nil {
		return fmt.Errorf("plot file %q: %w", path, err)
	}
	err = fileio.WriteAtomic(path, func(w io.Writer) error {
		return Render(w, fig, format, width, height)
	})
	if err != nil {
		return fmt.Errorf("plot file %q: %w", path, err)
	}
	return nil
}

// Render draws fig at width × height (zero sizes as for Save) and
// writes it to w in format "png", "svg" or "pdf". It is the piece of Save
// that notebooks use to show a figure without a file.
func Render(w io.Writer, fig Figure, format string, width, height vg.Length) (err error) {
	if fig == nil {
		return fmt.Errorf("render: nil figure")
	}
	if width == 0 || height == 0 {
		w, h := DefaultWidth, DefaultHeight
		if s, ok := fig.(Sizer); ok {
			w, h = s.Size()
		}
		if width == 0 {
			width = w
		}
		if height == 0 {
			height = h
		}
	}
	if !(width > 0 && height > 0) {
		return fmt.Errorf("render: size %v × %v: need positive lengths", width, height)
	}
	var c vg.CanvasWriterTo
	switch strings.ToLower(format) {
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(DPI))}
	case "svg":
		c = vgsvg.New(width, height)
	case "pdf":
		c = vgpdf.New(width, height)
	default:
		return fmt.Errorf("render: format %q: unknown (want png, svg or pdf)", format)
	}
	// Gonum reports bad plotter input (an empty palette, a log axis over
	// non-positive values) by panicking; the builders validate their data,
	// but a caller's own additions might not, so turn a panic into an error.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("render: drawing failed: %v", r)
		}
	}()
	fig.Draw(draw.New(c))
	_, err = c.WriteTo(w)
	return err
}

// Panels tiles figures on a grid, filled row by row: two side by side for a
// notebook, or a row of phase diagrams. A nil entry leaves its tile empty.
type Panels struct {
	// Figures are the panels, row by row.
	Figures []Figure
	// Cols is the number of columns; 0 puts all figures in one row.
	Cols int
	// Gap is the space between tiles; 0 means a quarter inch.
	Gap vg.Length
}

func (ps Panels) grid() (cols, rows int) {
	n := len(ps.Figures)
	cols = ps.Cols
	if cols <= 0 || cols > n {
		cols = n
	}
	if n == 0 {
		return 0, 0
	}
	return cols, (n + cols - 1) / cols
}

// Size returns the preferred size of the panels: 6 × 4.5 inches a tile
// (600 × 450 pixels in PNG), so that each panel keeps legible text.
func (ps Panels) Size() (width, height vg.Length) {
	cols, rows := ps.grid()
	cols, rows = max(cols, 1), max(rows, 1)
	return vg.Length(cols) * 6 * vg.Inch, vg.Length(rows) * 4.5 * vg.Inch
}

// Draw draws the panels onto c.
func (ps Panels) Draw(c draw.Canvas) {
	cols, rows := ps.grid()
	if cols == 0 {
		return
	}
	gap := ps.Gap
	if gap == 0 {
		gap = vg.Inch / 4
	}
	t := draw.Tiles{Rows: rows, Cols: cols, PadX: gap, PadY: gap}
	for i, f := range ps.Figures {
		if f != nil {
			f.Draw(t.At(c, i%cols, i/cols))
		}
	}
}
