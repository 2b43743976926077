package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// The units below a unit are kept between reads, and every change of the
// registry (an import, a move, a reorganisation) is seen at once, by the
// server that made it and by another one on the same database.
func TestSubtreeCountsFollowRegistry(t *testing.T) {
	storetest.EachEngine(t, func(t *testing.T, e store.Engine) {
		ctx := antq.SystemContext(context.Background())
		dsn := storetest.DSN(t, e)
		open := func() *store.DB {
			db, err := store.Open(ctx, dsn, store.Options{FilesDir: filepath.Join(t.TempDir(), "files")})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			return db
		}
		a, b := open(), open()
		if _, err := importText(ctx, a, "tree.csv", []byte(smallTree), unitfile.Options{ValidFrom: antq.NewDate(2023, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		on := antq.NewDate(2026, 6, 1)
		check := func(step, code, want string) {
			t.Helper()
			for name, db := range map[string]*store.DB{"a": a, "b": b} {
				for range 2 { // the second read is answered from the cache
					got, err := db.SubtreeCounts(ctx, code, on)
					if err != nil {
						t.Fatalf("%s: server %s: %s: %v", step, name, code, err)
					}
					if fmt.Sprint(got) != want {
						t.Errorf("%s: server %s: below %s = %v, want %s", step, name, code, got, want)
					}
				}
			}
		}
		check("imported", "91", "[{district 1} {commune 3} {residential_area 2}]")
		check("imported", "91101", "[{residential_area 1}]")

		if _, err := importText(ctx, a, "more.csv", []byte("level,code,name,type,parent_code\ncommune,91104,Xã D,Xã,911\n"),
			unitfile.Options{ValidFrom: antq.NewDate(2024, 1, 1)}); err != nil {
			t.Fatal(err)
		}
		check("one more commune", "91", "[{district 1} {commune 4} {residential_area 2}]")

		if err := b.MoveUnit(ctx, "91101-KDC01", "91102", antq.NewDate(2025, 1, 1), "kiểm thử"); err != nil {
			t.Fatal(err)
		}
		check("moved", "91101", "[]")
		check("moved", "91102", "[{residential_area 1}]")

		// A refused import changes nothing (and raises nothing).
		if _, err := importText(ctx, a, "dup.csv", []byte("level,code,name,type,parent_code\ncommune,91104,Xã D,Xã,911\n"),
			unitfile.Options{ValidFrom: antq.NewDate(2024, 1, 1)}); err == nil {
			t.Fatal("a duplicate code was imported")
		}
		check("refused", "91", "[{district 1} {commune 4} {residential_area 2}]")

		if _, err := reorganiseText(ctx, b, "r.csv", `event,effective_on,from_code,to_code,to_name,to_type,to_parent_code,share,legal_number,legal_date,legal_issuer
abolish,2025-07-01,911,91,,,,,`+legal+`
`); err != nil {
			t.Fatal(err)
		}
		check("district abolished", "91", "[{commune 4} {residential_area 2}]")
	})
}
