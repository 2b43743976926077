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
var UnitKinds = []UnitKind{
	KindNation, KindProvince, KindDistrict, KindCommune, KindResidentialArea,
	KindAgency, KindEnterprise, KindSchool, KindReligiousOrg, KindSocioPoliticalOrg,
}

// Valid reports whether k is one of the known kinds.
func (k UnitKind) Valid() bool {
	for _, v := range UnitKinds {
		if v == k {
			return true
		}
	}
	return false
}

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

// Label is the Vietnamese name of the kind, as users read it.
func (k UnitKind) Label() string {
	switch k {
	case KindNation:
		return "Toàn quốc"
	case KindProvince:
		return "Tỉnh, thành phố"
	case KindDistrict:
		return "Huyện, thị xã, thành phố thuộc tỉnh"
	case KindCommune:
		return "Xã, phường, thị trấn"
	case KindResidentialArea:
		return "Khu dân cư"
	case KindAgency:
		return "Cơ quan"
	case KindEnterprise:
		return "Doanh nghiệp"
	case KindSchool:
		return "Cơ sở giáo dục"
	case KindReligiousOrg:
		return "Tổ chức tôn giáo"
	case KindSocioPoliticalOrg:
		return "Tổ chức chính trị - xã hội"
	}
	return string(k)
}
