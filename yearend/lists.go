package yearend

import (
	"slices"
	"strings"
	"time"

	"antq"
)

// InboxItem is a dossier waiting for someone, or late.
type InboxItem struct {
	Unit     *antq.Unit
	Kind     DossierKind
	State    State
	Result   string
	Deadline *DeadlineStatus
	Updated  time.Time
	By       string
}

// Late reports whether the item is past its deadline.
func (it InboxItem) Late() bool { return it.Deadline != nil && it.Deadline.Late }

// InboxFilter selects inbox items.
type InboxFilter struct {
	States []State // default: submitted and reviewed
	Kind   DossierKind
	Late   bool // only dossiers past their deadline and not decided
	// Under is a unit's code (a commune): only its own dossiers and those
	// of the units directly attached to it (its residential areas and
	// organisations). "" is every unit in scope.
	Under  string
	Offset int
	Limit  int
}

// Wanted lists the states the filter selects: those asked for, by default
// the dossiers waiting for a review or a decision; for late dossiers, every
// state before the decision.
func (f InboxFilter) Wanted() []State {
	switch {
	case f.Late:
		return []State{Draft, Submitted, Returned, Reviewed}
	case len(f.States) == 0:
		return []State{Submitted, Reviewed}
	}
	return f.States
}

// SortLateFirst puts the late items first, keeping the order otherwise.
func SortLateFirst(items []InboxItem) {
	slices.SortStableFunc(items, func(a, b InboxItem) int {
		switch la, lb := a.Late(), b.Late(); {
		case la && !lb:
			return -1
		case lb && !la:
			return 1
		}
		return 0
	})
}

// BulkResult is the outcome of one unit of a bulk transition.
type BulkResult struct {
	Code   string            `json:"code"`
	State  string            `json:"state,omitempty"`
	Error  string            `json:"error,omitempty"`
	Fields map[string]string `json:"fields,omitempty"`
}

// ResultRow is one unit's year-end results, for lists and exports.
type ResultRow struct {
	Unit           *antq.Unit
	Parent         string
	Registered     *antq.Date
	Recognition    antq.RecognitionResult
	RecognitionDoc string
	RecognitionOn  antq.Date
	Authority      string
	Grade          antq.Grade
	Score          *antq.Tenths
	GradeDoc       string
	DossierState   string // of the recognition dossier, if any
}

// DecisionRow is a decided dossier.
type DecisionRow struct {
	Unit           *antq.Unit
	Parent         string
	Kind           DossierKind
	Result         string
	DecisionNumber string
	DecisionDate   antq.Date
	AuthorityLabel string
	Issuer         Issuer
	IssuerUnit     string // the deciding unit's name ("Phường Tân Phú"), "" if not kept
	Late, Amended  bool
	SignerTitle    string
	SignerName     string
	CertificateNo  int // recognised "đạt": the certificate's number
}

// Place is the place name written before the decision's date ("Tân Phú,
// ngày 15 tháng 11 năm 2023").
func (r DecisionRow) Place() string { return PlaceName(r.IssuerUnit) }

// Signer is the signer's title for the signature block, "Chủ tịch" when
// none was given.
func (r DecisionRow) Signer() string {
	if r.SignerTitle == "" {
		return "Chủ tịch"
	}
	return r.SignerTitle
}

// Key identifies the decision the row belongs to.
func (r DecisionRow) Key() DecisionKey {
	return DecisionKey{Issuer: r.Issuer.Key(), Number: r.DecisionNumber, Date: r.DecisionDate}
}

// OnBehalf is the first line of the signature block: "TM. ỦY BAN NHÂN
// DÂN" for a People's Committee, else "TM. " and the issuer's name.
func (r DecisionRow) OnBehalf() string {
	if r.AuthorityLabel == "" || strings.HasPrefix(r.AuthorityLabel, "UBND") || strings.HasPrefix(r.AuthorityLabel, "Ủy ban nhân dân") {
		return "TM. ỦY BAN NHÂN DÂN"
	}
	return "TM. " + strings.ToUpper(r.AuthorityLabel)
}
