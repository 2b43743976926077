package antq

import "slices"

// workflowStep is what one step of a workflow (a nomination's, an exemplary
// case's) needs before its own checks: a permission, and a state to start
// from. A step with no from states may start from any state and checks the
// state itself.
type workflowStep[S comparable] struct {
	perm Permission
	from []S
}

// allowed reports why user may not take the step on an item in state, or
// nil: what names the item in the refusal ("Gương điển hình") and
// stateLabel is the state as users read it.
func (s workflowStep[S]) allowed(user *User, state S, what, stateLabel string) error {
	if !user.Can(s.perm) {
		return Errorf(EFORBIDDEN, "Bạn không có quyền thực hiện bước này")
	}
	if len(s.from) > 0 && !slices.Contains(s.from, state) {
		return Errorf(ECONFLICT, "%s đang ở trạng thái “%s”, không thực hiện được bước này", what, stateLabel)
	}
	return nil
}

// unknownStep is the refusal of a step a workflow does not have.
func unknownStep[A ~string](action A) error {
	return Errorf(ENOTFOUND, "Không có bước %q", string(action))
}
