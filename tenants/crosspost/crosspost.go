package crosspost

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
)

// State is where a submission stands.
type State string

// The submission states of the contract.
const (
	StateSent      State = "sent"
	StateAccepted  State = "accepted"
	StateReturned  State = "returned"
	StateRefused   State = "refused"
	StateWithdrawn State = "withdrawn"
)

// States lists every state in display order.
var States = []State{StateSent, StateAccepted, StateReturned, StateRefused, StateWithdrawn}

// Label is the Vietnamese name of the state.
func (s State) Label() string {
	switch s {
	case StateSent:
		return "Chờ xử lý"
	case StateAccepted:
		return "Đã nhận"
	case StateReturned:
		return "Trả lại để sửa"
	case StateRefused:
		return "Từ chối"
	case StateWithdrawn:
		return "Đã rút (bài gốc bị gỡ)"
	}
	return string(s)
}

// Origin is how an item reached the parent.
type Origin string

// The origins of the contract.
const (
	OriginSent   Origin = "sent"
	OriginPulled Origin = "pulled"
)

// Reason is why an item was refused.
type Reason string

// The refusal reasons of the contract.
const (
	ReasonOffTopic  Reason = "off-topic"
	ReasonDuplicate Reason = "duplicate"
	ReasonQuality   Reason = "quality"
	ReasonLate      Reason = "late"
	ReasonCopyright Reason = "copyright"
)

// Reasons lists every refusal reason in display order.
var Reasons = []Reason{ReasonOffTopic, ReasonDuplicate, ReasonQuality, ReasonLate, ReasonCopyright}

// Label is the Vietnamese name of the reason.
func (r Reason) Label() string {
	switch r {
	case ReasonOffTopic:
		return "Không đúng chủ đề"
	case ReasonDuplicate:
		return "Trùng lặp"
	case ReasonQuality:
		return "Chất lượng chưa đạt"
	case ReasonLate:
		return "Quá muộn, hết tính thời sự"
	case ReasonCopyright:
		return "Vướng bản quyền"
	}
	return string(r)
}

// Submission is one item sent to (or pulled by) a parent tenant.
type Submission struct {
	bun.BaseModel `bun:"table:submissions,alias:s"`

	ParentTenantID string     `bun:"parent_tenant_id,pk"`
	ID             string     `bun:"id,pk"`
	ChildTenantID  string     `bun:"child_tenant_id"`
	PostID         string     `bun:"post_id"`
	Origin         Origin     `bun:"origin"`
	State          State      `bun:"state"`
	PostType       post.Type  `bun:"post_type"`
	Counts         bool       `bun:"counts"`
	FirstSentAt    time.Time  `bun:"first_sent_at"`
	SentAt         time.Time  `bun:"sent_at"`
	SentBy         string     `bun:"sent_by"`
	Note           string     `bun:"note"`
	DecidedAt      *time.Time `bun:"decided_at"`
	DecidedBy      *string    `bun:"decided_by"`
	DecisionNote   string     `bun:"decision_note"`
	RefuseReason   *string    `bun:"refuse_reason"`
	AcceptedPostID *string    `bun:"accepted_post_id"`
	OriginRevision int        `bun:"origin_revision"`
	CreatedAt      time.Time  `bun:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at"`
}

// Event is one step of a submission's history.
type Event struct {
	bun.BaseModel `bun:"table:submission_events"`

	ParentTenantID string    `bun:"parent_tenant_id,pk"`
	ID             string    `bun:"id,pk"`
	SubmissionID   string    `bun:"submission_id"`
	Kind           string    `bun:"kind"` // sent, resent, accepted, returned, refused, pulled, source_changed, source_updated, source_withdrawn
	ActorID        string    `bun:"actor_id"`
	Note           string    `bun:"note"`
	CreatedAt      time.Time `bun:"created_at"`
}

// Label is the Vietnamese name of the event's kind.
func (e Event) Label() string { return EventLabel(e.Kind) }

// ReasonLabel is the Vietnamese name of a refusal's reason ("" if none).
func (s Submission) ReasonLabel() string {
	if s.RefuseReason == nil {
		return ""
	}
	return Reason(*s.RefuseReason).Label()
}

// EventLabel is the Vietnamese name of an event kind.
func EventLabel(kind string) string {
	switch kind {
	case "sent":
		return "Gửi lên"
	case "resent":
		return "Gửi lại sau khi sửa"
	case "accepted":
		return "Nhận bài"
	case "returned":
		return "Trả lại để sửa"
	case "refused":
		return "Từ chối"
	case "pulled":
		return "Cấp trên lấy bài"
	case "source_changed":
		return "Bài gốc đã thay đổi"
	case "source_updated":
		return "Cập nhật theo bài gốc"
	case "source_withdrawn":
		return "Bài gốc bị gỡ"
	}
	return kind
}

// WithdrawNotice is the public notice on a copy taken down with its original.
const WithdrawNotice = "Bài gốc đã bị gỡ bởi đơn vị gửi"

// CopyMediaFunc copies the media an item uses (images in its body, its
// featured image) from one tenant's storage into another's, inside the
// caller's transaction, and returns the body and featured image rewritten
// to the copies: the receiving tenant never links the sender's files.
type CopyMediaFunc func(ctx context.Context, tx bun.Tx, fromTenant, toTenant string, body string, featured *string) (newBody string, newFeatured *string, err error)

// Service sends, decides, pulls and keeps copies in step with originals.
type Service struct {
	DB       *bun.DB
	Posts    *post.Service
	Registry *tenancy.Registry
	// CopyMedia is filled by the media feature. While it is nil, items
	// with images cannot be copied (503): a copy never hot-links.
	CopyMedia CopyMediaFunc
	Now       func() time.Time
}

// now is the current time, at the database's precision (microseconds).
func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

// tenant returns a tenant by id from the registry, or the database when
// the registry has not caught up yet.
func (s *Service) tenant(ctx context.Context, idb bun.IDB, id string) (*tenancy.Tenant, error) {
	if t, ok := s.Registry.ByID(id); ok {
		return t, nil
	}
	return tenancy.ByID(ctx, idb, id)
}

// parentOf returns a tenant's parent, or a 422 when it has none.
func (s *Service) parentOf(ctx context.Context, child *tenancy.Tenant) (*tenancy.Tenant, error) {
	if child.ParentID == nil || *child.ParentID == "" {
		return nil, errs.Unprocessable("tenant", "no_parent", fmt.Sprintf(
			"%s không trực thuộc đơn vị nào, nên không có Ban Biên tập cấp trên để gửi bài", child.Name))
	}
	return s.tenant(ctx, s.DB, *child.ParentID)
}

// isAncestor reports whether anc is a strict ancestor of t.
func (s *Service) isAncestor(anc string, t *tenancy.Tenant) bool {
	for i := 0; i < 32 && t != nil && t.ParentID != nil; i++ {
		if *t.ParentID == anc {
			return true
		}
		t, _ = s.Registry.ByID(*t.ParentID)
	}
	return false
}

// descendants lists the tenants below anc, at any depth.
func (s *Service) descendants(anc string) []*tenancy.Tenant {
	var out []*tenancy.Tenant
	for _, t := range s.Registry.All() {
		if s.isAncestor(anc, t) {
			out = append(out, t)
		}
	}
	return out
}

// cleanNote normalises a free-text note and bounds its length.
func cleanNote(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if len([]rune(s)) > 2000 {
		return "", errs.Invalid(field, "note_too_long", "Ghi chú dài quá 2000 ký tự")
	}
	return s, nil
}

// errMediaUnwired is the cause when CopyMedia is missing.
var errMediaUnwired = errors.New("crosspost: CopyMedia is not wired")
