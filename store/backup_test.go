package store_test

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

func TestBackupAndRestore(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.PutRegistration(ctx, planID, "25195", antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
			t.Fatal(err)
		}
		person, err := db.CreatePerson(ctx, antq.PersonInput{UnitCode: "25195", FullName: "Nguyễn Văn An", BirthYear: 1970, Gender: antq.GenderMale, Role: "cong_dan", NationalID: "070070000123"})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "backup.db")
		if err := db.Backup(ctx, path); err != nil {
			t.Fatal(err)
		}
		if err := db.Backup(ctx, path); err == nil {
			t.Fatal("backup overwrote an existing file")
		}
		units, err := store.VerifyBackup(ctx, db.Engine(), path)
		if err != nil {
			t.Fatal(err)
		}
		if db.Engine() == store.SQLite && units != 14 {
			t.Fatalf("backup holds %d units, want 14", units)
		}
		// A damaged backup is refused.
		bad := filepath.Join(t.TempDir(), "bad.db")
		body, _ := os.ReadFile(path)
		os.WriteFile(bad, body[:len(body)/2], 0o600)
		if _, err := store.VerifyBackup(ctx, db.Engine(), bad); err == nil {
			t.Fatal("a truncated backup passed verification")
		}
		// Restore into a fresh database gives the same facts.
		target, files := restoreTarget(t, db), t.TempDir()
		if err := store.Restore(ctx, target, path, files); err != nil {
			t.Fatal(err)
		}
		restored, err := store.Open(ctx, target, store.Options{FilesDir: files})
		if err != nil {
			t.Fatal(err)
		}
		defer restored.Close()
		if err := restored.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		_, facts, err := restored.UnitFacts(ctx, planID, "25195")
		if err != nil || facts.Registration == nil {
			t.Fatalf("restored facts = %+v, %v", facts, err)
		}
		if _, problems, err := restored.VerifyAudit(ctx); err != nil || len(problems) != 0 {
			t.Fatalf("restored audit chain: %v %v", problems, err)
		}
		// The national ID key came with the backup: the number still matches.
		if p, err := restored.MatchNationalID(ctx, "070070000123"); err != nil || p.ID != person.ID {
			t.Fatalf("national ID after restore: %+v %v", p, err)
		}
	})
}

// restoreTarget is an empty database to restore into: a SQLite path, or for
// PostgreSQL a new database whose search path names the dumped schema.
func restoreTarget(t *testing.T, db *store.DB) string {
	t.Helper()
	if db.Engine() == store.SQLite {
		return storetest.DSN(t, store.SQLite)
	}
	src, err := url.Parse(storetest.DSN(t, store.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	schema := db.SearchPath()
	name := "antq_restore_" + strings.TrimPrefix(schema, "t_")
	admin, err := sql.Open("pgx", storetest.PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		a, _ := sql.Open("pgx", storetest.PostgresURL())
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		a.Close()
	})
	src.Path = "/" + name
	q := src.Query()
	q.Set("search_path", schema)
	src.RawQuery = q.Encode()
	return src.String()
}
