// Package docx writes Word documents (Office Open XML, WordprocessingML)
// with the standard library: a ZIP of the parts a word processor needs —
// [Content_Types].xml, the package relationships, word/document.xml,
// word/styles.xml and the core properties. It knows paragraphs of runs
// (bold, italic, size, alignment, indent), tables with or without borders,
// and the A4 page of Nghị định 30/2020/NĐ-CP (Times New Roman; margins
// top 20 mm, bottom 20 mm, left 30 mm, right 15 mm).
package docx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Align is a paragraph's alignment.
type Align string

const (
	Left    Align = "left"
	Center  Align = "center"
	Right   Align = "right"
	Justify Align = "both"
)

// Run is a piece of text with one format.
type Run struct {
	Text      string
	Bold      bool
	Italic    bool
	Underline bool
	Size      int // half-points (28 = 14 pt); 0 = the document's size
}

// Paragraph is a paragraph of runs; a Text with "\n" breaks lines.
type Paragraph struct {
	Runs        []Run
	Align       Align
	FirstIndent int // twentieths of a point (567 ≈ 1 cm)
	SpaceAfter  int // twentieths of a point
	KeepNext    bool
}

// Cell is a table cell: its paragraphs and its width in twentieths of a point.
type Cell struct {
	Width      int
	Paragraphs []Paragraph
}

// Table is a table; Borders draws its grid.
type Table struct {
	Borders bool
	Rows    [][]Cell
	Header  bool // the first row repeats on each page
}

// Block is a Paragraph or a Table.
type Block interface{ block() }

func (Paragraph) block() {}
func (Table) block()     {}

// Document is a Word document.
type Document struct {
	Title   string
	Author  string
	Created time.Time
	Size    int // half-points; default 28 (14 pt)
	Blocks  []Block
}

// Add appends blocks.
func (d *Document) Add(b ...Block) { d.Blocks = append(d.Blocks, b...) }

// P is a paragraph of one run.
func P(text string, align Align, bold, italic bool) Paragraph {
	return Paragraph{Runs: []Run{{Text: text, Bold: bold, Italic: italic}}, Align: align}
}

// Write writes the document as a .docx package.
func (d *Document) Write(w io.Writer) error {
	z := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", packageRels},
		{"word/_rels/document.xml.rels", documentRels},
		{"word/styles.xml", d.styles()},
		{"word/document.xml", d.document()},
		{"docProps/core.xml", d.core()},
	}
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: d.created()})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return z.Close()
}

func (d *Document) created() time.Time {
	if d.Created.IsZero() {
		return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d.Created
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`

const packageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

func (d *Document) size() int {
	if d.Size == 0 {
		return 28
	}
	return d.Size
}

func (d *Document) styles() string {
	return fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles %s><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman"/><w:sz w:val="%d"/><w:szCs w:val="%d"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>`,
		wNS, d.size(), d.size())
}

func (d *Document) core() string {
	t := d.created().UTC().Format("2006-01-02T15:04:05Z")
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.Title) + `</dc:title><dc:creator>` + esc(d.Author) + `</dc:creator><dc:language>vi-VN</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + t + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + t + `</dcterms:modified></cp:coreProperties>`
}

func (d *Document) document() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:document " + wNS + `><w:body>`)
	for _, bl := range d.Blocks {
		writeBlock(&b, bl)
	}
	// A4, Nghị định 30/2020 margins (twentieths of a point: 1 mm ≈ 56.7).
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>`)
	return b.String()
}

func writeBlock(b *strings.Builder, bl Block) {
	switch v := bl.(type) {
	case Paragraph:
		writeParagraph(b, v)
	case Table:
		writeTable(b, v)
	}
}

func writeParagraph(b *strings.Builder, p Paragraph) {
	b.WriteString(`<w:p><w:pPr>`)
	if p.KeepNext {
		b.WriteString(`<w:keepNext/>`)
	}
	fmt.Fprintf(b, `<w:spacing w:after="%d"/>`, p.SpaceAfter)
	if p.FirstIndent > 0 {
		fmt.Fprintf(b, `<w:ind w:firstLine="%d"/>`, p.FirstIndent)
	}
	if p.Align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.Align)
	}
	b.WriteString(`</w:pPr>`)
	for _, r := range p.Runs {
		b.WriteString(`<w:r><w:rPr>`)
		if r.Bold {
			b.WriteString(`<w:b/><w:bCs/>`)
		}
		if r.Italic {
			b.WriteString(`<w:i/><w:iCs/>`)
		}
		if r.Underline {
			b.WriteString(`<w:u w:val="single"/>`)
		}
		if r.Size > 0 {
			fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, r.Size, r.Size)
		}
		b.WriteString(`</w:rPr>`)
		for i, line := range strings.Split(r.Text, "\n") {
			if i > 0 {
				b.WriteString(`<w:br/>`)
			}
			b.WriteString(`<w:t xml:space="preserve">` + esc(line) + `</w:t>`)
		}
		b.WriteString(`</w:r>`)
	}
	b.WriteString(`</w:p>`)
}

func writeTable(b *strings.Builder, t Table) {
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>`)
	if t.Borders {
		b.WriteString(`<w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
		}
		b.WriteString(`</w:tblBorders>`)
	}
	b.WriteString(`<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	if len(t.Rows) > 0 {
		for _, c := range t.Rows[0] {
			fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, c.Width)
		}
	}
	b.WriteString(`</w:tblGrid>`)
	for i, row := range t.Rows {
		b.WriteString(`<w:tr>`)
		if i == 0 && t.Header {
			b.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
		}
		for _, c := range row {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, c.Width)
			if len(c.Paragraphs) == 0 {
				b.WriteString(`<w:p/>`)
			}
			for _, p := range c.Paragraphs {
				writeParagraph(b, p)
			}
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
}

// esc escapes text for XML and drops the characters XML 1.0 cannot hold.
func esc(s string) string {
	var b strings.Builder
	clean := strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF && (r < 0xD800 || r > 0xDFFF)) {
			return r
		}
		return -1
	}, s)
	if err := xml.EscapeText(&b, []byte(clean)); err != nil {
		return ""
	}
	return b.String()
}
