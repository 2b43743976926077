package store_test

import (
	"context"
	"strings"
	"testing"

	"antq"
	"antq/rules"
	"antq/store"
	"antq/store/storetest"
	"antq/unitfile"
	"antq/yearend"
)

// Who competes (the plan's "đối tượng thi đua"): a budget-funded
// socio-political organisation registers and is counted as an agency, one
// without budget funding does not register; an enterprise without legal
// personality counts nowhere and records nothing; an agency the centre
// manages is decided by the province it stands in.
func TestWhoCompetes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		sys := loadFacts(t, db)
		mustImportText(t, db, `level,code,name,type,parent_code,staff,budget_funded,no_legal_entity,managing_level
socio_political_org,70-TCCT01,Hội Liên hiệp Phụ nữ tỉnh,Hội,70,40,x,,
socio_political_org,70-TCCT02,Hội Doanh nhân trẻ tỉnh,Hội,70,20,,,
enterprise,689-DN003,Chi nhánh Công ty CP Sao Mai,Chi nhánh,689,30,,x,
agency,70-TW01,Cục Thuế tỉnh,Cục,70,100,,,central
`, unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
		mustImportText(t, db, `level,code,name,type,parent_code,valid_to
commune_police,25195-CA,Công an phường Tân Phú,Công an phường,25195,
street_protection_board,25195-BBV,Ban bảo vệ dân phố phường Tân Phú,Ban bảo vệ dân phố,25195,2024-06-30
`, unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})

		// Eligible for registration: the fixture's 8, the women's union as
		// an agency and the central agency; not the business association,
		// nor the branch without legal personality.
		rep, err := db.Indicators(sys, planID, "")
		if err != nil {
			t.Fatal(err)
		}
		f := figureOf(t, rep, rules.IndicatorRegistration)
		if f.Den != 10 || f.ByKind[antq.KindAgency].Den != 3 || f.ByKind[antq.KindEnterprise].Den != 1 {
			t.Fatalf("registration = %d, by kind %+v; want 10, agencies 3, enterprises 1", f.Den, f.ByKind)
		}
		if _, ok := f.ByKind[antq.KindSocioPoliticalOrg]; ok {
			t.Fatalf("socio-political organisations counted on their own: %+v", f.ByKind)
		}
		// The commune's police and its street-protection board are
		// collectives in the plan's tree that no TT 124 target counts.
		tree, err := db.PlanTreeUnits(sys, planID)
		if err != nil {
			t.Fatal(err)
		}
		inTree := map[string]string{}
		for _, u := range tree {
			inTree[u.Code] = u.ParentCode
		}
		if inTree["25195-CA"] != "25195" || inTree["25195-BBV"] != "25195" {
			t.Fatalf("collectives in the tree: %v", inTree)
		}
		_, err = db.PutRegistration(sys, planID, "25195-CA", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")})
		wantInvalid(t, err, "unit")
		_, err = db.PutPropaganda(sys, planID, "25195-BBV", antq.PropagandaInput{Reached: ptr[int64](10), AsOf: antq.MustDate("2023-10-01")})
		wantInvalid(t, err, "unit")
		_, err = importText(sys, db, "t.csv", []byte("level,code,name,type,parent_code,valid_from\nsecurity_team,25195-TBV1,Tổ bảo vệ ANTT khu phố 1,Tổ,25195,2024-06-01\n"), unitfile.Options{})
		if err == nil || !strings.Contains(err.Error(), "01/07/2024") {
			t.Fatalf("a security team before the Law: %v", err)
		}
		staff := figureOf(t, rep, rules.IndicatorPropagandaStaff)
		if _, err := db.PutRegistration(sys, planID, "70-TCCT01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}); err != nil {
			t.Fatalf("the budget-funded women's union registers as an agency: %v", err)
		}
		_, err = db.PutRegistration(sys, planID, "70-TCCT02", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")})
		wantInvalid(t, err, "unit")
		// Its propaganda counts among the agencies' (the staff target's
		// population is every agency, enterprise and school).
		if _, err := db.PutPropaganda(sys, planID, "70-TCCT01", antq.PropagandaInput{Reached: ptr[int64](38), AsOf: antq.MustDate("2023-10-01")}); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.Indicators(sys, planID, "")
		if got := figureOf(t, rep, rules.IndicatorPropagandaStaff); got.Num != staff.Num+1 || got.Den != staff.Den {
			t.Fatalf("staff propaganda %d/%d after the union's 38/40, want %d/%d", got.Num, got.Den, staff.Num+1, staff.Den)
		}

		// The branch without legal personality: refused, with the plan's
		// reason, on every fact.
		for name, err := range map[string]error{
			"registration": func() error {
				_, err := db.PutRegistration(sys, planID, "689-DN003", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")})
				return err
			}(),
			"propaganda": func() error {
				_, err := db.PutPropaganda(sys, planID, "689-DN003", antq.PropagandaInput{Reached: ptr[int64](30), AsOf: antq.MustDate("2023-10-01")})
				return err
			}(),
			"model": func() error {
				_, err := db.CreateModel(sys, planID, "689-DN003", antq.ModelInput{Name: ptr("Tổ an ninh"), Kind: ptr("tu_quan"), Status: ptr(antq.ModelNew)})
				return err
			}(),
		} {
			wantInvalid(t, err, "unit")
			if why := antq.ErrorFields(err)["unit"]; !strings.Contains(why, "đối tượng thi đua") || !strings.Contains(why, "tư cách pháp nhân") {
				t.Errorf("%s of the branch: reason %q", name, why)
			}
		}

		// The central agency's recognition is decided by the province.
		if _, err := db.PutRegistration(sys, planID, "70-TW01", antq.Registration{RegisteredOn: antq.MustDate("2023-03-01")}); err != nil {
			t.Fatal(err)
		}
		province := asUser(t, db, "catinh", antq.RoleReviewer, "70")
		d, err := db.Dossier(province, planID, "70-TW01", yearend.DossierRecognition)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(d.AuthorityLabel, "UBND") || !strings.Contains(d.AuthorityLabel, "tỉnh") {
			t.Fatalf("deciding authority of a central agency = %q", d.AuthorityLabel)
		}
		rec := antq.Recognition{Result: antq.RecognitionMet, DecidedOn: antq.MustDate("2023-11-20"),
			Decision: &antq.DocumentRef{Number: "90/QĐ-UBND", Date: antq.MustDate("2023-11-20")}}
		district := asUser(t, db, "cahuyen", antq.RoleReviewer, "689")
		_, err = db.PutRecognition(district, planID, "70-TW01", rec)
		wantCode(t, err, antq.ENOTFOUND) // outside the district's scope
		if _, err := db.PutRecognition(province, planID, "70-TW01", rec); err != nil {
			t.Fatalf("the province decides for the central agency: %v", err)
		}
		assertRebuildEqual(t, db)

		// The flags belong to their kinds.
		_, err = importText(antq.SystemContext(context.Background()), db, "x.csv", []byte(`level,code,name,type,parent_code,budget_funded,no_legal_entity
agency,70-CQ009,Sở Y tế,Sở,70,x,
school,70-TH09,Trường THPT A,Trường,70,,x
`), unitfile.Options{ValidFrom: antq.MustDate("2022-01-01")})
		if err == nil || !strings.Contains(err.Error(), "budget_funded") || !strings.Contains(err.Error(), "no_legal_entity") {
			t.Fatalf("flags on the wrong kinds: %v", err)
		}
	})
}
