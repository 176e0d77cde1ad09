package plots

import (
	"math"
	"strings"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Scripts is a text.Handler that renders plain text with two pieces of
// markup: "_{…}" sets its contents as a subscript and "^{…}" as a
// superscript, so that labels read "χ_{max}", "(N+1)^{−1.82}", "c^{l}".
// Anything else, including a "_" or "^" not followed by "{", is drawn as
// it stands. Scripts do not nest.
//
// Gonum's own text.Latex handler would do this, but the version we use
// panics on subscripts and on non-ASCII characters such as χ and ξ, and the
// Liberation fonts lack most Unicode sub- and superscript letters and the
// superscript minus; a shifted, smaller copy of the same font avoids both.
type Scripts struct {
	// Fonts is the cache of font faces; nil means font.DefaultCache.
	Fonts *font.Cache
}

var _ text.Handler = Scripts{}

// Script geometry, in units of the base font size.
const (
	scriptScale = 0.7  // size of scripts relative to the base font
	superRise   = 0.36 // baseline shift of superscripts
	subDrop     = 0.18 // baseline drop of subscripts
)

type segment struct {
	text  string
	shift int // 0 normal, +1 superscript, −1 subscript
}

// parseScripts splits one line of text into runs at the markup.
func parseScripts(line string) []segment {
	var segs []segment
	var plain strings.Builder
	for i := 0; i < len(line); {
		if (line[i] == '^' || line[i] == '_') && i+1 < len(line) && line[i+1] == '{' {
			if end := strings.IndexByte(line[i+2:], '}'); end >= 0 {
				if plain.Len() > 0 {
					segs = append(segs, segment{text: plain.String()})
					plain.Reset()
				}
				shift := 1
				if line[i] == '_' {
					shift = -1
				}
				if s := line[i+2 : i+2+end]; s != "" {
					segs = append(segs, segment{text: s, shift: shift})
				}
				i += end + 3
				continue
			}
		}
		plain.WriteByte(line[i])
		i++
	}
	if plain.Len() > 0 {
		segs = append(segs, segment{text: plain.String()})
	}
	return segs
}

func (h Scripts) cache() *font.Cache {
	if h.Fonts == nil {
		return font.DefaultCache
	}
	return h.Fonts
}

// Cache returns the cache of font faces.
func (h Scripts) Cache() *font.Cache { return h.cache() }

// Extents returns the extents of the base font.
func (h Scripts) Extents(fnt font.Font) font.Extents {
	face := h.cache().Lookup(fnt, fnt.Size)
	return face.Extents()
}

// Lines splits txt into lines.
func (h Scripts) Lines(txt string) []string {
	return strings.Split(strings.TrimRight(txt, "\n"), "\n")
}

// layout returns the width of one line and the extra height and depth that
// its scripts need beyond the base font's ascent and descent.
func (h Scripts) layout(line string, fnt font.Font) (segs []segment, width, extraUp, extraDown vg.Length) {
	base := h.cache().Lookup(fnt, fnt.Size)
	small := h.cache().Lookup(fnt, fnt.Size*scriptScale)
	be, se := base.Extents(), small.Extents() // Face.Extents has a pointer receiver
	segs = parseScripts(line)
	for _, s := range segs {
		switch s.shift {
		case 0:
			width += base.Width(s.text)
		case 1:
			width += small.Width(s.text)
			extraUp = max(extraUp, fnt.Size*superRise+se.Ascent-be.Ascent)
		case -1:
			width += small.Width(s.text)
			extraDown = max(extraDown, fnt.Size*subDrop+se.Descent-be.Descent)
		}
	}
	return segs, width, extraUp, extraDown
}

// Box returns the width, the height above the baseline and the depth below
// it of one line of txt.
func (h Scripts) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	e := h.Extents(fnt)
	_, w, up, down := h.layout(txt, fnt)
	return w, e.Ascent + up, e.Descent + down
}

// Draw renders txt with the style sty at pt on c. The vertical placement
// follows text.Plain exactly for text without scripts, so that tick labels
// and axis labels line up with those of an unmodified plot.
func (h Scripts) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	base := h.cache().Lookup(sty.Font, sty.Font.Size)
	small := h.cache().Lookup(sty.Font, sty.Font.Size*scriptScale)
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	sin, cos := vg.Length(sin64), vg.Length(cos64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin

	lines := h.Lines(txt)
	ht := sty.Height(txt)
	pt.Y += ht*vg.Length(sty.YAlign) - h.Extents(sty.Font).Ascent
	_, _, _, lastDown := h.layout(lines[len(lines)-1], sty.Font)
	pt.Y += lastDown
	for i, line := range lines {
		segs, w, _, _ := h.layout(line, sty.Font)
		x := pt.X + vg.Length(sty.XAlign)*w
		y := pt.Y + vg.Length(len(lines)-i)*sty.Font.Size
		for _, s := range segs {
			switch s.shift {
			case 0:
				c.FillString(base, vg.Point{X: x, Y: y}, s.text)
				x += base.Width(s.text)
			case 1:
				c.FillString(small, vg.Point{X: x, Y: y + sty.Font.Size*superRise}, s.text)
				x += small.Width(s.text)
			case -1:
				c.FillString(small, vg.Point{X: x, Y: y - sty.Font.Size*subDrop}, s.text)
				x += small.Width(s.text)
			}
		}
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}
