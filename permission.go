package antq

// Permission is one "resource:action" a route or service call needs.
type Permission string

const (
	PermUnitRead    Permission = "unit:read"    // see units in scope
	PermUnitWrite   Permission = "unit:write"   // create, change, import units
	PermPlanRead    Permission = "plan:read"    // see plans, rule sets, indicators
	PermPlanWrite   Permission = "plan:write"   // load plans
	PermFactRead    Permission = "fact:read"    // see a unit's facts and evidence
	PermFactWrite   Permission = "fact:write"   // record facts of units in scope
	PermFactDecide  Permission = "fact:decide"  // enter or decide recognition and grades
	PermUserAdmin   Permission = "user:admin"   // manage accounts
	PermAuditRead   Permission = "audit:read"   // browse the audit trail
	PermSelf        Permission = "self:manage"  // own password, own tokens
	PermClusterRead Permission = "cluster:read" // see cluster members' figures
)

// Permissions is the catalogue, for documentation and validation.
var Permissions = []Permission{PermUnitRead, PermUnitWrite, PermPlanRead, PermPlanWrite, PermFactRead,
	PermFactWrite, PermFactDecide, PermUserAdmin, PermAuditRead, PermSelf, PermClusterRead}

// RolePermissions grants permissions to roles. What a role may touch is
// further limited to its unit's subtree by the store.
var RolePermissions = map[Role][]Permission{
	RoleAdmin: {PermUnitRead, PermUnitWrite, PermPlanRead, PermPlanWrite, PermFactRead, PermFactWrite,
		PermFactDecide, PermUserAdmin, PermAuditRead, PermSelf, PermClusterRead},
	RolePlanManager: {PermUnitRead, PermPlanRead, PermPlanWrite, PermFactRead, PermSelf, PermClusterRead, PermAuditRead},
	RoleReviewer:    {PermUnitRead, PermPlanRead, PermFactRead, PermFactWrite, PermFactDecide, PermSelf, PermClusterRead},
	RoleDataEntry:   {PermUnitRead, PermPlanRead, PermFactRead, PermFactWrite, PermSelf},
	RoleViewer:      {PermUnitRead, PermPlanRead, PermFactRead, PermSelf},
	RoleClusterHead: {PermUnitRead, PermPlanRead, PermFactRead, PermSelf, PermClusterRead},
}

// Can reports whether the user's role grants p. A nil or disabled user can
// do nothing.
func (u *User) Can(p Permission) bool {
	if u == nil || u.Disabled {
		return false
	}
	for _, have := range RolePermissions[u.Role] {
		if have == p {
			return true
		}
	}
	return false
}
