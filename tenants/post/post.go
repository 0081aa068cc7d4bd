// Package post holds items (tin, bài, ảnh): their text, fields of the
// sector, revisions, the editorial workflow, the public view of a published
// item and its console pages (Console). Every store function takes the
// tenant id and filters on it; an item of another tenant simply does not
// exist here.
package post

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/vntext"
)

// Type is the kind of item.
type Type string

// The item types of the contract.
const (
	TypeNews        Type = "news"
	TypeArticle     Type = "article"
	TypeInDepth     Type = "in-depth"
	TypePhoto       Type = "photo"
	TypeVideo       Type = "video"
	TypeRepublished Type = "republished"
	// TypeDocument is a legal or administrative text: its metadata and
	// files live in tenants/document, written through Input.Extension.
	TypeDocument Type = "document"
)

// Types lists every type in display order.
var Types = []Type{TypeNews, TypeArticle, TypeInDepth, TypePhoto, TypeVideo, TypeRepublished, TypeDocument}

// Valid reports whether t is a known type.
func (t Type) Valid() bool {
	for _, x := range Types {
		if x == t {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the type.
func (t Type) Label() string {
	switch t {
	case TypeNews:
		return "Tin"
	case TypeArticle:
		return "Bài"
	case TypeInDepth:
		return "Bài chuyên sâu"
	case TypePhoto:
		return "Phóng sự ảnh"
	case TypeVideo:
		return "Video"
	case TypeRepublished:
		return "Đăng lại từ báo chí"
	case TypeDocument:
		return "Văn bản"
	}
	return string(t)
}

// Status is the workflow state of an item.
type Status string

// The workflow states.
const (
	StatusDraft       Status = "draft"
	StatusSubmitted   Status = "submitted"
	StatusReturned    Status = "returned"
	StatusApproved    Status = "approved"
	StatusScheduled   Status = "scheduled"
	StatusPublished   Status = "published"
	StatusWithdrawn   Status = "withdrawn"
	StatusUnpublished Status = "unpublished"
)

// Statuses lists every state in workflow order.
var Statuses = []Status{StatusDraft, StatusSubmitted, StatusReturned, StatusApproved, StatusScheduled, StatusPublished, StatusWithdrawn, StatusUnpublished}

// Valid reports whether s is a known state.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the state.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "Bản nháp"
	case StatusSubmitted:
		return "Chờ duyệt"
	case StatusReturned:
		return "Trả lại"
	case StatusApproved:
		return "Đã duyệt"
	case StatusScheduled:
		return "Hẹn giờ đăng"
	case StatusPublished:
		return "Đã đăng"
	case StatusWithdrawn:
		return "Đã gỡ (có thông báo)"
	case StatusUnpublished:
		return "Ngừng đăng"
	}
	return string(s)
}

// Public reports whether the public may see an item in this state:
// published items, and withdrawn ones (which show a withdrawal notice).
func (s Status) Public() bool { return s == StatusPublished || s == StatusWithdrawn }

// Post is one item.
type Post struct {
	bun.BaseModel `bun:"table:posts,alias:p"`

	TenantID        string     `bun:"tenant_id,pk"`
	ID              string     `bun:"id,pk"`
	Slug            string     `bun:"slug"`
	Title           string     `bun:"title"`
	Summary         string     `bun:"summary"`
	Body            string     `bun:"body"`
	Type            Type       `bun:"type"`
	Status          Status     `bun:"status"`
	Version         int        `bun:"version"`
	SectionID       *string    `bun:"section_id"`
	EventDate       *time.Time `bun:"event_date"`
	Byline          string     `bun:"byline"`
	AuthorID        string     `bun:"author_id"`
	FeaturedMediaID *string    `bun:"featured_media_id"`
	NotReviewed     bool       `bun:"not_reviewed"`
	ForceReason     string     `bun:"force_reason"`
	// ForcedBy published the text unreviewed; they may not mark it reviewed.
	ForcedBy string `bun:"forced_by"`
	// ReviewFrom is the last revision number before the current review
	// round (set at submission): whoever saved a revision above it changed
	// the text since and may not approve it.
	ReviewFrom       int        `bun:"review_from"`
	ScheduledAt      *time.Time `bun:"scheduled_at"`
	PublishedAt      *time.Time `bun:"published_at"`
	FirstPublishedAt *time.Time `bun:"first_published_at"`
	WithdrawnAt      *time.Time `bun:"withdrawn_at"`
	WithdrawReason   string     `bun:"withdraw_reason"`
	LintErrors       int        `bun:"lint_errors"`
	LintWarnings     int        `bun:"lint_warnings"`
	CreatedAt        time.Time  `bun:"created_at"`
	UpdatedAt        time.Time  `bun:"updated_at"`
	UpdatedBy        string     `bun:"updated_by"`

	// Provenance of a copy accepted or pulled from another tenant (see
	// tenants/crosspost): the original item and the revision copied.
	OriginTenantID *string `bun:"origin_tenant_id"`
	OriginPostID   *string `bun:"origin_post_id"`
	OriginRevision int     `bun:"origin_revision"`
	// SourceChanged is set when the original was edited after the copy.
	SourceChanged bool `bun:"source_changed"`
	// The press source of a republished item (see republished.go).
	SourceOutlet      string     `bun:"source_outlet"`
	SourceURL         string     `bun:"source_url"`
	SourceAuthor      string     `bun:"source_author"`
	SourcePublishedAt *time.Time `bun:"source_published_at"`
	AgreementID       *string    `bun:"agreement_id"`
	// ContentFingerprint locks a republished item's text (Fingerprint).
	ContentFingerprint string `bun:"content_fingerprint"`

	// SearchText is derived from title and summary on every write (see
	// BeforeAppendModel); search reads only this column.
	SearchText string `bun:"search_text"`
	// BodyPicture is the first picture of the tenant's library in Body
	// (FirstPicture), derived on every write like SearchText, so listings
	// find a cover without reading bodies. nil on rows not written since
	// the column came (read the body then), "" when the body has none.
	BodyPicture *string `bun:"body_picture"`
	// DocumentExpiresOn is a document's expiry day (post_documents),
	// read by the public listings with the item so that they mark an
	// expired document without another query; nil on other items, and
	// wherever it was not read.
	DocumentExpiresOn *time.Time `bun:"-"`

	// Fields are the sector fields (codes), loaded from post_fields.
	Fields []string `bun:"-"`
	// SectionSlug is filled by the store for URLs and the API.
	SectionSlug string `bun:"-"`
	// Extension is the typed extra data of the write in progress (a
	// document's metadata, see Input.Extension), for AfterWrite hooks.
	Extension any `bun:"-"`
	// Edition is the pending new text of a published item, when loaded
	// (LoadEdition; the service's results carry it).
	Edition *Edition `bun:"-"`
}

// Field links a post to a field of the sector.
type Field struct {
	bun.BaseModel `bun:"table:post_fields"`

	TenantID  string `bun:"tenant_id,pk"`
	PostID    string `bun:"post_id,pk"`
	FieldCode string `bun:"field_code,pk"`
}

// Revision is one saved state of an item.
type Revision struct {
	bun.BaseModel `bun:"table:post_revisions"`

	TenantID  string     `bun:"tenant_id,pk"`
	PostID    string     `bun:"post_id,pk"`
	Number    int        `bun:"number,pk"`
	Kind      string     `bun:"kind"` // create, save, conflict, restore
	Title     string     `bun:"title"`
	Summary   string     `bun:"summary"`
	Body      string     `bun:"body"`
	Type      Type       `bun:"type"`
	SectionID *string    `bun:"section_id"`
	Fields    string     `bun:"fields"` // comma-separated codes
	EventDate *time.Time `bun:"event_date"`
	Byline    string     `bun:"byline"`
	BasedOn   int        `bun:"based_on"`
	Note      string     `bun:"note"`
	ActorID   string     `bun:"actor_id"`
	CreatedAt time.Time  `bun:"created_at"`
}

// Transition records one workflow step.
type Transition struct {
	bun.BaseModel `bun:"table:post_transitions"`

	TenantID string `bun:"tenant_id,pk"`
	ID       string `bun:"id,pk"`
	PostID   string `bun:"post_id"`
	From     Status `bun:"from_status"`
	To       Status `bun:"to_status"`
	ActorID  string `bun:"actor_id"`
	Note     string `bun:"note"`
	// Edition marks a step of the item's pending edition (From and To are
	// the edition's states); the live item kept its own.
	Edition   bool      `bun:"edition"`
	CreatedAt time.Time `bun:"created_at"`
}

// Settings are a tenant's editorial settings.
type Settings struct {
	bun.BaseModel `bun:"table:tenant_settings"`

	TenantID             string    `bun:"tenant_id,pk"`
	AlwaysSecondReviewer bool      `bun:"always_second_reviewer"`
	MFARequired          bool      `bun:"mfa_required"`
	RepublishDelayMin    int       `bun:"republish_delay_min"`
	UpdatedAt            time.Time `bun:"updated_at"`
}

var _ bun.BeforeAppendModelHook = (*Post)(nil)

// BeforeAppendModel keeps SearchText in step with the title and summary,
// and BodyPicture with the body, whenever a post is inserted or updated
// through its model, whichever package writes it (items, copies from
// cross-posting, imports).
func (p *Post) BeforeAppendModel(_ context.Context, _ bun.Query) error {
	text := vntext.NFC(p.Title + " " + p.Summary)
	p.SearchText = strings.ToLower(text) + " " + vntext.Fold(text)
	pic := FirstPicture(p.Body)
	p.BodyPicture = &pic
	return nil
}

// bodyPicture finds a picture of the tenant's library in a body.
var bodyPicture = regexp.MustCompile(`<img[^>]*\ssrc="/media/([0-9A-Za-z-]{1,64})/`)

// FirstPicture is the media id of the first picture of the tenant's
// library in body, "" when it has none.
func FirstPicture(body string) string {
	if m := bodyPicture.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}
