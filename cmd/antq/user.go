package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"antq"
	"antq/auth"
	"antq/store"
)

func cmdUserAdd(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("user add", "user add --username U --role ROLE --unit CODE [--name 'Họ tên'] --password-stdin")
	username := fs.String("username", "", "login name (lower-case letters, digits, . - _)")
	role, unit, fullName := accountFlags(fs, false)
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*fromStdin {
		return antq.Invalid("Thiếu mật khẩu", map[string]string{"password": "dùng --password-stdin và đưa mật khẩu vào đầu vào chuẩn"})
	}
	password, err := app.readPassword()
	if err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		hash, err := hashPassword(ctx, password)
		if err != nil {
			return err
		}
		u, err := db.CreateUser(antq.SystemContext(ctx), store.NewUser{Username: *username, FullName: *fullName,
			Role: antq.Role(*role), UnitCode: *unit, PasswordHash: hash})
		if err != nil {
			return err
		}
		fmt.Fprintf(app.Stdout, "Đã tạo tài khoản %s (vai trò %s, đơn vị %s).\n", u.Username, u.Role, u.UnitCode)
		return nil
	})
}

// accountFlags declares an account's --role, --unit and --name: its
// values, or with change its new ones.
func accountFlags(fs *flag.FlagSet, change bool) (role, unit, fullName *string) {
	adjective, unitHelp := "", "code of the unit the user belongs to (the user's scope is its subtree)"
	if change {
		adjective, unitHelp = "new ", "code of the new unit (the account's scope becomes its subtree)"
	}
	roles := make([]string, len(antq.Roles))
	for i, r := range antq.Roles {
		roles[i] = string(r)
	}
	role = fs.String("role", "", adjective+"role: "+strings.Join(roles, ", "))
	unit = fs.String("unit", "", unitHelp)
	fullName = fs.String("name", "", adjective+"full name")
	return role, unit, fullName
}

// readPassword reads a password from the first line of standard input and
// checks it against the password rules.
func (app *App) readPassword() (string, error) {
	line, err := bufio.NewReader(app.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", antq.Invalid("Thiếu mật khẩu", map[string]string{"password": "đầu vào chuẩn trống"})
	}
	password := strings.TrimRight(line, "\r\n")
	if err := antq.ValidatePassword(password); err != nil {
		return "", err
	}
	return password, nil
}

// hashPassword hashes a password with the default parameters (a command
// hashes once: one hash in flight).
func hashPassword(ctx context.Context, password string) (string, error) {
	return auth.NewHasher(auth.DefaultParams, 1).Hash(ctx, password)
}

func cmdTokenCreate(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("token create", "token create --username U [--name LABEL]")
	username := fs.String("username", "", "account the token acts for (same role and scope)")
	name := fs.String("name", "cli", "label to recognise the token by")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		sys := antq.SystemContext(ctx)
		u, err := db.FindUserByUsername(sys, *username)
		if err != nil {
			return err
		}
		if u.Disabled {
			return antq.Errorf(antq.EINVALID, "Tài khoản %s đã bị khóa", u.Username)
		}
		token := auth.NewToken("antq_")
		if _, err := db.CreateToken(sys, u.ID, *name, auth.HashToken(token), token[:9]); err != nil {
			return err
		}
		fmt.Fprintln(app.Stdout, token)
		return nil
	})
}

func cmdUserDisable(ctx context.Context, app *App, args []string) error {
	return userSetDisabled(ctx, app, "user disable", true, args)
}

func cmdUserEnable(ctx context.Context, app *App, args []string) error {
	return userSetDisabled(ctx, app, "user enable", false, args)
}

// userSetDisabled locks or unlocks an account. Locking ends its sessions and
// revokes its API tokens at once.
func userSetDisabled(ctx context.Context, app *App, name string, disabled bool, args []string) error {
	fs := app.newFlagSet(name, name+" --username U [--reason 'lý do']")
	username := fs.String("username", "", "account to change")
	reason := fs.String("reason", "", "why (kept in the audit trail)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	u, err := app.changeUser(ctx, *username, store.UserChange{Disabled: &disabled, Reason: *reason})
	if err != nil {
		return err
	}
	if disabled {
		fmt.Fprintf(app.Stdout, "Đã khóa tài khoản %s; các phiên đăng nhập đã kết thúc và mã truy cập API đã bị thu hồi.\n", u.Username)
	} else {
		fmt.Fprintf(app.Stdout, "Đã mở khóa tài khoản %s.\n", u.Username)
	}
	return nil
}

// changeUser applies one change to an account, as the system user.
func (app *App) changeUser(ctx context.Context, username string, c store.UserChange) (u *antq.User, err error) {
	err = app.withDB(ctx, true, func(db *store.DB) error {
		u, err = db.UpdateUser(antq.SystemContext(ctx), username, c)
		return err
	})
	return u, err
}

func cmdUserSet(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("user set", "user set --username U [--role ROLE] [--unit CODE] [--name 'Họ tên'] [--reason 'lý do']")
	username := fs.String("username", "", "account to change")
	role, unit, fullName := accountFlags(fs, true)
	reason := fs.String("reason", "", "why (kept in the audit trail)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var c store.UserChange
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "role":
			r := antq.Role(*role)
			c.Role = &r
		case "unit":
			c.UnitCode = unit
		case "name":
			c.FullName = fullName
		}
	})
	if c.Role == nil && c.UnitCode == nil && c.FullName == nil {
		return antq.Invalid("Không có gì để thay đổi", map[string]string{"flags": "dùng --role, --unit hoặc --name"})
	}
	c.Reason = *reason
	u, err := app.changeUser(ctx, *username, c)
	if err != nil {
		return err
	}
	fmt.Fprintf(app.Stdout, "Tài khoản %s: vai trò %s, đơn vị %s, họ tên %q.\n", u.Username, u.Role, u.UnitCode, u.FullName)
	return nil
}

func cmdUserList(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("user list", "user list [--unit CODE] [--role ROLE] [--q TEXT] [--disabled]")
	unit := fs.String("unit", "", "only accounts of this unit")
	role := fs.String("role", "", "only this role")
	query := fs.String("q", "", "part of the user name or full name")
	onlyDisabled := fs.Bool("disabled", false, "only locked accounts")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		f := store.UserFilter{UnitCode: *unit, Role: antq.Role(*role), Query: *query, Limit: 1000}
		if *onlyDisabled {
			f.Disabled = onlyDisabled
		}
		w := tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "USERNAME\tROLE\tUNIT\tSTATUS\tFULL NAME")
		for {
			users, total, err := db.Users(antq.SystemContext(ctx), f)
			if err != nil {
				return err
			}
			for _, u := range users {
				status := "active"
				if u.Disabled {
					status = "disabled"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.UnitCode, status, u.FullName)
			}
			f.Offset += len(users)
			if len(users) == 0 || f.Offset >= total {
				break
			}
		}
		return w.Flush()
	})
}

func cmdUserPassword(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("user password", "user password --username U [--password-stdin] [--reason 'lý do']")
	username := fs.String("username", "", "account whose password is reset")
	fromStdin := fs.Bool("password-stdin", false, "read the new password from the first line of standard input (else one is generated and printed once)")
	reason := fs.String("reason", "", "why (kept in the audit trail)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	password := auth.RandomPassword(16)
	if *fromStdin {
		var err error
		if password, err = app.readPassword(); err != nil {
			return err
		}
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		hash, err := hashPassword(ctx, password)
		if err != nil {
			return err
		}
		if err := db.ResetPassword(antq.SystemContext(ctx), *username, hash, *reason, false); err != nil {
			return err
		}
		if *fromStdin {
			fmt.Fprintf(app.Stdout, "Đã đặt lại mật khẩu của %s; các phiên đăng nhập đã kết thúc và mã truy cập API đã bị thu hồi.\n", *username)
		} else {
			fmt.Fprintf(app.Stdout, "Mật khẩu mới của %s: %s  (chỉ in một lần; các phiên đăng nhập đã kết thúc, mã truy cập API đã bị thu hồi)\n", *username, password)
		}
		return nil
	})
}

func cmdTokenList(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("token list", "token list --username U")
	username := fs.String("username", "", "account whose tokens are listed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		tokens, err := db.Tokens(antq.SystemContext(ctx), *username)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(app.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tPREFIX\tNAME\tCREATED\tLAST USED\tREVOKED")
		when := func(t *time.Time) string {
			if t == nil {
				return "-"
			}
			return t.Format(time.RFC3339)
		}
		for _, t := range tokens {
			fmt.Fprintf(w, "%d\t%s…\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.Name, t.CreatedAt.Format(time.RFC3339), when(t.LastUsedAt), when(t.RevokedAt))
		}
		return w.Flush()
	})
}

func cmdTokenRevoke(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("token revoke", "token revoke --id N")
	id := fs.Int64("id", 0, "token id (antq token list)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return app.withDB(ctx, true, func(db *store.DB) error {
		if err := db.RevokeToken(antq.SystemContext(ctx), *id); err != nil {
			return err
		}
		fmt.Fprintf(app.Stdout, "Đã thu hồi mã truy cập %d.\n", *id)
		return nil
	})
}
