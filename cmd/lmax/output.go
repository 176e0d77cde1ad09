package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"
)

// Output formats. Not every command offers every one.
const (
	formatTable    = "table"
	formatCSV      = "csv"
	formatJSON     = "json"
	formatMarkdown = "markdown"
)

// defaultPrecision is the number of significant digits in table and
// markdown output: enough to reproduce every printed quantity to the
// accuracy the library guarantees (1e-12 relative for the solver's values
// would need 13; 10 is the floor the CLI promises, and --precision raises
// it). JSON and CSV always carry the shortest representation that
// round-trips the float64 exactly.
const defaultPrecision = 10

// outputOptions are the --format and --precision flags shared by commands.
type outputOptions struct {
	format    string
	precision int
	allowed   []string
}

func addOutputFlags(cmd *cobra.Command, o *outputOptions, allowed ...string) {
	o.allowed = allowed
	cmd.Flags().StringVar(&o.format, "format", formatTable, "output format: "+strings.Join(allowed, "|"))
	cmd.Flags().IntVar(&o.precision, "precision", defaultPrecision, "significant digits in table and markdown output (1-17)")
}

func (o *outputOptions) validate() error {
	ok := false
	for _, a := range o.allowed {
		if o.format == a {
			ok = true
		}
	}
	if !ok {
		return flagError("format", o.format, "unknown format (want %s)", strings.Join(o.allowed, ", "))
	}
	if o.precision < 1 || o.precision > 17 {
		return flagError("precision", o.precision, "must be between 1 and 17")
	}
	return nil
}

// report is a rectangular result: named columns and rows of cells. A cell
// is an int, a string, a float64, or nil for an undefined quantity (JSON
// null, empty in CSV, "—" in tables). Infinite floats are null in JSON and
// "inf" elsewhere; NaN never reaches a report from the library.
type report struct {
	columns []string
	rows    [][]any
}

func (r *report) add(cells ...any) { r.rows = append(r.rows, cells) }

// formatCell renders one cell for text output; exact selects the shortest
// round-trip representation (CSV, JSON) instead of prec significant digits.
func formatCell(v any, prec int, exact bool) string {
	switch x := v.(type) {
	case nil:
		if exact {
			return ""
		}
		return "—"
	case float64:
		switch {
		case math.IsInf(x, 1):
			return "inf"
		case math.IsInf(x, -1):
			return "-inf"
		case math.IsNaN(x):
			return "nan"
		}
		if exact {
			return strconv.FormatFloat(x, 'g', -1, 64)
		}
		return strconv.FormatFloat(x, 'g', prec, 64)
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

// jsonValue converts a cell for encoding/json: infinities and NaN become
// null because JSON has no literal for them.
func jsonValue(v any) any {
	if x, ok := v.(float64); ok && (math.IsInf(x, 0) || math.IsNaN(x)) {
		return nil
	}
	return v
}

// orderedObject marshals its keys in the given order (encoding/json sorts
// map keys, which would scramble the documented column order).
type orderedObject struct {
	keys   []string
	values []any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(jsonValue(o.values[i]))
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// objects returns the rows as JSON objects in column order.
func (r *report) objects() []orderedObject {
	out := make([]orderedObject, len(r.rows))
	for i, row := range r.rows {
		out[i] = orderedObject{keys: r.columns, values: row}
	}
	return out
}

// write renders r in the chosen format. JSON is an array of objects.
func (r *report) write(w io.Writer, o *outputOptions) error {
	switch o.format {
	case formatJSON:
		return writeJSON(w, r.objects())
	case formatCSV:
		cw := csv.NewWriter(w)
		cw.Write(r.columns)
		for _, row := range r.rows {
			rec := make([]string, len(row))
			for i, v := range row {
				rec[i] = formatCell(v, 0, true)
			}
			cw.Write(rec)
		}
		cw.Flush()
		return cw.Error()
	default:
		return r.writeTable(w, o.format == formatMarkdown, o.precision)
	}
}

func (r *report) writeTable(w io.Writer, markdown bool, prec int) error {
	opts := []tablewriter.Option{
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAlignment(tw.AlignRight),
		tablewriter.WithHeaderAlignment(tw.AlignCenter),
	}
	if markdown {
		opts = append(opts, tablewriter.WithRenderer(renderer.NewMarkdown()))
	}
	t := tablewriter.NewTable(w, opts...)
	t.Header(toAny(r.columns)...)
	for _, row := range r.rows {
		cells := make([]any, len(row))
		for i, v := range row {
			cells[i] = formatCell(v, prec, false)
		}
		if err := t.Append(cells...); err != nil {
			return err
		}
	}
	return t.Render()
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// keyValue renders a single record as a two-column table (quantity, value).
func keyValue(columns []string, values []any) *report {
	r := &report{columns: []string{"field", "value"}}
	for i, c := range columns {
		r.add(c, values[i])
	}
	return r
}
