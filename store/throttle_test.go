package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

func TestLoginThrottle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		c := useClock(db)
		p := store.DefaultThrottle
		ctx := context.Background()
		alice := mustUser(t, db, "alice", antq.RoleViewer, "25195")
		wait := func(user, addr string) time.Duration {
			t.Helper()
			w, err := db.LoginWait(ctx, p, user, addr)
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		fail := func(user, addr string) {
			t.Helper()
			if err := db.RecordLogin(ctx, p, user, addr, nil); err != nil {
				t.Fatal(err)
			}
		}
		// Alice logged in from her office yesterday.
		if err := db.RecordLogin(ctx, p, "alice", "10.1.1.1", alice); err != nil {
			t.Fatal(err)
		}
		c.Advance(24 * time.Hour)

		// An attacker guesses from 203.0.113.7: four failures are free…
		for i := 0; i < 4; i++ {
			if w := wait("alice", "203.0.113.7"); w != 0 {
				t.Fatalf("failure %d: wait %v, want none", i, w)
			}
			fail("alice", "203.0.113.7")
			c.Advance(time.Second)
		}
		// …the fifth makes every untrusted address wait 30 s, then 60 s, …
		fail("alice", "203.0.113.7")
		if w := wait("alice", "203.0.113.7"); w != 30*time.Second {
			t.Fatalf("after 5 failures: wait %v, want 30s", w)
		}
		if w := wait("alice", "198.51.100.2"); w != 30*time.Second {
			t.Fatalf("another untrusted address: wait %v, want 30s (the account counter)", w)
		}
		// …but Alice at her usual address is not slowed by someone else's failures.
		if w := wait("alice", "10.1.1.1"); w != 0 {
			t.Fatalf("trusted address: wait %v, want none", w)
		}
		c.Advance(30 * time.Second)
		if w := wait("alice", "203.0.113.7"); w != 0 {
			t.Fatalf("after waiting: %v", w)
		}
		fail("alice", "203.0.113.7")
		if w := wait("alice", "203.0.113.7"); w != time.Minute {
			t.Fatalf("after 6 failures: wait %v, want 1m", w)
		}
		// The wait doubles up to a cap and never grows past it.
		for i := 0; i < 20; i++ {
			c.Advance(wait("alice", "203.0.113.7"))
			fail("alice", "203.0.113.7")
		}
		if w := wait("alice", "203.0.113.7"); w != p.MaxDelay {
			t.Fatalf("after many failures: wait %v, want the cap %v", w, p.MaxDelay)
		}
		// Alice, even from a new address, can log in once the window passes.
		c.Advance(p.Window)
		if w := wait("alice", "192.0.2.50"); w != 0 {
			t.Fatalf("after the window: wait %v", w)
		}

		// An attacker at Alice's own address is slowed too (the
		// account-and-address counter).
		for i := 0; i < 5; i++ {
			fail("alice", "10.1.1.1")
		}
		if w := wait("alice", "10.1.1.1"); w != 30*time.Second {
			t.Fatalf("failures from the trusted address: wait %v, want 30s", w)
		}
		// A success resets the account counter.
		c.Advance(30 * time.Second)
		if err := db.RecordLogin(ctx, p, "alice", "10.1.1.1", alice); err != nil {
			t.Fatal(err)
		}
		if w := wait("alice", "10.1.1.1"); w != 0 {
			t.Fatalf("after a success: wait %v", w)
		}
	})
}

func TestLoginThrottlePerAddress(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		useClock(db)
		p := store.DefaultThrottle
		ctx := context.Background()
		// Password spraying: one guess each against 20 accounts, real or not.
		for i := 0; i < p.AddressFree; i++ {
			if err := db.RecordLogin(ctx, p, fmt.Sprintf("user%02d", i), "203.0.113.7", nil); err != nil {
				t.Fatal(err)
			}
		}
		if w, err := db.LoginWait(ctx, p, "someone-else", "203.0.113.7"); err != nil || w != p.BaseDelay {
			t.Fatalf("sprayed address: wait %v, %v; want %v", w, err, p.BaseDelay)
		}
		// Those accounts are not slowed anywhere else.
		if w, err := db.LoginWait(ctx, p, "user03", "10.1.1.1"); err != nil || w != 0 {
			t.Fatalf("sprayed account elsewhere: wait %v, %v", w, err)
		}
	})
}

func TestLoginKeyHidesNonNames(t *testing.T) {
	if got := store.LoginKey("alice"); got != "alice" {
		t.Fatalf("LoginKey(alice) = %q", got)
	}
	got := store.LoginKey("Mật khẩu của tôi 123!")
	if !strings.HasPrefix(got, "#") || strings.Contains(got, "123") {
		t.Fatalf("LoginKey kept what is no user name: %q", got)
	}
}

func TestLoginAuditsSuccessOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		alice := mustUser(t, db, "alice", antq.RoleViewer, "25195")
		ctx := antq.NewContextWithActor(context.Background(), antq.Actor{RemoteAddr: "10.1.1.1"})
		if err := db.RecordLogin(ctx, store.DefaultThrottle, "alice", "10.1.1.1", nil); err != nil {
			t.Fatal(err)
		}
		if err := db.RecordLogin(ctx, store.DefaultThrottle, "alice", "10.1.1.1", alice); err != nil {
			t.Fatal(err)
		}
		recs := auditRows(t, db, "session", "alice")
		if len(recs) != 1 || recs[0].Action != "login" || recs[0].Username != "alice" || recs[0].RemoteAddr != "10.1.1.1" {
			t.Fatalf("audit = %+v", recs)
		}
	})
}
