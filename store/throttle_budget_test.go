package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// The owner's login at its usual address does not refund a guesser at
// another address: five guesses, the owner logs in, and the guesser still
// waits.
func TestOwnerLoginKeepsTheGuessersWait(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		c := useClock(db)
		p := store.DefaultThrottle
		ctx := context.Background()
		alice := mustUser(t, db, "alice", antq.RoleViewer, "25195")
		if err := db.RecordLogin(ctx, p, "alice", "10.1.1.1", alice); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Hour)
		for range p.AccountFree {
			if err := db.RecordLogin(ctx, p, "alice", "203.0.113.7", nil); err != nil {
				t.Fatal(err)
			}
		}
		c.Advance(time.Second)
		if err := db.RecordLogin(ctx, p, "alice", "10.1.1.1", alice); err != nil {
			t.Fatal(err)
		}
		for _, addr := range []string{"203.0.113.7", "198.51.100.2"} {
			if w, err := db.LoginWait(ctx, p, "alice", addr); err != nil || w != p.BaseDelay-time.Second {
				t.Errorf("guesser at %s after the owner's login: wait %v, %v; want %v", addr, w, err, p.BaseDelay-time.Second)
			}
		}
		// The owner's own typos, followed by a success from the same
		// address, are forgiven: they do not slow the owner elsewhere.
		c.Advance(p.Window)
		for range p.AccountFree {
			if err := db.RecordLogin(ctx, p, "alice", "192.0.2.50", nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RecordLogin(ctx, p, "alice", "192.0.2.50", alice); err != nil {
			t.Fatal(err)
		}
		if w, err := db.LoginWait(ctx, p, "alice", "198.51.100.9"); err != nil || w != 0 {
			t.Errorf("owner elsewhere after its own typos: wait %v, %v; want none", w, err)
		}
	})
}

// ARCHITECTURE.md: "a patient attacker gets about 100 guesses a day at one
// account". A guesser that tries the moment the throttle lets it, from a
// new address each time, while the owner logs in every hour at the office,
// gets no more than that in any day, and the owner is never slowed at the
// office. Time is the database's clock, moved by the test.
func TestGuessesPerDayAreBounded(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		c := useClock(db)
		p := store.DefaultThrottle
		ctx := context.Background()
		alice := mustUser(t, db, "alice", antq.RoleViewer, "25195")
		wait := func(addr string) time.Duration {
			t.Helper()
			w, err := db.LoginWait(ctx, p, "alice", addr)
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		start := c.Now()
		const days = 3
		var guesses [days]int
		nextOwner := start
		for n := 0; ; n++ {
			addr := fmt.Sprintf("203.0.%d.%d", n/250, n%250+1)
			at := c.Now().Add(wait(addr))
			if !at.Before(nextOwner) {
				c.Advance(nextOwner.Sub(c.Now()))
				if w := wait("10.1.1.1"); w != 0 {
					t.Fatalf("owner at the office on %v: wait %v", c.Now(), w)
				}
				if err := db.RecordLogin(ctx, p, "alice", "10.1.1.1", alice); err != nil {
					t.Fatal(err)
				}
				nextOwner = nextOwner.Add(time.Hour)
				continue
			}
			day := int(at.Sub(start) / (24 * time.Hour))
			if day >= days {
				break
			}
			c.Advance(at.Sub(c.Now()))
			if err := db.RecordLogin(ctx, p, "alice", addr, nil); err != nil {
				t.Fatal(err)
			}
			guesses[day]++
		}
		t.Logf("guesses per day: %v", guesses)
		// 5 free, waits of 30 s doubling to 15 min: 10 in the first quarter
		// hour, then one every 15 minutes (96 a day).
		for d, n := range guesses {
			if limit := map[bool]int{true: 105, false: 96}[d == 0]; n > limit {
				t.Errorf("day %d: %d guesses, want at most %d", d+1, n, limit)
			}
		}
	})
}
