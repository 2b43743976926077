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

// stepAllowed reports why user may not take action on an item in state, or
// nil: steps are the workflow's steps, what names the item in the refusal
// ("Gương điển hình").
func stepAllowed[A ~string, S interface {
	comparable
	Label() string
}](steps map[A]workflowStep[S], action A, user *User, state S, what string) error {
	step, ok := steps[action]
	if !ok {
		return Errorf(ENOTFOUND, "Không có bước %q", string(action))
	}
	if !user.Can(step.perm) {
		return Errorf(EFORBIDDEN, "Bạn không có quyền thực hiện bước này")
	}
	if len(step.from) > 0 && !slices.Contains(step.from, state) {
		return Errorf(ECONFLICT, "%s đang ở trạng thái “%s”, không thực hiện được bước này", what, state.Label())
	}
	return nil
}
