package crosspost

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/post/lint"
)

// Send sends a child tenant's item to its parent's board ("Gửi Ban Biên
// tập Sở"). An item may be sent once it is approved (scheduled or
// published), or in any working state by a tenant without a site
// (offices, unions, units waiting for a licence), whose items are never
// reviewed at home. The text must have its fields and no presentation
// errors. A re-send after "returned" continues the same submission: its
// first sending, which the quota counts, never moves.
func (s *Service) Send(ctx context.Context, child *tenancy.Tenant, actor post.Actor, postID, note string) (*Submission, error) {
	if !actor.Can(authz.PostSubmitParent) {
		return nil, errs.Forbidden("forbidden", "Bạn không có quyền gửi bài lên Ban Biên tập cấp trên")
	}
	parent, err := s.parentOf(ctx, child)
	if err != nil {
		return nil, err
	}
	if note, err = cleanNote("note", note); err != nil {
		return nil, err
	}
	var sub *Submission
	err = db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		p, err := post.GetForUpdate(ctx, tx, child.ID, postID)
		if err != nil {
			return err
		}
		if err := s.sendable(child, actor, p); err != nil {
			return err
		}
		rev, err := latestRevision(ctx, tx, child.ID, p.ID)
		if err != nil {
			return err
		}
		now := s.now()
		cur, err := liveByItem(ctx, tx, child.ID, p.ID, true)
		if err != nil {
			return err
		}
		kind := "sent"
		switch {
		case cur == nil:
			sub = &Submission{ParentTenantID: parent.ID, ID: db.NewID(), ChildTenantID: child.ID, PostID: p.ID,
				Origin: OriginSent, State: StateSent, PostType: p.Type, Counts: counts(p), FirstSentAt: now,
				SentAt: now, SentBy: actor.ID, Note: note, OriginRevision: rev, CreatedAt: now, UpdatedAt: now}
			if err := insert(ctx, tx, sub); err != nil {
				return err
			}
		case cur.State == StateReturned && cur.ParentTenantID == parent.ID:
			kind, sub = "resent", cur
			sub.State, sub.SentAt, sub.SentBy, sub.Note, sub.OriginRevision = StateSent, now, actor.ID, note, rev
			sub.PostType, sub.Counts, sub.UpdatedAt = p.Type, sub.Counts && counts(p), now
			sub.DecidedAt, sub.DecidedBy, sub.DecisionNote, sub.RefuseReason = nil, nil, "", nil
			if err := save(ctx, tx, sub); err != nil {
				return err
			}
		default:
			return alreadyLive(cur, parent)
		}
		if err := record(ctx, tx, sub, kind, actor.ID, note, now); err != nil {
			return err
		}
		msg := fmt.Sprintf("%s gửi bài “%s” lên Ban Biên tập", child.Name, p.Title)
		if kind == "resent" {
			msg = fmt.Sprintf("%s gửi lại bài “%s” sau khi sửa", child.Name, p.Title)
		}
		return post.Notify(ctx, tx, parent.ID, "", "submission_"+kind, msg, "/t/"+parent.Slug+"/hop-thu/"+sub.ID)
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// counts reports whether sending p counts for the quota: the sender's own
// items do, republished press items and copies of others' items do not.
func counts(p *post.Post) bool { return p.Type != post.TypeRepublished && p.OriginPostID == nil }

// sendable checks the item's state and the sender's hold on it.
func (s *Service) sendable(child *tenancy.Tenant, actor post.Actor, p *post.Post) error {
	if err := sendableState(child, actor, p); err != nil {
		return err
	}
	if len(p.Fields) == 0 {
		return errs.Invalid("fields", "fields_required", "Cần chọn ít nhất một lĩnh vực trước khi gửi bài")
	}
	var blocking []lint.Finding
	for _, f := range s.Posts.Findings(p) {
		if f.Severity == lint.Error {
			blocking = append(blocking, f)
		}
	}
	if len(blocking) > 0 {
		return &post.LintError{Findings: blocking}
	}
	return nil
}

// Offered reports whether the console offers "Gửi Ban Biên tập Sở" on p:
// the actor may send, the child has a parent, the item is in a state Send
// takes (approved or later; any working state for a tenant without a
// site, by its author or an editor), and it has no live submission but a
// returned one. Missing fields or presentation errors do not hide the
// offer: Send then says what to fix.
func (s *Service) Offered(ctx context.Context, child *tenancy.Tenant, actor post.Actor, p *post.Post) (bool, error) {
	if child.ParentID == nil || !actor.Can(authz.PostSubmitParent) || sendableState(child, actor, p) != nil {
		return false, nil
	}
	cur, err := liveByItem(ctx, s.DB, child.ID, p.ID, false)
	if err != nil {
		return false, err
	}
	return cur == nil || cur.State == StateReturned, nil
}

// sendableState is the part of sendable that depends on the item's state
// and who sends it.
func sendableState(child *tenancy.Tenant, actor post.Actor, p *post.Post) error {
	switch p.Status {
	case post.StatusApproved, post.StatusScheduled, post.StatusPublished:
	case post.StatusWithdrawn, post.StatusUnpublished:
		return errs.Conflict("not_sendable", "Bài đã gỡ hoặc ngừng đăng, không gửi lên được")
	default:
		noSite := !child.HasSite || child.Kind == tenancy.KindOffice || child.Kind == tenancy.KindUnion
		if !noSite {
			return errs.Conflict("not_approved", "Bài cần được Ban Biên tập của đơn vị duyệt trước khi gửi lên cấp trên")
		}
		if p.AuthorID != actor.ID && !actor.Can(authz.PostEditAny) {
			return errs.Forbidden("forbidden", "Chỉ tác giả hoặc biên tập viên mới gửi được bản nháp này")
		}
	}
	return nil
}

// alreadyLive explains why an item with a live submission cannot be sent
// (or pulled) again.
func alreadyLive(cur *Submission, to *tenancy.Tenant) error {
	switch {
	case cur.ParentTenantID != to.ID:
		return errs.Conflict("already_submitted", "Bài này đã được gửi lên (hoặc được lấy) ở một đơn vị cấp trên khác")
	case cur.State == StateSent:
		return errs.Conflict("already_sent", "Bài này đã được gửi và đang chờ Ban Biên tập xử lý")
	case cur.State == StateAccepted:
		return errs.Conflict("already_accepted", "Bài này đã được nhận rồi")
	case cur.State == StateRefused:
		return errs.Conflict("already_refused", "Bài này đã bị từ chối; hãy viết bài mới")
	}
	return errs.Conflict("already_submitted", "Bài này đã được gửi lên rồi")
}
