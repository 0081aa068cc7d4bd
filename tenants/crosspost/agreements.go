package crosspost

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post"
)

// AgreementInput is a new entry of the register of reuse agreements.
// Dates are yyyy-mm-dd or dd/mm/yyyy; an empty expiry means open-ended.
type AgreementInput struct {
	Outlet    string `json:"outlet"`
	Reference string `json:"reference"`
	SignedOn  string `json:"signed_on"`
	ExpiresOn string `json:"expires_on"`
	Scope     string `json:"scope"`
}

// AgreementPatch changes an entry of the register; a nil field keeps its
// value, an empty expires_on makes the agreement open-ended.
type AgreementPatch struct {
	Outlet    *string `json:"outlet"`
	Reference *string `json:"reference"`
	SignedOn  *string `json:"signed_on"`
	ExpiresOn *string `json:"expires_on"`
	Scope     *string `json:"scope"`
}

// Audit actions of the register.
const (
	ActionAgreementAdded   = "agreement.added"
	ActionAgreementChanged = "agreement.changed"
	ActionAgreementExpired = "agreement.expired"
)

// AddAgreement records an agreement in the tenant's register.
func (s *Service) AddAgreement(ctx context.Context, t *tenancy.Tenant, actor post.Actor, in AgreementInput) (*post.Agreement, error) {
	if !actor.Can(authz.AgreementManage) {
		return nil, errForbiddenRegister()
	}
	a := &post.Agreement{TenantID: t.ID, ID: db.NewID(), CreatedAt: s.now(), CreatedBy: actor.ID}
	if err := fillAgreement(a, in); err != nil {
		return nil, err
	}
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
			return agreementWriteErr(err, a)
		}
		return recordAgreement(ctx, tx, actor, a, ActionAgreementAdded)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAgreement changes an entry of the tenant's register. The outlet of
// an agreement that items already cite cannot change: their source would
// no longer match it.
func (s *Service) UpdateAgreement(ctx context.Context, t *tenancy.Tenant, actor post.Actor, id string, p AgreementPatch) (*post.Agreement, error) {
	if !actor.Can(authz.AgreementManage) {
		return nil, errForbiddenRegister()
	}
	var out *post.Agreement
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		a, err := post.GetAgreement(ctx, tx, t.ID, id)
		if err != nil {
			return err
		}
		in := patched(a, p)
		before := a.Outlet
		if err := fillAgreement(a, in); err != nil {
			return err
		}
		if !post.SameOutlet(before, a.Outlet) {
			n, err := tx.NewSelect().Table("posts").Where("tenant_id = ? AND agreement_id = ?", t.ID, a.ID).Count(ctx)
			if err != nil {
				return fmt.Errorf("count items citing agreement: %w", err)
			}
			if n > 0 {
				return errs.Conflict("agreement_in_use", fmt.Sprintf("Đã có %d bài dẫn thỏa thuận này; không đổi được tên cơ quan báo chí", n))
			}
		}
		if _, err := tx.NewUpdate().Model(a).Column("outlet", "reference", "signed_on", "expires_on", "scope").
			Where("tenant_id = ? AND id = ?", t.ID, a.ID).Exec(ctx); err != nil {
			return agreementWriteErr(err, a)
		}
		out = a
		return recordAgreement(ctx, tx, actor, a, ActionAgreementChanged)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ExpireAgreement ends an agreement now: its last valid day becomes
// yesterday, so from today no republished item citing it may be
// published. An agreement not valid today is a Conflict.
func (s *Service) ExpireAgreement(ctx context.Context, t *tenancy.Tenant, actor post.Actor, id string) (*post.Agreement, error) {
	if !actor.Can(authz.AgreementManage) {
		return nil, errForbiddenRegister()
	}
	var out *post.Agreement
	err := db.InTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		a, err := post.GetAgreement(ctx, tx, t.ID, id)
		if err != nil {
			return err
		}
		now := s.now()
		if !a.ValidAt(now) {
			return errs.Conflict("agreement_not_valid", fmt.Sprintf("Thỏa thuận số %s với %s hiện không có hiệu lực; không cần chấm dứt", a.Reference, a.Outlet))
		}
		last := post.Day(now).AddDate(0, 0, -1)
		a.ExpiresOn = &last
		if _, err := tx.NewUpdate().Model(a).Column("expires_on").Where("tenant_id = ? AND id = ?", t.ID, a.ID).Exec(ctx); err != nil {
			return fmt.Errorf("expire agreement: %w", err)
		}
		out = a
		return recordAgreement(ctx, tx, actor, a, ActionAgreementExpired)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func errForbiddenRegister() error {
	return errs.Forbidden("forbidden", "Bạn không có quyền sửa sổ thỏa thuận bản quyền")
}

// patched is the agreement's fields with the patch applied, as input.
func patched(a *post.Agreement, p AgreementPatch) AgreementInput {
	in := AgreementInput{Outlet: a.Outlet, Reference: a.Reference, SignedOn: a.SignedOn.Format(time.DateOnly), Scope: a.Scope}
	if a.ExpiresOn != nil {
		in.ExpiresOn = a.ExpiresOn.Format(time.DateOnly)
	}
	for _, f := range []struct{ to, from *string }{
		{&in.Outlet, p.Outlet}, {&in.Reference, p.Reference}, {&in.SignedOn, p.SignedOn}, {&in.ExpiresOn, p.ExpiresOn}, {&in.Scope, p.Scope},
	} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	return in
}

// fillAgreement validates in and sets a's fields from it.
func fillAgreement(a *post.Agreement, in AgreementInput) error {
	line := func(s string) string { return strings.Join(strings.Fields(vntext.NFC(s)), " ") }
	a.Outlet, a.Reference, a.Scope = line(in.Outlet), line(in.Reference), strings.TrimSpace(vntext.NFC(in.Scope))
	switch {
	case a.Outlet == "" || len([]rune(a.Outlet)) > 200:
		return errs.Invalid("outlet", "outlet_required", "Cần ghi tên cơ quan báo chí (tối đa 200 ký tự)")
	case a.Reference == "" || len([]rune(a.Reference)) > 100:
		return errs.Invalid("reference", "reference_required", "Cần ghi số hiệu thỏa thuận (tối đa 100 ký tự)")
	case len([]rune(a.Scope)) > 2000:
		return errs.Invalid("scope", "scope_too_long", "Phạm vi dài quá 2000 ký tự")
	}
	signed, err := agreementDate("signed_on", in.SignedOn, true)
	if err != nil {
		return err
	}
	a.SignedOn = *signed
	if a.ExpiresOn, err = agreementDate("expires_on", in.ExpiresOn, false); err != nil {
		return err
	}
	if a.ExpiresOn != nil && a.ExpiresOn.Before(a.SignedOn) {
		return errs.Invalid("expires_on", "expiry_before_signing", "Ngày hết hạn không được trước ngày ký")
	}
	return nil
}

func agreementWriteErr(err error, a *post.Agreement) error {
	if db.IsUniqueViolation(err) {
		return errs.Conflict("agreement_exists", fmt.Sprintf("Sổ đã có thỏa thuận số %s với %s", a.Reference, a.Outlet))
	}
	return fmt.Errorf("write agreement: %w", err)
}

// recordAgreement writes the audit event of a change to the register.
func recordAgreement(ctx context.Context, tx bun.Tx, actor post.Actor, a *post.Agreement, action string) error {
	detail := map[string]any{"outlet": a.Outlet, "reference": a.Reference, "signed_on": a.SignedOn.Format(time.DateOnly)}
	if a.ExpiresOn != nil {
		detail["expires_on"] = a.ExpiresOn.Format(time.DateOnly)
	}
	return audit.Record(ctx, tx, audit.Event{TenantID: a.TenantID, ActorID: actor.ID, Action: action, Subject: a.ID, Detail: detail})
}

func agreementDate(field, s string, required bool) (*time.Time, error) {
	if strings.TrimSpace(s) == "" {
		if required {
			return nil, errs.Invalid(field, "date_required", "Cần ghi ngày ký thỏa thuận")
		}
		return nil, nil
	}
	d, err := vntext.ParseDate(s)
	if err != nil {
		return nil, errs.Invalid(field, "date_invalid", "Ngày phải có dạng dd/mm/yyyy hoặc yyyy-mm-dd")
	}
	day := post.Day(d)
	return &day, nil
}

// AgreementView is the API's agreement.
type AgreementView struct {
	ID        string    `json:"id"`
	Outlet    string    `json:"outlet"`
	Reference string    `json:"reference"`
	SignedOn  string    `json:"signed_on"`
	ExpiresOn *string   `json:"expires_on"`
	Scope     string    `json:"scope"`
	Valid     bool      `json:"valid"`
	CreatedAt time.Time `json:"created_at"`
}

// ViewAgreement returns the API shape of a, with its validity at now.
func ViewAgreement(a *post.Agreement, now time.Time) AgreementView {
	v := AgreementView{ID: a.ID, Outlet: a.Outlet, Reference: a.Reference, SignedOn: a.SignedOn.Format("2006-01-02"),
		Scope: a.Scope, Valid: a.ValidAt(now), CreatedAt: a.CreatedAt}
	if a.ExpiresOn != nil {
		e := a.ExpiresOn.Format("2006-01-02")
		v.ExpiresOn = &e
	}
	return v
}

// SignedDay is the day the agreement was signed as the console shows
// dates (dd/mm/yyyy); the API keeps ISO days.
func (v AgreementView) SignedDay() string { return consoleDay(v.SignedOn) }

// ExpiresDay is its last valid day as the console shows dates, "" when
// it has none.
func (v AgreementView) ExpiresDay() string {
	if v.ExpiresOn == nil {
		return ""
	}
	return consoleDay(*v.ExpiresOn)
}

// consoleDay writes an ISO day (yyyy-mm-dd) as dd/mm/yyyy.
func consoleDay(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return d.Format("02/01/2006")
}
