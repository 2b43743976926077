package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"antq"
)

const userSelect = `
SELECT us.id, us.username, us.full_name, us.role, us.unit_id, un.code, un.name, us.disabled, us.must_change_password, us.created_at
FROM users us JOIN units un ON un.id = us.unit_id
`

func scanUser(row interface{ Scan(...any) error }) (*antq.User, error) {
	var u antq.User
	var role string
	if err := row.Scan(&u.ID, &u.Username, &u.FullName, &role, &u.UnitID, &u.UnitCode, &u.UnitName, &u.Disabled, &u.MustChangePassword, &u.CreatedAt); err != nil {
		return nil, err
	}
	u.Role = antq.Role(role)
	return &u, nil
}

// NewUser is what creating an account takes. PasswordHash is computed by
// the caller (package auth), so the store never sees a password.
type NewUser struct {
	Username     string
	FullName     string
	Role         antq.Role
	UnitCode     string
	PasswordHash string
	// MustChangePassword: the password is a first password handed over by
	// an administrator, to be changed at the first login.
	MustChangePassword bool
}

// reservedUsernames are path words of the account pages (/users/new,
// /users/import), which an account name would shadow.
var reservedUsernames = map[string]bool{"new": true, "import": true}

// MaxFullNameLen bounds a full name.
const MaxFullNameLen = 200

func checkFullName(f antq.FieldErrors, name string) {
	if utf8.RuneCountInString(name) > MaxFullNameLen || !utf8.ValidString(name) {
		f.Add("full_name", fmt.Sprintf("họ tên tối đa %d ký tự", MaxFullNameLen))
	}
}

// unitOutOfReach is the answer for a unit code that does not exist or lies
// outside the caller's scope: the same for both, so it reveals nothing.
func unitOutOfReach(code string) error {
	return &antq.Error{Code: antq.EFORBIDDEN, Message: "Đơn vị không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn",
		Fields: map[string]string{"unit": fmt.Sprintf("không có đơn vị mã %q trong phạm vi quản lý", code)}}
}

// CreateUser adds an account belonging to the unit with UnitCode (its latest
// version), which must be in the caller's scope: an administrator creates
// accounts only within its own subtree. A name already in use is a
// conflict for a caller who sees every account, else a neutral "choose
// another name" (EINVALID) that does not tell where the account lies.
func (db *DB) CreateUser(ctx context.Context, nu NewUser) (*antq.User, error) {
	if err := checkNewUser(&nu); err != nil {
		return nil, err
	}
	var user *antq.User
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		user, err = db.createUser(ctx, tx, nu)
		return err
	})
	return user, err
}

// checkNewUser validates what creating an account takes.
func checkNewUser(nu *NewUser) error {
	nu.FullName = strings.TrimSpace(nu.FullName)
	f := antq.FieldErrors{}
	if !antq.ValidUsername(nu.Username) {
		f.Add("username", "tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, '.', '-', '_'")
	} else if reservedUsernames[nu.Username] {
		f.Add("username", "tên đăng nhập này dành cho hệ thống, hãy chọn tên khác")
	}
	if !nu.Role.Valid() {
		f.Add("role", fmt.Sprintf("vai trò không hợp lệ: %q", nu.Role))
	}
	if nu.UnitCode == "" {
		f.Add("unit", "cần mã đơn vị")
	}
	if nu.PasswordHash == "" {
		f.Add("password", "cần mật khẩu")
	}
	checkFullName(f, nu.FullName)
	return f.Err("Thông tin tài khoản không hợp lệ")
}

// UserRowError is the refusal of one account of CreateUsers: Row is its
// index in the list given (from 0).
type UserRowError struct {
	Row int
	Err error
}

func (e *UserRowError) Error() string { return fmt.Sprintf("account %d: %v", e.Row, e.Err) }
func (e *UserRowError) Unwrap() error { return e.Err }

// UserRowErrors are the refusals of every account of a list, in the
// list's order; errors.As finds the first *UserRowError and its reason.
type UserRowErrors []*UserRowError

func (e UserRowErrors) Error() string {
	parts := make([]string, len(e))
	for i, r := range e {
		parts[i] = r.Error()
	}
	return strings.Join(parts, "; ")
}

func (e UserRowErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, r := range e {
		out[i] = r
	}
	return out
}

// CreateUsers adds every account of the list in one transaction: all or
// nothing. Every refused account is returned, as UserRowErrors wrapping
// each reason (the codes of CreateUser), so that a list is corrected in
// one pass.
func (db *DB) CreateUsers(ctx context.Context, list []NewUser) ([]*antq.User, error) {
	return db.createUsers(ctx, list, true)
}

// CheckUsers returns what CreateUsers would refuse in list (UserRowErrors,
// or nil), writing nothing; an account without a password hash is checked
// as if it had one.
func (db *DB) CheckUsers(ctx context.Context, list []NewUser) error {
	list = slices.Clone(list)
	for i := range list {
		if list[i].PasswordHash == "" {
			list[i].PasswordHash = "-"
		}
	}
	_, err := db.createUsers(ctx, list, false)
	return err
}

// errCheckOnly rolls back the transaction of CheckUsers.
var errCheckOnly = errors.New("check only")

func (db *DB) createUsers(ctx context.Context, list []NewUser, write bool) ([]*antq.User, error) {
	var refused UserRowErrors
	checked := make([]bool, len(list))
	for i := range list {
		if err := checkNewUser(&list[i]); err != nil {
			refused = append(refused, &UserRowError{Row: i, Err: err})
		} else {
			checked[i] = true
		}
	}
	var users []*antq.User
	err := db.inTx(ctx, func(tx *Tx) error {
		errs := slices.Clone(refused)
		users = make([]*antq.User, 0, len(list))
		for i, nu := range list {
			if !checked[i] {
				continue
			}
			// A refusal comes before the account's INSERT, so the
			// transaction goes on to check the rest.
			u, err := db.createUser(ctx, tx, nu)
			if err != nil {
				if antq.ErrorCode(err) == antq.EINTERNAL {
					return err
				}
				errs = append(errs, &UserRowError{Row: i, Err: err})
				continue
			}
			users = append(users, u)
		}
		if len(errs) > 0 {
			slices.SortStableFunc(errs, func(a, b *UserRowError) int { return a.Row - b.Row })
			return errs
		}
		if !write {
			return errCheckOnly
		}
		return nil
	})
	if errors.Is(err, errCheckOnly) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return users, nil
}

// createUser adds one checked account inside tx.
func (db *DB) createUser(ctx context.Context, tx *Tx, nu NewUser) (*antq.User, error) {
	unit, err := db.findUnitByCode(ctx, tx, nu.UnitCode, antq.Date{})
	if err != nil {
		if antq.ErrorCode(err) == antq.ENOTFOUND {
			return nil, unitOutOfReach(nu.UnitCode)
		}
		return nil, err
	}
	var exists int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE username = $1`, nu.Username).Scan(&exists); err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	if exists > 0 {
		// Only a caller who sees every account learns that the name is
		// taken; anyone else gets the same neutral refusal whether the
		// account lies in its scope or elsewhere, so user add does not
		// reveal accounts outside it.
		whole, err := db.seesEverything(ctx, tx)
		if err != nil {
			return nil, err
		}
		if whole {
			return nil, &antq.Error{Code: antq.ECONFLICT, Message: "Tên đăng nhập đã tồn tại",
				Fields: map[string]string{"username": "“" + nu.Username + "” đã có người dùng"}}
		}
		return nil, antq.Invalid("Không dùng được tên đăng nhập này", map[string]string{"username": "hãy chọn tên đăng nhập khác"})
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO users (username, full_name, password_hash, role, unit_id, created_at, password_changed_at, must_change_password)
VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`, nu.Username, nu.FullName, nu.PasswordHash, string(nu.Role), unit.ID, tx.now, nu.MustChangePassword).Scan(&id); err != nil {
		return nil, fmt.Errorf("create user: %w", err)
	}
	user := &antq.User{ID: id, Username: nu.Username, FullName: nu.FullName, Role: nu.Role, UnitID: unit.ID, UnitCode: unit.Code,
		MustChangePassword: nu.MustChangePassword, CreatedAt: tx.now}
	return user, db.audit(ctx, tx, auditEntry{Action: "create", Entity: "user", Key: nu.Username, UnitID: unit.ID,
		New: userAuditView(user)})
}

// userAuditView is what the audit trail records of an account (never the
// password hash).
func userAuditView(u *antq.User) map[string]any {
	return map[string]any{"username": u.Username, "full_name": u.FullName, "role": u.Role, "unit": u.UnitCode, "disabled": u.Disabled}
}

// FindUserByUsername returns the account, ENOTFOUND if there is none. It is
// not scoped: login needs it before anyone is known.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*antq.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, userSelect+`WHERE us.username = $1`, username))
	if errNoRows(err) {
		return nil, antq.Errorf(antq.ENOTFOUND, "Không tìm thấy tài khoản %q", username)
	} else if err != nil {
		return nil, fmt.Errorf("find user: %w", err)
	}
	return u, nil
}

// PasswordHash returns the stored hash of an enabled account, or "" when the
// account does not exist or is disabled (the caller then still spends the
// time of a hash).
func (db *DB) PasswordHash(ctx context.Context, username string) (userID int64, hash string, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT id, password_hash FROM users WHERE username = $1 AND disabled = FALSE`, username).Scan(&userID, &hash)
	if errNoRows(err) {
		return 0, "", nil
	}
	return userID, hash, err
}

// FullName returns the full name of the account named username ("" when
// there is none or it has no full name): pages name people by their full
// name where the records keep the user name (updated_by, submitted_by).
func (db *DB) FullName(ctx context.Context, username string) (string, error) {
	var name string
	err := db.read.QueryRowContext(ctx, `SELECT full_name FROM users WHERE username = $1`, username).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("full name: %w", err)
	}
	return name, nil
}
