package store

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf16"
)

// evidenceFormat is a kind of file accepted as evidence: what it is served
// as, and how its content is recognised. The extension alone proves
// nothing, so every format reads the file's own structure: a signature for
// PDF and images, the compound-file directory for Word and Excel 97–2003,
// the package parts for their OOXML successors.
type evidenceFormat struct {
	name        string // for users: "PDF", "Word (.docx)"
	contentType string
	// check returns "" when the content is of this format, else the reason
	// in Vietnamese. head is the first bytes of the file (up to 512).
	check func(head []byte, r io.ReaderAt, size int64) string
}

var evidenceFormats = map[string]evidenceFormat{
	".pdf":  {"PDF", "application/pdf", signature("%PDF-", "thiếu chữ ký %PDF- ở đầu tệp")},
	".jpg":  {"ảnh JPEG", "image/jpeg", signature("\xFF\xD8\xFF", "thiếu chữ ký JPEG (FF D8 FF) ở đầu tệp")},
	".jpeg": {"ảnh JPEG", "image/jpeg", signature("\xFF\xD8\xFF", "thiếu chữ ký JPEG (FF D8 FF) ở đầu tệp")},
	".png":  {"ảnh PNG", "image/png", signature("\x89PNG\r\n\x1a\n", "thiếu chữ ký PNG ở đầu tệp")},
	".doc":  {"Word 97–2003 (.doc)", "application/msword", compoundFile("WordDocument")},
	".xls":  {"Excel 97–2003 (.xls)", "application/vnd.ms-excel", compoundFile("Workbook", "Book")},
	".docx": {"Word (.docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", officeOpenXML("word/document.xml")},
	".xlsx": {"Excel (.xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", officeOpenXML("xl/workbook.xml")},
}

// checkEvidenceContent returns the reason (Vietnamese, naming the file)
// why the content of name is not a file of its extension's format, or "".
func checkEvidenceContent(name string, format evidenceFormat, head []byte, r io.ReaderAt, size int64) string {
	reason := format.check(head, r, size)
	if reason == "" {
		return ""
	}
	msg := fmt.Sprintf("tệp %q không phải %s hợp lệ: %s", name, format.name, reason)
	if what := recognise(head); what != "" {
		msg += " (nội dung là " + what + ")"
	}
	return msg
}

// recognise names what head looks like, for the message of a refusal.
func recognise(head []byte) string {
	for _, k := range []struct{ magic, what string }{
		{"MZ", "tệp chương trình Windows"},
		{"\x7fELF", "tệp chương trình ELF"},
		{"#!", "tập lệnh"},
		{"PK\x03\x04", "tệp nén ZIP"},
		{string(oleSignature), "tệp phức hợp OLE2"},
		{"%PDF-", "PDF"},
		{"\xFF\xD8\xFF", "ảnh JPEG"},
		{"\x89PNG\r\n\x1a\n", "ảnh PNG"},
	} {
		if bytes.HasPrefix(head, []byte(k.magic)) {
			return k.what
		}
	}
	return ""
}

func signature(magic, reason string) func([]byte, io.ReaderAt, int64) string {
	return func(head []byte, _ io.ReaderAt, _ int64) string {
		if !bytes.HasPrefix(head, []byte(magic)) {
			return reason
		}
		return ""
	}
}

// ---- OOXML (.docx, .xlsx) ----

// maxPackageParts and maxPackageDirectory bound the central directory that
// archive/zip reads into memory; a real document has tens of parts.
const (
	maxPackageParts     = 10000
	maxPackageDirectory = 4 << 20
)

// zipDirectorySize reads the number of entries and the size of a ZIP's
// central directory from its end records (ZIP64 included), so an archive
// claiming millions of tiny parts is refused before archive/zip reads them.
func zipDirectorySize(r io.ReaderAt, size int64) (entries, dirBytes uint64, ok bool) {
	le := binary.LittleEndian
	const eocdLen = 22
	n := min(size, eocdLen+0xFFFF)
	if n < eocdLen {
		return 0, 0, false
	}
	tail := make([]byte, n)
	if _, err := r.ReadAt(tail, size-n); err != nil && !errors.Is(err, io.EOF) {
		return 0, 0, false
	}
	at := -1
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if string(tail[i:i+4]) == "PK\x05\x06" && i+eocdLen+int(le.Uint16(tail[i+20:])) <= len(tail) {
			at = i
			break
		}
	}
	if at < 0 {
		return 0, 0, false
	}
	eocd := tail[at:]
	entries, dirBytes = uint64(le.Uint16(eocd[10:])), uint64(le.Uint32(eocd[12:]))
	if entries != 0xFFFF && dirBytes != 0xFFFFFFFF {
		return entries, dirBytes, true
	}
	// ZIP64: a locator just before the end record points at the ZIP64 end
	// record, which holds the 64-bit counts.
	if at < 20 || string(tail[at-20:at-16]) != "PK\x06\x07" {
		return 0, 0, false
	}
	off := le.Uint64(tail[at-12:])
	if size < 56 || off > uint64(size-56) {
		return 0, 0, false
	}
	rec := make([]byte, 56)
	if _, err := r.ReadAt(rec, int64(off)); err != nil || string(rec[:4]) != "PK\x06\x06" {
		return 0, 0, false
	}
	return le.Uint64(rec[32:]), le.Uint64(rec[40:]), true
}

// executableNames are file endings no office document carries as a part.
var executableNames = []string{".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".js", ".jar", ".sh", ".lnk"}

// officeOpenXML accepts a ZIP package (read through its central directory,
// nothing decompressed) with the [Content_Types].xml part and the main part
// of the application, and no executable or macro part.
func officeOpenXML(mainPart string) func([]byte, io.ReaderAt, int64) string {
	return func(head []byte, r io.ReaderAt, size int64) string {
		if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
			return "không phải gói Office Open XML (thiếu chữ ký ZIP ở đầu tệp)"
		}
		entries, dirBytes, ok := zipDirectorySize(r, size)
		if !ok {
			return "tệp nén ZIP hỏng, không đọc được danh mục"
		}
		if entries > maxPackageParts || dirBytes > maxPackageDirectory {
			return fmt.Sprintf("gói có quá nhiều phần (hơn %d) hoặc danh mục quá lớn", maxPackageParts)
		}
		zr, err := zip.NewReader(r, size)
		if errors.Is(err, zip.ErrInsecurePath) {
			return "có phần mang tên không an toàn"
		} else if err != nil {
			return "tệp nén ZIP hỏng, không đọc được danh mục"
		}
		var hasTypes, hasMain bool
		for _, f := range zr.File {
			lower := strings.ToLower(f.Name)
			switch {
			case !filepath.IsLocal(f.Name) || strings.Contains(f.Name, "\\"):
				return fmt.Sprintf("có phần mang tên không an toàn %q", f.Name)
			case f.Name == "[Content_Types].xml":
				hasTypes = true
			case f.Name == mainPart:
				hasMain = true
			case strings.HasSuffix(lower, "vbaproject.bin"):
				return "chứa macro (vbaProject.bin)"
			}
			for _, ext := range executableNames {
				if strings.HasSuffix(lower, ext) {
					return fmt.Sprintf("chứa tệp chạy được %q", path.Base(f.Name))
				}
			}
		}
		switch {
		case !hasTypes:
			return "thiếu phần [Content_Types].xml"
		case !hasMain:
			return "thiếu phần " + mainPart
		}
		return ""
	}
}

// ---- Compound files (.doc, .xls) ----

var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// compoundFile accepts an OLE2 compound file whose directory holds a stream
// with one of the given names: WordDocument for Word, Workbook (or Book,
// Excel 5) for Excel. A bare signature is not enough: an MSI installer is a
// compound file too.
func compoundFile(streams ...string) func([]byte, io.ReaderAt, int64) string {
	return func(head []byte, r io.ReaderAt, size int64) string {
		if !bytes.HasPrefix(head, oleSignature) {
			return "thiếu chữ ký tệp phức hợp OLE2 (D0 CF 11 E0 A1 B1 1A E1) ở đầu tệp"
		}
		names, err := compoundStreams(r, size)
		if err != nil {
			return "cấu trúc tệp phức hợp OLE2 hỏng (" + err.Error() + ")"
		}
		for _, n := range names {
			for _, want := range streams {
				if n == want {
					return ""
				}
			}
		}
		return "tệp phức hợp OLE2 không có luồng " + strings.Join(streams, " hay ")
	}
}

// Special sector numbers of a compound file's allocation table.
const (
	oleEndOfChain = 0xFFFFFFFE
	oleMaxSector  = 0xFFFFFFFA
)

// compoundStreams returns the names of the streams in a compound file's
// directory ([MS-CFB]). Every read is inside the file and every chain is
// bounded by the number of sectors the file has, so a crafted file cannot
// make it loop or allocate beyond the file's size. Errors are short
// Vietnamese reasons.
func compoundStreams(r io.ReaderAt, size int64) ([]string, error) {
	le := binary.LittleEndian
	hdr := make([]byte, 512)
	if size < 512 {
		return nil, errors.New("tệp ngắn hơn phần đầu")
	}
	if _, err := r.ReadAt(hdr, 0); err != nil {
		return nil, errors.New("không đọc được phần đầu")
	}
	major, shift := le.Uint16(hdr[0x1A:]), le.Uint16(hdr[0x1E:])
	if le.Uint16(hdr[0x1C:]) != 0xFFFE || !(major == 3 && shift == 9 || major == 4 && shift == 12) {
		return nil, errors.New("phần đầu không hợp lệ")
	}
	sectorSize := int64(1) << shift
	sectors := (size+sectorSize-1)/sectorSize - 1 // the header takes the first sector's place
	cache := map[uint32][]byte{}
	read := func(n uint32) ([]byte, error) {
		if b, ok := cache[n]; ok {
			return b, nil
		}
		if n > oleMaxSector || int64(n) >= sectors {
			return nil, errors.New("số hiệu sector ngoài tệp")
		}
		b := make([]byte, sectorSize)
		if k, err := r.ReadAt(b, (int64(n)+1)*sectorSize); err != nil && !(errors.Is(err, io.EOF) && k > 0) {
			return nil, errors.New("không đọc được sector")
		}
		cache[n] = b
		return b, nil
	}

	// The allocation table's sectors: 109 listed in the header, the rest in
	// a chain of DIFAT sectors.
	numFAT := int64(le.Uint32(hdr[0x2C:]))
	if numFAT == 0 || numFAT > sectors {
		return nil, errors.New("số sector của bảng cấp phát không hợp lệ")
	}
	fat := make([]uint32, 0, numFAT)
	for i := 0; i < 109 && int64(len(fat)) < numFAT; i++ {
		fat = append(fat, le.Uint32(hdr[0x4C+4*i:]))
	}
	difat := le.Uint32(hdr[0x44:])
	for steps := int64(0); int64(len(fat)) < numFAT; steps++ {
		if steps >= sectors {
			return nil, errors.New("chuỗi DIFAT lặp")
		}
		b, err := read(difat)
		if err != nil {
			return nil, err
		}
		for i := int64(0); i < sectorSize/4-1 && int64(len(fat)) < numFAT; i++ {
			fat = append(fat, le.Uint32(b[4*i:]))
		}
		difat = le.Uint32(b[sectorSize-4:])
	}
	perSector := uint32(sectorSize / 4)
	next := func(n uint32) (uint32, error) {
		i := n / perSector
		if int(i) >= len(fat) {
			return 0, errors.New("sector ngoài bảng cấp phát")
		}
		b, err := read(fat[i])
		if err != nil {
			return 0, err
		}
		return le.Uint32(b[4*(n%perSector):]), nil
	}

	// The directory: 128-byte entries in the chain from the header; the
	// first is the root storage.
	var names []string
	first := true
	dir := le.Uint32(hdr[0x30:])
	for steps := int64(0); dir != oleEndOfChain; steps++ {
		if steps >= sectors {
			return nil, errors.New("chuỗi thư mục lặp")
		}
		b, err := read(dir)
		if err != nil {
			return nil, err
		}
		for off := 0; off+128 <= len(b); off += 128 {
			e := b[off : off+128]
			kind := e[0x42]
			if first {
				if kind != 5 {
					return nil, errors.New("thư mục không có mục gốc")
				}
				first = false
				continue
			}
			n := int(le.Uint16(e[0x40:]))
			if kind != 2 || n < 4 || n > 64 || n%2 != 0 {
				continue // not a stream, or an unnamed or broken entry
			}
			u := make([]uint16, n/2-1) // the length counts the terminating NUL
			for i := range u {
				u[i] = le.Uint16(e[2*i:])
			}
			names = append(names, string(utf16.Decode(u)))
		}
		if dir, err = next(dir); err != nil {
			return nil, err
		}
	}
	if first {
		return nil, errors.New("thư mục rỗng")
	}
	return names, nil
}
