package store_test

import (
	"fmt"
	"sync"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// Concurrent fact writes share transactions (group commit): each one still
// gets its own result, a refused write leaves the others written, every
// write that succeeded has its audit record in one unbroken chain, a
// version check is still decided one write at a time, and the maintained
// indicators equal a rebuild.
func TestConcurrentFactWrites(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.Rebuild(ctx, planID); err != nil {
			t.Fatal(err)
		}
		_, before, err := db.VerifyAudit(ctx)
		if err != nil || len(before) > 0 {
			t.Fatalf("audit before: %v %v", before, err)
		}
		count := func() int {
			n, _, err := db.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		start := count()
		eligible := []string{"689-DN001", "689-THCS01", "70-CQ001", "25195", "25200", "25195-KDC01", "25195-KDC02", "25200-KDC01"}
		var wg sync.WaitGroup
		var mu sync.Mutex
		var ok, refused int
		errs := map[string]error{}
		for g := 0; g < 12; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 15; i++ {
					code := eligible[(g+i)%len(eligible)]
					var err error
					switch (g + i) % 4 {
					case 0: // ineligible: refused, EINVALID
						_, err = db.PutRegistration(ctx, planID, "70-CQ002", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")})
						if antq.ErrorCode(err) != antq.EINVALID {
							err = fmt.Errorf("armed forces registration: got %v, want a refusal", err)
						} else {
							mu.Lock()
							refused++
							mu.Unlock()
							continue
						}
					case 1:
						total := int64(400 + g)
						_, err = db.PutPropaganda(ctx, planID, code, antq.PropagandaInput{Reached: ptr(int64(100 + i)), Total: &total,
							AsOf: antq.MustDate("2023-10-01"), TotalReason: "tổng số theo rà soát thực tế"})
					default:
						_, err = db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-03-01").AddDays(i)})
					}
					mu.Lock()
					if err != nil {
						errs[fmt.Sprintf("%d/%d %s", g, i, code)] = err
					} else {
						ok++
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for k, err := range errs {
			t.Errorf("%s: %v", k, err)
		}
		if refused == 0 || ok == 0 {
			t.Fatalf("ok %d, refused %d: the mix exercised too little", ok, refused)
		}
		// One record per write written; a refused one writes nothing.
		if got := count() - start; got != ok {
			t.Errorf("audit records: %d new, want %d (%d written, %d refused)", got, ok, ok, refused)
		}
		if _, problems, err := db.VerifyAudit(ctx); err != nil || len(problems) > 0 {
			t.Fatalf("audit chain after concurrent writes: %v %v", problems, err)
		}
		assertRebuildEqual(t, db)

		// Version checks race: of writers that all read the same version,
		// exactly one writes; the others are told the version moved.
		if _, err := db.PutRegistration(ctx, planID, "689-DN001", antq.Registration{RegisteredOn: antq.MustDate("2023-01-15")}); err != nil {
			t.Fatal(err)
		}
		versions, err := db.FactVersions(ctx, planID, "689-DN001")
		if err != nil {
			t.Fatal(err)
		}
		read := versions["registration"]
		if read == "" || read == "v0" {
			t.Fatalf("no version of the registration: %v", versions)
		}
		var won, stale int
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				vc := &antq.VersionCheck{Kind: antq.FactRegistration, IfMatch: read}
				_, err := db.PutRegistration(antq.WithVersionCheck(ctx, vc), planID, "689-DN001",
					antq.Registration{RegisteredOn: antq.MustDate("2023-02-01").AddDays(i)})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					won++
				case antq.ErrorCode(err) == antq.ECONFLICT:
					stale++
				default:
					t.Errorf("versioned write: %v", err)
				}
			}()
		}
		wg.Wait()
		if won != 1 || stale != 7 {
			t.Errorf("versioned writes from the same version: %d written, %d stale; want 1 and 7", won, stale)
		}
		assertRebuildEqual(t, db)
	})
}

// A write of a group that fails after it has changed a unit's status (its
// count changes noted for the group's end) leaves nothing: not its fact,
// not its audit record, not its counts; the writes around it commit, with
// their counts carried up once for the group, and the maintained
// indicators equal a rebuild. The group covers a residential area (whose
// commune is refreshed too) and its commune, each written once kept and
// once rolled back.
func TestWriteGroupFailedWriteLeavesNoCounts(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.Rebuild(ctx, planID); err != nil {
			t.Fatal(err)
		}
		n0, _, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		codes := []string{"689-DN001", "25195-KDC01", "25195", "25195-KDC02", "25200", "70-CQ001"}
		fail := map[int]bool{1: true, 4: true}
		errs := db.RegistrationsInOneGroupForTest(ctx, planID, codes, antq.MustDate("2023-03-01"), fail)
		for i, err := range errs {
			if fail[i] != (err != nil) {
				t.Errorf("%s: error %v, want failure %v", codes[i], err, fail[i])
			}
		}
		for i, code := range codes {
			_, f, err := db.UnitFacts(ctx, planID, code)
			if err != nil {
				t.Fatal(err)
			}
			if fail[i] && f.Registration != nil && f.Registration.RegisteredOn == antq.MustDate("2023-03-01") {
				t.Errorf("%s: the failed write's registration is there", code)
			} else if !fail[i] && f.Registration == nil {
				t.Errorf("%s: the write's registration is missing", code)
			}
		}
		n1, problems, err := db.VerifyAudit(ctx)
		if err != nil || len(problems) > 0 {
			t.Fatalf("audit chain: %v %v", problems, err)
		}
		if got, want := n1-n0, len(codes)-len(fail); got != want {
			t.Errorf("audit records: %d new, want %d", got, want)
		}
		assertRebuildEqual(t, db)
	})
}

// Version-checked writes share groups with plain ones, whose audit records
// the group holds back until its commit: each versioned write still reads
// the version its predecessor made (a chain of writes, each sending the
// version the last one returned, never goes stale) and returns the version
// the trail then shows.
func TestWriteGroupVersionsAmongHeldBackRecords(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := loadFacts(t, db)
		if _, err := db.Rebuild(ctx, planID); err != nil {
			t.Fatal(err)
		}
		others := []string{"689-THCS01", "70-CQ001", "25195", "25200", "25195-KDC01", "25195-KDC02", "25200-KDC01"}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for g := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					code := others[(g+i)%len(others)]
					if _, err := db.PutRegistration(ctx, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-03-01").AddDays(i % 20)}); err != nil {
						t.Errorf("%s: %v", code, err)
						return
					}
				}
			}()
		}
		last := ""
		for i := range 40 {
			vc := &antq.VersionCheck{Kind: antq.FactRegistration, IfMatch: last}
			if _, err := db.PutRegistration(antq.WithVersionCheck(ctx, vc), planID, "689-DN001",
				antq.Registration{RegisteredOn: antq.MustDate("2023-02-01").AddDays(i)}); err != nil {
				t.Fatalf("versioned write %d (if-match %q): %v", i, last, err)
			}
			last = vc.Current
		}
		close(stop)
		wg.Wait()
		versions, err := db.FactVersions(ctx, planID, "689-DN001")
		if err != nil {
			t.Fatal(err)
		}
		if versions["registration"] != last {
			t.Errorf("version after the chain: %q, the trail says %q", last, versions["registration"])
		}
		if _, problems, err := db.VerifyAudit(ctx); err != nil || len(problems) > 0 {
			t.Fatalf("audit chain: %v %v", problems, err)
		}
		assertRebuildEqual(t, db)
	})
}
