package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

func usernames(users []*antq.User) []string {
	var out []string
	for _, u := range users {
		out = append(out, u.Username)
	}
	return out
}

func TestUsersAreScoped(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		root := mustUser(t, db, "tinh", antq.RoleAdmin, "70")
		dist := mustUser(t, db, "dongxoai", antq.RoleAdmin, "689")
		mustUser(t, db, "tanphu", antq.RoleReviewer, "25195")
		mustUser(t, db, "kp1", antq.RoleDataEntry, "25195-KDC01")
		mustUser(t, db, "doanket", antq.RoleReviewer, "25200")
		ctx := actingAs(dist, "10.0.0.2")

		users, total, err := db.Users(ctx, store.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := usernames(users); !slices.Equal(got, []string{"dongxoai", "kp1", "tanphu"}) || total != 3 {
			t.Fatalf("district admin sees %v (total %d)", got, total)
		}
		if users, _, _ = db.Users(actingAs(root, "10.0.0.1"), store.UserFilter{}); len(users) != 5 {
			t.Fatalf("root admin sees %v", usernames(users))
		}
		if users, _, _ = db.Users(ctx, store.UserFilter{Query: "TAN"}); !slices.Equal(usernames(users), []string{"tanphu"}) {
			t.Fatalf("query: %v", usernames(users))
		}
		// An account outside the subtree does not exist for this admin.
		if _, err := db.User(ctx, "doanket"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("out-of-scope account: %v", err)
		}
		d, err := db.User(ctx, "tanphu")
		if err != nil || d.Username != "tanphu" || d.UnitCode != "25195" {
			t.Fatalf("User = %+v, %v", d, err)
		}
		// Reading people's accounts is logged.
		recs, err := db.AuditRecords(antq.SystemContext(context.Background()), store.AuditFilter{Action: "read"})
		if err != nil {
			t.Fatal(err)
		}
		var lists, reads int
		for _, r := range recs {
			switch {
			case r.Entity == "user_list" && r.Username == "dongxoai":
				lists++
			case r.Entity == "user" && r.Key == "tanphu" && r.Username == "dongxoai" && r.RemoteAddr == "10.0.0.2":
				reads++
			}
		}
		if lists != 2 || reads != 1 {
			t.Fatalf("read audit: %d list reads, %d account reads; records %+v", lists, reads, recs)
		}
		// Reading one's own account is not.
		if _, err := db.User(ctx, "dongxoai"); err != nil {
			t.Fatal(err)
		}
		if recs2, _ := db.AuditRecords(antq.SystemContext(context.Background()), store.AuditFilter{Action: "read", Entity: "user"}); len(recs2) != 1 {
			t.Fatalf("own read audited: %+v", recs2)
		}
	})
}

func TestAdminStaysInItsSubtree(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		dist := mustUser(t, db, "dongxoai", antq.RoleAdmin, "689")
		mustUser(t, db, "tanphu", antq.RoleReviewer, "25195")
		mustUser(t, db, "doanket", antq.RoleReviewer, "25200")
		ctx := actingAs(dist, "10.0.0.2")

		// Create: inside the subtree yes, elsewhere no (same answer as an unknown unit).
		if _, err := db.CreateUser(ctx, store.NewUser{Username: "kp2", Role: antq.RoleDataEntry, UnitCode: "25195-KDC02", PasswordHash: "h"}); err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"25200", "70", "no-such-unit"} {
			_, err := db.CreateUser(ctx, store.NewUser{Username: "x" + strings.ReplaceAll(code, "-", ""), Role: antq.RoleAdmin, UnitCode: code, PasswordHash: "h"})
			if antq.ErrorCode(err) != antq.EFORBIDDEN || antq.ErrorFields(err)["unit"] == "" {
				t.Fatalf("create at %s: %v, want forbidden on unit", code, err)
			}
		}
		// Update: cannot grant a unit outside the subtree, cannot reach accounts outside it.
		other := "25200"
		if _, err := db.UpdateUser(ctx, "tanphu", store.UserChange{UnitCode: &other}); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("grant foreign unit: %v", err)
		}
		role := antq.RoleAdmin
		if _, err := db.UpdateUser(ctx, "doanket", store.UserChange{Role: &role}); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("change foreign account: %v", err)
		}
		if err := db.ResetPassword(ctx, "doanket", "h2", "", true); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("reset foreign account: %v", err)
		}
		// Nobody changes their own role or unit, or locks themselves out.
		viewer, yes := antq.RoleViewer, true
		if _, err := db.UpdateUser(ctx, "dongxoai", store.UserChange{Role: &viewer}); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("own role: %v", err)
		}
		if _, err := db.UpdateUser(ctx, "dongxoai", store.UserChange{Disabled: &yes}); antq.ErrorCode(err) != antq.EFORBIDDEN {
			t.Fatalf("own disable: %v", err)
		}
		// A change inside the subtree is audited old → new with its reason.
		unit, name := "25195-KDC01", "Trần Văn Phú"
		u, err := db.UpdateUser(ctx, "tanphu", store.UserChange{UnitCode: &unit, Role: &role, FullName: &name, Reason: "phân công lại"})
		if err != nil || u.UnitCode != unit || u.Role != antq.RoleAdmin || u.FullName != name {
			t.Fatalf("update = %+v, %v", u, err)
		}
		recs := auditRows(t, db, "user", "tanphu")
		last := recs[len(recs)-1]
		if last.Action != "update" || last.Reason != "phân công lại" || !strings.Contains(*last.Old, `"unit":"25195"`) ||
			!strings.Contains(*last.New, `"unit":"25195-KDC01"`) || last.Username != "dongxoai" {
			t.Fatalf("audit = %+v", last)
		}
		bad := antq.Role("superuser")
		if _, err := db.UpdateUser(ctx, "tanphu", store.UserChange{Role: &bad}); antq.ErrorCode(err) != antq.EINVALID {
			t.Fatalf("bad role: %v", err)
		}
	})
}

func TestTokenOwnership(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		dist := mustUser(t, db, "dongxoai", antq.RoleAdmin, "689")
		tanphu := mustUser(t, db, "tanphu", antq.RoleViewer, "25195")
		kp1 := mustUser(t, db, "kp1", antq.RoleDataEntry, "25195-KDC01")
		doanket := mustUser(t, db, "doanket", antq.RoleReviewer, "25200")
		token := func(u *antq.User, hash string) int64 {
			t.Helper()
			tk, err := db.CreateToken(sys, u.ID, "script", hash, "antq_"+hash[:4])
			if err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}
		tTanphu, tKp1, tDoanket := token(tanphu, "hash-tanphu"), token(kp1, "hash-kp1"), token(doanket, "hash-doanket")

		// Own tokens: listed without secrets; another user's are invisible.
		list, err := db.Tokens(actingAs(tanphu, ""), "")
		if err != nil || len(list) != 1 || list[0].ID != tTanphu || list[0].Username != "tanphu" {
			t.Fatalf("own tokens = %+v, %v", list, err)
		}
		if _, err := db.Tokens(actingAs(tanphu, ""), "kp1"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("another user's tokens: %v", err)
		}
		if err := db.RevokeToken(actingAs(tanphu, ""), tKp1); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("revoke another user's token: %v", err)
		}
		// An administrator manages tokens in its subtree only.
		if list, err := db.Tokens(actingAs(dist, ""), "kp1"); err != nil || len(list) != 1 {
			t.Fatalf("admin lists kp1: %+v, %v", list, err)
		}
		if err := db.RevokeToken(actingAs(dist, ""), tDoanket); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Fatalf("admin revokes out of scope: %v", err)
		}
		if err := db.RevokeToken(actingAs(dist, ""), tKp1); err != nil {
			t.Fatal(err)
		}
		if _, err := db.TokenUser(context.Background(), "hash-kp1"); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Fatalf("revoked token: %v", err)
		}
		// The owner revokes its own.
		if err := db.RevokeToken(actingAs(tanphu, ""), tTanphu); err != nil {
			t.Fatal(err)
		}
		if u, err := db.TokenUser(context.Background(), "hash-doanket"); err != nil || u.Username != "doanket" {
			t.Fatalf("untouched token: %v, %v", u, err)
		}
	})
}
