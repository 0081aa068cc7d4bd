package errs_test

import (
	"fmt"
	"testing"

	"github.com/trangtin/trangtin/platform/errs"
)

// A reason refines a kind without changing it: a form that shows an
// invalid input's message shows a too-large file's too.
func TestReasonKeepsTheKind(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		kind   errs.Kind
		reason errs.Reason
		field  string
	}{
		{"gone", errs.Gone("post_gone", "m"), errs.KindNotFound, errs.ReasonGone, ""},
		{"too large", errs.TooLarge("file", "media_too_large", "m"), errs.KindInvalid, errs.ReasonTooLarge, "file"},
		{"unsupported", errs.Unsupported("file", "media_type_unsupported", "m"), errs.KindInvalid, errs.ReasonUnsupported, "file"},
		{"unprocessable", errs.Unprocessable("source", "source_required", "m"), errs.KindInvalid, errs.ReasonUnprocessable, "source"},
		{"throttled", errs.Throttled("question", "question_rate_limited", "m"), errs.KindForbidden, errs.ReasonThrottled, "question"},
		{"plain invalid", errs.Invalid("title", "title_required", "m"), errs.KindInvalid, errs.ReasonNone, "title"},
		{"unclassified", fmt.Errorf("boom"), errs.KindInternal, errs.ReasonNone, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := fmt.Errorf("save: %w", tt.err)
			if got := errs.KindOf(err); got != tt.kind {
				t.Errorf("kind %v, want %v", got, tt.kind)
			}
			if got := errs.ReasonOf(err); got != tt.reason {
				t.Errorf("reason %v, want %v", got, tt.reason)
			}
			if _, _, field := errs.Public(err); field != tt.field {
				t.Errorf("field %q, want %q", field, tt.field)
			}
		})
	}
}
