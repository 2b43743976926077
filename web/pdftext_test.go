package web_test

import (
	"bytes"
	"compress/zlib"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// pdfDoc is what the print tests read from a PDF Chromium printed: the
// pages, each with its size and its text. It reads only what Chromium (Skia)
// writes — uncompressed object syntax, Flate streams, Type0 fonts with a
// ToUnicode CMap and hex-string glyphs — which is enough to tell what a
// printed page says, with the standard library alone.
type pdfDoc struct {
	Pages []pdfPage
}

type pdfPage struct {
	Width, Height float64 // points
	Text          string
}

// Text is the text of every page, pages separated by a form feed.
func (d pdfDoc) Text() string {
	var parts []string
	for _, p := range d.Pages {
		parts = append(parts, p.Text)
	}
	return strings.Join(parts, "\f")
}

// pdfHas reports whether the printed text holds want. Chromium places
// glyphs one by one and writes no space between words, so both are compared
// without white space.
func pdfHas(text, want string) bool {
	return strings.Contains(squash(text), squash(want))
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

var (
	pdfObjRe    = regexp.MustCompile(`(?s)(\d+) 0 obj\s*(.*?)endobj`)
	pdfRefRe    = regexp.MustCompile(`/(\w+)\s+(\d+) 0 R`)
	pdfBoxRe    = regexp.MustCompile(`/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]`)
	pdfFontsRe  = regexp.MustCompile(`(?s)/Font\s*<<(.*?)>>`)
	pdfTokenRe  = regexp.MustCompile(`/([\w.+-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>`)
	pdfCharRe   = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	pdfRangeRe  = regexp.MustCompile(`<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>`)
	pdfBfCharRe = regexp.MustCompile(`(?s)beginbfchar(.*?)endbfchar`)
	pdfBfRngRe  = regexp.MustCompile(`(?s)beginbfrange(.*?)endbfrange`)
)

type pdfObj struct {
	dict   string
	stream []byte
}

// readPDF parses a PDF as Chromium prints it.
func readPDF(data []byte) (pdfDoc, error) {
	objs := map[string]pdfObj{}
	for _, m := range pdfObjRe.FindAllSubmatch(data, -1) {
		body := m[2]
		o := pdfObj{dict: string(body)}
		if i := bytes.Index(body, []byte("stream")); i >= 0 {
			o.dict = string(body[:i])
			s := body[i+len("stream"):]
			s = bytes.TrimPrefix(bytes.TrimPrefix(s, []byte("\r")), []byte("\n"))
			if j := bytes.LastIndex(s, []byte("endstream")); j >= 0 {
				s = s[:j]
			}
			if strings.Contains(o.dict, "/FlateDecode") {
				r, err := zlib.NewReader(bytes.NewReader(s))
				if err != nil {
					return pdfDoc{}, fmt.Errorf("object %s: %w", m[1], err)
				}
				s, err = io.ReadAll(r)
				if err != nil && err != io.ErrUnexpectedEOF {
					return pdfDoc{}, fmt.Errorf("object %s: %w", m[1], err)
				}
			}
			o.stream = s
		}
		objs[string(m[1])] = o
	}
	ref := func(dict, key string) (pdfObj, bool) {
		for _, m := range pdfRefRe.FindAllStringSubmatch(dict, -1) {
			if m[1] == key {
				o, ok := objs[m[2]]
				return o, ok
			}
		}
		return pdfObj{}, false
	}
	cmaps := map[string]map[string]string{} // font object number → glyph hex → text
	cmapOf := func(fontNum string) map[string]string {
		if c, ok := cmaps[fontNum]; ok {
			return c
		}
		c := map[string]string{}
		cmaps[fontNum] = c
		if tu, ok := ref(objs[fontNum].dict, "ToUnicode"); ok {
			cm := string(tu.stream)
			for _, b := range pdfBfCharRe.FindAllStringSubmatch(cm, -1) {
				for _, m := range pdfCharRe.FindAllStringSubmatch(b[1], -1) {
					c[strings.ToUpper(m[1])] = utf16Hex(m[2])
				}
			}
			for _, b := range pdfBfRngRe.FindAllStringSubmatch(cm, -1) {
				for _, m := range pdfRangeRe.FindAllStringSubmatch(b[1], -1) {
					lo, _ := strconv.ParseUint(m[1], 16, 32)
					hi, _ := strconv.ParseUint(m[2], 16, 32)
					dst, _ := strconv.ParseUint(m[3], 16, 32)
					for g := lo; g <= hi && g-lo < 65536; g++ {
						c[fmt.Sprintf("%0*X", len(m[1]), g)] = string(rune(dst + g - lo))
					}
				}
			}
		}
		return c
	}
	// Pages in the order of the page tree, from its root (the Pages node
	// without a parent).
	var order []string
	kidsRe, numRe := regexp.MustCompile(`(?s)/Kids\s*\[(.*?)\]`), regexp.MustCompile(`(\d+) 0 R`)
	var walk func(num string, depth int)
	walk = func(num string, depth int) {
		o := objs[num]
		if !strings.Contains(o.dict, "/Type /Pages") {
			order = append(order, num)
			return
		}
		if m := kidsRe.FindStringSubmatch(o.dict); m != nil && depth < 32 {
			for _, k := range numRe.FindAllStringSubmatch(m[1], -1) {
				walk(k[1], depth+1)
			}
		}
	}
	for num, o := range objs {
		if strings.Contains(o.dict, "/Type /Pages") && !strings.Contains(o.dict, "/Parent") {
			walk(num, 0)
		}
	}
	var doc pdfDoc
	for _, num := range order {
		o := objs[num]
		var p pdfPage
		if m := pdfBoxRe.FindStringSubmatch(o.dict); m != nil {
			p.Width, _ = strconv.ParseFloat(m[3], 64)
			p.Height, _ = strconv.ParseFloat(m[4], 64)
		}
		res := o.dict
		if r, ok := ref(o.dict, "Resources"); ok {
			res = r.dict
		}
		fonts := map[string]string{} // resource name → font object number
		fontDict := ""
		if m := pdfFontsRe.FindStringSubmatch(res); m != nil {
			fontDict = m[1]
		} else if f, ok := ref(res, "Font"); ok {
			fontDict = f.dict
		}
		for _, m := range pdfRefRe.FindAllStringSubmatch(fontDict, -1) {
			fonts[m[1]] = m[2]
		}
		var content []byte
		if c, ok := ref(o.dict, "Contents"); ok {
			content = c.stream
		}
		var b strings.Builder
		var cmap map[string]string
		for _, m := range pdfTokenRe.FindAllSubmatch(content, -1) {
			switch {
			case m[1] != nil:
				cmap = cmapOf(fonts[string(m[1])])
			case m[2] != nil:
				h := strings.ToUpper(strings.Join(strings.Fields(string(m[2])), ""))
				for i := 0; i+4 <= len(h); i += 4 {
					b.WriteString(cmap[h[i:i+4]])
				}
			}
		}
		p.Text = b.String()
		doc.Pages = append(doc.Pages, p)
	}
	return doc, nil
}

// utf16Hex decodes a CMap destination (UTF-16BE in hex).
func utf16Hex(h string) string {
	raw, err := hex.DecodeString(h)
	if err != nil {
		return ""
	}
	u := make([]uint16, 0, len(raw)/2)
	for i := 0; i+1 < len(raw); i += 2 {
		u = append(u, uint16(raw[i])<<8|uint16(raw[i+1]))
	}
	return string(utf16.Decode(u))
}
