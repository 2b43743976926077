package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

func TestPeople(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		in := antq.PersonInput{UnitCode: "25195-KDC01", FullName: "  Nguyễn   Văn An ", BirthYear: 1970, Gender: antq.GenderMale,
			Role: "to_bao_ve_antt", ServiceYears: 16, ServiceAsOf: antq.MustDate("2023-12-31"), NationalID: "070 070 000 123"}
		p, err := db.CreatePerson(sys, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.FullName != "Nguyễn Văn An" || !p.HasNationalID || p.UnitName != "Khu phố 1" {
			t.Fatalf("created %+v", p)
		}
		// The number is not in the database, in any form typed.
		raw := storetest.Raw(t, db)
		var hash string
		if err := raw.QueryRow(`SELECT national_id_hash FROM people WHERE id = $1`, p.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(hash, "070070000123") || len(hash) != 64 {
			t.Fatalf("stored %q", hash)
		}
		// The key lives in the files directory, not the database.
		if key, err := os.ReadFile(filepath.Join(db.FilesDir(), "national-id.key")); err != nil || len(key) != 32 {
			t.Fatalf("key file: %v (%d bytes)", err, len(key))
		}
		// The same number again, typed otherwise, is a conflict.
		in2 := in
		in2.FullName, in2.NationalID = "Trần Thị Bình", "070.070.000.123"
		if _, err := db.CreatePerson(sys, in2); antq.ErrorCode(err) != antq.ECONFLICT {
			t.Fatalf("duplicate national ID: %v", err)
		}
		// Bad input names every field.
		_, err = db.CreatePerson(sys, antq.PersonInput{UnitCode: "25195", BirthYear: 2023, Gender: "x", Role: "khac", ServiceYears: 5, NationalID: "12ab"})
		wantInvalid(t, err, "full_name", "birth_year", "gender", "role", "service_as_of", "national_id")
		_, err = db.CreatePerson(sys, antq.PersonInput{UnitCode: "25195", FullName: "Lê Văn Cường", BirthYear: 2000, Gender: antq.GenderMale, Role: "cong_dan", ServiceYears: 20, ServiceAsOf: antq.MustDate("2023-12-31")})
		wantInvalid(t, err, "service_years")

		// Scope: the other district's reviewer sees none of them; the
		// commune's data entry records its areas, not another commune.
		out := asUser(t, db, "doanket", antq.RoleReviewer, "25200")
		if _, err := db.Person(out, p.ID); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("out of scope: %v", err)
		}
		list, total, err := db.People(out, store.PersonFilter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("out of scope list: %v %d", err, total)
		}
		if _, err := db.MatchNationalID(out, "070070000123"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("out of scope match: %v", err)
		}
		entry := asUser(t, db, "tanphu", antq.RoleDataEntry, "25195")
		if _, err := db.CreatePerson(entry, antq.PersonInput{UnitCode: "25200-KDC01", FullName: "Phạm Văn Dũng", BirthYear: 1980, Gender: antq.GenderMale, Role: "cong_dan"}); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("another commune's area: %v", err)
		}
		q, err := db.CreatePerson(entry, antq.PersonInput{UnitCode: "25195-KDC02", FullName: "Phạm Thị Em", BirthYear: 1985, Gender: antq.GenderFemale, Role: "truong_khu_dan_cu"})
		if err != nil {
			t.Fatal(err)
		}
		list, total, err = db.People(entry, store.PersonFilter{UnitCode: "25195"})
		if err != nil || total != 2 || list[0].FullName != "Nguyễn Văn An" || list[1].ID != q.ID {
			t.Fatalf("list: %v %d %+v", err, total, list)
		}
		got, err := db.MatchNationalID(entry, "070070000123")
		if err != nil || got.ID != p.ID {
			t.Fatalf("match: %v %+v", err, got)
		}
		if _, err := db.MatchNationalID(entry, "070070000124"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("no match: %v", err)
		}
		// Every read is in the audit trail: the open, the list, the matches.
		if _, err := db.Person(entry, p.ID); err != nil {
			t.Fatal(err)
		}
		reads := map[string]int{}
		for _, r := range auditRows(t, db, "person", "") {
			if r.Action == "read" && r.Username == "tanphu" {
				reads[strings.SplitN(r.Key, ":", 2)[0]]++
			}
		}
		if reads["match"] != 2 || reads["list 25195"] != 1 || reads[fmt.Sprint(p.ID)] != 1 {
			t.Fatalf("audited reads: %v", reads)
		}
	})
}
