package crosspost

import (
	"context"
	"fmt"
	"strings"
	"time"

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

// AddAgreement records an agreement in the tenant's register.
func (s *Service) AddAgreement(ctx context.Context, t *tenancy.Tenant, actor post.Actor, in AgreementInput) (*post.Agreement, error) {
	if !actor.Can(authz.AgreementManage) {
		return nil, errs.Forbidden("forbidden", "Bạn không có quyền sửa sổ thỏa thuận bản quyền")
	}
	line := func(s string) string { return strings.Join(strings.Fields(vntext.NFC(s)), " ") }
	a := &post.Agreement{TenantID: t.ID, ID: db.NewID(), Outlet: line(in.Outlet), Reference: line(in.Reference),
		Scope: strings.TrimSpace(vntext.NFC(in.Scope)), CreatedAt: s.now(), CreatedBy: actor.ID}
	switch {
	case a.Outlet == "" || len([]rune(a.Outlet)) > 200:
		return nil, errs.Invalid("outlet", "outlet_required", "Cần ghi tên cơ quan báo chí (tối đa 200 ký tự)")
	case a.Reference == "" || len([]rune(a.Reference)) > 100:
		return nil, errs.Invalid("reference", "reference_required", "Cần ghi số hiệu thỏa thuận (tối đa 100 ký tự)")
	case len([]rune(a.Scope)) > 2000:
		return nil, errs.Invalid("scope", "scope_too_long", "Phạm vi dài quá 2000 ký tự")
	}
	signed, err := agreementDate("signed_on", in.SignedOn, true)
	if err != nil {
		return nil, err
	}
	a.SignedOn = *signed
	if a.ExpiresOn, err = agreementDate("expires_on", in.ExpiresOn, false); err != nil {
		return nil, err
	}
	if a.ExpiresOn != nil && a.ExpiresOn.Before(a.SignedOn) {
		return nil, errs.Invalid("expires_on", "expiry_before_signing", "Ngày hết hạn không được trước ngày ký")
	}
	if _, err := s.DB.NewInsert().Model(a).Exec(ctx); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, errs.Conflict("agreement_exists", fmt.Sprintf("Sổ đã có thỏa thuận số %s với %s", a.Reference, a.Outlet))
		}
		return nil, fmt.Errorf("insert agreement: %w", err)
	}
	return a, nil
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
