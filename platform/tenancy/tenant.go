// Package tenancy holds the tenant record shared by every feature, the
// store that reads it, and the registry that maps a request's Host to its
// tenant. Tenant-owned data lives in other packages, always keyed by
// tenant_id first.
package tenancy

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
)

// Kind is the place of a tenant in the organisation.
type Kind string

// The kinds of tenant.
const (
	KindDepartment Kind = "department"
	KindUnit       Kind = "unit"
	KindOffice     Kind = "office"
	KindUnion      Kind = "union"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindDepartment, KindUnit, KindOffice, KindUnion}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindDepartment:
		return "Sở"
	case KindUnit:
		return "Đơn vị trực thuộc"
	case KindOffice:
		return "Phòng nghiệp vụ"
	case KindUnion:
		return "Đoàn thể"
	}
	return string(k)
}

// DefaultQuota is the weekly quota a new tenant of kind k gets: offices and
// units send one item a week (Decision 113/QĐ-SLĐTBXH); unions and the
// department itself are not held to a quota.
func (k Kind) DefaultQuota() int {
	if k == KindOffice || k == KindUnit {
		return 1
	}
	return 0
}

// DefaultHasSite reports whether a tenant of kind k runs a public site
// unless told otherwise: the department and units do; offices and unions
// only contribute to the department's site.
func (k Kind) DefaultHasSite() bool { return k == KindDepartment || k == KindUnit }

// Status is the life-cycle state of a tenant.
type Status string

// The tenant states.
const (
	StatusActive    Status = "active"
	StatusSuspended Status = "suspended"
	StatusArchived  Status = "archived"
	// StatusMerged is a tenant whose content went into another (MergedIntoID):
	// its addresses answer 301 to their new place; its past stays in reports.
	StatusMerged Status = "merged"
)

// Statuses lists every status in display order.
var Statuses = []Status{StatusActive, StatusSuspended, StatusArchived, StatusMerged}

// Label is the Vietnamese name of the status.
func (s Status) Label() string {
	switch s {
	case StatusActive:
		return "Đang hoạt động"
	case StatusSuspended:
		return "Tạm dừng"
	case StatusArchived:
		return "Lưu trữ"
	case StatusMerged:
		return "Đã hợp nhất"
	}
	return string(s)
}

// Tenant is one organisation hosted on the platform.
type Tenant struct {
	bun.BaseModel `bun:"table:tenants"`

	ID           string     `bun:"id,pk"`
	Slug         string     `bun:"slug"`
	Name         string     `bun:"name"`
	Kind         Kind       `bun:"kind"`
	ParentID     *string    `bun:"parent_id"`
	Status       Status     `bun:"status"`
	HasSite      bool       `bun:"has_site"`
	QuotaPerWeek int        `bun:"quota_per_week"`
	LicenceNo    string     `bun:"licence_no"`
	LicenceDate  *time.Time `bun:"licence_date"`
	ShortName    string     `bun:"short_name"`
	LogoURL      string     `bun:"logo_url"`
	Colour       string     `bun:"colour"`
	Address      string     `bun:"address"`
	Phone        string     `bun:"phone"`
	Email        string     `bun:"email"`
	// MergedIntoID is the tenant a merged tenant went into.
	MergedIntoID *string `bun:"merged_into_id"`
	// Profile fields Decree 42/2022 asks a site to show (see profile.go).
	NameEN            string    `bun:"name_en"`
	GoverningBody     string    `bun:"governing_body"`
	ResponsiblePerson string    `bun:"responsible_person"`
	ResponsibleTitle  string    `bun:"responsible_title"`
	Fax               string    `bun:"fax"`
	Hotline           string    `bun:"hotline"`
	AddressEN         string    `bun:"address_en"`
	AboutEN           string    `bun:"about_en"`
	OnboardedAt       time.Time `bun:"onboarded_at"`
	CreatedAt         time.Time `bun:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at"`

	// Domains is filled by the store from tenant_domains.
	Domains []string `bun:"-"`
	// ParentSlug is filled by the store for display and the API.
	ParentSlug string `bun:"-"`
	// MergedIntoSlug is filled by the store for a merged tenant.
	MergedIntoSlug string `bun:"-"`
}

// Serving reports whether the tenant's public site should answer.
func (t *Tenant) Serving() bool { return t.Status == StatusActive && t.HasSite }

// PrimaryHost is the host the tenant's links and redirects use: its first
// registered domain, else <slug>.<base domain>.
func (t *Tenant) PrimaryHost(baseDomain string) string {
	if len(t.Domains) > 0 {
		return t.Domains[0]
	}
	return t.Slug + "." + baseDomain
}

// AcceptsItems refuses new items in an archived or merged tenant (a
// suspended one keeps working behind its closed site, through platform
// admins only: see authz's tenant gate).
func (t *Tenant) AcceptsItems() error {
	switch t.Status {
	case StatusArchived:
		return errs.Conflict("tenant_archived", "Đơn vị "+t.Name+" đã lưu trữ, không nhận tin bài mới")
	case StatusMerged:
		return errs.Conflict("tenant_merged", "Đơn vị "+t.Name+" đã hợp nhất vào đơn vị khác, không nhận tin bài mới")
	}
	return nil
}

// DisplayName is the short name when set, else the full name.
func (t *Tenant) DisplayName() string {
	if t.ShortName != "" {
		return t.ShortName
	}
	return t.Name
}

// Closed explains why the tenant's board may change nothing now (its
// console is read-only): it is suspended, archived or merged; nil when it
// is active.
func (t *Tenant) Closed() error {
	switch t.Status {
	case StatusSuspended:
		return errs.Conflict("tenant_suspended", "Đơn vị "+t.Name+" đang tạm dừng hoạt động: trang quản trị chỉ cho xem, không cho thay đổi")
	case StatusArchived, StatusMerged:
		return t.AcceptsItems()
	}
	return nil
}

// Domain is one host name a tenant answers on, besides <slug>.<base domain>.
type Domain struct {
	bun.BaseModel `bun:"table:tenant_domains"`

	TenantID  string    `bun:"tenant_id,pk"`
	Domain    string    `bun:"domain,pk"`
	CreatedAt time.Time `bun:"created_at"`
}

// Section is a part of a tenant's site (the legally required ones and one per field).
type Section struct {
	bun.BaseModel `bun:"table:sections"`

	TenantID    string    `bun:"tenant_id,pk"`
	ID          string    `bun:"id,pk"`
	Slug        string    `bun:"slug"`
	Name        string    `bun:"name"`
	Description string    `bun:"description"`
	Position    int       `bun:"position"`
	FieldCode   *string   `bun:"field_code"`
	Required    bool      `bun:"required"`
	CreatedAt   time.Time `bun:"created_at"`
}

// Field is one field of the sector (lĩnh vực), kept as data.
type Field struct {
	bun.BaseModel `bun:"table:sector_fields"`

	Code     string `bun:"code,pk"`
	Name     string `bun:"name"`
	Position int    `bun:"position"`
}

// View is the tenant as the API and `tenant list --json` show it.
type View struct {
	Slug         string   `json:"slug"`
	Name         string   `json:"name"`
	Kind         Kind     `json:"kind"`
	Parent       string   `json:"parent"`
	Status       Status   `json:"status"`
	Domains      []string `json:"domains"`
	HasSite      bool     `json:"has_site"`
	QuotaPerWeek int      `json:"quota_per_week"`
	// MergedInto is the slug of the tenant a merged tenant went into.
	MergedInto string `json:"merged_into,omitempty"`
}

// View returns the outside shape of t.
func (t *Tenant) View() View {
	d := t.Domains
	if d == nil {
		d = []string{}
	}
	return View{Slug: t.Slug, Name: t.Name, Kind: t.Kind, Parent: t.ParentSlug, Status: t.Status,
		Domains: d, HasSite: t.HasSite, QuotaPerWeek: t.QuotaPerWeek, MergedInto: t.MergedIntoSlug}
}
