package yearend

import (
	"slices"

	"antq"
)

// NoticeKind is what a notice warns of (issue 16 item 15).
type NoticeKind string

const (
	NoticeReturned NoticeKind = "returned" // returned to the user who submitted it, with the reason
	NoticeLate     NoticeKind = "late"     // past its deadline and not decided
	NoticeDue      NoticeKind = "due"      // due within WarnDays
)

var noticeKinds = antq.CodeList[NoticeKind]{
	{Code: NoticeReturned, Label: "Bị trả lại"},
	{Code: NoticeLate, Label: "Quá hạn"},
	{Code: NoticeDue, Label: "Sắp đến hạn"},
}

// Label names the kind in Vietnamese ("" when unknown).
func (k NoticeKind) Label() string { return noticeKinds.LabelOr(k, "") }

// Notice is one thing a user has to act on: a dossier late or due soon in
// the user's scope, or a dossier or fact returned to the user.
type Notice struct {
	Kind     NoticeKind
	Unit     *antq.Unit
	Dossier  DossierKind   // the dossier, or "" for a fact
	Fact     antq.FactKind // the fact returned, or ""
	State    State         // a dossier's state
	Due      antq.Date     // the deadline (late, due)
	DaysLeft int
	Reason   string // why it was returned
}

// Notices is a user's notices, the most pressing first, with the count of
// each kind (the list may be cut; the counts are not).
type Notices struct {
	Items               []Notice
	Returned, Late, Due int
}

// Total is the count the header shows.
func (n *Notices) Total() int {
	if n == nil {
		return 0
	}
	return n.Returned + n.Late + n.Due
}

// NoticesFrom orders the notices — returned first (a reason to act on),
// then late (longest overdue first), then due (soonest first) — counts each
// kind and keeps at most limit items (0: all).
func NoticesFrom(items []Notice, limit int) *Notices {
	rank := map[NoticeKind]int{NoticeReturned: 0, NoticeLate: 1, NoticeDue: 2}
	slices.SortStableFunc(items, func(a, b Notice) int {
		if ra, rb := rank[a.Kind], rank[b.Kind]; ra != rb {
			return ra - rb
		}
		return a.DaysLeft - b.DaysLeft
	})
	n := &Notices{}
	for _, it := range items {
		switch it.Kind {
		case NoticeReturned:
			n.Returned++
		case NoticeLate:
			n.Late++
		case NoticeDue:
			n.Due++
		}
	}
	if limit > 0 && len(items) > limit {
		items = items[:limit]
	}
	n.Items = items
	return n
}

// DeadlineNotice is the notice a dossier's deadline gives, if any: late or
// due within WarnDays, never for a decided dossier.
func DeadlineNotice(it InboxItem) (Notice, bool) {
	if it.State == Decided || it.Deadline == nil {
		return Notice{}, false
	}
	n := Notice{Unit: it.Unit, Dossier: it.Kind, State: it.State, Due: it.Deadline.Due, DaysLeft: it.Deadline.DaysLeft}
	switch {
	case it.Deadline.Late:
		n.Kind = NoticeLate
	case it.Deadline.DueSoon:
		n.Kind = NoticeDue
	default:
		return Notice{}, false
	}
	return n, true
}
