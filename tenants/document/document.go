// Package document holds documents (văn bản): items of type "document"
// whose metadata (number, kind, issuer, signer, dates) lives in
// post_documents and whose files, media of the tenant's library, in
// post_attachments. The item itself is an ordinary post: it goes through
// the same workflow, revisions and quota rules. This package writes its
// rows from post.Service's AfterWrite hook (the data travels in
// post.Input.Extension), reads them for the items API (post.Extension),
// and serves /van-ban on the public sites. Every query filters on the
// tenant's id.
package document

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/vntext"
)

// Kind is the contract's document kind code.
type Kind string

// Kinds lists the kinds with their Vietnamese names, in display order.
var Kinds = []struct {
	Code Kind
	Name string
}{
	{"luat", "Luật"}, {"nghi-dinh", "Nghị định"}, {"thong-tu", "Thông tư"}, {"quyet-dinh", "Quyết định"},
	{"chi-thi", "Chỉ thị"}, {"ke-hoach", "Kế hoạch"}, {"cong-van", "Công văn"}, {"thong-bao", "Thông báo"},
	{"bao-cao", "Báo cáo"}, {"khac", "Văn bản khác"},
}

// Valid reports whether k is a contract kind.
func (k Kind) Valid() bool { return k.Label() != "" }

// Label is the Vietnamese name of the kind ("" when unknown).
func (k Kind) Label() string {
	for _, x := range Kinds {
		if x.Code == k {
			return x.Name
		}
	}
	return ""
}

// Meta is a document's metadata. Dates are calendar days (midnight UTC).
type Meta struct {
	bun.BaseModel `bun:"table:post_documents,alias:d"`

	TenantID    string     `bun:"tenant_id,pk"`
	PostID      string     `bun:"post_id,pk"`
	Number      string     `bun:"number"`
	Kind        Kind       `bun:"kind"`
	Issuer      string     `bun:"issuer"`
	Signer      string     `bun:"signer"`
	IssuedOn    *time.Time `bun:"issued_on"`
	EffectiveOn *time.Time `bun:"effective_on"`
	ExpiresOn   *time.Time `bun:"expires_on"`
}

// ExpiredAt reports whether the document no longer has effect at now: its
// expiry day has passed in Vietnam.
func (m *Meta) ExpiredAt(now time.Time) bool {
	return m.ExpiresOn != nil && day(now).After(*m.ExpiresOn)
}

// Attachment links a document to one file of the tenant's library.
type Attachment struct {
	bun.BaseModel `bun:"table:post_attachments,alias:pa"`

	TenantID string `bun:"tenant_id,pk"`
	PostID   string `bun:"post_id,pk"`
	MediaID  string `bun:"media_id,pk"`
	Position int    `bun:"position"`
}

// day is the calendar day of t in Vietnam, as midnight UTC.
func day(t time.Time) time.Time {
	d := t.In(vntext.Location())
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// Get loads the metadata of a tenant's document; nil when it has none.
func Get(ctx context.Context, idb bun.IDB, tenantID, postID string) (*Meta, error) {
	var ms []Meta
	if err := idb.NewSelect().Model(&ms).Where("tenant_id = ? AND post_id = ?", tenantID, postID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load document: %w", err)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	return &ms[0], nil
}

// AttachmentIDs lists a document's media ids in order.
func AttachmentIDs(ctx context.Context, idb bun.IDB, tenantID, postID string) ([]string, error) {
	ids := []string{}
	err := idb.NewSelect().Model((*Attachment)(nil)).Column("media_id").
		Where("tenant_id = ? AND post_id = ?", tenantID, postID).Order("position").Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("load attachments: %w", err)
	}
	return ids, nil
}
