package store

import (
	"context"
	"fmt"

	"antq"
)

// What the reads of people, cases, nominations and accounts share: the
// caller, the condition of their scope, and the size of a page. The scope
// conditions themselves (scopeCondition, personScope, …) are with their
// subjects.

// signedIn returns the caller the context carries, or the refusal of a call
// that needs one.
func signedIn(ctx context.Context) (*antq.User, error) {
	if user := antq.UserFromContext(ctx); user != nil {
		return user, nil
	}
	return nil, antq.Errorf(antq.EUNAUTHORIZED, "Cần đăng nhập")
}

// scopeFunc returns the condition that keeps a row in the caller's scope
// ("" when the caller sees everything), its arguments added through arg.
type scopeFunc func(ctx context.Context, q querier, arg func(any) string) (string, error)

// withScope adds the caller's scope condition, if any, to where.
func withScope(ctx context.Context, q querier, scope scopeFunc, arg func(any) string, where []string) ([]string, error) {
	cond, err := scope(ctx, q, arg)
	if err != nil || cond == "" {
		return where, err
	}
	return append(where, cond), nil
}

// findInScope reads the row of base with keyCol = key if it is in the
// caller's scope; scan reads it and its unit's id. notFound is the refusal
// when there is none, what names the row in errors.
func findInScope[T any](ctx context.Context, q querier, base, keyCol string, key any, scope scopeFunc,
	scan func(rowScanner) (*T, int64, error), what string, notFound error) (*T, int64, error) {
	args := []any{key}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	query := base + `WHERE ` + keyCol + ` = $1`
	cond, err := scope(ctx, q, arg)
	if err != nil {
		return nil, 0, err
	} else if cond != "" {
		query += " AND " + cond
	}
	v, unitID, err := scan(q.QueryRowContext(ctx, query, args...))
	if errNoRows(err) {
		return nil, 0, notFound
	} else if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	return v, unitID, nil
}

// pageLimit is the number of rows a list returns: limit, or def when limit
// is not between 1 and most.
func pageLimit(limit, most, def int) int {
	if limit <= 0 || limit > most {
		return def
	}
	return limit
}
