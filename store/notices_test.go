package store_test

import (
	"context"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/yearend"
)

// Issue 16 item 15: a user's notices are the dossiers in scope late or due
// soon, and what was returned to the user with its reason — not what was
// returned to someone else.
func TestNotices(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db) // the clock is in 2024: every 2023 deadline passed
		clerk, err := db.CreateUser(sys, store.NewUser{Username: "nhaplieu", FullName: "Nguyễn Thị Nhập", Role: antq.RoleDataEntry, UnitCode: "25195", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := db.CreateUser(sys, store.NewUser{Username: "khac", Role: antq.RoleDataEntry, UnitCode: "25200", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		as := func(u *antq.User) context.Context {
			return antq.NewContextWithActor(context.Background(), antq.Actor{User: u})
		}
		for _, code := range []string{"25195-KDC01", "25195-KDC02"} {
			if _, err := db.PutRegistration(sys, planID, code, antq.Registration{RegisteredOn: antq.MustDate("2023-02-01")}); err != nil {
				t.Fatal(err)
			}
			d, _ := db.Dossier(sys, planID, code, yearend.DossierRecognition)
			in := yearend.DossierInput{Documents: allDocs(d)}
			if _, err := db.UpdateDossier(as(clerk), planID, code, yearend.DossierRecognition, in); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Transition(as(clerk), planID, "25195-KDC01", yearend.DossierRecognition, yearend.Submit, yearend.TransitionInput{}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Transition(sys, planID, "25195-KDC01", yearend.DossierRecognition, yearend.Return, yearend.TransitionInput{Reason: "Thiếu biên bản họp"}); err != nil {
			t.Fatal(err)
		}
		n, err := db.Notices(as(clerk), planID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if n.Returned != 1 || n.Items[0].Kind != yearend.NoticeReturned || n.Items[0].Unit.Code != "25195-KDC01" || n.Items[0].Reason != "Thiếu biên bản họp" {
			t.Fatalf("clerk's notices = %+v", n)
		}
		// Both dossiers of the commune are late (the returned one too).
		if n.Late != 2 || n.Total() != 3 {
			t.Fatalf("clerk's counts: returned %d late %d due %d", n.Returned, n.Late, n.Due)
		}
		for _, it := range n.Items[1:] {
			if it.Kind != yearend.NoticeLate || it.DaysLeft >= 0 || it.Unit.Code[:5] != "25195" {
				t.Fatalf("late notice = %+v", it)
			}
		}
		// Another commune's user sees neither.
		o, err := db.Notices(as(other), planID, 0)
		if err != nil || o.Total() != 0 {
			t.Fatalf("other commune's notices = %+v, %v", o, err)
		}
		// The limit cuts the list, not the counts.
		cut, _ := db.Notices(as(clerk), planID, 1)
		if len(cut.Items) != 1 || cut.Total() != 3 {
			t.Fatalf("cut = %d items, total %d", len(cut.Items), cut.Total())
		}
	})
}
