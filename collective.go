package antq

// FactCollectiveAssessment is the year's assessment of a collective of the
// grass-roots forces (Công an xã, Tổ bảo vệ an ninh, trật tự, ban bảo vệ
// dân phố): the level it reached, who assessed it, when and on what basis.
const FactCollectiveAssessment FactKind = "collective_assessment"

// CollectiveLevel is a level of Hướng dẫn 01/HD-BCA-V05 (REFERENCE §6.3,
// the four levels for teams and members [V]), best first.
type CollectiveLevel string

const (
	CollectiveExcellent CollectiveLevel = "xuat_sac"         // hoàn thành xuất sắc nhiệm vụ
	CollectiveGood      CollectiveLevel = "tot"              // hoàn thành tốt nhiệm vụ
	CollectiveDone      CollectiveLevel = "hoan_thanh"       // hoàn thành nhiệm vụ
	CollectiveNotDone   CollectiveLevel = "khong_hoan_thanh" // không hoàn thành nhiệm vụ
)

var collectiveLevels = CodeList[CollectiveLevel]{
	{CollectiveExcellent, "Hoàn thành xuất sắc nhiệm vụ"},
	{CollectiveGood, "Hoàn thành tốt nhiệm vụ"},
	{CollectiveDone, "Hoàn thành nhiệm vụ"},
	{CollectiveNotDone, "Không hoàn thành nhiệm vụ"},
}

// CollectiveLevels lists the levels, best first.
var CollectiveLevels = collectiveLevels.Codes()

// Valid reports whether l is a known level.
func (l CollectiveLevel) Valid() bool { return collectiveLevels.Valid(l) }

// Label is the Vietnamese name of the level.
func (l CollectiveLevel) Label() string { return collectiveLevels.Label(l) }

// CollectiveAssessment is a collective's assessment for the plan year. It is
// decided by the commune (the Chairman of UBND cấp xã decides for the teams,
// REFERENCE §6.3), so like a recognition it is not approved but decided: once
// it carries a decision it changes only by a new decision naming the old.
type CollectiveAssessment struct {
	Level      CollectiveLevel `json:"level"`
	AssessedOn Date            `json:"assessed_on"`
	AssessedBy string          `json:"assessed_by"` // who assessed (person or body)
	Basis      string          `json:"basis"`       // on what basis (minutes, report, …)
	Decision   *DocumentRef    `json:"decision"`
	// Replaces, on input, is the number of the decision a new decision
	// replaces; ReplacedDecision is the earlier decision this one replaced.
	Replaces         string       `json:"-"`
	ReplacedDecision *DocumentRef `json:"replaced_decision"`
	Stamp
}
