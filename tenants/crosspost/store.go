package crosspost

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post"
)

// Get loads one submission of a parent's inbox.
func Get(ctx context.Context, idb bun.IDB, parentID, id string) (*Submission, error) {
	sub := new(Submission)
	err := idb.NewSelect().Model(sub).Where("parent_tenant_id = ? AND id = ?", parentID, id).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load submission", "submission_not_found", "Không tìm thấy bài gửi")
	}
	return sub, nil
}

// getForUpdate loads a submission in a transaction, locking its row on
// PostgreSQL (SQLite's write lock already serialises).
func getForUpdate(ctx context.Context, tx bun.Tx, parentID, id string) (*Submission, error) {
	sub := new(Submission)
	q := tx.NewSelect().Model(sub).Where("parent_tenant_id = ? AND id = ?", parentID, id)
	if db.IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, db.NotFound(err, "load submission", "submission_not_found", "Không tìm thấy bài gửi")
	}
	return sub, nil
}

// liveByItem returns the item's live submission (any state but
// withdrawn), nil if there is none. It is looked up by the child tenant.
// With lock (in a transaction, on PostgreSQL) the row is locked; callers
// lock the item first, then its submission, so locks never cross.
func liveByItem(ctx context.Context, idb bun.IDB, childID, postID string, lock bool) (*Submission, error) {
	sub := new(Submission)
	q := idb.NewSelect().Model(sub).Where("child_tenant_id = ? AND post_id = ? AND state <> ?", childID, postID, StateWithdrawn)
	if _, ok := idb.(bun.Tx); ok && lock && db.IsPostgres(idb) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, fmt.Errorf("load live submission: %w", err)
	}
	return sub, nil
}

func insert(ctx context.Context, idb bun.IDB, sub *Submission) error {
	if _, err := idb.NewInsert().Model(sub).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return errs.Conflict("already_submitted", "Bài này đã được gửi lên (hoặc được lấy) rồi")
		}
		return fmt.Errorf("insert submission: %w", err)
	}
	return nil
}

func save(ctx context.Context, idb bun.IDB, sub *Submission) error {
	_, err := idb.NewUpdate().Model(sub).Where("parent_tenant_id = ? AND id = ?", sub.ParentTenantID, sub.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("update submission: %w", err)
	}
	return nil
}

// record appends an event to a submission's history.
func record(ctx context.Context, idb bun.IDB, sub *Submission, kind, actorID, note string, at time.Time) error {
	e := &Event{ParentTenantID: sub.ParentTenantID, ID: db.NewID(), SubmissionID: sub.ID, Kind: kind, ActorID: actorID, Note: note, CreatedAt: at}
	if _, err := idb.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("record submission event: %w", err)
	}
	return nil
}

// History lists a submission's events, oldest first.
func History(ctx context.Context, idb bun.IDB, parentID, id string) ([]Event, error) {
	var es []Event
	err := idb.NewSelect().Model(&es).Where("parent_tenant_id = ? AND submission_id = ?", parentID, id).
		Order("created_at", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list submission events: %w", err)
	}
	return es, nil
}

// Filter narrows an inbox or an outbox.
type Filter struct {
	Sender string // child tenant id (inbox)
	Field  string
	Type   post.Type
	State  State
	Origin Origin
	Week   string // YYYY-Www, by first sending
	Post   string // item id (outbox)
	Limit  int
	Offset int
}

// Inbox lists what the parent's children sent (and what it pulled),
// pending first, newest first.
func Inbox(ctx context.Context, idb bun.IDB, parentID string, f Filter) ([]Submission, error) {
	return list(ctx, idb, "s.parent_tenant_id", parentID, f)
}

// Outbox lists what a tenant sent upward (or had pulled), newest first.
func Outbox(ctx context.Context, idb bun.IDB, childID string, f Filter) ([]Submission, error) {
	return list(ctx, idb, "s.child_tenant_id", childID, f)
}

func list(ctx context.Context, idb bun.IDB, scope, tenantID string, f Filter) ([]Submission, error) {
	var subs []Submission
	q := idb.NewSelect().Model(&subs).Where(scope+" = ?", tenantID)
	if f.Sender != "" {
		q = q.Where("s.child_tenant_id = ?", f.Sender)
	}
	if f.Type != "" {
		q = q.Where("s.post_type = ?", f.Type)
	}
	if f.State != "" {
		q = q.Where("s.state = ?", f.State)
	}
	if f.Origin != "" {
		q = q.Where("s.origin = ?", f.Origin)
	}
	if f.Post != "" {
		q = q.Where("s.post_id = ?", f.Post)
	}
	if f.Field != "" {
		q = q.Where("EXISTS (SELECT 1 FROM post_fields AS pf WHERE pf.tenant_id = s.child_tenant_id AND pf.post_id = s.post_id AND pf.field_code = ?)", f.Field)
	}
	if f.Week != "" {
		from, err := WeekStart(f.Week)
		if err != nil {
			return nil, err
		}
		q = q.Where("s.first_sent_at >= ? AND s.first_sent_at < ?", from, from.AddDate(0, 0, 7))
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	q = q.OrderExpr("CASE WHEN s.state = ? THEN 0 ELSE 1 END, s.sent_at DESC, s.id DESC", StateSent).
		Limit(int64(limit)).Offset(int64(max(f.Offset, 0)))
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list submissions: %w", err)
	}
	return subs, nil
}

// WeekStart reads an ISO week "YYYY-Www" and returns its Monday 00:00 in
// Vietnam time.
func WeekStart(s string) (time.Time, error) {
	bad := errs.Invalid("week", "week_invalid", "Tuần phải có dạng YYYY-Www, ví dụ 2026-W48")
	year, week, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "-W")
	y, err1 := strconv.Atoi(year)
	w, err2 := strconv.Atoi(week)
	if !ok || err1 != nil || err2 != nil || len(year) != 4 || len(week) != 2 || w < 1 || w > 53 {
		return time.Time{}, bad
	}
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, vntext.Location())
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
	if iy, iw := monday.ISOWeek(); iy != y || iw != w {
		return time.Time{}, bad
	}
	return monday.UTC(), nil
}

// loadPosts loads items of one tenant by id, with their fields.
func loadPosts(ctx context.Context, idb bun.IDB, tenantID string, ids []string) (map[string]*post.Post, error) {
	out := map[string]*post.Post{}
	if len(ids) == 0 {
		return out, nil
	}
	var ps []*post.Post
	if err := idb.NewSelect().Model(&ps).Where("p.tenant_id = ? AND p.id IN (?)", tenantID, bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load items: %w", err)
	}
	for _, p := range ps {
		p.Fields = []string{}
		out[p.ID] = p
	}
	var fs []post.Field
	if err := idb.NewSelect().Model(&fs).Where("tenant_id = ? AND post_id IN (?)", tenantID, bun.List(ids)).
		Order("field_code").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load item fields: %w", err)
	}
	for _, f := range fs {
		if p := out[f.PostID]; p != nil {
			p.Fields = append(p.Fields, f.FieldCode)
		}
	}
	return out, nil
}
