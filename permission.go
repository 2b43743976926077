package antq

import "slices"

// Permission is one "resource:action" a route or service call needs.
type Permission string

const (
	PermUnitRead      Permission = "unit:read"      // see units in scope
	PermUnitWrite     Permission = "unit:write"     // create, change, import units
	PermPlanRead      Permission = "plan:read"      // see plans, rule sets, indicators
	PermPlanWrite     Permission = "plan:write"     // load plans
	PermFactRead      Permission = "fact:read"      // see a unit's facts and evidence
	PermFactWrite     Permission = "fact:write"     // record facts of units in scope
	PermFactDecide    Permission = "fact:decide"    // enter or decide recognition and grades
	PermUserAdmin     Permission = "user:admin"     // manage accounts
	PermAuditRead     Permission = "audit:read"     // browse the audit trail
	PermSelf          Permission = "self:manage"    // own password, own tokens
	PermClusterRead   Permission = "cluster:read"   // see the clusters one is part of (scope decides what)
	PermClusterWrite  Permission = "cluster:write"  // create and change clusters (members, head, pact, sheet)
	PermClusterScore  Permission = "cluster:score"  // score in a cluster: self-score, review, close the ranking
	PermPersonRead    Permission = "person:read"    // see people (personal data) and exemplary cases in scope
	PermPersonWrite   Permission = "person:write"   // record people
	PermCaseWrite     Permission = "case:write"     // report exemplary cases, add photos, record consent
	PermCaseReview    Permission = "case:review"    // check a reported case (or return it)
	PermCasePublish   Permission = "case:publish"   // put a reviewed, consented case on the public page
	PermAwardRead     Permission = "award:read"     // see nominations, awards and suggestions in scope
	PermAwardNominate Permission = "award:nominate" // draft, edit and submit nominations for an award
	PermAwardDecide   Permission = "award:decide"   // record the authority's decision, refuse, cancel an award
)

// Permissions is the catalogue, for documentation and validation.
var Permissions = []Permission{PermUnitRead, PermUnitWrite, PermPlanRead, PermPlanWrite, PermFactRead,
	PermFactWrite, PermFactDecide, PermUserAdmin, PermAuditRead, PermSelf, PermClusterRead, PermClusterWrite, PermClusterScore,
	PermPersonRead, PermPersonWrite, PermCaseWrite, PermCaseReview, PermCasePublish, PermAwardRead, PermAwardNominate, PermAwardDecide}

// rolePermissions grants permissions to roles. It is unexported so that
// nothing changes the policy at run time; it is read through User.Can. What
// a role may touch is further limited to its unit's subtree by the store,
// and for writing by the role's Reach. The audit trail (who did what, from
// where) is for admins only. Every role reads the clusters it is part of
// (package cluster decides what of them: a member sees its own row, the
// head unit's cluster_head the whole cluster); the organiser's admins and
// plan managers change clusters; scoring is the members' (self-score) and
// the head's or organiser's (review, closing the ranking).
// Personal data (people, exemplary cases) is for those who record and check
// it — data entry, reviewers, administrators — not for readers of figures
// (Nghị định 13/2023: minimisation). Awards follow the same line (a
// nomination names a person): data entry nominates, reviewers and
// administrators also record the awarding authority's decision.
var rolePermissions = map[Role][]Permission{
	RoleAdmin: {PermUnitRead, PermUnitWrite, PermPlanRead, PermPlanWrite, PermFactRead, PermFactWrite,
		PermFactDecide, PermUserAdmin, PermAuditRead, PermSelf, PermClusterRead, PermClusterWrite, PermClusterScore,
		PermPersonRead, PermPersonWrite, PermCaseWrite, PermCaseReview, PermCasePublish, PermAwardRead, PermAwardNominate, PermAwardDecide},
	RolePlanManager: {PermUnitRead, PermPlanRead, PermPlanWrite, PermFactRead, PermSelf, PermClusterRead, PermClusterWrite},
	RoleReviewer: {PermUnitRead, PermPlanRead, PermFactRead, PermFactWrite, PermFactDecide, PermSelf, PermClusterRead, PermClusterScore,
		PermPersonRead, PermPersonWrite, PermCaseWrite, PermCaseReview, PermCasePublish, PermAwardRead, PermAwardNominate, PermAwardDecide},
	RoleDataEntry: {PermUnitRead, PermPlanRead, PermFactRead, PermFactWrite, PermSelf, PermClusterRead, PermClusterScore,
		PermPersonRead, PermPersonWrite, PermCaseWrite, PermAwardRead, PermAwardNominate},
	RoleViewer:      {PermUnitRead, PermPlanRead, PermFactRead, PermSelf, PermClusterRead},
	RoleClusterHead: {PermUnitRead, PermPlanRead, PermFactRead, PermSelf, PermClusterRead, PermClusterScore},
}

// Can reports whether the user's role grants p. A nil or disabled user can
// do nothing.
func (u *User) Can(p Permission) bool {
	if u == nil || u.Disabled {
		return false
	}
	return slices.Contains(rolePermissions[u.Role], p)
}

// Reach limits which units of its scope a role may change facts of. Reading
// is always the whole subtree of the user's unit; changing is the subtree for
// every role but data entry, which records the facts of its own post.
type Reach string

const (
	// ReachSubtree: every unit of the subtree (reviewer, admin).
	ReachSubtree Reach = "subtree"
	// ReachOwnUnit: the user's unit and the residential areas and
	// organisations attached directly to it — for a commune user, the
	// commune, its residential areas and the organisations it manages; for a
	// residential-area head or an organisation's officer, that unit only.
	ReachOwnUnit Reach = "own_unit"
)

// roleReach is the write reach of each role (read only, through
// User.Reach); roles not listed reach their whole subtree (their
// permissions still decide whether they write at all).
var roleReach = map[Role]Reach{RoleDataEntry: ReachOwnUnit}

// Reach returns the user's write reach.
func (u *User) Reach() Reach {
	if u == nil {
		return ReachOwnUnit
	}
	if r, ok := roleReach[u.Role]; ok {
		return r
	}
	return ReachSubtree
}

// MayChange reports whether the user's reach covers target, a unit already
// known to be in the user's scope (the store enforces scope; this narrows
// it for data entry).
func (u *User) MayChange(target *Unit) bool {
	if u == nil || target == nil {
		return false
	}
	if u.Reach() == ReachSubtree || target.Code == u.UnitCode {
		return true
	}
	return target.ParentCode == u.UnitCode && (target.Kind == KindResidentialArea || target.Kind.Organisation())
}
