// Package errs defines the kinds of failure the platform distinguishes
// (not found, forbidden, invalid input, conflict, unauthenticated,
// unavailable), and the few reasons that refine a kind (gone, too large,
// unsupported type, a content rule broken, too many attempts). Stores and
// services return them wrapped with context; the web layer and the command
// line map each to one HTTP status or exit line in a single place, so no
// domain package names an HTTP status.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error for callers that must answer a user.
type Kind int

const (
	// KindInternal is anything not classified: a bug or an outage.
	KindInternal Kind = iota
	// KindNotFound means the object does not exist or is not visible to the caller.
	KindNotFound
	// KindForbidden means the caller is known but may not do this.
	KindForbidden
	// KindInvalid means the input is wrong; Field names the offending input.
	KindInvalid
	// KindConflict means the action clashes with the current state (duplicate, stale version).
	KindConflict
	// KindUnauthenticated means no valid credentials were presented.
	KindUnauthenticated
	// KindUnavailable means a dependency (database, object store) is down; retry later.
	KindUnavailable
)

// Reason refines a kind where a client must tell the cases apart (the web
// layer answers each with its own status). Callers that only ask the kind
// (a form showing an invalid input's message) need not know it.
type Reason int

const (
	// ReasonNone adds nothing to the kind.
	ReasonNone Reason = iota
	// ReasonGone is a NotFound of something that existed and was taken
	// down (an item withdrawn): 410 rather than 404.
	ReasonGone
	// ReasonTooLarge is an Invalid input over a size limit (413).
	ReasonTooLarge
	// ReasonUnsupported is an Invalid input of a type not accepted (415).
	ReasonUnsupported
	// ReasonUnprocessable is an Invalid input, well formed, that breaks a
	// rule of the content (an expired agreement, a locked text): 422.
	ReasonUnprocessable
	// ReasonThrottled is a Forbidden action tried too often (429).
	ReasonThrottled
)

// Error is a classified error. Code is a stable English code for the API,
// Message a human sentence (Vietnamese where it reaches the UI).
type Error struct {
	Kind    Kind
	Reason  Reason
	Code    string
	Message string
	Field   string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = e.Code
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// NotFound reports a missing (or invisible) object.
func NotFound(code, message string) error {
	return &Error{Kind: KindNotFound, Code: code, Message: message}
}

// Forbidden reports an action the caller may not take.
func Forbidden(code, message string) error {
	return &Error{Kind: KindForbidden, Code: code, Message: message}
}

// Invalid reports bad input in field.
func Invalid(field, code, message string) error {
	return &Error{Kind: KindInvalid, Code: code, Message: message, Field: field}
}

// Conflict reports a clash with existing state.
func Conflict(code, message string) error {
	return &Error{Kind: KindConflict, Code: code, Message: message}
}

// Unauthenticated reports missing or bad credentials.
func Unauthenticated(code, message string) error {
	return &Error{Kind: KindUnauthenticated, Code: code, Message: message}
}

// Unavailable reports a dependency outage, wrapping its cause.
func Unavailable(code, message string, cause error) error {
	return &Error{Kind: KindUnavailable, Code: code, Message: message, Err: cause}
}

// Gone reports an object that existed and was taken down.
func Gone(code, message string) error {
	return &Error{Kind: KindNotFound, Reason: ReasonGone, Code: code, Message: message}
}

// TooLarge reports input in field over a size limit.
func TooLarge(field, code, message string) error {
	return &Error{Kind: KindInvalid, Reason: ReasonTooLarge, Code: code, Message: message, Field: field}
}

// Unsupported reports input in field of a type that is not accepted.
func Unsupported(field, code, message string) error {
	return &Error{Kind: KindInvalid, Reason: ReasonUnsupported, Code: code, Message: message, Field: field}
}

// Unprocessable reports well-formed input in field that breaks a rule of
// the content.
func Unprocessable(field, code, message string) error {
	return &Error{Kind: KindInvalid, Reason: ReasonUnprocessable, Code: code, Message: message, Field: field}
}

// Throttled reports an action refused because it was tried too often;
// field names the input a form should point at ("" for none).
func Throttled(field, code, message string) error {
	return &Error{Kind: KindForbidden, Reason: ReasonThrottled, Code: code, Message: message, Field: field}
}

// KindOf returns the kind of the first classified error in err's chain.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ReasonOf returns the reason of the first classified error in err's
// chain (ReasonNone when it has none or is unclassified).
func ReasonOf(err error) Reason {
	if e := As(err); e != nil {
		return e.Reason
	}
	return ReasonNone
}

// As returns the first classified error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Is reports whether err is classified as kind.
func Is(err error, kind Kind) bool { return KindOf(err) == kind }

// Wrap adds context to err while keeping its kind; nil stays nil.
func Wrap(err error, op string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Public returns the message safe to show a user: the classified message, or
// a generic one for internal errors (whose text may carry secrets or SQL).
func Public(err error) (code, message, field string) {
	if e := As(err); e != nil && e.Kind != KindInternal {
		msg := e.Message
		if msg == "" {
			msg = e.Code
		}
		return e.Code, msg, e.Field
	}
	return "internal", "Đã có lỗi xảy ra. Vui lòng thử lại sau.", ""
}
