package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// actingAs returns a request context for u coming from addr.
func actingAs(u *antq.User, addr string) context.Context {
	return antq.NewContextWithActor(context.Background(), antq.Actor{User: u, RemoteAddr: addr})
}

// mustUser creates an account (as the command line) for tests.
func mustUser(t *testing.T, db *store.DB, username string, role antq.Role, unit string) *antq.User {
	t.Helper()
	u, err := db.CreateUser(antq.SystemContext(context.Background()), store.NewUser{Username: username, FullName: "Họ tên " + username,
		Role: role, UnitCode: unit, PasswordHash: "$argon2id$test"})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

// clock lets a test move time: the database's storetest clock.
type clock = storetest.TestClock

// useClock stops the database's clock at its present time and returns it.
func useClock(db *store.DB) *clock {
	c := storetest.Clock(db)
	c.Set(db.Now())
	return c
}

var testSessions = store.SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

func TestSessionIdleTimeout(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		c := useClock(db)
		u := mustUser(t, db, "binh", antq.RoleViewer, "25195")
		ctx := context.Background()
		if err := db.CreateSession(ctx, "s1", u.ID, testSessions, "10.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		// Requests every 29 minutes keep the session alive…
		for i := 0; i < 4; i++ {
			c.Advance(29 * time.Minute)
			if got, err := db.SessionUser(ctx, "s1", testSessions); err != nil || got.Username != "binh" {
				t.Fatalf("after %d×29 min: %v, %v", i+1, got, err)
			}
		}
		// …30 minutes of silence end it, and it stays ended.
		c.Advance(30 * time.Minute)
		if _, err := db.SessionUser(ctx, "s1", testSessions); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Fatalf("idle session: %v, want unauthorized", err)
		}
		c.Advance(-29 * time.Minute)
		if _, err := db.SessionUser(ctx, "s1", testSessions); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Fatalf("idle session was deleted, yet: %v", err)
		}
	})
}

func TestSessionAbsoluteTimeout(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		c := useClock(db)
		u := mustUser(t, db, "binh", antq.RoleViewer, "25195")
		ctx := context.Background()
		if err := db.CreateSession(ctx, "s1", u.ID, testSessions, "10.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		start := c.Now()
		for c.Now().Sub(start) < 12*time.Hour-20*time.Minute {
			c.Advance(20 * time.Minute)
			if _, err := db.SessionUser(ctx, "s1", testSessions); err != nil {
				t.Fatalf("active session at +%v: %v", c.Now().Sub(start), err)
			}
		}
		c.Set(start.Add(12 * time.Hour))
		if _, err := db.SessionUser(ctx, "s1", testSessions); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Fatalf("session past its absolute lifetime: %v, want unauthorized", err)
		}
	})
}

func TestDisableEndsSessionsAndTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		u := mustUser(t, db, "binh", antq.RoleDataEntry, "25195-KDC01")
		ctx := context.Background()
		for _, id := range []string{"s1", "s2"} {
			if err := db.CreateSession(ctx, id, u.ID, testSessions, "10.0.0.1", "test"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.CreateToken(sys, u.ID, "script", "tokenhash", "antq_abcd"); err != nil {
			t.Fatal(err)
		}
		admin := mustUser(t, db, "quantri", antq.RoleAdmin, "25195")
		yes, no := true, false
		if _, err := db.UpdateUser(actingAs(admin, "10.0.0.9"), "binh", store.UserChange{Disabled: &yes, Reason: "chuyển công tác"}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"s1", "s2"} {
			if _, err := db.SessionUser(ctx, id, testSessions); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
				t.Errorf("session %s of a disabled account: %v, want unauthorized", id, err)
			}
		}
		if _, err := db.TokenUser(ctx, "tokenhash"); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Errorf("token of a disabled account: %v, want unauthorized", err)
		}
		// Enabling again does not bring them back.
		if _, err := db.UpdateUser(actingAs(admin, "10.0.0.9"), "binh", store.UserChange{Disabled: &no}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, "s1", testSessions); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Errorf("session after re-enabling: %v, want unauthorized", err)
		}
		if _, err := db.TokenUser(ctx, "tokenhash"); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Errorf("token after re-enabling: %v, want unauthorized", err)
		}
		recs := auditRows(t, db, "user", "binh")
		if len(recs) != 3 || recs[1].Action != "disable" || recs[1].Reason != "chuyển công tác" || recs[1].Username != "quantri" ||
			recs[1].RemoteAddr != "10.0.0.9" || recs[2].Action != "enable" {
			t.Fatalf("audit = %+v", recs)
		}
	})
}

func TestPasswordChangesEndSessions(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		u := mustUser(t, db, "binh", antq.RoleViewer, "25195")
		admin := mustUser(t, db, "quantri", antq.RoleAdmin, "25195")
		ctx := context.Background()
		for _, id := range []string{"here", "elsewhere"} {
			if err := db.CreateSession(ctx, id, u.ID, testSessions, "10.0.0.1", "test"); err != nil {
				t.Fatal(err)
			}
		}
		// Own change: the other session ends, this one stays.
		if err := db.ChangeOwnPassword(actingAs(u, "10.0.0.1"), "$argon2id$new", "here", false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, "here", testSessions); err != nil {
			t.Errorf("the session that changed the password ended: %v", err)
		}
		if _, err := db.SessionUser(ctx, "elsewhere", testSessions); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Errorf("other session after a password change: %v, want unauthorized", err)
		}
		if _, hash, _ := db.PasswordHash(ctx, "binh"); hash != "$argon2id$new" {
			t.Errorf("hash = %q", hash)
		}
		// Admin reset: every session ends.
		if err := db.ResetPassword(actingAs(admin, "10.0.0.9"), "binh", "$argon2id$reset", "quên mật khẩu", true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionUser(ctx, "here", testSessions); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Errorf("session after an admin reset: %v, want unauthorized", err)
		}
		recs := auditRows(t, db, "user", "binh")
		if n := len(recs); n < 3 || recs[n-2].Action != "change_password" || recs[n-1].Action != "reset_password" || recs[n-1].Reason != "quên mật khẩu" {
			t.Fatalf("audit = %+v", recs)
		}
		for _, r := range recs {
			if r.New != nil && strings.Contains(*r.New, "argon2id") {
				t.Fatalf("a password hash reached the audit trail: %+v", r)
			}
		}
	})
}
