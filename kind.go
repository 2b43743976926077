package antq

// UnitKind is what a unit is: a level of the administrative tree or a kind of
// organisation hanging under the unit that manages it.
type UnitKind string

const (
	KindNation            UnitKind = "nation"
	KindProvince          UnitKind = "province"
	KindDistrict          UnitKind = "district"
	KindCommune           UnitKind = "commune"
	KindResidentialArea   UnitKind = "residential_area"
	KindAgency            UnitKind = "agency"
	KindEnterprise        UnitKind = "enterprise"
	KindSchool            UnitKind = "school"
	KindReligiousOrg      UnitKind = "religious_org"
	KindSocioPoliticalOrg UnitKind = "socio_political_org"
	// The collectives of the grass-roots forces (the seed's "đối tượng thi
	// đua": Công an xã, ban bảo vệ dân phố; from 01/07/2024 the Tổ bảo vệ
	// an ninh, trật tự of the Law on forces protecting security and order
	// at the grass roots, REFERENCE §6.2): units under a commune that can
	// be assessed and commended as collectives, not organisations that
	// register for TT 124 or report propaganda.
	KindCommunePolice         UnitKind = "commune_police"
	KindSecurityTeam          UnitKind = "security_team"
	KindStreetProtectionBoard UnitKind = "street_protection_board"
)

// UnitKinds lists every kind in display order.
var UnitKinds = unitKinds.Codes()

var unitKinds = CodeList[UnitKind]{
	{KindNation, "Toàn quốc"},
	{KindProvince, "Tỉnh, thành phố"},
	{KindDistrict, "Huyện, thị xã, thành phố thuộc tỉnh"},
	{KindCommune, "Xã, phường, thị trấn"},
	{KindResidentialArea, "Khu dân cư"},
	{KindAgency, "Cơ quan"},
	{KindEnterprise, "Doanh nghiệp"},
	{KindSchool, "Cơ sở giáo dục"},
	{KindReligiousOrg, "Tổ chức tôn giáo"},
	{KindSocioPoliticalOrg, "Tổ chức chính trị - xã hội"},
	{KindCommunePolice, "Công an xã, phường, thị trấn"},
	{KindSecurityTeam, "Tổ bảo vệ an ninh, trật tự ở cơ sở"},
	{KindStreetProtectionBoard, "Ban bảo vệ dân phố"},
}

// Valid reports whether k is one of the known kinds.
func (k UnitKind) Valid() bool { return unitKinds.Valid(k) }

// Label is the Vietnamese name of the kind, as users read it.
func (k UnitKind) Label() string { return unitKinds.Label(k) }

// Geographic reports whether units of this kind form the administrative tree
// (as opposed to organisations attached to a level).
func (k UnitKind) Geographic() bool {
	switch k {
	case KindNation, KindProvince, KindDistrict, KindCommune, KindResidentialArea:
		return true
	}
	return false
}

// Organisation reports whether k is an agency, enterprise, school or another
// organisation attached to the level that manages it.
func (k UnitKind) Organisation() bool { return k.Valid() && !k.Geographic() && !k.Collective() }

// Collective reports whether k is a collective of the grass-roots forces
// (Công an xã, Tổ bảo vệ an ninh, trật tự, ban bảo vệ dân phố): it hangs
// under its commune and competes as a collective.
func (k UnitKind) Collective() bool {
	return k == KindCommunePolice || k == KindSecurityTeam || k == KindStreetProtectionBoard
}

// Days the grass-roots forces changed (Luật Lực lượng tham gia bảo vệ an
// ninh, trật tự ở cơ sở, in force 01/07/2024; REFERENCE §6.2 [V]): the Tổ
// bảo vệ an ninh, trật tự exist from that day, the ban bảo vệ dân phố end
// the day before.
var (
	SecurityTeamsFrom         = MustDate("2024-07-01")
	StreetProtectionBoardsEnd = MustDate("2024-06-30")
)

// CountsHouseholds reports whether the propaganda of units of this kind
// counts the households reached (communes and residential areas); an
// organisation's counts persons (staff and pupils).
func (k UnitKind) CountsHouseholds() bool { return k == KindCommune || k == KindResidentialArea }

// RecordsPropaganda reports whether units of this kind record propaganda
// coverage: communes, residential areas and organisations.
func (k UnitKind) RecordsPropaganda() bool { return k.CountsHouseholds() || k.Organisation() }

// BuildsModels reports whether units of this kind build self-management
// models: communes, residential areas and organisations.
func (k UnitKind) BuildsModels() bool { return k.CountsHouseholds() || k.Organisation() }
