package antq_test

import (
	"strings"
	"testing"

	"antq"
)

// The grass-roots forces are collectives under their commune: not
// organisations (no TT 124 registration, no propaganda, no models), with
// the dates the Law on the forces gives them.
func TestCollectives(t *testing.T) {
	for _, k := range []antq.UnitKind{antq.KindCommunePolice, antq.KindSecurityTeam, antq.KindStreetProtectionBoard} {
		if !k.Valid() || !k.Collective() || k.Organisation() || k.Geographic() || k.RecordsPropaganda() || k.BuildsModels() {
			t.Errorf("%s: valid %v collective %v organisation %v", k, k.Valid(), k.Collective(), k.Organisation())
		}
		if strings.ContainsAny(k.Label(), "_") || k.Label() == string(k) {
			t.Errorf("%s has no Vietnamese label: %q", k, k.Label())
		}
		if !antq.AllowedParent(k, antq.KindCommune) || antq.AllowedParent(k, antq.KindDistrict) || antq.AllowedParent(k, antq.KindResidentialArea) {
			t.Errorf("%s may hang only under a commune", k)
		}
	}
	if antq.KindAgency.Collective() || !antq.KindAgency.Organisation() {
		t.Error("an agency is an organisation, not a collective of the forces")
	}
	for _, tt := range []struct {
		name  string
		unit  antq.Unit
		field string
	}{
		{"a security team before the Law", antq.Unit{Code: "T1", Kind: antq.KindSecurityTeam, Name: "Tổ 1", ValidFrom: antq.MustDate("2024-06-30")}, "valid_from"},
		{"a street-protection board still in force", antq.Unit{Code: "B1", Kind: antq.KindStreetProtectionBoard, Name: "Ban 1", ValidFrom: antq.MustDate("2020-01-01")}, "valid_to"},
		{"a street-protection board past 30/06/2024", antq.Unit{Code: "B2", Kind: antq.KindStreetProtectionBoard, Name: "Ban 2", ValidFrom: antq.MustDate("2020-01-01"), ValidTo: antq.MustDate("2024-07-01")}, "valid_to"},
		{"budget funding on an agency", antq.Unit{Code: "A1", Kind: antq.KindAgency, Name: "Sở", ValidFrom: antq.MustDate("2020-01-01"), Flags: antq.UnitFlags{BudgetFunded: true}}, "budget_funded"},
	} {
		err := tt.unit.Validate()
		if antq.ErrorFields(err)[tt.field] == "" {
			t.Errorf("%s: %v, want a reason on %s", tt.name, err, tt.field)
		}
	}
	for _, u := range []antq.Unit{
		{Code: "T2", Kind: antq.KindSecurityTeam, Name: "Tổ 2", ValidFrom: antq.MustDate("2024-07-01")},
		{Code: "B3", Kind: antq.KindStreetProtectionBoard, Name: "Ban 3", ValidFrom: antq.MustDate("2020-01-01"), ValidTo: antq.MustDate("2024-06-30")},
		{Code: "C1", Kind: antq.KindCommunePolice, Name: "Công an phường Tân Phú", ValidFrom: antq.MustDate("2020-01-01")},
	} {
		if err := u.Validate(); err != nil {
			t.Errorf("%s: %v", u.Code, err)
		}
	}
	// A budget-funded socio-political organisation competes as an agency.
	if k := antq.CompetingKind(antq.KindSocioPoliticalOrg, antq.UnitFlags{BudgetFunded: true}); k != antq.KindAgency {
		t.Errorf("budget-funded socio-political organisation competes as %s", k)
	}
	if k := antq.CompetingKind(antq.KindSocioPoliticalOrg, antq.UnitFlags{}); k != antq.KindSocioPoliticalOrg {
		t.Errorf("unfunded socio-political organisation competes as %s", k)
	}
}
