package antq

import (
	"context"
	"strings"
	"time"
)

// Role is what a user may do; the unit the user belongs to is the scope.
type Role string

const (
	RoleAdmin       Role = "admin"
	RolePlanManager Role = "plan_manager"
	RoleReviewer    Role = "reviewer"
	RoleDataEntry   Role = "data_entry"
	RoleViewer      Role = "viewer"
	RoleClusterHead Role = "cluster_head"
)

// Roles lists every role.
var Roles = roles.Codes()

var roles = CodeList[Role]{
	{RoleAdmin, "Quản trị hệ thống"},
	{RolePlanManager, "Quản lý kế hoạch"},
	{RoleReviewer, "Thẩm định, phê duyệt"},
	{RoleDataEntry, "Nhập liệu"},
	{RoleViewer, "Xem"},
	{RoleClusterHead, "Cụm trưởng, khối trưởng"},
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return roles.Valid(r) }

// Label is the Vietnamese name of the role.
func (r Role) Label() string { return roles.Label(r) }

// User is an account. Its scope is the subtree of its unit.
type User struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Role     Role   `json:"role"`
	UnitID   int64  `json:"-"`
	UnitCode string `json:"unit_code"`
	// UnitName is the unit's name (the version the account is attached
	// to), for pages; the API names the unit by its code.
	UnitName string `json:"-"`
	Disabled bool   `json:"disabled"`
	// MustChangePassword marks a first password set by an administrator
	// (a new account or a reset): until its owner changes it, a browser
	// session reaches only the own-account page.
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
}

// ValidUsername reports whether name is 3..64 characters of lower-case ASCII
// letters, digits, '.', '-' and '_'.
func ValidUsername(name string) bool {
	if len(name) < 3 || len(name) > 64 {
		return false
	}
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
		default:
			return false
		}
	}
	return true
}

// MinPasswordLen follows OWASP ASVS 2.1.1 (at least 12 characters).
const MinPasswordLen = 12

// ValidatePassword checks a new password.
func ValidatePassword(p string) error {
	if len([]rune(p)) < MinPasswordLen {
		return Invalid("Mật khẩu không hợp lệ", map[string]string{"password": "mật khẩu cần ít nhất 12 ký tự"})
	}
	if len(p) > 256 {
		return Invalid("Mật khẩu không hợp lệ", map[string]string{"password": "mật khẩu quá dài (tối đa 256 byte)"})
	}
	if strings.TrimSpace(p) == "" {
		return Invalid("Mật khẩu không hợp lệ", map[string]string{"password": "mật khẩu không được chỉ có khoảng trắng"})
	}
	return nil
}

// Actor is who makes a request: the user, and where from (for the audit).
type Actor struct {
	User       *User
	RemoteAddr string
}

type contextKey int

const actorKey contextKey = iota

// NewContextWithActor returns ctx carrying the actor.
func NewContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey, a)
}

// ActorFromContext returns the actor of ctx (zero Actor if none).
func ActorFromContext(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey).(Actor)
	return a
}

// UserFromContext returns the user making the request, or nil.
func UserFromContext(ctx context.Context) *User { return ActorFromContext(ctx).User }

// SystemUser acts for the command line (migrate, demo, import): it has no
// unit, which the store treats as the root of every tree.
var SystemUser = &User{ID: 0, Username: "system", Role: RoleAdmin}

// SystemContext returns ctx acting as the command line.
func SystemContext(ctx context.Context) context.Context {
	return NewContextWithActor(ctx, Actor{User: SystemUser, RemoteAddr: "cli"})
}
