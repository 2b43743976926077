package store_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// TestBackupCarriesEvidenceFiles: a backup holds the evidence files its
// database names, checked by hash; a restore puts them back before the
// database, so the restored copy serves every file byte for byte. A damaged
// or missing file fails verification.
func TestBackupCarriesEvidenceFiles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.PutRegistration(ctx, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		ev, err := db.AddEvidence(ctx, planID, "25195", store.EvidenceInput{Fact: antq.FactRegistration, Filename: "dang-ky.pdf", Body: bytes.NewReader(pdf)})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "backup.db")
		if err := db.Backup(ctx, path); err != nil {
			t.Fatal(err)
		}
		copied := filepath.Join(store.BackupFilesDir(path), ev.SHA256[:2], ev.SHA256)
		if got, err := os.ReadFile(copied); err != nil || !bytes.Equal(got, pdf) {
			t.Fatalf("backup's copy of the evidence file: %v", err)
		}
		if _, err := store.VerifyBackup(ctx, db.Engine(), path); err != nil {
			t.Fatal(err)
		}
		// A backup whose files directory already exists is refused too.
		other := filepath.Join(t.TempDir(), "other.db")
		os.Mkdir(store.BackupFilesDir(other), 0o700)
		if err := db.Backup(ctx, other); err == nil {
			t.Fatal("backup wrote over an existing files directory")
		}

		target, files := restoreTarget(t, db), t.TempDir()
		if err := store.Restore(ctx, target, path, files); err != nil {
			t.Fatal(err)
		}
		restored, err := store.Open(ctx, target, store.Options{FilesDir: files})
		if err != nil {
			t.Fatal(err)
		}
		defer restored.Close()
		_, f, err := restored.OpenEvidence(ctx, planID, "25195", ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(f)
		f.Close()
		if !bytes.Equal(got, pdf) {
			t.Fatal("restored evidence differs")
		}

		// Damaged, then missing: verification fails and names the file.
		os.WriteFile(copied, []byte("%PDF-1.4 tampered"), 0o600)
		if _, err := store.VerifyBackup(ctx, db.Engine(), path); err == nil || !strings.Contains(err.Error(), ev.SHA256) {
			t.Fatalf("a damaged evidence file passed verification: %v", err)
		}
		if err := store.Restore(ctx, target, path, t.TempDir()); err == nil {
			t.Fatal("restored a backup with a damaged evidence file")
		}
		os.Remove(copied)
		if _, err := store.VerifyBackup(ctx, db.Engine(), path); err == nil || !strings.Contains(err.Error(), ev.SHA256) {
			t.Fatalf("a missing evidence file passed verification: %v", err)
		}
		// Restoring over a files directory that still has the file (a
		// backup taken before backups carried files) is allowed.
		if err := store.Restore(ctx, target, path, files); err != nil {
			t.Fatalf("restore over a files directory holding the file: %v", err)
		}
		if err := store.Restore(ctx, target, path, t.TempDir()); err == nil {
			t.Fatal("restored a backup whose evidence file is nowhere")
		}
	})
}

// TestOpenNeedsFilesDirectory: a DB is opened with its evidence directory
// or, explicitly, without evidence; the directory must be usable.
func TestOpenNeedsFilesDirectory(t *testing.T) {
	ctx := t.Context()
	dsn := storetest.DSN(t, store.SQLite)
	if _, err := store.Open(ctx, dsn, store.Options{}); err == nil || !strings.Contains(err.Error(), "FilesDir") {
		t.Fatalf("open without a files directory: %v", err)
	}
	if _, err := store.Open(ctx, dsn, store.Options{FilesDir: t.TempDir(), NoEvidence: true}); err == nil {
		t.Fatal("open with both a files directory and NoEvidence succeeded")
	}
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, nil, 0o600)
	if _, err := store.Open(ctx, dsn, store.Options{FilesDir: filepath.Join(notDir, "files")}); err == nil {
		t.Fatal("open with an unusable files directory succeeded")
	}
	files := filepath.Join(t.TempDir(), "data", "files")
	db, err := store.Open(ctx, dsn, store.Options{FilesDir: files})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if st, err := os.Stat(files); err != nil || !st.IsDir() {
		t.Fatalf("open did not create the files directory: %v", err)
	}

	bare := storetest.OpenWith(t, store.SQLite, store.Options{NoEvidence: true})
	if bare.FilesDir() != "" {
		t.Fatalf("FilesDir = %q without evidence", bare.FilesDir())
	}
	_, err = bare.AddEvidence(antq.SystemContext(ctx), planID, "25195", store.EvidenceInput{Fact: antq.FactRegistration, Filename: "a.pdf", Body: bytes.NewReader(pdf)})
	if antq.ErrorCode(err) != antq.EINTERNAL {
		t.Fatalf("evidence without a files directory: %v, want an internal error", err)
	}
}
