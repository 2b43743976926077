package store_test

import (
	"context"
	"testing"
	"time"

	"antq"
	"antq/store/storetest"
	"antq/store"
	"antq/unitfile"
)

func TestZZProf(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	recs, err := unitfile.ReadFile("../demo/data/units-2025.csv", unitfile.Options{ValidFrom: antq.MustDate("2025-07-01")})
	if err != nil { t.Fatal(err) }
	s := time.Now()
	res, err := db.ImportUnits(antq.SystemContext(context.Background()), "x", recs)
	t.Log(res, err, time.Since(s))
}
