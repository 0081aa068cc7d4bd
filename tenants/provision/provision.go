// Package provision onboards tenants: the record, its domains and its
// default sections are written in one transaction, after every rule about
// slugs, parents and domains has been checked. Later features attach their
// own set-up (board roles, policies) through Hooks, inside that transaction.
package provision

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Input is what onboarding a tenant needs.
type Input struct {
	Slug    string
	Name    string
	Kind    tenancy.Kind
	Parent  string // parent slug; required for every kind but a department
	Domains []string
	NoSite  bool
	// Quota overrides the kind's default weekly quota when not nil.
	Quota       *int
	ShortName   string
	LicenceNo   string
	LicenceDate *time.Time
	Colour      string
	Address     string
	Phone       string
	Email       string
	// ActorID is the account that creates the tenant, for its history
	// ("" from the command line).
	ActorID string
}

// Hook runs inside the onboarding transaction after the tenant row exists.
type Hook func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant) error

// Provisioner onboards tenants.
type Provisioner struct {
	DB *bun.DB
	// BaseDomain and AdminHost guard against domains that would shadow the
	// platform's own hosts.
	BaseDomain string
	AdminHost  string
	Hooks      []Hook
	// Lifecycle is what other features do when a tenant is renamed, moved,
	// merged, suspended or archived.
	Lifecycle Lifecycle
	Now       func() time.Time
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// reservedSlugs would clash with the platform's own hosts.
var reservedSlugs = map[string]bool{"admin": true, "www": true, "api": true, "static": true, "media": true}

// ValidateSlug checks a tenant slug: lower-case ASCII letters, digits and
// single hyphens, 2 to 63 characters, not reserved.
func ValidateSlug(slug string) error {
	switch {
	case slug == "":
		return errs.Invalid("slug", "slug_required", "Cần nhập mã (slug) của đơn vị")
	case len(slug) < 2 || len(slug) > 63:
		return errs.Invalid("slug", "slug_length", "Mã đơn vị phải dài từ 2 đến 63 ký tự")
	case !slugPattern.MatchString(slug):
		return errs.Invalid("slug", "slug_format", fmt.Sprintf("Mã đơn vị %q chỉ được gồm chữ thường không dấu, chữ số và dấu gạch ngang", slug))
	case reservedSlugs[slug]:
		return errs.Invalid("slug", "slug_reserved", fmt.Sprintf("Mã đơn vị %q được dành cho hệ thống", slug))
	}
	return nil
}

// Create onboards one tenant and returns it with its domains.
func (p *Provisioner) Create(ctx context.Context, in Input) (*tenancy.Tenant, error) {
	in.Slug = strings.TrimSpace(in.Slug)
	in.Name = strings.Join(strings.Fields(vntext.NFC(in.Name)), " ")
	if err := ValidateSlug(in.Slug); err != nil {
		return nil, err
	}
	if p.AdminHost != "" && in.Slug+"."+p.BaseDomain == p.AdminHost {
		return nil, errs.Invalid("slug", "slug_reserved", fmt.Sprintf("Mã đơn vị %q trùng với địa chỉ trang quản trị", in.Slug))
	}
	if in.Name == "" {
		return nil, errs.Invalid("name", "name_required", "Cần nhập tên đơn vị")
	}
	if len([]rune(in.Name)) > 200 {
		return nil, errs.Invalid("name", "name_length", "Tên đơn vị dài quá 200 ký tự")
	}
	if !in.Kind.Valid() {
		return nil, errs.Invalid("kind", "kind_invalid", fmt.Sprintf("Loại đơn vị %q không hợp lệ: dùng department, unit, office hoặc union", in.Kind))
	}
	domains, err := p.normalizeDomains(in.Domains)
	if err != nil {
		return nil, err
	}
	quota := in.Kind.DefaultQuota()
	if in.Quota != nil {
		if *in.Quota < 0 || *in.Quota > 50 {
			return nil, errs.Invalid("quota_per_week", "quota_range", fmt.Sprintf("Chỉ tiêu tuần %d không hợp lệ: phải từ 0 đến 50", *in.Quota))
		}
		quota = *in.Quota
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	t := &tenancy.Tenant{
		ID: db.NewID(), Slug: in.Slug, Name: in.Name, Kind: in.Kind,
		Status: tenancy.StatusActive, HasSite: in.Kind.DefaultHasSite() && !in.NoSite,
		QuotaPerWeek: quota, ShortName: vntext.NFC(strings.TrimSpace(in.ShortName)),
		LicenceNo: strings.TrimSpace(in.LicenceNo), LicenceDate: in.LicenceDate,
		Colour: strings.TrimSpace(in.Colour), Address: vntext.NFC(strings.TrimSpace(in.Address)),
		Phone: strings.TrimSpace(in.Phone), Email: strings.TrimSpace(in.Email),
	}
	if t.Colour != "" && !regexp.MustCompile(`^#[0-9a-fA-F]{6}$`).MatchString(t.Colour) {
		return nil, errs.Invalid("colour", "colour_format", "Màu phải có dạng #RRGGBB")
	}
	if in.LicenceDate != nil {
		d := vntext.Day(*in.LicenceDate)
		t.LicenceDate = &d
	}
	ts := now().UTC()
	t.OnboardedAt, t.CreatedAt, t.UpdatedAt = ts, ts, ts

	err = db.InTx(ctx, p.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := checkFree(ctx, tx, "", t.Slug, domains); err != nil {
			return err
		}
		if err := p.checkParent(ctx, tx, t, in); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(t).Exec(ctx); err != nil {
			return insertErr(err, t.Slug)
		}
		for _, d := range domains {
			row := &tenancy.Domain{TenantID: t.ID, Domain: d, CreatedAt: ts}
			if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
				if db.IsUniqueViolation(err) {
					return errs.Conflict("domain_taken", fmt.Sprintf("Tên miền %s đã được đơn vị khác sử dụng", d))
				}
				return fmt.Errorf("insert domain %s: %w", d, err)
			}
		}
		if t.HasSite {
			if err := createSections(ctx, tx, t.ID, ts); err != nil {
				return err
			}
		}
		if err := tenancy.RecordVersion(ctx, tx, t, OpCreate, ts, in.ActorID, ""); err != nil {
			return err
		}
		for _, h := range p.Hooks {
			if err := h(ctx, tx, t); err != nil {
				return err
			}
		}
		return tenancy.BumpGeneration(ctx, tx, tenancy.GenerationTenants)
	})
	if err != nil {
		return nil, err
	}
	t.Domains = domains
	if t.ParentID != nil {
		t.ParentSlug = in.Parent
	}
	return t, nil
}

func insertErr(err error, slug string) error {
	if db.IsUniqueViolation(err) {
		return errs.Conflict("slug_taken", fmt.Sprintf("Mã đơn vị %q đã tồn tại", slug))
	}
	return fmt.Errorf("insert tenant: %w", err)
}

func (p *Provisioner) checkParent(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, in Input) error {
	parentSlug := strings.TrimSpace(in.Parent)
	if parentSlug == "" {
		// Several organisations (departments at the top) may share the
		// platform; every other kind sits under one.
		if t.Kind != tenancy.KindDepartment {
			return errs.Invalid("parent", "parent_required", t.Kind.Label()+" phải trực thuộc một đơn vị cấp trên (Sở hoặc đơn vị trực thuộc)")
		}
		return nil
	}
	if parentSlug == t.Slug {
		return errs.Invalid("parent", "parent_loop", "Đơn vị không thể là đơn vị cha của chính mình")
	}
	parent, err := loadParent(ctx, tx, parentSlug)
	if err != nil {
		return err
	}
	if err := CheckNoLoop(ctx, tx, t.ID, parent.ID); err != nil {
		return err
	}
	t.ParentID = &parent.ID
	// A unit's governing body (Decree 42's "cơ quan chủ quản", in its
	// footer) is the tenant it is created under until its profile says
	// otherwise; left empty, its site named no one.
	if t.GoverningBody == "" {
		t.GoverningBody = parent.Name
	}
	return nil
}

// loadParent loads the tenant named to be a parent and checks that it can
// take children: it exists, is neither archived nor merged, and is a
// department or a unit.
func loadParent(ctx context.Context, idb bun.IDB, slug string) (*tenancy.Tenant, error) {
	parent, err := tenancy.BySlug(ctx, idb, slug)
	if errs.Is(err, errs.KindNotFound) {
		return nil, errs.Invalid("parent", "parent_unknown", fmt.Sprintf("Không có đơn vị cha %q", slug))
	}
	if err != nil {
		return nil, err
	}
	switch {
	case parent.Status == tenancy.StatusArchived:
		return nil, errs.Invalid("parent", "parent_archived", fmt.Sprintf("Đơn vị cha %q đã lưu trữ", slug))
	case parent.Status == tenancy.StatusMerged:
		return nil, errs.Invalid("parent", "parent_merged", fmt.Sprintf("Đơn vị cha %q đã hợp nhất vào đơn vị khác", slug))
	case !canHaveChildren(parent.Kind):
		return nil, errs.Invalid("parent", "parent_kind", fmt.Sprintf("Đơn vị %q (loại %s) không thể có đơn vị con", slug, parent.Kind))
	}
	return parent, nil
}

// canHaveChildren: offices and unions contribute, they have no units.
func canHaveChildren(k tenancy.Kind) bool { return k != tenancy.KindOffice && k != tenancy.KindUnion }

// CheckNoLoop refuses a parent whose chain of ancestors reaches tenantID
// (or is already broken by a loop), so the tree stays a tree when tenants
// are created or moved.
func CheckNoLoop(ctx context.Context, idb bun.IDB, tenantID, parentID string) error {
	seen := map[string]bool{}
	cur := parentID
	for cur != "" {
		if cur == tenantID || seen[cur] {
			return errs.Invalid("parent", "parent_loop", "Chọn đơn vị cha này sẽ tạo vòng lặp trong cây tổ chức")
		}
		seen[cur] = true
		var next *string
		err := idb.NewSelect().Table("tenants").Column("parent_id").Where("id = ?", cur).Scan(ctx, &next)
		if err != nil {
			return db.NotFound(err, "walk parents", "parent_unknown", "Không có đơn vị cha")
		}
		if next == nil {
			return nil
		}
		cur = *next
	}
	return nil
}

// checkFree refuses a slug or domains that a tenant uses or that answer
// as another tenant's old address (an alias); "" as selfID means a new
// tenant. An alias of selfID itself is free: the tenant takes it back.
func checkFree(ctx context.Context, idb bun.IDB, selfID, slug string, domains []string) error {
	if slug != "" {
		n, err := idb.NewSelect().Model((*tenancy.Tenant)(nil)).Where("slug = ?", slug).Count(ctx)
		if err != nil {
			return fmt.Errorf("check slug: %w", err)
		}
		if n > 0 {
			return errs.Conflict("slug_taken", fmt.Sprintf("Mã đơn vị %q đã tồn tại", slug))
		}
		if owner, err := tenancy.AliasOf(ctx, idb, tenancy.AliasSlug, slug); err != nil {
			return err
		} else if !heldBy(ctx, idb, owner, selfID) {
			return errs.Conflict("slug_taken", fmt.Sprintf("Mã %q là địa chỉ cũ của một đơn vị khác và vẫn chuyển hướng về đơn vị đó", slug))
		}
	}
	for _, d := range domains {
		n, err := idb.NewSelect().Model((*tenancy.Domain)(nil)).Where("domain = ?", d).Count(ctx)
		if err != nil {
			return fmt.Errorf("check domains: %w", err)
		}
		if n > 0 {
			return errs.Conflict("domain_taken", fmt.Sprintf("Tên miền %s đã được đơn vị khác sử dụng", d))
		}
		if owner, err := tenancy.AliasOf(ctx, idb, tenancy.AliasDomain, d); err != nil {
			return err
		} else if !heldBy(ctx, idb, owner, selfID) {
			return errs.Conflict("domain_taken", fmt.Sprintf("Tên miền %s là địa chỉ cũ của một đơn vị khác và vẫn chuyển hướng về đơn vị đó", d))
		}
	}
	return nil
}

// heldBy reports whether an old address of owner ("" for none) may be
// taken by selfID: nobody holds it, selfID does, or owner was merged
// (directly or through others) into selfID.
func heldBy(ctx context.Context, idb bun.IDB, owner, selfID string) bool {
	for hop := 0; owner != "" && hop < 16; hop++ {
		if owner == selfID {
			return true
		}
		var next []struct {
			P *string `bun:"merged_into_id"`
		}
		if err := idb.NewSelect().Table("tenants").Column("merged_into_id").Where("id = ?", owner).Scan(ctx, &next); err != nil || len(next) == 0 || next[0].P == nil {
			return false
		}
		owner = *next[0].P
	}
	return owner == ""
}

// normalizeDomains lower-cases, de-duplicates and checks the domains, and
// refuses the platform's own hosts.
func (p *Provisioner) normalizeDomains(in []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, d := range in {
		d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
		if d == "" {
			continue
		}
		if !config.ValidHostname(d) || !strings.Contains(d, ".") {
			return nil, errs.Invalid("domain", "domain_invalid", fmt.Sprintf("Tên miền %q không hợp lệ", d))
		}
		if d == p.AdminHost || d == p.BaseDomain {
			return nil, errs.Invalid("domain", "domain_reserved", fmt.Sprintf("Tên miền %q là của hệ thống", d))
		}
		// Names under the base domain belong to slugs (<slug>.<base>): a
		// registered domain there could take over another tenant's address.
		if label, ok := strings.CutSuffix(d, "."+p.BaseDomain); ok && p.BaseDomain != "" && !strings.Contains(label, ".") {
			return nil, errs.Invalid("domain", "domain_reserved", fmt.Sprintf("Tên miền %q thuộc miền chung %s; mỗi đơn vị đã có sẵn địa chỉ <mã>.%s", d, p.BaseDomain, p.BaseDomain))
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out, nil
}

func createSections(ctx context.Context, tx bun.Tx, tenantID string, now time.Time) error {
	fields, err := tenancy.Fields(ctx, tx)
	if err != nil {
		return err
	}
	rows := make([]tenancy.Section, 0, len(requiredSections)+len(fields))
	for i, s := range requiredSections {
		rows = append(rows, tenancy.Section{
			TenantID: tenantID, ID: db.NewID(), Slug: s.Slug, Name: s.Name,
			Description: s.Description, Position: i + 1, Required: true, CreatedAt: now,
		})
	}
	for i, f := range fields {
		code := f.Code
		rows = append(rows, tenancy.Section{
			TenantID: tenantID, ID: db.NewID(), Slug: f.Code, Name: f.Name,
			Position: 100 + i, FieldCode: &code, CreatedAt: now,
		})
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert default sections: %w", err)
	}
	return nil
}
