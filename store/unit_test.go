package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"antq"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
)

func names(units []*antq.Unit) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.Name
	}
	return out
}

func codes(units []*antq.Unit) []string {
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.Code
	}
	return out
}

func TestBinhPhuocTree(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		importBinhPhuocSubset(t, db)
		ctx := antq.SystemContext(context.Background())
		for _, on := range []antq.Date{{}, antq.MustDate("2023-01-01"), antq.MustDate("2025-06-30")} {
			counts, err := db.SubtreeCounts(ctx, "70", on)
			if err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprint([]antq.KindCount{{Kind: antq.KindDistrict, Count: 11}, {Kind: antq.KindCommune, Count: 111}})
			if fmt.Sprint(counts) != want {
				t.Errorf("subtree of 70 as of %q = %v, want %s", on, counts, want)
			}
		}
		// After the reform the province is gone.
		if _, err := db.SubtreeCounts(ctx, "70", antq.MustDate("2025-07-01")); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("province 70 on 2025-07-01: %v, want ENOTFOUND", err)
		}

		// Children of the province, in Vietnamese order (written out by hand:
		// Huyện < Thành phố < Thị xã; Bù Đăng < Bù Đốp < Bù Gia Mập < Đồng Phú < Hớn Quản).
		p, kids, total, err := db.Children(ctx, "70", antq.Date{}, nil, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Code != "70" || p.Name != "Tỉnh Bình Phước" || total != 11 {
			t.Errorf("parent %q, total %d", p.Name, total)
		}
		wantKids := []string{
			"Huyện Bù Đăng", "Huyện Bù Đốp", "Huyện Bù Gia Mập", "Huyện Đồng Phú", "Huyện Hớn Quản",
			"Huyện Lộc Ninh", "Huyện Phú Riềng", "Thành phố Đồng Xoài", "Thị xã Bình Long",
			"Thị xã Chơn Thành", "Thị xã Phước Long",
		}
		if got := names(kids); !slices.Equal(got, wantKids) {
			t.Errorf("children of 70 =\n%q\nwant\n%q", got, wantKids)
		}
		// Paging keeps the order and the total.
		_, page, total, err := db.Children(ctx, "70", antq.Date{}, nil, 3, 2)
		if err != nil || total != 11 || !slices.Equal(names(page), wantKids[3:5]) {
			t.Errorf("page 3..5 = %q (total %d, %v)", names(page), total, err)
		}
		_, communes, _, err := db.Children(ctx, "689", antq.Date{}, nil, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		wantCommunes := []string{"Phường Tân Bình", "Phường Tân Đồng", "Phường Tân Phú", "Phường Tân Thiện",
			"Phường Tân Xuân", "Phường Tiến Thành", "Xã Tân Thành", "Xã Tiến Hưng"}
		if got := names(communes); !slices.Equal(got, wantCommunes) {
			t.Errorf("communes of 689 = %q, want %q", got, wantCommunes)
		}

		// Ancestors: the breadcrumb from the root down to the parent.
		chain, err := db.Ancestors(ctx, "25195", antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		if got := codes(chain); !slices.Equal(got, []string{"70", "689"}) {
			t.Errorf("ancestors of 25195 = %v, want [70 689]", got)
		}
		if chain, err := db.Ancestors(ctx, "70", antq.Date{}); err != nil || len(chain) != 0 {
			t.Errorf("ancestors of the root = %v, %v", codes(chain), err)
		}
	})
}

func TestFindUnitsSearchFolding(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		importBinhPhuocSubset(t, db)
		ctx := antq.SystemContext(context.Background())
		for _, q := range []string{"dong xoai", "ĐỒNG XOÀI", "Đồng  Xoài", "thanh pho dong"} {
			units, total, err := db.FindUnits(ctx, antq.UnitFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(units) != 1 || units[0].Name != "Thành phố Đồng Xoài" || units[0].Kind != antq.KindDistrict {
				t.Errorf("search %q = %q (total %d), want [Thành phố Đồng Xoài]", q, names(units), total)
			}
		}
		// đ and Đ fold to d: "dak" finds Xã Đak Ơ, "Đa Kia" finds Xã Đa Kia,
		// "duc" finds Xã Đức Hạnh; results in Vietnamese order.
		units, _, err := db.FindUnits(ctx, antq.UnitFilter{Query: "xã đ", Kind: ptr(antq.KindCommune)})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Xã Đak Ơ", "Xã Đa Kia", "Xã Đức Hạnh"} {
			if !slices.Contains(names(units), want) {
				t.Errorf("search \"xã đ\" = %q, missing %q", names(units), want)
			}
		}
		units, _, err = db.FindUnits(ctx, antq.UnitFilter{Query: "DAK O"})
		if err != nil || !slices.Equal(names(units), []string{"Xã Đak Ơ"}) {
			t.Errorf("search \"DAK O\" = %q, %v", names(units), err)
		}
		// LIKE wildcards in the query are plain text.
		if units, _, err := db.FindUnits(ctx, antq.UnitFilter{Query: "%"}); err != nil || len(units) != 0 {
			t.Errorf("search %% = %d units, %v; want none", len(units), err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestFindUnitsVietnameseCollation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		// Written in the Vietnamese alphabet's order by hand: a < ă < â < b <
		// d < đ, case ignored; a byte order or an order of folded names gets
		// each of these pairs wrong somewhere.
		want := []string{"An Lộc", "an Phú", "Ăn Khê", "Ân Thi", "Âu Cơ", "Bù Nho", "Dương Minh Châu", "Đa Kia", "Đồng Tâm"}
		text := "level,code,name,type,parent_code\nprovince,70,Tỉnh Bình Phước,Tỉnh,\n"
		order := []int{7, 2, 8, 0, 5, 3, 1, 6, 4} // not the expected order
		for _, i := range order {
			text += fmt.Sprintf("agency,70-CQ%03d,%s,Cơ quan,70\n", i, want[i])
		}
		mustImportText(t, db, text, bpOpts)
		ctx := antq.SystemContext(context.Background())
		units, total, err := db.FindUnits(ctx, antq.UnitFilter{Kind: ptr(antq.KindAgency)})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(units); total != len(want) || !slices.Equal(got, want) {
			t.Errorf("agencies in order =\n%q\nwant\n%q", got, want)
		}
		_, kids, _, err := db.Children(ctx, "70", antq.Date{}, nil, 0, 0)
		if err != nil || !slices.Equal(names(kids), want) {
			t.Errorf("children of 70 = %q, %v", names(kids), err)
		}
	})
}

func TestFindUnitsEffectiveDating(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		importBinhPhuocSubset(t, db) // valid until 2025-06-30
		ctx := antq.SystemContext(context.Background())
		if _, err := db.FindUnitByCode(ctx, "689", antq.MustDate("2025-07-01")); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("689 as of 2025-07-01: %v, want ENOTFOUND", err)
		}
		u, err := db.FindUnitByCode(ctx, "689", antq.MustDate("2025-06-30"))
		if err != nil || u.Name != "Thành phố Đồng Xoài" || u.ParentCode != "70" {
			t.Errorf("689 as of 2025-06-30 = %+v, %v", u, err)
		}
		if _, err := db.FindUnitByCode(ctx, "689", antq.MustDate("2022-12-31")); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("689 before it started: %v, want ENOTFOUND", err)
		}
		// Zero date: the latest version, even when it has ended.
		u, err = db.FindUnitByCode(ctx, "689", antq.Date{})
		if err != nil || !u.ValidTo.Equal(bpTo) || u.ParentCode != "70" {
			t.Errorf("689 latest = %+v, %v", u, err)
		}
		// FindUnits as of a date leaves out units not in force.
		mustImportText(t, db, "level,code,name,type,parent_code,valid_from\nprovince,75,Tỉnh Đồng Nai,Tỉnh,,2025-07-01\n", unitfile.Options{})
		for on, want := range map[string][]string{"2025-06-30": {"70"}, "2025-07-01": {"75"}} {
			units, _, err := db.FindUnits(ctx, antq.UnitFilter{Kind: ptr(antq.KindProvince), AsOf: antq.MustDate(on)})
			if err != nil || !slices.Equal(codes(units), want) {
				t.Errorf("provinces as of %s = %v, %v; want %v", on, codes(units), err, want)
			}
		}
		units, _, err := db.FindUnits(ctx, antq.UnitFilter{Kind: ptr(antq.KindProvince)})
		if err != nil || len(units) != 2 {
			t.Errorf("provinces at any time = %v, %v; want both", codes(units), err)
		}
	})
}

func TestUnitScope(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		importBinhPhuocSubset(t, db)
		sys := antq.SystemContext(context.Background())
		dx, err := db.FindUnitByCode(sys, "689", antq.Date{})
		if err != nil {
			t.Fatal(err)
		}
		// A user of Thành phố Đồng Xoài sees its subtree only.
		ctx := antq.NewContextWithActor(context.Background(), antq.Actor{User: &antq.User{ID: 7, Username: "dongxoai", Role: antq.RoleViewer, UnitID: dx.ID}})
		if u, err := db.FindUnitByCode(ctx, "25195", antq.Date{}); err != nil || u.Name != "Phường Tân Phú" {
			t.Errorf("own commune: %+v, %v", u, err)
		}
		if _, err := db.FindUnitByCode(ctx, "689", antq.Date{}); err != nil {
			t.Errorf("own district: %v", err)
		}
		for _, code := range []string{"25216", "688", "70"} { // a commune of Phước Long, another district, the province
			if _, err := db.FindUnitByCode(ctx, code, antq.Date{}); antq.ErrorCode(err) != antq.ENOTFOUND {
				t.Errorf("%s from Đồng Xoài: %v, want ENOTFOUND", code, err)
			}
		}
		units, total, err := db.FindUnits(ctx, antq.UnitFilter{Kind: ptr(antq.KindCommune)})
		if err != nil || total != 8 || len(units) != 8 {
			t.Errorf("communes seen from Đồng Xoài: %d (total %d), %v; want 8", len(units), total, err)
		}
		if counts, err := db.SubtreeCounts(ctx, "689", antq.Date{}); err != nil || fmt.Sprint(counts) != fmt.Sprint([]antq.KindCount{{Kind: antq.KindCommune, Count: 8}}) {
			t.Errorf("subtree of 689 = %v, %v", counts, err)
		}
		if _, _, _, err := db.Children(ctx, "688", antq.Date{}, nil, 0, 0); antq.ErrorCode(err) != antq.ENOTFOUND {
			t.Errorf("children of 688 from Đồng Xoài: %v, want ENOTFOUND", err)
		}
		// The breadcrumb stops at the scope.
		if chain, err := db.Ancestors(ctx, "25195", antq.Date{}); err != nil || !slices.Equal(codes(chain), []string{"689"}) {
			t.Errorf("ancestors of 25195 from Đồng Xoài = %v, %v; want [689]", codes(chain), err)
		}
		// No user: nothing at all.
		if _, _, err := db.FindUnits(context.Background(), antq.UnitFilter{}); antq.ErrorCode(err) != antq.EUNAUTHORIZED {
			t.Errorf("without a user: %v, want EUNAUTHORIZED", err)
		}
	})
}
