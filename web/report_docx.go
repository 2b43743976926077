package web

import (
	"strings"
	"time"

	"antq/docx"
	"antq/report"
)

// reportDOCX lays a composed report out as a Word document in the layout of
// Nghị định 30/2020/NĐ-CP: the issuer and the number on the left, the
// national title, motto and the place and date on the right; the title; the
// body; "Nơi nhận" on the left and the signature on the right.
func reportDOCX(d *report.Document, now time.Time) *docx.Document {
	out := &docx.Document{Title: d.Title + " " + d.Subtitle, Author: d.Unit.Name, Created: now}
	const half = 4677 // half of the text width (A4 less 30 + 15 mm margins), in twentieths of a point
	small := func(text string, bold, italic bool) docx.Paragraph {
		return docx.Paragraph{Runs: []docx.Run{{Text: text, Bold: bold, Italic: italic, Size: 26}}, Align: docx.Center}
	}
	left := []docx.Paragraph{}
	for i, l := range d.IssuerLines {
		left = append(left, small(l, i == len(d.IssuerLines)-1 || len(d.IssuerLines) == 1, false))
	}
	left = append(left, small(d.Number, false, false))
	right := []docx.Paragraph{
		small("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", true, false),
		{Runs: []docx.Run{{Text: "Độc lập - Tự do - Hạnh phúc", Bold: true, Underline: true}}, Align: docx.Center, SpaceAfter: 120},
		{Runs: []docx.Run{{Text: d.PlaceDate, Italic: true}}, Align: docx.Center},
	}
	out.Add(docx.Table{Rows: [][]docx.Cell{{{Width: half - 600, Paragraphs: left}, {Width: half + 600, Paragraphs: right}}}})
	out.Add(docx.Paragraph{Runs: []docx.Run{{Text: d.Title, Bold: true}}, Align: docx.Center, SpaceAfter: 0},
		docx.Paragraph{Runs: []docx.Run{{Text: d.Subtitle, Bold: true}}, Align: docx.Center, SpaceAfter: 240})
	body := func(text string) {
		for _, para := range paragraphs(text) {
			out.Add(docx.Paragraph{Runs: []docx.Run{{Text: para}}, Align: docx.Justify, FirstIndent: 567, SpaceAfter: 120})
		}
	}
	body(d.Intro)
	for _, s := range d.Sections {
		out.Add(docx.Paragraph{Runs: []docx.Run{{Text: s.Heading, Bold: true}}, Align: docx.Justify, KeepNext: true, SpaceAfter: 120})
		if s.PlanText != "" {
			out.Add(docx.Paragraph{Runs: []docx.Run{{Text: "Nội dung kế hoạch: ", Italic: true, Bold: true}, {Text: s.PlanText, Italic: true}},
				Align: docx.Justify, FirstIndent: 567, SpaceAfter: 120})
		}
		body(s.Narrative)
		if len(s.Figures) > 0 {
			out.Add(figureTable(s.Figures))
			for _, f := range s.Figures {
				if line := failingLine(f); line != "" {
					out.Add(docx.Paragraph{Runs: []docx.Run{{Text: line, Size: 24}}, Align: docx.Justify, SpaceAfter: 60})
				}
			}
		}
		for _, t := range s.Tables {
			out.Add(docx.Paragraph{Runs: []docx.Run{{Text: t.Caption, Italic: true}}, KeepNext: true, SpaceAfter: 60})
			if len(t.Rows) > 0 {
				out.Add(listTable(t))
			}
			if t.Note != "" {
				out.Add(docx.Paragraph{Runs: []docx.Run{{Text: t.Note, Size: 24}}, SpaceAfter: 120})
			}
		}
	}
	recipients := []docx.Paragraph{{Runs: []docx.Run{{Text: "Nơi nhận:", Bold: true, Italic: true, Size: 24}}}}
	for _, l := range d.Recipients {
		recipients = append(recipients, docx.Paragraph{Runs: []docx.Run{{Text: l, Size: 22}}, SpaceAfter: 0})
	}
	sign := []docx.Paragraph{}
	if d.SignerFor != "" {
		sign = append(sign, small(d.SignerFor, true, false))
	}
	for _, l := range d.SignerLines {
		sign = append(sign, small(l, true, false))
	}
	sign = append(sign, docx.Paragraph{Runs: []docx.Run{{Text: "(Ký, ghi rõ họ tên, đóng dấu)", Italic: true, Size: 24}}, Align: docx.Center, SpaceAfter: 1200})
	if d.SignerName != "" {
		sign = append(sign, small(d.SignerName, true, false))
	}
	out.Add(docx.Paragraph{SpaceAfter: 120},
		docx.Table{Rows: [][]docx.Cell{{{Width: half, Paragraphs: recipients}, {Width: half, Paragraphs: sign}}}})
	return out
}

// paragraphs splits a narrative at its line breaks.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func cell(w int, text string, bold bool) docx.Cell {
	return docx.Cell{Width: w, Paragraphs: []docx.Paragraph{{Runs: []docx.Run{{Text: text, Bold: bold, Size: 24}}, SpaceAfter: 0}}}
}

func figureTable(figs []report.Figure) docx.Table {
	widths := []int{3600, 2000, 1600, 1800}
	t := docx.Table{Borders: true, Header: true}
	head := []string{"Chỉ tiêu", "Kết quả", "Chỉ tiêu kế hoạch", "Đánh giá"}
	var row []docx.Cell
	for i, h := range head {
		row = append(row, cell(widths[i], h, true))
	}
	t.Rows = append(t.Rows, row)
	for _, f := range figs {
		t.Rows = append(t.Rows, []docx.Cell{cell(widths[0], f.Title, false), cell(widths[1], f.Value+" ("+report.Number(f.Num)+"/"+report.Number(f.Den)+")", false),
			cell(widths[2], f.Target, false), cell(widths[3], f.Result, false)})
	}
	return t
}

// failingLine names a figure's failing units.
func failingLine(f report.Figure) string {
	if f.Failing.Total == 0 {
		return ""
	}
	var names []string
	for _, u := range f.Failing.Units {
		n := u.Name
		if u.Parent != "" {
			n += " (" + u.Parent + ")"
		}
		names = append(names, n)
	}
	line := f.Title + " — đơn vị chưa đạt (" + report.Number(int64(f.Failing.Total)) + "): " + strings.Join(names, "; ")
	if more := f.Failing.Total - len(f.Failing.Units); more > 0 {
		line += "; và " + report.Number(int64(more)) + " đơn vị khác"
	}
	return line + "."
}

func listTable(tb report.Table) docx.Table {
	total := 9000
	n := len(tb.Header)
	widths := make([]int, n)
	for i := range widths {
		widths[i] = (total - 700) / max(1, n-1)
	}
	if n > 0 && tb.Header[0] == "STT" {
		widths[0] = 700
	} else if n > 0 {
		for i := range widths {
			widths[i] = total / n
		}
	}
	t := docx.Table{Borders: true, Header: true}
	var head []docx.Cell
	for i, h := range tb.Header {
		head = append(head, cell(widths[i], h, true))
	}
	t.Rows = append(t.Rows, head)
	for _, r := range tb.Rows {
		var row []docx.Cell
		for i, v := range r {
			if i < n {
				row = append(row, cell(widths[i], v, false))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
