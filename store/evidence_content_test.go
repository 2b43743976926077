package store_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// zipOf builds a ZIP archive holding the named parts.
func zipOf(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<?xml version=\"1.0\"?><x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipOfMany builds a package with the Word parts and n empty extra parts.
func zipOfMany(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	for i := range n {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("p/%d", i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// oleOptions shape a compound file built by oleFile.
type oleOptions struct {
	streams    []string // stream names in the directory, after the root
	fatSectors int      // sectors of the allocation table (more than 109 needs a DIFAT sector)
	loop       bool     // the directory chain points back at itself
	noRoot     bool     // the first directory entry is not the root storage
}

// oleFile builds a version-3 compound file ([MS-CFB]): the header, the
// allocation table, DIFAT sectors when needed, and one directory sector per
// four entries. Stream contents are not needed: the check reads the
// directory only.
func oleFile(o oleOptions) []byte {
	const sector = 512
	le := binary.LittleEndian
	if o.fatSectors == 0 {
		o.fatSectors = 1
	}
	entries := 1 + len(o.streams)
	dirSectors := (entries + 3) / 4
	difatSectors := 0
	if o.fatSectors > 109 {
		difatSectors = (o.fatSectors - 109 + 126) / 127
	}
	total := o.fatSectors + difatSectors + dirSectors
	file := make([]byte, (1+total)*sector)
	at := func(n int) []byte { return file[(1+n)*sector : (2+n)*sector] }
	hdr := file[:sector]
	copy(hdr, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(hdr[0x18:], 0x3E)
	le.PutUint16(hdr[0x1A:], 3)
	le.PutUint16(hdr[0x1C:], 0xFFFE)
	le.PutUint16(hdr[0x1E:], 9)
	le.PutUint16(hdr[0x20:], 6)
	le.PutUint32(hdr[0x2C:], uint32(o.fatSectors))
	firstDir := o.fatSectors + difatSectors
	le.PutUint32(hdr[0x30:], uint32(firstDir))
	le.PutUint32(hdr[0x38:], 4096)
	le.PutUint32(hdr[0x3C:], 0xFFFFFFFE)
	le.PutUint32(hdr[0x40:], 0)
	le.PutUint32(hdr[0x44:], 0xFFFFFFFE)
	if difatSectors > 0 {
		le.PutUint32(hdr[0x44:], uint32(o.fatSectors))
		le.PutUint32(hdr[0x48:], uint32(difatSectors))
	}
	for i := 0; i < 109; i++ {
		v := uint32(0xFFFFFFFF)
		if i < o.fatSectors {
			v = uint32(i)
		}
		le.PutUint32(hdr[0x4C+4*i:], v)
	}
	for d := 0; d < difatSectors; d++ {
		b := at(o.fatSectors + d)
		for i := 0; i < 127; i++ {
			v := uint32(0xFFFFFFFF)
			if n := 109 + d*127 + i; n < o.fatSectors {
				v = uint32(n)
			}
			le.PutUint32(b[4*i:], v)
		}
		next := uint32(0xFFFFFFFE)
		if d+1 < difatSectors {
			next = uint32(o.fatSectors + d + 1)
		}
		le.PutUint32(b[508:], next)
	}
	// The allocation table: its own sectors, the DIFAT sectors, then the
	// directory chain; everything else free.
	fat := make([]uint32, o.fatSectors*128)
	for i := range fat {
		fat[i] = 0xFFFFFFFF
	}
	for i := 0; i < o.fatSectors; i++ {
		fat[i] = 0xFFFFFFFD
	}
	for d := 0; d < difatSectors; d++ {
		fat[o.fatSectors+d] = 0xFFFFFFFC
	}
	for s := 0; s < dirSectors; s++ {
		fat[firstDir+s] = uint32(firstDir + s + 1)
	}
	fat[firstDir+dirSectors-1] = 0xFFFFFFFE
	if o.loop {
		fat[firstDir+dirSectors-1] = uint32(firstDir)
	}
	for i, v := range fat {
		le.PutUint32(at(i / 128)[4*(i%128):], v)
	}
	names := append([]string{"Root Entry"}, o.streams...)
	for i, name := range names {
		e := at(firstDir + i/4)[(i%4)*128 : (i%4+1)*128]
		u := utf16.Encode([]rune(name))
		for j, c := range u {
			le.PutUint16(e[2*j:], c)
		}
		le.PutUint16(e[0x40:], uint16(2*len(u)+2))
		e[0x42] = 2
		if i == 0 && !o.noRoot {
			e[0x42] = 5
		}
		le.PutUint32(e[0x44:], 0xFFFFFFFF)
		le.PutUint32(e[0x48:], 0xFFFFFFFF)
		le.PutUint32(e[0x4C:], 0xFFFFFFFF)
		le.PutUint32(e[0x74:], 0xFFFFFFFE)
	}
	return file
}

// TestEvidenceContentMatchesContainer: the extension is a claim the content
// must prove. Word and Excel 97–2003 files must be compound files with the
// application's stream; .docx and .xlsx must be OOXML packages with the
// content-types part and the main part; executables are refused whatever
// their name, with a reason that names the file (issue 10, defect 8).
func TestEvidenceContentMatchesContainer(t *testing.T) {
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 200)...)
	jpeg := append([]byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00"), make([]byte, 64)...)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	docx := zipOf(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml")
	xlsx := zipOf(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
	doc := oleFile(oleOptions{streams: []string{"\x01CompObj", "WordDocument", "1Table"}})
	xls := oleFile(oleOptions{streams: []string{"Workbook", "\x05SummaryInformation"}})
	tests := []struct {
		name, file string
		content    []byte
		// wantReason, when set, is a part of the refusal's reason; the
		// reason always names the file.
		wantReason string
		wantType   string // the type an accepted file is served as
	}{
		{"PDF", "bien-ban.pdf", pdf, "", "application/pdf"},
		{"JPEG", "anh.jpg", jpeg, "", "image/jpeg"},
		{"JPEG as .jpeg", "anh.jpeg", jpeg, "", "image/jpeg"},
		{"PNG", "anh.png", png, "", "image/png"},
		{"Word 97–2003", "bao-cao.doc", doc, "", "application/msword"},
		{"Excel 97–2003", "so-lieu.xls", xls, "", "application/vnd.ms-excel"},
		{"Word", "bao-cao.docx", docx, "", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"Excel", "so-lieu.xlsx", xlsx, "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"Word with a large allocation table (DIFAT)", "lon.doc", oleFile(oleOptions{streams: []string{"WordDocument"}, fatSectors: 240}), "", "application/msword"},
		{"Word with five directory sectors", "nhieu.doc", oleFile(oleOptions{streams: []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "WordDocument"}}), "", "application/msword"},

		{"Windows executable as .doc", "virus.doc", exe, "tệp chương trình Windows", ""},
		{"Windows executable as .xls", "virus.xls", exe, "OLE2", ""},
		{"ELF executable as .xls", "virus.xls", elf, "tệp chương trình ELF", ""},
		{"ELF executable as .pdf", "virus.pdf", elf, "%PDF-", ""},
		{"Windows executable as .docx", "virus.docx", exe, "ZIP", ""},
		{"Windows executable as .jpg", "virus.jpg", exe, "JPEG", ""},
		{"ZIP with an executable as .docx", "setup.docx", zipOf(t, "setup.exe"), "setup.exe", ""},
		{"Word package carrying an executable", "kem.docx", zipOf(t, "[Content_Types].xml", "word/document.xml", "word/media/run.exe"), "run.exe", ""},
		{"Word package with macros", "macro.docx", zipOf(t, "[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), "macro", ""},
		{"ZIP without the content-types part", "thieu.docx", zipOf(t, "word/document.xml"), "[Content_Types].xml", ""},
		{"Excel package as .docx", "so-lieu.docx", xlsx, "word/document.xml", ""},
		{"Word package as .xlsx", "bao-cao.xlsx", docx, "xl/workbook.xml", ""},
		{"package with too many parts", "nhieu.docx", zipOfMany(t, 10001), "quá nhiều phần", ""},
		{"ZIP signature then garbage", "hong.docx", append([]byte("PK\x03\x04"), make([]byte, 300)...), "ZIP hỏng", ""},
		{"ZIP part escaping the package", "thoat.xlsx", zipOf(t, "[Content_Types].xml", "xl/workbook.xml", "../../x.xml"), "không an toàn", ""},
		{"Word 97–2003 as .xls", "bao-cao.xls", doc, "Workbook", ""},
		{"Excel 97–2003 as .doc", "so-lieu.doc", xls, "WordDocument", ""},
		{"compound file without an application stream (an installer)", "cai-dat.doc", oleFile(oleOptions{streams: []string{"\x05SummaryInformation", "Property"}}), "WordDocument", ""},
		{"OLE2 signature only", "chu-ky.doc", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...), "hỏng", ""},
		{"OLE2 signature, short file", "ngan.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, "hỏng", ""},
		{"compound file whose directory loops", "vong.doc", oleFile(oleOptions{streams: []string{"x"}, loop: true}), "lặp", ""},
		{"compound file without a root entry", "goc.doc", oleFile(oleOptions{streams: []string{"WordDocument"}, noRoot: true}), "mục gốc", ""},
		{"PNG as .jpg", "anh.jpg", png, "ảnh PNG", ""},
		{"PDF as .png", "scan.png", pdf, "PNG", ""},
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.PutRegistration(ctx, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}); err != nil {
			t.Fatal(err)
		}
		accepted := map[string]bool{}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ev, err := db.AddEvidence(ctx, planID, "25195", store.EvidenceInput{Fact: antq.FactRegistration, Filename: tt.file, Body: bytes.NewReader(tt.content)})
				if tt.wantReason == "" {
					if err != nil {
						t.Fatalf("refused: %v %v", err, antq.ErrorFields(err))
					}
					if ev.ContentType != tt.wantType {
						t.Fatalf("served as %q, want %q", ev.ContentType, tt.wantType)
					}
					accepted[ev.SHA256] = true
					return
				}
				reason := antq.ErrorFields(err)["file"]
				if antq.ErrorCode(err) != antq.EINVALID || !strings.Contains(reason, `"`+tt.file+`"`) || !strings.Contains(reason, tt.wantReason) {
					t.Fatalf("= %v, reason %q; want invalid, naming %q and saying %q", err, reason, tt.file, tt.wantReason)
				}
			})
		}
		// A refusal writes nothing: the files directory holds exactly the
		// accepted files, and the unit lists only those.
		var stored []string
		filepath.WalkDir(db.FilesDir(), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				stored = append(stored, d.Name())
			}
			return err
		})
		for _, name := range stored {
			if !accepted[name] {
				t.Errorf("files directory holds %s, which no accepted upload wrote", name)
			}
		}
		if len(stored) != len(accepted) {
			t.Errorf("files directory holds %d files, want the %d accepted", len(stored), len(accepted))
		}
		_, facts, err := db.UnitFacts(ctx, planID, "25195")
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, tt := range tests {
			if tt.wantReason == "" {
				want++
			}
		}
		if len(facts.Evidence) != want {
			t.Errorf("the unit lists %d evidence files, want %d", len(facts.Evidence), want)
		}
	})
}
