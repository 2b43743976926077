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
)

// UnitKinds lists every kind in display order.
var UnitKinds = unitKinds.codes()

var unitKinds = codeList[UnitKind]{
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
}

// Valid reports whether k is one of the known kinds.
func (k UnitKind) Valid() bool { return unitKinds.valid(k) }

// Label is the Vietnamese name of the kind, as users read it.
func (k UnitKind) Label() string { return unitKinds.label(k) }

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
func (k UnitKind) Organisation() bool { return k.Valid() && !k.Geographic() }

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
