package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

// Accounts follow the same dated scope as units: a unit that has ended is
// seen as of its last day, so the administrators above a tree that ended
// (Bình Phước on 30/06/2025) still see and manage its accounts.
func TestAccountScopeAfterTheTreeEnded(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		mustImportText(t, db, factFixture, unitfile.Options{ValidFrom: antq.MustDate("2022-01-01"), ValidTo: antq.MustDate("2025-06-30")})
		storetest.Clock(db).Set(time.Date(2025, 9, 1, 9, 0, 0, 0, time.UTC))
		sys := antq.SystemContext(context.Background())
		tinh := mustUser(t, db, "tinh", antq.RoleAdmin, "70")
		dist := mustUser(t, db, "dongxoai", antq.RoleAdmin, "689")
		tanphu := mustUser(t, db, "tanphu", antq.RoleReviewer, "25195")
		doanket := mustUser(t, db, "doanket", antq.RoleReviewer, "25200")
		ctx := actingAs(dist, "10.0.0.2")

		list := func(ctx context.Context) []string {
			t.Helper()
			users, total, err := db.Users(ctx, store.UserFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if total != len(users) {
				t.Errorf("total %d for %d users", total, len(users))
			}
			return usernames(users)
		}
		if got := list(actingAs(tinh, "10.0.0.1")); !slices.Equal(got, []string{"doanket", "dongxoai", "tanphu", "tinh"}) {
			t.Errorf("province admin lists %v", got)
		}
		if got := list(ctx); !slices.Equal(got, []string{"dongxoai", "tanphu"}) {
			t.Errorf("district admin lists %v", got)
		}
		if _, err := db.User(ctx, "tanphu"); err != nil {
			t.Errorf("district admin opens its reviewer: %v", err)
		}
		name := "Nguyễn Văn Phú"
		if _, err := db.UpdateUser(ctx, "tanphu", store.UserChange{FullName: &name}); err != nil {
			t.Errorf("district admin changes its reviewer: %v", err)
		}
		if err := db.ResetPassword(ctx, "tanphu", "$argon2id$reset", "", true); err != nil {
			t.Errorf("district admin resets its reviewer: %v", err)
		}
		// The account it creates is one it finds.
		if _, err := db.CreateUser(ctx, store.NewUser{Username: "kp1", Role: antq.RoleDataEntry, UnitCode: "25195-KDC01", PasswordHash: "h"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.User(ctx, "kp1"); err != nil {
			t.Errorf("district admin opens the account it created: %v", err)
		}
		tok := func(u *antq.User, hash string) int64 {
			t.Helper()
			tk, err := db.CreateToken(sys, u.ID, "script", hash, "antq_"+hash[:4])
			if err != nil {
				t.Fatal(err)
			}
			return tk.ID
		}
		if err := db.RevokeToken(ctx, tok(tanphu, "hash-tanphu")); err != nil {
			t.Errorf("district admin revokes its reviewer's token: %v", err)
		}
		// Isolation holds on the last day as it did before.
		if _, err := db.User(ctx, "doanket"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("another district's account: %v, want not found", err)
		}
		if _, err := db.User(ctx, "tinh"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("the province's account: %v, want not found", err)
		}
		if err := db.RevokeToken(ctx, tok(doanket, "hash-doanket")); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("another district's token: %v, want not found", err)
		}
		if _, err := db.Tokens(ctx, "doanket"); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("another district's tokens: %v, want not found", err)
		}
	})
}

// A reorganisation that moves or ends units moves the accounts with them:
// a moved unit's accounts belong to the new parent's administrators from
// the move on, and the accounts of an ended unit stay with the units above
// it on its last day.
func TestAccountScopeFollowsReorganisation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db) // today is 01/03/2024
		// District 688 and its commune were abolished at the end of 2023.
		mustImportText(t, db, "level,code,name,type,parent_code,valid_from,valid_to\n"+
			"district,688,Huyện Cũ,Huyện,70,2022-01-01,2023-12-31\n"+
			"commune,25100,Xã Cũ,Xã,688,2022-01-01,2023-12-31\n", unitfile.Options{})
		tinh := mustUser(t, db, "tinh", antq.RoleAdmin, "70")
		dongxoai := mustUser(t, db, "dongxoai", antq.RoleAdmin, "689")
		budang := mustUser(t, db, "budang", antq.RoleAdmin, "693")
		cu := mustUser(t, db, "huyencu", antq.RoleAdmin, "688")
		mustUser(t, db, "xacu", antq.RoleReviewer, "25100")
		mustUser(t, db, "tanphu", antq.RoleReviewer, "25195")
		mustUser(t, db, "kp1", antq.RoleDataEntry, "25195-KDC01")

		// Phường Tân Phú moves from Đồng Xoài to Bù Đăng on 01/01/2024.
		if err := db.MoveUnit(sys, "25195", "693", antq.MustDate("2024-01-01"), "sắp xếp lại"); err != nil {
			t.Fatal(err)
		}
		sees := func(admin *antq.User, username string) bool {
			t.Helper()
			_, err := db.User(actingAs(admin, ""), username)
			if err != nil && antq.ErrorCode(err) != antq.ENOTFOUND {
				t.Fatal(err)
			}
			return err == nil
		}
		for _, tc := range []struct {
			admin *antq.User
			user  string
			want  bool
		}{
			{budang, "tanphu", true}, {budang, "kp1", true}, // moved in
			{dongxoai, "tanphu", false}, {dongxoai, "kp1", false}, // moved out
			{tinh, "tanphu", true},
			{tinh, "huyencu", true}, {tinh, "xacu", true}, // ended: as of their last day
			{cu, "xacu", true}, // an ended district's admin keeps its ended commune
			{cu, "tanphu", false}, {budang, "xacu", false}, {dongxoai, "huyencu", false},
		} {
			if got := sees(tc.admin, tc.user); got != tc.want {
				t.Errorf("%s sees %s: %v, want %v", tc.admin.Username, tc.user, got, tc.want)
			}
		}
		users, _, err := db.Users(actingAs(budang, ""), store.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if got := usernames(users); !slices.Equal(got, []string{"budang", "kp1", "tanphu"}) {
			t.Errorf("Bù Đăng's admin lists %v", got)
		}
		disabled := true
		if _, err := db.UpdateUser(actingAs(tinh, ""), "xacu", store.UserChange{Disabled: &disabled, Reason: "đơn vị giải thể"}); err != nil {
			t.Errorf("province admin disables the account of an abolished commune: %v", err)
		}
	})
}
