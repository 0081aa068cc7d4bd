package question

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// errLimit is the 429 of an address that asked too often.
func errLimit(n int) error {
	return errs.Throttled("question", "question_rate_limited",
		fmt.Sprintf("Quý vị đã gửi %d câu hỏi trong một giờ qua, là số tối đa cho phép. Xin gửi lại sau ít phút.", n))
}

// Answer records the board's answer to a new (or already answered)
// question, publishes it with the question when publish is set, and
// e-mails it to the asker when SMTP is set and they gave an e-mail.
func (s *Service) Answer(ctx context.Context, t *tenancy.Tenant, actorID, id, answer string, publish bool) (*Question, error) {
	answer = stripControls(strings.TrimSpace(vntext.NFC(answer)))
	switch {
	case answer == "":
		return nil, errs.Invalid("answer", "answer_required", "Cần nhập nội dung trả lời")
	case utf8.RuneCountInString(answer) > MaxAnswer:
		return nil, errs.Invalid("answer", "answer_too_long", fmt.Sprintf("Trả lời dài quá %d ký tự", MaxAnswer))
	}
	q, err := s.decide(ctx, t, actorID, id, "question.answered", func(q *Question) error {
		if q.State == StateRejected {
			return errs.Conflict("question_rejected", "Câu hỏi đã bị từ chối, không trả lời được")
		}
		q.State, q.Answer, q.Published = StateAnswered, answer, publish
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.mail(ctx, t, q)
	return q, nil
}

// Reject takes a new question out of the queue with a reason (kept, never
// published).
func (s *Service) Reject(ctx context.Context, t *tenancy.Tenant, actorID, id, reason string) (*Question, error) {
	reason = strings.TrimSpace(vntext.NFC(reason))
	switch {
	case reason == "":
		return nil, errs.Invalid("reason", "reason_required", "Cần nêu lý do từ chối")
	case utf8.RuneCountInString(reason) > 1000:
		return nil, errs.Invalid("reason", "reason_too_long", "Lý do dài quá 1000 ký tự")
	}
	return s.decide(ctx, t, actorID, id, "question.rejected", func(q *Question) error {
		if q.State != StateNew {
			return errs.Conflict("question_decided", "Câu hỏi đã được xử lý")
		}
		q.State, q.Reason, q.Published = StateRejected, reason, false
		return nil
	})
}

func (s *Service) decide(ctx context.Context, t *tenancy.Tenant, actorID, id, action string, change func(*Question) error) (*Question, error) {
	var q *Question
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if q, err = Get(ctx, tx, t.ID, id); err != nil {
			return err
		}
		if err := change(q); err != nil {
			return err
		}
		now := s.now()
		q.DecidedAt, q.DecidedBy = &now, actorID
		if _, err := tx.NewUpdate().Model(q).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update question: %w", err)
		}
		return s.Audit.Record(ctx, tx, audit.Event{TenantID: t.ID, ActorID: actorID, Action: action, Subject: q.ID,
			Detail: map[string]any{"published": q.Published}})
	})
	return q, err
}

// mail sends the answer to the asker's e-mail; a failure is logged, the
// answer stands (the board may answer again to resend).
func (s *Service) mail(ctx context.Context, t *tenancy.Tenant, q *Question) {
	if s.Send == nil || q.Email == "" {
		return
	}
	body := "Kính gửi " + q.Name + ",\n\n" + t.Name + " trả lời câu hỏi của quý vị gửi ngày " +
		vntext.Date(q.CreatedAt) + ":\n\n« " + q.Question + " »\n\nTrả lời:\n\n" + q.Answer + "\n\nTrân trọng,\n" + t.Name + "\n"
	err := s.Send(ctx, Message{To: q.Email, ToName: q.Name, Subject: "Trả lời câu hỏi gửi " + t.Name, Body: body})
	if err != nil {
		slog.WarnContext(ctx, "question answer not mailed", "tenant", t.Slug, "question", q.ID, "err", err)
		return
	}
	now := s.now()
	if _, err := s.DB.NewUpdate().Model((*Question)(nil)).Set("mailed_at = ?", now).
		Where("tenant_id = ? AND id = ?", q.TenantID, q.ID).Exec(ctx); err != nil {
		slog.WarnContext(ctx, "question mailed_at not kept", "question", q.ID, "err", err)
	}
	q.MailedAt = &now
}

// MergeRows moves tenant from's questions to tenant into inside a merge's
// transaction (tenants/provision).
func MergeRows(ctx context.Context, tx bun.Tx, from, into string) error {
	if _, err := tx.NewRaw("UPDATE questions SET tenant_id = ? WHERE tenant_id = ?", into, from).Exec(ctx); err != nil {
		return fmt.Errorf("merge questions: %w", err)
	}
	return nil
}
