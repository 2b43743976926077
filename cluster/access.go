package cluster

import "antq"

// Relation is what a caller is to a cluster, which decides what it sees and
// does.
type Relation string

const (
	// RelNone: the cluster does not exist for the caller.
	RelNone Relation = ""
	// RelMember: a member unit (or an ancestor of one below the organiser)
	// is in the caller's scope: the caller sees those members' scores and
	// ranks, nothing of the others.
	RelMember Relation = "member"
	// RelHead: a cluster_head user of the head unit: the members' figures
	// and scoring across their subtrees, for this cluster only.
	RelHead Relation = "head"
	// RelOrganiser: the organiser unit is in the caller's scope (the
	// province): everything.
	RelOrganiser Relation = "organiser"
)

// Viewer is what the store knows of the caller for one cluster.
type Viewer struct {
	User *antq.User
	// SeesOrganiser: the organiser unit is in the caller's scope.
	SeesOrganiser bool
	// MembersInScope: the member units in the caller's scope.
	MembersInScope map[int64]bool
}

// RelationOf is the caller's relation to c.
func RelationOf(v Viewer, c *Cluster) Relation {
	if v.User == nil || !v.User.Can(antq.PermClusterRead) {
		return RelNone
	}
	switch {
	case v.SeesOrganiser:
		return RelOrganiser
	case v.User.Role == antq.RoleClusterHead && c.Head != nil && v.User.UnitID == c.Head.ID:
		return RelHead
	case len(v.MembersInScope) > 0:
		return RelMember
	}
	return RelNone
}

// SeesAll reports whether the relation sees every member's scores.
func (r Relation) SeesAll() bool { return r == RelOrganiser || r == RelHead }

var relations = antq.CodeList[Relation]{
	{Code: RelOrganiser, Label: "Đơn vị tổ chức"},
	{Code: RelHead, Label: "Đơn vị trưởng"},
	{Code: RelMember, Label: "Thành viên"},
}

// Label is the Vietnamese name of the relation, for the page ("" for none).
func (r Relation) Label() string { return relations.LabelOr(r, "") }

// CheckEdit: creating or changing a cluster (members, head, pact, sheet)
// belongs to the organiser's side with cluster:write.
func CheckEdit(u *antq.User, r Relation) error {
	if !u.Can(antq.PermClusterWrite) {
		return antq.Errorf(antq.EFORBIDDEN, "Vai trò của bạn không được sửa cụm, khối thi đua")
	}
	if r != RelOrganiser {
		return antq.Errorf(antq.EFORBIDDEN, "Chỉ đơn vị tổ chức cụm, khối mới được sửa thông tin cụm, khối")
	}
	return nil
}

// CheckReview: the cluster's reviewed scores, closing and reopening the
// ranking and recording the meeting's votes belong to the head (a
// cluster_head user of the head unit) or the organiser's side with
// cluster:write.
func CheckReview(u *antq.User, r Relation) error {
	switch {
	case !u.Can(antq.PermClusterScore):
		return antq.Errorf(antq.EFORBIDDEN, "Vai trò của bạn không được chấm điểm thi đua")
	case r == RelHead, r == RelOrganiser && u.Can(antq.PermClusterWrite):
		return nil
	}
	return antq.Errorf(antq.EFORBIDDEN, "Chỉ đơn vị trưởng cụm, khối hoặc đơn vị tổ chức được chấm điểm thẩm định, khóa hoặc mở lại bảng xếp hạng")
}

// CheckSelfScore: a member scores itself — a user of the member unit
// itself who may record its facts (or the command line, which loads
// figures of record).
func CheckSelfScore(u *antq.User, memberUnitID int64) error {
	switch {
	case u != nil && u.ID == 0 && u.UnitID == 0 && u.Can(antq.PermClusterScore):
		return nil
	case !u.Can(antq.PermClusterScore) || !u.Can(antq.PermFactWrite):
		return antq.Errorf(antq.EFORBIDDEN, "Vai trò của bạn không được tự chấm điểm thi đua")
	case u.UnitID != memberUnitID:
		return antq.Errorf(antq.EFORBIDDEN, "Chỉ chính đơn vị thành viên được tự chấm điểm của mình")
	}
	return nil
}
