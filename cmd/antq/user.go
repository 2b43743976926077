package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"antq"
	"antq/auth"
	"antq/store"
)

func cmdUserAdd(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("user add", "user add --username U --role ROLE --unit CODE [--name 'Họ tên'] --password-stdin")
	username := fs.String("username", "", "login name (lower-case letters, digits, . - _)")
	role := fs.String("role", "", "role: admin, plan_manager, reviewer, data_entry, viewer, cluster_head")
	unit := fs.String("unit", "", "code of the unit the user belongs to (the user's scope is its subtree)")
	fullName := fs.String("name", "", "full name")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !*fromStdin {
		return antq.Invalid("Thiếu mật khẩu", map[string]string{"password": "dùng --password-stdin và đưa mật khẩu vào đầu vào chuẩn"})
	}
	line, err := bufio.NewReader(app.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return antq.Invalid("Thiếu mật khẩu", map[string]string{"password": "đầu vào chuẩn trống"})
	}
	password := strings.TrimRight(line, "\r\n")
	if err := antq.ValidatePassword(password); err != nil {
		return err
	}
	db, err := app.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	hash, err := auth.NewHasher(auth.DefaultParams, 1).Hash(ctx, password)
	if err != nil {
		return err
	}
	u, err := db.CreateUser(antq.SystemContext(ctx), store.NewUser{Username: *username, FullName: *fullName,
		Role: antq.Role(*role), UnitCode: *unit, PasswordHash: hash})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(app.Stdout, "Đã tạo tài khoản %s (vai trò %s, đơn vị %s).\n", u.Username, u.Role, u.UnitCode)
	return nil
}

func cmdTokenCreate(ctx context.Context, app *App, args []string) error {
	fs := app.newFlagSet("token create", "token create --username U [--name LABEL]")
	username := fs.String("username", "", "account the token acts for (same role and scope)")
	name := fs.String("name", "cli", "label to recognise the token by")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := app.openDB(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
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
}

// describe adds the per-field reasons of a validation error to its message,
// for the terminal.
func describe(err error) error {
	fields := antq.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(antq.ErrorMessage(err))
	for k, v := range fields {
		fmt.Fprintf(&b, "\n  %s: %s", k, v)
	}
	return &antq.Error{Code: antq.ErrorCode(err), Message: b.String(), Err: err}
}
