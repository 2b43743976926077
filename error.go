package antq

import (
	"errors"
	"fmt"
)

// Error codes. They map to HTTP statuses in one table in package web.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	ETOOMANY      = "too_many_requests"
	EUNAVAILABLE  = "unavailable"          // overloaded: try again shortly
	ENOSPACE      = "insufficient_storage" // the server's disk is full: nothing was written
)

// Error is the one error type of the application. Message is safe to show to
// a user (it is Vietnamese where it reaches the UI); Fields names each wrong
// input field with its own reason; Err keeps the cause for logs.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("antq %s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("antq %s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error carrying per-field reasons.
func Invalid(message string, fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	code, _ := userFacing(err)
	return code
}

// ErrorMessage returns the user-safe message of err; internal causes are
// never shown.
func ErrorMessage(err error) string {
	_, message := userFacing(err)
	return message
}

// userFacing is what users are told of err: the code and message of the
// first *Error in its chain; EINVALID and the rows' reasons for
// ImportErrors; EINTERNAL and a generic message for any other error; ""
// for nil.
func userFacing(err error) (code, message string) {
	var e *Error
	var ie ImportErrors
	switch {
	case err == nil:
		return "", ""
	case errors.As(err, &e):
		return e.Code, e.Message
	case errors.As(err, &ie):
		return EINVALID, ie.Error()
	}
	return EINTERNAL, "Lỗi hệ thống. Vui lòng thử lại sau."
}

// ErrorFields returns the per-field reasons of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// FieldErrors collects per-field validation reasons.
type FieldErrors map[string]string

// Add records reason for field unless one is already recorded.
func (f FieldErrors) Add(field, reason string) {
	if _, ok := f[field]; !ok {
		f[field] = reason
	}
}

// addPastDate records a reason for field when the date d, named what
// ("ngày diễn ra"), is missing or after today.
func (f FieldErrors) addPastDate(field, what string, d, today Date) {
	switch {
	case d.IsZero():
		f.Add(field, "cần "+what)
	case d.After(today):
		f.Add(field, what+" ở tương lai")
	}
}

// Err returns nil when no field is wrong, else an EINVALID *Error.
func (f FieldErrors) Err(message string) error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(message, f)
}
