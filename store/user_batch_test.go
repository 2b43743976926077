package store_test

import (
	"context"
	"errors"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
)

// CreateUsers writes every account of a list or none; the refused one is
// named by its index. A first password's mark is set on creation and by a
// reset that asks for it, and cleared by the owner's own change.
func TestCreateUsersAllOrNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		loadFacts(t, db)
		dist := mustUser(t, db, "dongxoai", antq.RoleAdmin, "689")
		ctx := actingAs(dist, "10.0.0.2")
		sys := antq.SystemContext(context.Background())
		nu := func(name, unit string) store.NewUser {
			return store.NewUser{Username: name, FullName: "Họ tên " + name, Role: antq.RoleDataEntry, UnitCode: unit,
				PasswordHash: "$argon2id$first", MustChangePassword: true}
		}
		exists := func(name string) bool {
			_, err := db.FindUserByUsername(sys, name)
			return err == nil
		}

		// The second account's unit is outside the district: nothing is kept.
		_, err := db.CreateUsers(ctx, []store.NewUser{nu("kp1", "25195-KDC01"), nu("ngoai", "25200"), nu("kp2", "25195-KDC02")})
		var rowErr *store.UserRowError
		if !errors.As(err, &rowErr) || rowErr.Row != 1 || antq.ErrorFields(err)["unit"] == "" {
			t.Fatalf("out-of-scope unit: %v", err)
		}
		// A bad name is refused before the transaction, by its index too.
		_, err = db.CreateUsers(ctx, []store.NewUser{nu("kp1", "25195-KDC01"), nu("Sai Ten", "25195")})
		if !errors.As(err, &rowErr) || rowErr.Row != 1 || antq.ErrorCode(err) != antq.EINVALID {
			t.Fatalf("bad name: %v", err)
		}
		// The same name twice in one list.
		_, err = db.CreateUsers(ctx, []store.NewUser{nu("kp1", "25195-KDC01"), nu("kp1", "25195")})
		if !errors.As(err, &rowErr) || rowErr.Row != 1 || antq.ErrorFields(err)["username"] == "" {
			t.Fatalf("same name twice: %v", err)
		}
		// Every refused account is named, those refused before the
		// transaction and in it, in the list's order; CheckUsers says the
		// same and writes nothing.
		list := []store.NewUser{nu("ngoai", "25200"), nu("kp1", "25195-KDC01"), nu("Sai Ten", "25195"), nu("kp1", "25195")}
		for _, check := range []bool{false, true} {
			var err error
			if check {
				err = db.CheckUsers(ctx, list)
			} else {
				_, err = db.CreateUsers(ctx, list)
			}
			var all store.UserRowErrors
			if !errors.As(err, &all) || len(all) != 3 || all[0].Row != 0 || all[1].Row != 2 || all[2].Row != 3 {
				t.Fatalf("check only %v: every refusal: %v", check, err)
			}
		}
		if err := db.CheckUsers(ctx, []store.NewUser{nu("kp1", "25195-KDC01"), {Username: "kp2", Role: antq.RoleViewer, UnitCode: "25195"}}); err != nil {
			t.Fatalf("a good list checked: %v", err)
		}
		if exists("kp1") || exists("ngoai") || exists("kp2") {
			t.Fatal("a refused list left accounts behind")
		}

		users, err := db.CreateUsers(ctx, []store.NewUser{nu("kp1", "25195-KDC01"), nu("kp2", "25195-KDC02")})
		if err != nil || len(users) != 2 || !users[0].MustChangePassword {
			t.Fatalf("good list: %+v, %v", users, err)
		}
		if u, _ := db.FindUserByUsername(sys, "kp2"); u == nil || !u.MustChangePassword || u.UnitCode != "25195-KDC02" {
			t.Fatalf("kp2 = %+v", u)
		}

		// The owner's change clears the mark; an administrator's reset
		// with mustChange sets it again, the command line's does not.
		kp1, _ := db.FindUserByUsername(sys, "kp1")
		if err := db.ChangeOwnPassword(actingAs(kp1, "10.0.0.3"), "$argon2id$own", "", false); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.FindUserByUsername(sys, "kp1"); u.MustChangePassword {
			t.Fatal("the mark stays after the owner's change")
		}
		if err := db.ResetPassword(ctx, "kp1", "$argon2id$reset", "quên", true); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.FindUserByUsername(sys, "kp1"); !u.MustChangePassword {
			t.Fatal("no mark after an administrator's reset")
		}
		if err := db.ResetPassword(sys, "kp1", "$argon2id$cli", "", false); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.FindUserByUsername(sys, "kp1"); u.MustChangePassword {
			t.Fatal("the command line's reset set the mark")
		}
		// The reserved path words are no user names.
		if _, err := db.CreateUser(sys, nu("import", "25195")); antq.ErrorFields(err)["username"] == "" {
			t.Fatalf("reserved name: %v", err)
		}
	})
}
