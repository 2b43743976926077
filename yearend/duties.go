package yearend

import (
	"slices"

	"antq"
)

// Separation of duties. A unit does not certify itself: the unit under
// assessment prepares and submits its dossier, a level above it reviews
// (or returns) it, and the deciding authority of the rule set — or a level
// above that authority — decides. Whoever submitted a dossier neither
// reviews nor decides it. The command line (the system actor, with no
// unit) may take every step: it loads demos and repairs data.

// Actor is who attempts a workflow step.
type Actor struct {
	Username string
	UnitID   int64 // the unit the account belongs to
	System   bool  // the command line: no unit, every step allowed
	// What the role grants (antq.RolePermissions): fact:write (edit,
	// submit) and fact:decide (override, review, return, decide, reopen).
	MayWrite, MayDecide bool
}

// ActorOf is the actor of a user (nil: nobody, who may do nothing). The
// command line acts as a user with no id and no unit.
func ActorOf(u *antq.User) Actor {
	if u == nil {
		return Actor{}
	}
	return Actor{Username: u.Username, UnitID: u.UnitID, System: u.ID == 0 && u.UnitID == 0,
		MayWrite: u.Can(antq.PermFactWrite), MayDecide: u.Can(antq.PermFactDecide)}
}

// History is who took the dossier's earlier steps in its current round
// (user names; "" for a step not taken).
type History struct {
	SubmittedBy string
	ReviewedBy  string
}

// DecidingUnit places the deciding authority in the unit tree.
type DecidingUnit struct {
	Label string // "UBND xã Tân Phú", or the rule's "UBND cấp xã"
	// Chain is the unit whose authority decides (the assessed unit's
	// nearest ancestor at the rule's managing level) followed by its
	// ancestors up to the root. Empty when the tree holds no such unit.
	Chain []int64
}

// Step is a workflow step someone attempts on a unit's dossier.
type Step struct {
	Action    Action
	Actor     Actor
	UnitID    int64  // the unit under assessment
	UnitName  string // for the messages
	History   History
	Authority DecidingUnit
}

// CheckDuties decides whether the actor may take the step by the rules of
// separation of duties alone (CheckTransition adds the role, the state and
// the dossier's completeness). A refusal is an EFORBIDDEN error whose
// message says why, in Vietnamese.
func CheckDuties(s Step) error {
	if s.Actor.System {
		return nil
	}
	what := actionLabel(s.Action)
	switch s.Action {
	case Return, Review, Decide, Reopen:
		if s.Actor.UnitID == s.UnitID {
			return antq.Errorf(antq.EFORBIDDEN, "Tài khoản thuộc chính đơn vị được đánh giá (%s) không được %s hồ sơ của đơn vị mình: việc này thuộc cấp trên", s.UnitName, what)
		}
	}
	switch s.Action {
	case Review, Decide:
		if s.History.SubmittedBy != "" && s.History.SubmittedBy == s.Actor.Username {
			return antq.Errorf(antq.EFORBIDDEN, "Người đã gửi hồ sơ (%s) không được tự %s hồ sơ đó: cần một người khác thực hiện", s.Actor.Username, what)
		}
	}
	switch s.Action {
	case Decide, Reopen:
		if len(s.Authority.Chain) == 0 {
			return antq.Errorf(antq.EFORBIDDEN, "Không xác định được đơn vị của cơ quan có thẩm quyền (%s) trong cây đơn vị, nên không thể %s hồ sơ", labelOr(s.Authority.Label), what)
		}
		if !slices.Contains(s.Authority.Chain, s.Actor.UnitID) {
			return antq.Errorf(antq.EFORBIDDEN, "Chỉ %s hoặc cấp trên được %s hồ sơ này; tài khoản của bạn không thuộc đơn vị có thẩm quyền", labelOr(s.Authority.Label), what)
		}
	}
	return nil
}

func labelOr(label string) string {
	if label == "" {
		return "cơ quan có thẩm quyền"
	}
	return label
}
