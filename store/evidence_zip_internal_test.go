package store

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// TestZipDirectorySizeZIP64: the entry count of a ZIP64 archive is read
// from its ZIP64 end record, which the 16-bit end record only points to.
func TestZipDirectorySizeZIP64(t *testing.T) {
	le := binary.LittleEndian
	var b bytes.Buffer
	b.WriteString("PK\x03\x04 some local data")
	rec := make([]byte, 56)
	copy(rec, "PK\x06\x06")
	le.PutUint64(rec[4:], 44)
	le.PutUint64(rec[24:], 70000)
	le.PutUint64(rec[32:], 70000)
	le.PutUint64(rec[40:], 5<<20)
	recAt := b.Len()
	b.Write(rec)
	loc := make([]byte, 20)
	copy(loc, "PK\x06\x07")
	le.PutUint64(loc[8:], uint64(recAt))
	le.PutUint32(loc[16:], 1)
	b.Write(loc)
	eocd := make([]byte, 22)
	copy(eocd, "PK\x05\x06")
	le.PutUint16(eocd[8:], 0xFFFF)
	le.PutUint16(eocd[10:], 0xFFFF)
	le.PutUint32(eocd[12:], 0xFFFFFFFF)
	le.PutUint32(eocd[16:], 0xFFFFFFFF)
	b.Write(eocd)
	r := bytes.NewReader(b.Bytes())
	entries, dir, ok := zipDirectorySize(r, r.Size())
	if !ok || entries != 70000 || dir != 5<<20 {
		t.Fatalf("= %d entries, %d bytes, %v; want 70000, 5 MiB", entries, dir, ok)
	}
	// A locator pointing outside the file is a broken archive.
	le.PutUint64(b.Bytes()[recAt+56+8:], 1<<40)
	r = bytes.NewReader(b.Bytes())
	if _, _, ok := zipDirectorySize(r, r.Size()); ok {
		t.Fatal("a ZIP64 locator outside the file was accepted")
	}
}
