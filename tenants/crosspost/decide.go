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

// AcceptInput is the board's acceptance.
type AcceptInput struct {
	// Publish publishes the copy at once (the parent needs a site);
	// otherwise it is a draft of the parent.
	Publish bool
	Note    string
	// Agreement is the parent's agreement for a republished item; empty
	// picks a valid one with the same outlet from the parent's register.
	Agreement string
}

// Accept copies a sent item into the parent as a new item, with its media
// and its provenance, and tells the sender. The copy is made from the
// revision that was sent; if the original moved on since, the copy starts
// marked "source changed".
func (s *Service) Accept(ctx context.Context, parent *tenancy.Tenant, actor post.Actor, id string, in AcceptInput) (*Submission, *post.Post, error) {
	if !actor.Can(authz.InboxDecide) {
		return nil, nil, errs.Forbidden("forbidden", "Bạn không có quyền xử lý bài gửi lên")
	}
	if in.Publish && !actor.Can(authz.PostPublish) {
		return nil, nil, errs.Forbidden("forbidden", "Bạn không có quyền đăng bài")
	}
	note, err := cleanNote("note", in.Note)
	if err != nil {
		return nil, nil, err
	}
	var sub *Submission
	var cp *post.Post
	err = db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		var child *tenancy.Tenant
		var orig *post.Post
		if sub, child, orig, err = s.pending(ctx, tx, parent, id); err != nil {
			return err
		}
		cp, err = s.copyInto(ctx, tx, parent, child, orig, sub.OriginRevision, actor, copyOpts{in.Publish, in.Agreement, "Nhận bài gửi lên từ " + child.Name})
		if err != nil {
			return err
		}
		now := s.now()
		sub.State, sub.DecidedAt, sub.DecidedBy, sub.DecisionNote = StateAccepted, &now, &actor.ID, note
		sub.AcceptedPostID, sub.UpdatedAt = &cp.ID, now
		if err := save(ctx, tx, sub); err != nil {
			return err
		}
		if err := record(ctx, tx, sub, "accepted", actor.ID, note, now); err != nil {
			return err
		}
		how := "lưu thành bản nháp"
		if cp.Status == post.StatusPublished {
			how = "đăng lên trang"
		}
		return post.Notify(ctx, tx, child.ID, "", "submission_accepted",
			fmt.Sprintf("%s đã nhận bài “%s” (%s)", parent.Name, orig.Title, how), "/t/"+child.Slug+"/da-gui")
	})
	if err != nil {
		return nil, nil, err
	}
	return sub, cp, nil
}

// Return sends an item back to its sender for changes; the note says what
// to change and is required.
func (s *Service) Return(ctx context.Context, parent *tenancy.Tenant, actor post.Actor, id, note string) (*Submission, error) {
	note, err := cleanNote("note", note)
	if err != nil {
		return nil, err
	}
	if note == "" {
		return nil, errs.Invalid("note", "note_required", "Cần ghi rõ đơn vị phải sửa gì khi trả lại bài")
	}
	return s.decide(ctx, parent, actor, id, StateReturned, nil, note)
}

// Refuse refuses an item for one of Reasons, with a required note.
func (s *Service) Refuse(ctx context.Context, parent *tenancy.Tenant, actor post.Actor, id string, reason Reason, note string) (*Submission, error) {
	known := false
	for _, r := range Reasons {
		known = known || r == reason
	}
	if !known {
		return nil, errs.Invalid("reason", "reason_invalid", "Lý do từ chối phải là một trong: off-topic, duplicate, quality, late, copyright")
	}
	note, err := cleanNote("note", note)
	if err != nil {
		return nil, err
	}
	if note == "" {
		return nil, errs.Invalid("note", "note_required", "Cần ghi rõ lý do từ chối để đơn vị rút kinh nghiệm")
	}
	return s.decide(ctx, parent, actor, id, StateRefused, &reason, note)
}

// decide records a return or a refusal and tells the sender.
func (s *Service) decide(ctx context.Context, parent *tenancy.Tenant, actor post.Actor, id string, to State, reason *Reason, note string) (*Submission, error) {
	if !actor.Can(authz.InboxDecide) {
		return nil, errs.Forbidden("forbidden", "Bạn không có quyền xử lý bài gửi lên")
	}
	var sub *Submission
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		var child *tenancy.Tenant
		var orig *post.Post
		var err error
		if sub, child, orig, err = s.pending(ctx, tx, parent, id); err != nil {
			return err
		}
		now := s.now()
		sub.State, sub.DecidedAt, sub.DecidedBy, sub.DecisionNote, sub.UpdatedAt = to, &now, &actor.ID, note, now
		msg := fmt.Sprintf("%s trả lại bài để sửa: %s", parent.Name, note)
		if reason != nil {
			r := string(*reason)
			sub.RefuseReason = &r
			msg = fmt.Sprintf("%s từ chối bài (%s): %s", parent.Name, reason.Label(), note)
		}
		if err := save(ctx, tx, sub); err != nil {
			return err
		}
		if err := record(ctx, tx, sub, string(to), actor.ID, note, now); err != nil {
			return err
		}
		return post.Notify(ctx, tx, child.ID, "", "submission_"+string(to), "“"+orig.Title+"” — "+msg, "/t/"+child.Slug+"/da-gui")
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// pending loads a submission of the parent's inbox that awaits a decision,
// with its sender and its item. The item is locked before the submission
// (the order every item write follows), then the state is checked.
func (s *Service) pending(ctx context.Context, tx bun.Tx, parent *tenancy.Tenant, id string) (*Submission, *tenancy.Tenant, *post.Post, error) {
	peek, err := Get(ctx, tx, parent.ID, id)
	if err != nil {
		return nil, nil, nil, err
	}
	child, err := s.tenant(ctx, tx, peek.ChildTenantID)
	if err != nil {
		return nil, nil, nil, err
	}
	orig, err := post.GetForUpdate(ctx, tx, child.ID, peek.PostID)
	if err != nil {
		return nil, nil, nil, err
	}
	sub, err := getForUpdate(ctx, tx, parent.ID, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if sub.State != StateSent {
		return nil, nil, nil, errs.Conflict("not_pending", fmt.Sprintf("Bài này không còn chờ xử lý (trạng thái: %s)", sub.State.Label()))
	}
	return sub, child, orig, nil
}
