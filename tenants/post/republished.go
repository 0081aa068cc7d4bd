package post

// Republished press items (type "republished"). The Director's letter
// forbids changing the title of, cutting, adding to or altering the text
// or pictures of an article republished from a newspaper, and reusing
// press content without a copyright agreement. So a republished item:
//
//   - is created with its source (outlet, original URL, author, original
//     publication time) and an agreement from the tenant's register;
//   - is locked from creation: title, summary, body (with its pictures),
//     featured image, byline, type and source never change, for any role
//     (a mistaken copy is withdrawn and made again). Section, sector fields
//     and event date are the tenant's own filing and may still change;
//   - carries a fingerprint of the locked text, checked on every public
//     render and before publication;
//   - is published only while its agreement is valid, and not before the
//     tenant's minimum delay after the original's publication.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// SourceInput is the press source a republished item cites.
type SourceInput struct {
	Outlet      string
	URL         string
	Author      string
	PublishedAt *time.Time
	// AgreementID is an agreement of the tenant's register.
	AgreementID string
}

// Input converts the API's source object.
func (s *Source) Input() (*SourceInput, error) {
	in := &SourceInput{Outlet: s.Outlet, URL: s.URL, Author: s.Author, AgreementID: strings.TrimSpace(s.Agreement)}
	if strings.TrimSpace(s.PublishedAt) != "" {
		t, err := ParseTime(s.PublishedAt)
		if err != nil {
			return nil, errs.Invalid("source.published_at", "time_invalid", "Thời điểm đăng bài gốc phải theo RFC 3339 hoặc dd/mm/yyyy hh:mm")
		}
		in.PublishedAt = &t
	}
	return in, nil
}

// ParseTime reads a moment: RFC 3339, or a local Vietnam time written
// yyyy-mm-ddThh:mm, dd/mm/yyyy hh:mm, or a bare date (its midnight).
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "02/01/2006 15:04"} {
		if t, err := time.ParseInLocation(layout, s, vntext.Location()); err == nil {
			return t.UTC(), nil
		}
	}
	t, err := vntext.ParseDate(s)
	return t.UTC(), err
}

// SourceView is the API's "source" of a republished item, nil otherwise.
func SourceView(p *Post) any {
	if p.Type != TypeRepublished {
		return nil
	}
	v := map[string]any{"outlet": p.SourceOutlet, "url": p.SourceURL, "author": p.SourceAuthor,
		"published_at": p.SourcePublishedAt, "agreement": "", "locked": true}
	if p.AgreementID != nil {
		v["agreement"] = *p.AgreementID
	}
	return v
}

// Agreement is one entry of a tenant's register of reuse agreements with
// press agencies. Dates are calendar days (midnight UTC of the day).
type Agreement struct {
	bun.BaseModel `bun:"table:agreements,alias:ag"`

	TenantID  string     `bun:"tenant_id,pk"`
	ID        string     `bun:"id,pk"`
	Outlet    string     `bun:"outlet"`
	Reference string     `bun:"reference"`
	SignedOn  time.Time  `bun:"signed_on"`
	ExpiresOn *time.Time `bun:"expires_on"`
	Scope     string     `bun:"scope"`
	CreatedAt time.Time  `bun:"created_at"`
	CreatedBy string     `bun:"created_by"`
}

// Day is the calendar day of t in Vietnam, as midnight UTC (how agreement
// dates are stored).
func Day(t time.Time) time.Time {
	d := t.In(vntext.Location())
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// ValidAt reports whether the agreement permits reuse at t: signed on or
// before that day and not expired (it holds through its expiry day).
func (a *Agreement) ValidAt(t time.Time) bool {
	day := Day(t)
	if day.Before(Day(a.SignedOn)) {
		return false
	}
	return a.ExpiresOn == nil || !day.After(Day(*a.ExpiresOn))
}

// GetAgreement loads one agreement of a tenant's register.
func GetAgreement(ctx context.Context, idb bun.IDB, tenantID, id string) (*Agreement, error) {
	a := new(Agreement)
	err := idb.NewSelect().Model(a).Where("tenant_id = ? AND id = ?", tenantID, id).Scan(ctx)
	if err != nil {
		return nil, db.NotFound(err, "load agreement", "agreement_not_found", "Không tìm thấy thỏa thuận trong sổ của đơn vị")
	}
	return a, nil
}

// Agreements lists a tenant's register, latest signed first.
func Agreements(ctx context.Context, idb bun.IDB, tenantID string) ([]Agreement, error) {
	var as []Agreement
	err := idb.NewSelect().Model(&as).Where("tenant_id = ?", tenantID).OrderExpr("signed_on DESC, id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list agreements: %w", err)
	}
	return as, nil
}

// SameOutlet compares press outlet names loosely (case, spacing, Unicode form).
func SameOutlet(a, b string) bool {
	norm := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(vntext.NFC(s)), " ")) }
	return norm(a) == norm(b)
}

// applySource fills a new republished item's source from src, checking it
// against the tenant's register, and fingerprints the locked text. Other
// types ignore src.
func applySource(ctx context.Context, idb bun.IDB, tenantID string, p *Post, src *SourceInput, now time.Time) error {
	if p.Type != TypeRepublished {
		return nil
	}
	if src == nil {
		return errs.Invalid("source", "source_required", "Bài đăng lại từ báo chí cần ghi nguồn: tên báo, địa chỉ bài gốc, thời điểm đăng và thỏa thuận cho phép đăng lại")
	}
	clean := func(s string) string { return strings.Join(strings.Fields(vntext.NFC(s)), " ") }
	outlet, author, link := clean(src.Outlet), clean(src.Author), strings.TrimSpace(src.URL)
	if u, err := url.Parse(link); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return errs.Invalid("source.url", "source_url_invalid", "Địa chỉ bài gốc phải là một liên kết http:// hoặc https://")
	}
	if src.PublishedAt == nil || src.PublishedAt.IsZero() {
		return errs.Invalid("source.published_at", "source_time_required", "Cần ghi thời điểm báo gốc đăng bài")
	}
	if src.AgreementID == "" {
		return errs.Invalid("source.agreement", "agreement_required", "Cần chọn thỏa thuận cho phép đăng lại trong sổ thỏa thuận của đơn vị")
	}
	ag, err := GetAgreement(ctx, idb, tenantID, src.AgreementID)
	if errs.Is(err, errs.KindNotFound) {
		return errs.Unprocessable("source.agreement", "agreement_unknown", "Thỏa thuận đã chọn không có trong sổ thỏa thuận của đơn vị")
	}
	if err != nil {
		return err
	}
	if !ag.ValidAt(now) {
		return errs.Unprocessable("source.agreement", "agreement_expired", fmt.Sprintf("Thỏa thuận số %s với %s không còn hiệu lực", ag.Reference, ag.Outlet))
	}
	if outlet == "" {
		outlet = ag.Outlet
	} else if !SameOutlet(outlet, ag.Outlet) {
		return errs.Unprocessable("source.outlet", "agreement_outlet_mismatch", fmt.Sprintf("Thỏa thuận số %s là với %s, không phải với %s", ag.Reference, ag.Outlet, outlet))
	}
	at := src.PublishedAt.UTC()
	p.SourceOutlet, p.SourceURL, p.SourceAuthor, p.SourcePublishedAt, p.AgreementID = outlet, link, author, &at, &ag.ID
	p.ContentFingerprint = Fingerprint(p)
	return nil
}

// Fingerprint is the SHA-256 of an item's locked text: title, summary,
// body and featured image, each length-prefixed.
func Fingerprint(p *Post) string {
	h := sha256.New()
	parts := []string{p.Title, p.Summary, p.Body, ""}
	if p.FeaturedMediaID != nil {
		parts[3] = *p.FeaturedMediaID
	}
	for _, s := range parts {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// VerifyFingerprint fails (as an internal error, which is logged) when a
// republished item's text no longer matches the fingerprint stored at its
// creation: someone changed it behind the service's back.
func VerifyFingerprint(p *Post) error {
	if p.Type != TypeRepublished {
		return nil
	}
	if got := Fingerprint(p); p.ContentFingerprint == "" || got != p.ContentFingerprint {
		return fmt.Errorf("republished item %s of tenant %s: content fingerprint mismatch (stored %q, computed %q)",
			p.ID, p.TenantID, p.ContentFingerprint, got)
	}
	return nil
}

// checkLock refuses an edit of a republished item's locked parts, and
// turning another item into a republished one (that needs a source and an
// agreement, given only at creation).
func (s *Service) checkLock(p *Post, in Input) error {
	if p.Type != TypeRepublished {
		if in.Type == TypeRepublished {
			return errs.Unprocessable("type", "republished_create_only", "Bài đăng lại từ báo chí phải được tạo mới kèm nguồn và thỏa thuận; không chuyển được bài khác thành bài đăng lại")
		}
		return nil
	}
	text := func(s string) string { return strings.TrimSpace(vntext.NFC(s)) }
	var fields, changed []string
	add := func(field, label string) { fields, changed = append(fields, field), append(changed, label) }
	if in.Type != "" && in.Type != p.Type {
		add("type", "loại bài")
	}
	if in.Title != p.Title && strings.Join(strings.Fields(vntext.NFC(in.Title)), " ") != p.Title {
		add("title", "tiêu đề")
	}
	if in.Summary != p.Summary && text(in.Summary) != p.Summary {
		add("summary", "sa-pô")
	}
	if in.Body != p.Body && s.Sanitizer.Clean(in.Body) != p.Body {
		add("body", "nội dung và hình ảnh")
	}
	if in.Byline != p.Byline && text(in.Byline) != p.Byline {
		add("byline", "tác giả")
	}
	if src := in.Source; src != nil && (src.URL != "" && strings.TrimSpace(src.URL) != p.SourceURL ||
		src.Outlet != "" && !SameOutlet(src.Outlet, p.SourceOutlet) || src.Author != "" && text(src.Author) != p.SourceAuthor ||
		src.PublishedAt != nil && (p.SourcePublishedAt == nil || !src.PublishedAt.Equal(*p.SourcePublishedAt)) ||
		src.AgreementID != "" && (p.AgreementID == nil || src.AgreementID != *p.AgreementID)) {
		add("source", "nguồn")
	}
	if len(changed) > 0 {
		return errs.Unprocessable(fields[0], "republished_locked", "Bài đăng lại từ báo chí bị khóa: không ai được sửa "+strings.Join(changed, ", ")+
			". Nếu bài có sai sót, hãy gỡ bài và tạo lại.")
	}
	return nil
}

// checkRepublish refuses to publish a republished item at `at` when its
// text fails its fingerprint, its agreement is missing or not valid then,
// or the tenant's minimum delay after the original's publication has not
// passed.
func checkRepublish(ctx context.Context, idb bun.IDB, tenantID string, p *Post, at time.Time) error {
	if p.Type != TypeRepublished {
		return nil
	}
	if err := VerifyFingerprint(p); err != nil {
		return err
	}
	if p.AgreementID == nil || p.SourcePublishedAt == nil {
		return errs.Unprocessable("source", "source_required", "Bài đăng lại thiếu nguồn hoặc thỏa thuận; không được đăng")
	}
	ag, err := GetAgreement(ctx, idb, tenantID, *p.AgreementID)
	if errs.Is(err, errs.KindNotFound) {
		return errs.Unprocessable("source.agreement", "agreement_unknown", "Thỏa thuận của bài không còn trong sổ thỏa thuận; không được đăng")
	}
	if err != nil {
		return err
	}
	if !ag.ValidAt(at) {
		return errs.Unprocessable("source.agreement", "agreement_expired", fmt.Sprintf(
			"Thỏa thuận số %s với %s đã hết hiệu lực (hết hạn %s); không được đăng bài này", ag.Reference, ag.Outlet, expiry(ag)))
	}
	settings, err := SettingsOf(ctx, idb, tenantID)
	if err != nil {
		return err
	}
	earliest := p.SourcePublishedAt.Add(time.Duration(settings.RepublishDelayMin) * time.Minute)
	if at.Before(earliest) {
		return errs.Unprocessable("at", "republish_too_early", fmt.Sprintf(
			"Chưa được đăng lại: đơn vị quy định đăng sau bài gốc ít nhất %d phút, tức từ %s", settings.RepublishDelayMin, vntext.DateTime(earliest)))
	}
	return nil
}

func expiry(a *Agreement) string {
	if a.ExpiresOn == nil {
		return "không thời hạn"
	}
	return vntext.Date(*a.ExpiresOn)
}

// Attribution is what a public item page shows about where the item
// comes from.
type Attribution struct {
	// FromName is the tenant a copy was accepted or pulled from.
	FromName string
	// FromURL links the original (through OriginPath on the copy's own
	// host); empty when the original is not public.
	FromURL string
	// The press source of a republished item.
	Outlet, OutletURL, Author string
	OutletPublishedAt         *time.Time
}

// OriginPath is the path on a copy's site that redirects to its original
// wherever it lives now (tenants move and rename; links must not break).
func OriginPath(p *Post) string { return "/nguon/" + p.Slug }

// PublicAttribution checks a republished item's fingerprint (an error
// refuses the page and is logged by the error handler) and returns the
// provenance the public page shows, nil when there is none.
func PublicAttribution(ctx context.Context, idb bun.IDB, p *Post) (*Attribution, error) {
	return PublicAttributionFrom(ctx, idb, p, nil)
}

// PublicAttributionFrom is PublicAttribution taking the tenant a copy came
// from from tenantByID (the registry the request was resolved with: no
// query) when it is not nil.
func PublicAttributionFrom(ctx context.Context, idb bun.IDB, p *Post, tenantByID func(string) (*tenancy.Tenant, bool)) (*Attribution, error) {
	if err := VerifyFingerprint(p); err != nil {
		return nil, err
	}
	var from *tenancy.Tenant
	var originStatus *Status
	if p.OriginTenantID != nil && p.OriginPostID != nil {
		var err error
		if tenantByID != nil {
			from, _ = tenantByID(*p.OriginTenantID)
		} else if from, err = tenancy.ByID(ctx, idb, *p.OriginTenantID); err != nil && !errs.Is(err, errs.KindNotFound) {
			return nil, err
		}
		if from != nil {
			var st []Status
			if err := db.Select(ctx, idb, &st, "SELECT status FROM posts WHERE tenant_id = ? AND id = ?",
				from.ID, *p.OriginPostID); err != nil {
				return nil, fmt.Errorf("load original status: %w", err)
			}
			if len(st) == 1 {
				originStatus = &st[0]
			}
		}
	}
	return attribution(p, from, originStatus), nil
}

// PublicAttributionKnown is PublicAttributionFrom for a page that read
// the status of a copy's original with the copy (nil when the original is
// gone), without a query.
func PublicAttributionKnown(p *Post, tenantByID func(string) (*tenancy.Tenant, bool), originStatus *Status) (*Attribution, error) {
	if err := VerifyFingerprint(p); err != nil {
		return nil, err
	}
	var from *tenancy.Tenant
	if p.OriginTenantID != nil && p.OriginPostID != nil {
		from, _ = tenantByID(*p.OriginTenantID)
	}
	return attribution(p, from, originStatus), nil
}

// attribution is the provenance of p: its press source, and for a copy
// the tenant it came from (from, nil when gone), linked while the
// original is published there and that tenant serves a site.
func attribution(p *Post, from *tenancy.Tenant, originStatus *Status) *Attribution {
	var a Attribution
	if p.Type == TypeRepublished {
		a.Outlet, a.OutletURL, a.Author, a.OutletPublishedAt = p.SourceOutlet, p.SourceURL, p.SourceAuthor, p.SourcePublishedAt
	}
	if from != nil && p.OriginTenantID != nil && p.OriginPostID != nil {
		a.FromName = from.Name
		if originStatus != nil && *originStatus == StatusPublished && from.Serving() {
			a.FromURL = OriginPath(p)
		}
	}
	if a.FromName == "" && a.Outlet == "" {
		return nil
	}
	return &a
}

// CopyInput is an item copied into a tenant from one of its descendants
// (tenants/crosspost): its text (media already copied), provenance and,
// for a republished item, the agreement of the receiving tenant.
type CopyInput struct {
	Input
	FeaturedMediaID                *string
	OriginTenantID, OriginPostID   string
	OriginRevision                 int
	SourceChanged, PublishStraight bool
	Note                           string
}

// CreateCopy writes a copy inside the caller's transaction, as a draft or,
// with PublishStraight, published at once (the same checks as publishing:
// a site, a section, the republished rules). A section the receiving
// tenant lacks falls back to DefaultSection.
func (s *Service) CreateCopy(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, actor Actor, in CopyInput) (*Post, error) {
	if err := t.AcceptsItems(); err != nil {
		return nil, err
	}
	if in.Section != "" {
		if _, err := tenancy.SectionBySlug(ctx, tx, t.ID, in.Section); err != nil {
			in.Section = ""
		}
	}
	clean, sectionID, err := s.normalise(ctx, tx, t, in.Input)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &Post{
		TenantID: t.ID, ID: db.NewID(), Title: clean.Title, Summary: clean.Summary, Body: clean.Body, Type: clean.Type,
		Status: StatusDraft, Version: 1, SectionID: sectionID, EventDate: dateOnly(clean.EventDate), Byline: clean.Byline,
		AuthorID: actor.ID, FeaturedMediaID: in.FeaturedMediaID, CreatedAt: now, UpdatedAt: now, UpdatedBy: actor.ID,
		Fields: clean.Fields, SectionSlug: clean.Section, OriginTenantID: &in.OriginTenantID, OriginPostID: &in.OriginPostID,
		OriginRevision: in.OriginRevision, SourceChanged: in.SourceChanged,
	}
	if err := applySource(ctx, tx, t.ID, p, in.Source, now); err != nil {
		return nil, err
	}
	s.countLint(p)
	if in.PublishStraight {
		p.Status = StatusApproved
		if err := s.publish(ctx, tx, t, actor, p, TransitionInput{To: StatusPublished}, now); err != nil {
			return nil, err
		}
	}
	if err := saveWithSlug(ctx, tx, p, func() error {
		_, err := tx.NewInsert().Model(p).Exec(ctx)
		return err
	}); err != nil {
		return nil, fmt.Errorf("insert copy: %w", err)
	}
	if err := writeFields(ctx, tx, p); err != nil {
		return nil, err
	}
	if err := writeRevision(ctx, tx, p, "create", 0, in.Note, actor.ID, now); err != nil {
		return nil, err
	}
	if err := s.afterWrite(ctx, tx, p, "create"); err != nil {
		return nil, err
	}
	if p.Status != StatusPublished {
		return p, nil
	}
	tr := &Transition{TenantID: t.ID, ID: db.NewID(), PostID: p.ID, From: StatusDraft, To: StatusPublished, ActorID: actor.ID, Note: in.Note, CreatedAt: now}
	if _, err := tx.NewInsert().Model(tr).Exec(ctx); err != nil {
		return nil, fmt.Errorf("record transition: %w", err)
	}
	return p, s.afterWrite(ctx, tx, p, "status:published")
}
