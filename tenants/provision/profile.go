package provision

import (
	"context"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// ActionProfileChanged is the audit action of a profile change.
const ActionProfileChanged = "tenant.profile"

// ProfilePatch changes a tenant's names, slug and profile: a nil field
// stays as it is, an empty string clears it. It is the body of
// PATCH /api/v1/tenants/{slug}, what the console's profile form sends, and
// what `trangtin tenant rename` and `tenant set-slug` apply.
type ProfilePatch struct {
	Name    *string       `json:"name"`
	NameEN  *string       `json:"name_en"`
	Profile *ProfileInput `json:"profile"`
	// Slug renames the tenant's address: <old>.<base domain> then answers
	// 301 to the same path on the new one (platform admins only; the API
	// checks).
	Slug *string `json:"slug"`
	// Reason is why, for the audit log and the tenant's history.
	Reason string `json:"reason"`
}

// ProfileInput is the profile part of a ProfilePatch.
type ProfileInput struct {
	GoverningBody     *string `json:"governing_body"`
	ResponsiblePerson *string `json:"responsible_person"`
	ResponsibleTitle  *string `json:"responsible_title"`
	Licence           *string `json:"licence"`
	LicenceDate       *string `json:"licence_date"`
	Address           *string `json:"address"`
	Phone             *string `json:"phone"`
	Fax               *string `json:"fax"`
	Email             *string `json:"email"`
	Hotline           *string `json:"hotline"`
	AddressEN         *string `json:"address_en"`
	AboutEN           *string `json:"about_en"`
}

// phonePattern accepts what Vietnamese agencies print as a phone number:
// digits with spaces, dots, hyphens, brackets and a leading +.
var phonePattern = regexp.MustCompile(`^\+?[0-9 ().\-]{3,30}$`)

// textField is one free-text field of the patch: where it goes, its name
// in errors and its longest length in characters.
type textField struct {
	in     *string
	dst    *string
	field  string
	label  string
	max    int
	multi  bool // may hold line breaks
	format func(string) error
}

// UpdateProfile applies patch to the tenant in one transaction: the row,
// a new version in the tenant's history when its name or slug changed (past
// reports keep the name it had then), the old slug kept as an alias that
// redirects, the tenants change counter (every replica reloads within a
// second) and one audit event naming the fields that changed, by actorID
// from ip.
func (p *Provisioner) UpdateProfile(ctx context.Context, tenantID, actorID, ip string, patch ProfilePatch) (*tenancy.Tenant, error) {
	return p.ApplyPatch(ctx, tenantID, Change{ActorID: actorID, IP: ip}, patch)
}

// ApplyPatch is UpdateProfile with the whole Change (the command line says
// who ran it through Via); the patch's Reason is the change's when the
// change gives none.
func (p *Provisioner) ApplyPatch(ctx context.Context, tenantID string, c Change, patch ProfilePatch) (*tenancy.Tenant, error) {
	if c.Reason == "" {
		c.Reason = patch.Reason
	}
	c, err := c.clean()
	if err != nil {
		return nil, err
	}
	return p.changeTenant(ctx, tenantID, func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant) error {
		oldName, oldSlug := t.Name, t.Slug
		changed, err := applyProfile(t, patch)
		if err != nil {
			return err
		}
		if patch.Slug != nil {
			if err := p.checkNewSlug(ctx, tx, t, strings.TrimSpace(*patch.Slug)); err != nil {
				return err
			}
			if t.Slug != oldSlug {
				changed = append(changed, "slug")
			}
		}
		if len(changed) == 0 {
			return nil
		}
		now := p.now()
		t.UpdatedAt = now
		cols := append(changedColumns(changed), "updated_at")
		if _, err := tx.NewUpdate().Model(t).Column(cols...).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update profile of %s: %w", t.Slug, err)
		}
		op, detail := profileOp(t, oldName, oldSlug, changed)
		if op == OpSetSlug {
			if err := moveSlug(ctx, tx, t, oldSlug, now); err != nil {
				return err
			}
		}
		if op == ActionProfileChanged {
			return audit.Record(ctx, tx, audit.Event{TenantID: t.ID, ActorID: c.ActorID, Action: ActionProfileChanged,
				Subject: t.Slug, IP: c.IP, Detail: withReason(detail, c)})
		}
		return record(ctx, tx, t, op, now, c, detail)
	})
}

// profileOp names what a profile change was, for the history and the
// audit log: a new slug, a rename (of the display name), or only profile
// fields (which the history does not keep).
func profileOp(t *tenancy.Tenant, oldName, oldSlug string, changed []string) (string, map[string]any) {
	detail := map[string]any{"fields": changed}
	switch {
	case t.Slug != oldSlug:
		detail["from"], detail["to"] = oldSlug, t.Slug
		return OpSetSlug, detail
	case t.Name != oldName:
		detail["from"], detail["to"] = oldName, t.Name
		return OpRename, detail
	}
	return ActionProfileChanged, detail
}

// applyProfile validates patch and writes it into t, returning the API
// names of the fields whose value changed.
func applyProfile(t *tenancy.Tenant, patch ProfilePatch) ([]string, error) {
	pr := patch.Profile
	if pr == nil {
		pr = &ProfileInput{}
	}
	fields := []textField{
		{in: patch.Name, dst: &t.Name, field: "name", label: "Tên đơn vị", max: 200},
		{in: patch.NameEN, dst: &t.NameEN, field: "name_en", label: "Tên tiếng Anh", max: 200},
		{in: pr.GoverningBody, dst: &t.GoverningBody, field: "governing_body", label: "Cơ quan chủ quản", max: 200},
		{in: pr.ResponsiblePerson, dst: &t.ResponsiblePerson, field: "responsible_person", label: "Người chịu trách nhiệm", max: 120},
		{in: pr.ResponsibleTitle, dst: &t.ResponsibleTitle, field: "responsible_title", label: "Chức vụ người chịu trách nhiệm", max: 120},
		{in: pr.Licence, dst: &t.LicenceNo, field: "licence", label: "Số giấy phép", max: 100},
		{in: pr.Address, dst: &t.Address, field: "address", label: "Địa chỉ", max: 300},
		{in: pr.Phone, dst: &t.Phone, field: "phone", label: "Điện thoại", max: 30, format: checkPhone},
		{in: pr.Fax, dst: &t.Fax, field: "fax", label: "Fax", max: 30, format: checkPhone},
		{in: pr.Email, dst: &t.Email, field: "email", label: "Thư điện tử", max: 254, format: checkEmail},
		{in: pr.Hotline, dst: &t.Hotline, field: "hotline", label: "Đường dây nóng", max: 30, format: checkPhone},
		{in: pr.AddressEN, dst: &t.AddressEN, field: "address_en", label: "Địa chỉ (tiếng Anh)", max: 300},
		{in: pr.AboutEN, dst: &t.AboutEN, field: "about_en", label: "Giới thiệu (tiếng Anh)", max: 5000, multi: true},
	}
	var changed []string
	for _, f := range fields {
		if f.in == nil {
			continue
		}
		v, err := cleanText(*f.in, f)
		if err != nil {
			return nil, err
		}
		if v != *f.dst {
			*f.dst, changed = v, append(changed, f.field)
		}
	}
	if t.Name == "" {
		return nil, errs.Invalid("name", "name_required", "Cần nhập tên đơn vị")
	}
	if pr.LicenceDate != nil {
		d, err := parseOptionalDate(*pr.LicenceDate)
		if err != nil {
			return nil, err
		}
		if !sameDay(d, t.LicenceDate) {
			t.LicenceDate, changed = d, append(changed, "licence_date")
		}
	}
	return changed, nil
}

// cleanText trims and NFC-normalises v, collapses inner spaces of one-line
// fields, and refuses control characters, overlong values and bad formats.
func cleanText(v string, f textField) (string, error) {
	v = strings.TrimSpace(vntext.NFC(v))
	if !f.multi {
		v = strings.Join(strings.Fields(v), " ")
	} else {
		v = strings.ReplaceAll(v, "\r\n", "\n")
	}
	for _, r := range v {
		if unicode.IsControl(r) && !(f.multi && r == '\n') {
			return "", errs.Invalid(f.field, "control_character", f.label+" chứa ký tự điều khiển không hợp lệ")
		}
	}
	if n := len([]rune(v)); n > f.max {
		return "", errs.Invalid(f.field, "too_long", fmt.Sprintf("%s dài quá %d ký tự", f.label, f.max))
	}
	if v != "" && f.format != nil {
		if err := f.format(v); err != nil {
			return "", errs.Invalid(f.field, "format", f.label+": "+err.Error())
		}
	}
	return v, nil
}

func checkPhone(v string) error {
	if !phonePattern.MatchString(v) {
		return fmt.Errorf("chỉ gồm chữ số, khoảng trắng, dấu chấm, gạch ngang, ngoặc và dấu + ở đầu")
	}
	return nil
}

func checkEmail(v string) error {
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@")+1:], ".") {
		return fmt.Errorf("địa chỉ %q không hợp lệ", v)
	}
	return nil
}

func parseOptionalDate(v string) (*time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, nil
	}
	d, err := vntext.ParseDate(v)
	if err != nil {
		// "31/02/2024" has the right form: say what is wrong with it.
		if vntext.DateForm(v) {
			return nil, errs.Invalid("licence_date", "date_invalid", "Ngày cấp giấy phép "+v+" không có trong lịch")
		}
		return nil, errs.Invalid("licence_date", "date_format", "Ngày cấp giấy phép phải có dạng dd/mm/yyyy, ví dụ 15/03/2024")
	}
	d = vntext.Day(d)
	return &d, nil
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return vntext.Date(*a) == vntext.Date(*b)
}

// changedColumns maps the API names of changed fields to table columns.
func changedColumns(fields []string) []string {
	cols := make([]string, 0, len(fields))
	for _, f := range fields {
		switch f {
		case "licence":
			cols = append(cols, "licence_no")
		default:
			cols = append(cols, f)
		}
	}
	return cols
}
