// Package audit keeps the platform's audit log: who did what, in which
// tenant, when and from where (logins, second-factor changes, role grants,
// board changes, API tokens). The log is append-only: this package can add
// and read events and has no way to change or remove one. Callers pass
// their transaction, so an event commits together with the change it
// describes, or not at all.
package audit

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

// Actions recorded by the platform. Other packages may add their own
// "noun.verb" actions; these are the ones the security review asks for.
const (
	ActionLoginSuccess      = "login.success"
	ActionLoginFailure      = "login.failure"
	ActionLogoutEverywhere  = "logout.everywhere"
	ActionPasswordChanged   = "password.changed"
	ActionPasswordReset     = "password.reset"
	ActionMFAEnabled        = "mfa.enabled"
	ActionMFADisabled       = "mfa.disabled"
	ActionMFARecoveryUsed   = "mfa.recovery_used"
	ActionRoleGranted       = "role.granted"
	ActionRoleRevoked       = "role.revoked"
	ActionBoardChanged      = "board.changed"
	ActionTokenCreated      = "token.created"
	ActionTokenRevoked      = "token.revoked"
	ActionAccountCreated    = "account.created"
	ActionAccountStatusSet  = "account.status"
	ActionAccountProfileSet = "account.profile"
)

// Limits of List.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Event is one entry of the log.
type Event struct {
	ID string `json:"id"`
	// TenantID is the tenant the event concerns; "" for platform-wide
	// events (logins, platform roles).
	TenantID string `json:"tenant_id,omitempty"`
	// ActorID is the account that acted; "" when unknown (a failed login
	// with an unknown email, a system job).
	ActorID string `json:"actor_id,omitempty"`
	// Action is a "noun.verb" code such as ActionLoginSuccess.
	Action string `json:"action"`
	// Subject names what the action touched: an email, a role, a token id.
	Subject string `json:"subject,omitempty"`
	// Detail carries anything else worth keeping; stored as JSON text.
	Detail map[string]any `json:"detail,omitempty"`
	// IP is the client address of the request that caused the event.
	IP        string    `json:"ip,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// row is Event as stored: nullable ids and JSON text.
type row struct {
	bun.BaseModel `bun:"table:audit_events"`

	ID        string    `bun:"id,pk"`
	TenantID  *string   `bun:"tenant_id"`
	ActorID   *string   `bun:"actor_id"`
	Action    string    `bun:"action"`
	Subject   string    `bun:"subject"`
	Detail    string    `bun:"detail"`
	IP        string    `bun:"ip"`
	CreatedAt time.Time `bun:"created_at"`
}

// Log records and reads events, stamping them with its clock. A nil *Log
// is usable and stamps with time.Now.
type Log struct {
	now func() time.Time
}

// New returns a Log whose clock is now (time.Now when nil).
func New(now func() time.Time) *Log { return &Log{now: now} }

// Record adds e to the log inside idb (the caller's transaction), setting
// its id and, when zero, its time from the Log's clock.
func (l *Log) Record(ctx context.Context, idb bun.IDB, e Event) error {
	if e.CreatedAt.IsZero() {
		if l != nil && l.now != nil {
			e.CreatedAt = l.now()
		} else {
			e.CreatedAt = time.Now()
		}
	}
	return Record(ctx, idb, e)
}

// List reads the log; see the package function List.
func (l *Log) List(ctx context.Context, idb bun.IDB, f Filter) (Page, error) {
	return List(ctx, idb, f)
}

// Record adds e to the log inside idb (the caller's transaction). It sets
// the id, and the time when e.CreatedAt is zero.
func Record(ctx context.Context, idb bun.IDB, e Event) error {
	if strings.TrimSpace(e.Action) == "" {
		return fmt.Errorf("record audit event: empty action")
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now()
	}
	detail := "{}"
	if len(e.Detail) > 0 {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return fmt.Errorf("record audit event %s: encode detail: %w", e.Action, err)
		}
		detail = string(b)
	}
	r := &row{
		ID:        db.NewID(),
		TenantID:  nullable(e.TenantID),
		ActorID:   nullable(e.ActorID),
		Action:    e.Action,
		Subject:   e.Subject,
		Detail:    detail,
		IP:        e.IP,
		CreatedAt: e.CreatedAt.UTC().Truncate(time.Microsecond),
	}
	if _, err := idb.NewInsert().Model(r).Exec(ctx); err != nil {
		return fmt.Errorf("record audit event %s: %w", e.Action, err)
	}
	return nil
}

// Filter selects events for List.
type Filter struct {
	// TenantID limits the list to one tenant's events when not nil (a
	// tenant's site-admin); nil lists every event (platform admins). A
	// pointer to "" lists the platform-wide events only.
	TenantID *string
	// ActorID limits the list to one account's actions when not empty.
	ActorID string
	// Action limits the list to one action when not empty.
	Action string
	// Limit is the page size: DefaultLimit when 0, at most MaxLimit.
	Limit int
	// Before is the cursor of the previous page (Page.Next); "" starts
	// from the newest event.
	Before string
}

// Page is one page of events, newest first. Next is the cursor of the
// following page, "" on the last one.
type Page struct {
	Items []Event `json:"items"`
	Next  string  `json:"next"`
}

// List returns events matching f, newest first.
func List(ctx context.Context, idb bun.IDB, f Filter) (Page, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	var rows []row
	q := idb.NewSelect().Model(&rows).OrderExpr("created_at DESC, id DESC").Limit(int64(limit + 1))
	switch {
	case f.TenantID == nil:
	case *f.TenantID == "":
		q = q.Where("tenant_id IS NULL")
	default:
		q = q.Where("tenant_id = ?", *f.TenantID)
	}
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.Before != "" {
		at, id, err := decodeCursor(f.Before)
		if err != nil {
			return Page{}, err
		}
		q = q.Where("(created_at < ? OR (created_at = ? AND id < ?))", at, at, id)
	}
	if err := q.Scan(ctx); err != nil {
		return Page{}, fmt.Errorf("list audit events: %w", err)
	}
	page := Page{Items: make([]Event, 0, min(len(rows), limit))}
	for i := range rows {
		if i == limit {
			last := rows[i-1]
			page.Next = encodeCursor(last.CreatedAt, last.ID)
			break
		}
		e, err := rows[i].event()
		if err != nil {
			return Page{}, err
		}
		page.Items = append(page.Items, e)
	}
	return page, nil
}

func (r *row) event() (Event, error) {
	e := Event{
		ID:        r.ID,
		Action:    r.Action,
		Subject:   r.Subject,
		IP:        r.IP,
		CreatedAt: r.CreatedAt.UTC(),
	}
	if r.TenantID != nil {
		e.TenantID = *r.TenantID
	}
	if r.ActorID != nil {
		e.ActorID = *r.ActorID
	}
	if r.Detail != "" && r.Detail != "{}" {
		if err := json.Unmarshal([]byte(r.Detail), &e.Detail); err != nil {
			return Event{}, fmt.Errorf("decode audit event %s detail: %w", r.ID, err)
		}
	}
	return e, nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// A cursor is the time and id of the last event of a page, so the next page
// starts strictly after it even when several events share a time.
func encodeCursor(at time.Time, id string) string {
	raw := at.UTC().Format(time.RFC3339Nano) + "|" + id
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeCursor(s string) (time.Time, string, error) {
	bad := errs.Invalid("before", "cursor_invalid", "Con trỏ phân trang không hợp lệ")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, "", bad
	}
	ts, id, ok := strings.Cut(string(raw), "|")
	if !ok || id == "" {
		return time.Time{}, "", bad
	}
	at, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return time.Time{}, "", bad
	}
	return at, id, nil
}
