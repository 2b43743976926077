package rules

import (
	"embed"
	"fmt"
	"slices"
	"sync"

	"antq"
)

// The award catalogue (issue 15): the forms of commendation the movement
// uses (REFERENCE §4.2), each dated by its legal basis — the 2003 law with
// NĐ 91/2017 for plan year 2023, the 2022 law with NĐ 98/2023 from 2024,
// TT 11/2021 then TT 20/2025 for the Kỷ niệm chương — with who may receive
// it, who awards it and the eligibility rules the software can check.
// Values REFERENCE marks unverified are data with verified=false.

//go:embed data/awards/*.json
var awardFS embed.FS

// AwardCatalogue is the forms, loaded from data/awards.
type AwardCatalogue struct {
	Forms []*AwardForm `json:"forms" rules:"required"`
}

// AwardForm is one form of commendation.
type AwardForm struct {
	Code        string         `json:"code" rules:"required"`
	Name        string         `json:"name" rules:"required"`
	Recipients  []string       `json:"recipients" rules:"required"` // individual, collective, household
	Authority   string         `json:"authority" rules:"required"`  // who awards it
	OncePerLife bool           `json:"once_per_life"`
	Citation    Citation       `json:"citation" rules:"required"`
	Versions    []AwardVersion `json:"versions" rules:"required"`
}

// AwardVersion is the form under one legal basis, in force From..To
// (inclusive; To zero: still in force).
type AwardVersion struct {
	Basis     Citation       `json:"basis" rules:"required"`
	From      antq.Date      `json:"from" rules:"required"`
	To        *antq.Date     `json:"to,omitempty"`
	Service   *ServiceRule   `json:"service,omitempty"`
	Leader    *ServiceRule   `json:"leader,omitempty"`
	Refused   []StandingRule `json:"refused,omitempty"`   // standings that exclude the award
	Postponed []StandingRule `json:"postponed,omitempty"` // standings that put it off
	// Documents are the files the dossier must carry to be submitted.
	Documents []DocumentRule `json:"documents,omitempty"`
	// Disclosure, when set, is the public disclosure of the nominees the
	// form requires before submission (a period on the public page).
	Disclosure *DisclosureRule `json:"disclosure,omitempty"`
	Note       string          `json:"note,omitempty"`
}

// DocumentRule is a document (antq.DocumentKind: proposal, achievements,
// minutes) the dossier must carry.
type DocumentRule struct {
	Kind     string   `json:"kind" rules:"required"`
	Citation Citation `json:"citation" rules:"required"`
}

// DisclosureRule: the nominees are disclosed publicly for at least MinDays
// days (0: the texts give no minimum the catalogue knows of; any period).
type DisclosureRule struct {
	MinDays  int      `json:"min_days,omitempty"`
	Citation Citation `json:"citation" rules:"required"`
}

// ServiceRule: people in Roles qualify with at least Men / Women years of
// service (Leader rules: the same years for both).
type ServiceRule struct {
	Roles    []string `json:"roles" rules:"required"`
	Men      int      `json:"men" rules:"required"`
	Women    int      `json:"women" rules:"required"`
	Citation Citation `json:"citation" rules:"required"`
}

// StandingRule names a standing (prosecuted, compulsory_education,
// disciplinary_review, dismissed, betrayal) and its source.
type StandingRule struct {
	Standing string   `json:"standing" rules:"required"`
	Label    string   `json:"label" rules:"required"`
	Citation Citation `json:"citation" rules:"required"`
}

// AwardCandidate is what eligibility looks at; the caller loads it from
// the person (or unit) and the award history.
type AwardCandidate struct {
	Recipient    string // individual, collective, household
	Gender       antq.Gender
	Role         antq.PersonRole
	ServiceYears int      // in the role, counted as of the date checked
	Received     []string // codes of forms already received (not cancelled)
	Standings    []string // current standings (prosecuted, disciplinary_review, …)
}

// Ineligibility is a failing rule, named, with its source; Postponed: the
// candidate may be proposed again once the standing ends.
type Ineligibility struct {
	Rule      string   `json:"rule"`
	Reason    string   `json:"reason"`
	Postponed bool     `json:"postponed"`
	Citation  Citation `json:"citation"`
}

var embeddedAwards = sync.OnceValues(func() (*AwardCatalogue, error) {
	data, err := awardFS.ReadFile("data/awards/awards.json")
	if err != nil {
		return nil, err
	}
	return LoadAwardCatalogue("data/awards/awards.json", data)
})

// Awards returns the catalogue built into the binary.
func Awards() (*AwardCatalogue, error) { return embeddedAwards() }

// LoadAwardCatalogue decodes and checks a catalogue file strictly.
func LoadAwardCatalogue(file string, data []byte) (*AwardCatalogue, error) {
	var c AwardCatalogue
	if _, err := decodeFile(file, data, &c); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, f := range c.Forms {
		if seen[f.Code] {
			return nil, fmt.Errorf("%s: form %s twice", file, f.Code)
		}
		seen[f.Code] = true
		for _, r := range f.Recipients {
			if r != "individual" && r != "collective" && r != "household" {
				return nil, fmt.Errorf("%s: form %s: recipient %q", file, f.Code, r)
			}
		}
		for i, v := range f.Versions {
			for _, d := range v.Documents {
				if k := antq.DocumentKind(d.Kind); !k.Valid() || k == antq.DocumentOther {
					return nil, fmt.Errorf("%s: form %s version %d: document kind %q", file, f.Code, i+1, d.Kind)
				}
			}
			for _, s := range append(slices.Clone(v.Refused), v.Postponed...) {
				if !antq.Standing(s.Standing).Valid() {
					return nil, fmt.Errorf("%s: form %s version %d: standing %q", file, f.Code, i+1, s.Standing)
				}
			}
			if v.Disclosure != nil && v.Disclosure.MinDays < 0 {
				return nil, fmt.Errorf("%s: form %s version %d: negative disclosure days", file, f.Code, i+1)
			}
			if v.To != nil && v.To.Before(v.From) {
				return nil, fmt.Errorf("%s: form %s version %d ends before it starts", file, f.Code, i+1)
			}
			if i > 0 && (f.Versions[i-1].To == nil || !f.Versions[i-1].To.Before(v.From)) {
				return nil, fmt.Errorf("%s: form %s: versions %d and %d overlap", file, f.Code, i, i+1)
			}
		}
	}
	return &c, nil
}

// Form returns the form with code and its version in force on day on.
func (c *AwardCatalogue) Form(code string, on antq.Date) (*AwardForm, *AwardVersion, error) {
	for _, f := range c.Forms {
		if f.Code != code {
			continue
		}
		for i := range f.Versions {
			v := &f.Versions[i]
			if !on.Before(v.From) && (v.To == nil || !on.After(*v.To)) {
				return f, v, nil
			}
		}
		return f, nil, antq.Errorf(antq.EINVALID, "Hình thức %s không có căn cứ pháp lý áp dụng ngày %s", f.Name, on.VN())
	}
	return nil, nil, antq.Errorf(antq.ENOTFOUND, "Không có hình thức khen thưởng %q", code)
}

// Check lists every rule the candidate fails for form code on day on
// (empty: eligible as far as the software can tell).
func (c *AwardCatalogue) Check(code string, on antq.Date, cand AwardCandidate) ([]Ineligibility, error) {
	f, v, err := c.Form(code, on)
	if err != nil {
		return nil, err
	}
	var out []Ineligibility
	if !slices.Contains(f.Recipients, cand.Recipient) {
		out = append(out, Ineligibility{Rule: "recipient", Reason: f.Name + " không trao cho đối tượng này", Citation: f.Citation})
	}
	if f.OncePerLife && slices.Contains(cand.Received, f.Code) {
		out = append(out, Ineligibility{Rule: "once_per_life", Reason: f.Name + " chỉ trao một lần cho mỗi người; người này đã được trao", Citation: f.Citation})
	}
	if v.Service != nil && cand.Recipient == "individual" {
		if r, ok := serviceFailure(v.Service, v.Leader, cand); !ok {
			out = append(out, r)
		}
	}
	for _, s := range v.Refused {
		if slices.Contains(cand.Standings, s.Standing) {
			out = append(out, Ineligibility{Rule: "refused." + s.Standing, Reason: "Không xét khen: " + s.Label, Citation: s.Citation})
		}
	}
	for _, s := range v.Postponed {
		if slices.Contains(cand.Standings, s.Standing) {
			out = append(out, Ineligibility{Rule: "postponed." + s.Standing, Reason: "Tạm hoãn xét khen: " + s.Label, Postponed: true, Citation: s.Citation})
		}
	}
	return out, nil
}

// serviceFailure checks the years of service: a role of the service rule
// needs its years by gender; a leader's role, the leader rule's years.
func serviceFailure(service, leader *ServiceRule, cand AwardCandidate) (Ineligibility, bool) {
	rule := service
	if leader != nil && slices.Contains(leader.Roles, string(cand.Role)) {
		rule = leader
	} else if !slices.Contains(service.Roles, string(cand.Role)) {
		return Ineligibility{Rule: "service.role", Reason: fmt.Sprintf("vai trò “%s” không thuộc đối tượng xét tặng", cand.Role.Label()), Citation: service.Citation}, false
	}
	need := rule.Men
	if cand.Gender == antq.GenderFemale {
		need = rule.Women
	}
	if cand.ServiceYears < need {
		return Ineligibility{Rule: "service.years", Reason: fmt.Sprintf("cần ít nhất %d năm công tác (%s), mới có %d năm", need, cand.Gender.Label(), cand.ServiceYears), Citation: rule.Citation}, false
	}
	return Ineligibility{}, true
}

// MissingDocuments are the documents the version requires that the
// dossier's files (their kinds) lack, in the catalogue's order.
func (v *AwardVersion) MissingDocuments(have []antq.DocumentKind) []DocumentRule {
	var out []DocumentRule
	for _, d := range v.Documents {
		if !slices.Contains(have, antq.DocumentKind(d.Kind)) {
			out = append(out, d)
		}
	}
	return out
}

// CheckDisclosure says what is wrong with the disclosure period from..to
// (inclusive) for the form name under version v: the field and the reason,
// or "" when the form requires none or the period is enough.
func (v *AwardVersion) CheckDisclosure(name string, from, to antq.Date) (field, reason string) {
	d := v.Disclosure
	if d == nil {
		return "", ""
	}
	if from.IsZero() || to.IsZero() {
		return "disclosed_from", fmt.Sprintf("%s phải công khai danh sách đề nghị khen thưởng trước khi trình (%s): cần thời gian công khai", name, d.Citation.Ref)
	}
	days := int(to.Time().Sub(from.Time()).Hours()/24+0.5) + 1
	if d.MinDays > 0 && days < d.MinDays {
		return "disclosed_to", fmt.Sprintf("thời gian công khai %d ngày, %s cần ít nhất %d ngày (%s)", days, name, d.MinDays, d.Citation.Ref)
	}
	return "", ""
}
