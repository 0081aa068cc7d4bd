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
)

// AfterWrite follows originals; register it in post.Service.AfterWrite.
// It runs inside the transaction of every item write: an edit of the live
// text (a published item's edition counts once it is published) marks the
// parent's copy "source changed" (or clears the mark when the edit undid
// the change); a withdrawal or unpublishing withdraws the live submission
// and takes the copy down in the same transaction. A copy brought up to
// its source (UpdateFromSource) loses its mark when the new text is saved,
// as its edition when the copy is published.
func (s *Service) AfterWrite(ctx context.Context, tx bun.Tx, p *post.Post, change string) error {
	switch change {
	case "edition":
		return s.synced(ctx, tx, p)
	case "edit":
		if err := s.synced(ctx, tx, p); err != nil {
			return err
		}
		return s.sourceEdited(ctx, tx, p)
	case "status:" + string(post.StatusWithdrawn), "status:" + string(post.StatusUnpublished):
		return s.sourceWithdrawn(ctx, tx, p)
	}
	return nil
}

// copyOf returns the accepted submission of an original and the parent's
// copy, or nils.
func copyOf(ctx context.Context, tx bun.Tx, p *post.Post) (*Submission, *post.Post, error) {
	sub, err := liveByItem(ctx, tx, p.TenantID, p.ID, false)
	if err != nil || sub == nil || sub.State != StateAccepted || sub.AcceptedPostID == nil {
		return nil, nil, err
	}
	cp, err := post.Get(ctx, tx, sub.ParentTenantID, *sub.AcceptedPostID)
	if errs.Is(err, errs.KindNotFound) {
		return sub, nil, nil
	}
	return sub, cp, err
}

// differs reports whether the original's text moved away from revision n.
func differs(ctx context.Context, tx bun.Tx, p *post.Post, n int) (bool, error) {
	r, err := post.GetRevision(ctx, tx, p.TenantID, p.ID, n)
	if errs.Is(err, errs.KindNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return r.Title != p.Title || r.Summary != p.Summary || r.Body != p.Body, nil
}

func (s *Service) sourceEdited(ctx context.Context, tx bun.Tx, p *post.Post) error {
	sub, cp, err := copyOf(ctx, tx, p)
	if err != nil || cp == nil {
		return err
	}
	changed, err := differs(ctx, tx, p, cp.OriginRevision)
	if err != nil || changed == cp.SourceChanged {
		return err
	}
	if err := setSourceChanged(ctx, tx, cp, changed, cp.OriginRevision); err != nil {
		return err
	}
	if !changed {
		return nil
	}
	now := s.now()
	if err := record(ctx, tx, sub, "source_changed", p.UpdatedBy, "", now); err != nil {
		return err
	}
	parent, err := s.tenant(ctx, tx, cp.TenantID)
	if err != nil {
		return err
	}
	from, err := s.tenant(ctx, tx, p.TenantID)
	if err != nil {
		return err
	}
	return post.Notify(ctx, tx, cp.TenantID, "", "source_changed",
		fmt.Sprintf("Bài gốc “%s” của %s đã thay đổi; xem khác biệt và cập nhật nếu cần", p.Title, from.Name),
		"/t/"+parent.Slug+"/bai-viet/"+cp.ID+"/bai-goc")
}

func setSourceChanged(ctx context.Context, tx bun.Tx, cp *post.Post, changed bool, rev int) error {
	_, err := tx.NewUpdate().Model((*post.Post)(nil)).Set("source_changed = ?", changed).Set("origin_revision = ?", rev).
		Where("tenant_id = ? AND id = ?", cp.TenantID, cp.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark copy: %w", err)
	}
	cp.SourceChanged, cp.OriginRevision = changed, rev
	return nil
}

func (s *Service) sourceWithdrawn(ctx context.Context, tx bun.Tx, p *post.Post) error {
	sub, err := liveByItem(ctx, tx, p.TenantID, p.ID, true)
	if err != nil || sub == nil || sub.State == StateRefused {
		return err
	}
	was, now := sub.State, s.now()
	sub.State, sub.UpdatedAt = StateWithdrawn, now
	if err := save(ctx, tx, sub); err != nil {
		return err
	}
	if err := record(ctx, tx, sub, "source_withdrawn", p.UpdatedBy, p.WithdrawReason, now); err != nil {
		return err
	}
	parent, err := s.tenant(ctx, tx, sub.ParentTenantID)
	if err != nil {
		return err
	}
	from, err := s.tenant(ctx, tx, p.TenantID)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%s đã gỡ bài “%s”; bài gửi lên được rút khỏi hộp thư", from.Name, p.Title)
	link := "/t/" + parent.Slug + "/hop-thu/" + sub.ID
	if was == StateAccepted && sub.AcceptedPostID != nil {
		cp, err := post.GetForUpdate(ctx, tx, parent.ID, *sub.AcceptedPostID)
		if err != nil && !errs.Is(err, errs.KindNotFound) {
			return err
		}
		if cp != nil {
			if err := s.takeDown(ctx, tx, cp, p.UpdatedBy, WithdrawNotice); err != nil {
				return err
			}
			msg = fmt.Sprintf("%s đã gỡ bài gốc “%s”; bản đăng trên trang đã được gỡ tự động kèm thông báo", from.Name, p.Title)
			link = "/t/" + parent.Slug + "/bai-viet/" + cp.ID
		}
	}
	return post.Notify(ctx, tx, parent.ID, "", "source_withdrawn", msg, link)
}

// syncKey marks the context of an update from the source, so the edit
// hook of the copy records the revision it now follows.
type syncKey struct{}

type syncMark struct {
	tenantID, postID string
	revision         int
}

// synced clears the mark of a copy being updated from its source.
func (s *Service) synced(ctx context.Context, tx bun.Tx, p *post.Post) error {
	m, ok := ctx.Value(syncKey{}).(syncMark)
	if !ok || m.tenantID != p.TenantID || m.postID != p.ID {
		return nil
	}
	if err := setSourceChanged(ctx, tx, p, false, m.revision); err != nil {
		return err
	}
	sub, err := liveByItem(ctx, tx, *p.OriginTenantID, *p.OriginPostID, false)
	if err != nil || sub == nil {
		return err
	}
	return record(ctx, tx, sub, "source_updated", p.UpdatedBy, "", s.now())
}

// UpdateFromSource brings a copy up to its original's current text, as a
// new revision of the copy (the editor's choice, never automatic), and
// clears its "source changed" mark. The original's media are copied again.
// A published copy gets the text as its pending edition, which goes
// through review like any edit of a published item.
func (s *Service) UpdateFromSource(ctx context.Context, t *tenancy.Tenant, actor post.Actor, copyID string) (*post.Post, error) {
	if !actor.Can(authz.PostEditAny) {
		return nil, errs.Forbidden("forbidden", "Bạn không có quyền sửa bài này")
	}
	cp, err := post.Get(ctx, s.DB, t.ID, copyID)
	if err != nil {
		return nil, err
	}
	if cp.OriginTenantID == nil || cp.OriginPostID == nil {
		return nil, errs.Conflict("not_a_copy", "Bài này không phải bài nhận từ đơn vị khác")
	}
	if cp.Type == post.TypeRepublished {
		return nil, errs.Unprocessable("body", "republished_locked", "Bài đăng lại từ báo chí bị khóa; không cập nhật được")
	}
	orig, err := post.Get(ctx, s.DB, *cp.OriginTenantID, *cp.OriginPostID)
	if err != nil {
		return nil, err
	}
	rev, err := latestRevision(ctx, s.DB, orig.TenantID, orig.ID)
	if err != nil {
		return nil, err
	}
	var body string
	err = db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		body, _, err = s.copyMedia(ctx, tx, orig.TenantID, t.ID, orig.Body, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	in := post.InputOf(cp)
	in.Title, in.Summary, in.Body = orig.Title, orig.Summary, body
	ctx = context.WithValue(ctx, syncKey{}, syncMark{tenantID: t.ID, postID: cp.ID, revision: rev})
	return s.Posts.Update(ctx, t, actor, cp.ID, cp.Version, in)
}
