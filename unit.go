package antq

import (
	"strings"
	"unicode/utf8"
)

// ManagingLevel is the level that manages an organisation (and so decides on
// its recognition): an agency of the province hangs under the province unit.
type ManagingLevel string

const (
	ManagedByCentral  ManagingLevel = "central"
	ManagedByProvince ManagingLevel = "province"
	ManagedByDistrict ManagingLevel = "district"
	ManagedByCommune  ManagingLevel = "commune"
)

// Valid reports whether l is a known level (the empty level is valid for
// geographic units).
func (l ManagingLevel) Valid() bool {
	switch l {
	case "", ManagedByCentral, ManagedByProvince, ManagedByDistrict, ManagedByCommune:
		return true
	}
	return false
}

// Unit is one version of a counted node of the movement. A unit lives from
// ValidFrom to ValidTo (inclusive; zero = still in force); a reorganisation
// ends a unit and starts another, linked by a lineage event, so facts stay
// attached to the unit as it was.
type Unit struct {
	ID            int64         `json:"-"`
	Code          string        `json:"code"`
	Kind          UnitKind      `json:"kind"`
	Name          string        `json:"name"`
	Type          string        `json:"type"`
	ParentID      int64         `json:"-"`
	ParentCode    string        `json:"parent_code"`
	ParentName    string        `json:"-"` // for the pages: a unit is named by its parent's name, never a bare code
	ManagingLevel ManagingLevel `json:"managing_level,omitempty"`
	Flags         UnitFlags     `json:"flags"`
	ValidFrom     Date          `json:"valid_from"`
	ValidTo       Date          `json:"valid_to"`
	Size          UnitSize      `json:"-"`
}

// UnitFlags decide eligibility for the "An toàn về ANTT" standard.
type UnitFlags struct {
	ArmedForces     bool `json:"armed_forces"`     // đơn vị lực lượng vũ trang
	SmallEnterprise bool `json:"small_enterprise"` // doanh nghiệp nhỏ và siêu nhỏ
	PrimarySchool   bool `json:"primary_school"`   // tiểu học, mầm non, nhà trẻ
	// BudgetFunded: a socio-political organisation funded by the state
	// budget, which TT 124 counts as a "cơ quan" (CompetingKind).
	BudgetFunded bool `json:"budget_funded"`
	// NoLegalEntity: an enterprise without legal personality (a branch, a
	// business household); the plan's "đối tượng thi đua" names
	// enterprises with legal personality only.
	NoLegalEntity bool `json:"no_legal_entity"`
}

// CompetingKind is the kind a unit competes as in the movement: a
// socio-political organisation funded by the state budget is a "cơ quan"
// under TT 124 (REFERENCE §2.1: state bodies, public service units,
// socio-political and socio-professional organisations with an office and
// state budget funding), so it registers, reports and is recognised as an
// agency; every other unit competes as its own kind.
func CompetingKind(kind UnitKind, f UnitFlags) UnitKind {
	if kind == KindSocioPoliticalOrg && f.BudgetFunded {
		return KindAgency
	}
	return kind
}

// UnitSize is a dated snapshot of a unit's size. Nil counts are unknown.
type UnitSize struct {
	AsOf       Date   `json:"as_of"`
	Households *int64 `json:"households"`
	Staff      *int64 `json:"staff"`
	Pupils     *int64 `json:"pupils"`
}

// Persons is staff plus pupils: the base of an organisation's propaganda
// coverage. It is nil when neither is known.
func (s UnitSize) Persons() *int64 {
	if s.Staff == nil && s.Pupils == nil {
		return nil
	}
	var n int64
	if s.Staff != nil {
		n += *s.Staff
	}
	if s.Pupils != nil {
		n += *s.Pupils
	}
	return &n
}

// MaxCodeLen bounds unit codes; official codes have 2 to 5 digits.
const MaxCodeLen = 40

// ValidCode reports whether code is usable as a unit code: ASCII letters,
// digits, '.', '-' and '_' (codes appear in URLs), 1..MaxCodeLen long.
func ValidCode(code string) bool {
	if code == "" || len(code) > MaxCodeLen {
		return false
	}
	for _, r := range code {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}

// Validate checks the unit's own fields (not its place in the tree) and
// returns an EINVALID error naming each wrong field.
func (u *Unit) Validate() error {
	f := FieldErrors{}
	if !ValidCode(u.Code) {
		f.Add("code", "mã đơn vị phải gồm chữ, số, '.', '-' hoặc '_' (tối đa 40 ký tự)")
	}
	if !u.Kind.Valid() {
		f.Add("kind", "loại đơn vị không hợp lệ: "+string(u.Kind))
	}
	name := strings.TrimSpace(u.Name)
	if name == "" {
		f.Add("name", "tên đơn vị không được để trống")
	} else if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 {
		f.Add("name", "tên đơn vị quá dài hoặc sai mã hóa")
	}
	if utf8.RuneCountInString(u.Type) > 60 {
		f.Add("type", "loại hình quá dài")
	}
	if !u.ManagingLevel.Valid() {
		f.Add("managing_level", "cấp quản lý không hợp lệ: "+string(u.ManagingLevel))
	}
	if u.Flags.BudgetFunded && u.Kind != KindSocioPoliticalOrg {
		f.Add("budget_funded", "chỉ ghi cho tổ chức chính trị - xã hội (cơ quan nhà nước đã là cơ quan)")
	}
	if u.Flags.NoLegalEntity && u.Kind != KindEnterprise {
		f.Add("no_legal_entity", "chỉ ghi cho doanh nghiệp")
	}
	if u.Kind == KindSecurityTeam && !u.ValidFrom.IsZero() && u.ValidFrom.Before(SecurityTeamsFrom) {
		f.Add("valid_from", "Tổ bảo vệ an ninh, trật tự ở cơ sở chỉ có từ ngày 01/07/2024 (Luật Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở)")
	}
	if u.Kind == KindStreetProtectionBoard && (u.ValidTo.IsZero() || StreetProtectionBoardsEnd.Before(u.ValidTo)) {
		f.Add("valid_to", "Ban bảo vệ dân phố chấm dứt từ ngày 01/07/2024: cần ngày hết hiệu lực không muộn hơn 30/06/2024")
	}
	if u.ValidFrom.IsZero() {
		f.Add("valid_from", "cần ngày bắt đầu hiệu lực")
	} else if !u.ValidTo.IsZero() && u.ValidTo.Before(u.ValidFrom) {
		f.Add("valid_to", "ngày hết hiệu lực trước ngày bắt đầu")
	}
	for name, v := range map[string]*int64{"households": u.Size.Households, "staff": u.Size.Staff, "pupils": u.Size.Pupils} {
		if v != nil && *v < 0 {
			f.Add(name, "số lượng không được âm")
		}
	}
	return f.Err("Thông tin đơn vị không hợp lệ")
}

// ActiveOn reports whether the unit is in force on d.
func (u *Unit) ActiveOn(d Date) bool { return Covers(u.ValidFrom, u.ValidTo, d) }

// AllowedParent reports whether a unit of kind child may hang under a unit of
// kind parent. Organisations hang under the level that manages them.
func AllowedParent(child, parent UnitKind) bool {
	switch child {
	case KindNation:
		return false
	case KindProvince:
		return parent == KindNation
	case KindDistrict:
		return parent == KindProvince
	case KindCommune:
		return parent == KindProvince || parent == KindDistrict
	case KindResidentialArea:
		return parent == KindCommune
	case KindCommunePolice, KindSecurityTeam, KindStreetProtectionBoard:
		return parent == KindCommune
	default: // organisations
		return parent == KindNation || parent == KindProvince || parent == KindDistrict || parent == KindCommune
	}
}

// DefaultManagingLevel is the managing level of an organisation that hangs
// under a unit of kind parent.
func DefaultManagingLevel(parent UnitKind) ManagingLevel {
	switch parent {
	case KindNation:
		return ManagedByCentral
	case KindProvince:
		return ManagedByProvince
	case KindDistrict:
		return ManagedByDistrict
	case KindCommune:
		return ManagedByCommune
	}
	return ""
}

// UnitFilter selects units. Zero fields do not filter. Scope is applied by
// the store from the caller in the context, never from this filter.
type UnitFilter struct {
	ID         *int64
	Code       *string
	Kind       *UnitKind
	ParentCode *string // direct children of this unit
	Query      string  // folded and matched anywhere in the name
	AsOf       Date    // in force on this date; zero = any time
	Offset     int
	Limit      int
}

// KindCount is the number of units of one kind, as in a subtree.
type KindCount struct {
	Kind  UnitKind `json:"kind"`
	Count int      `json:"count"`
}

// LineageKind names a reorganisation event.
type LineageKind string

const (
	LineageCreate  LineageKind = "create"
	LineageMerge   LineageKind = "merge"
	LineageSplit   LineageKind = "split"
	LineageRename  LineageKind = "rename"
	LineageRetype  LineageKind = "retype"
	LineageMove    LineageKind = "move"
	LineageAbolish LineageKind = "abolish"
)
