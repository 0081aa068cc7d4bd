package document

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
)

// Fields is a document's editable metadata.
type Fields struct {
	Number, Issuer, Signer           string
	Kind                             Kind
	IssuedOn, EffectiveOn, ExpiresOn *time.Time
}

// Input is what a write carries in post.Input.Extension for a document:
// nil parts stay as they are.
type Input struct {
	Fields      *Fields
	Attachments *[]string
}

// MaxAttachments bounds the files of one document.
const MaxAttachments = 20

// AfterWrite stores a document's metadata and files in the transaction of
// the item's write (wired into post.Service.AfterWrite). A document must
// have a kind once written; files must be documents (PDF, DOCX, XLSX, ODT)
// of the same tenant's library.
func AfterWrite(ctx context.Context, tx bun.Tx, p *post.Post, change string) error {
	if p.Type != post.TypeDocument || (change != "create" && change != "edit" && change != "edition") {
		return nil
	}
	in, _ := p.Extension.(*Input)
	if in == nil && change == "create" && p.OriginTenantID != nil && p.OriginPostID != nil {
		return copyMeta(ctx, tx, p)
	}
	if in == nil {
		in = &Input{}
	}
	if in.Fields != nil {
		if err := writeMeta(ctx, tx, p, *in.Fields); err != nil {
			return err
		}
	} else if m, err := Get(ctx, tx, p.TenantID, p.ID); err != nil {
		return err
	} else if m == nil {
		return errs.Invalid("document.kind", "document_kind_required", "Văn bản cần chọn loại văn bản")
	}
	if in.Attachments != nil {
		return writeAttachments(ctx, tx, p, *in.Attachments)
	}
	return nil
}

// copyMeta gives a copy accepted or pulled from another tenant
// (tenants/crosspost) the metadata of its original. The files stay in the
// sender's library: a copy lists none until the board attaches its own.
func copyMeta(ctx context.Context, tx bun.Tx, p *post.Post) error {
	m, err := Get(ctx, tx, *p.OriginTenantID, *p.OriginPostID)
	if err != nil {
		return err
	}
	if m == nil {
		m = &Meta{Kind: "khac"}
	}
	f := Fields{Number: m.Number, Kind: m.Kind, Issuer: m.Issuer, Signer: m.Signer, IssuedOn: m.IssuedOn, EffectiveOn: m.EffectiveOn, ExpiresOn: m.ExpiresOn}
	return writeMeta(ctx, tx, p, f)
}

// clean checks and normalises metadata.
func (f Fields) clean() (Fields, error) {
	norm := func(s string) string { return strings.Join(strings.Fields(vntext.NFC(s)), " ") }
	f.Number, f.Issuer, f.Signer = norm(f.Number), norm(f.Issuer), norm(f.Signer)
	switch {
	case !f.Kind.Valid():
		return f, errs.Invalid("document.kind", "document_kind_invalid", "Loại văn bản không hợp lệ; chọn một loại trong danh mục")
	case utf8.RuneCountInString(f.Number) > 100:
		return f, errs.Invalid("document.number", "document_number_too_long", "Số, ký hiệu dài quá 100 ký tự")
	case utf8.RuneCountInString(f.Issuer) > 200:
		return f, errs.Invalid("document.issuer", "document_issuer_too_long", "Cơ quan ban hành dài quá 200 ký tự")
	case utf8.RuneCountInString(f.Signer) > 200:
		return f, errs.Invalid("document.signer", "document_signer_too_long", "Người ký dài quá 200 ký tự")
	case f.EffectiveOn != nil && f.ExpiresOn != nil && f.ExpiresOn.Before(*f.EffectiveOn):
		return f, errs.Invalid("document.expires_on", "document_dates_invalid", "Ngày hết hiệu lực phải sau ngày có hiệu lực")
	}
	for _, d := range []**time.Time{&f.IssuedOn, &f.EffectiveOn, &f.ExpiresOn} {
		if *d != nil {
			x := day(**d)
			*d = &x
		}
	}
	return f, nil
}

func writeMeta(ctx context.Context, tx bun.Tx, p *post.Post, f Fields) error {
	f, err := f.clean()
	if err != nil {
		return err
	}
	if _, err := tx.NewDelete().Model((*Meta)(nil)).Where("tenant_id = ? AND post_id = ?", p.TenantID, p.ID).Exec(ctx); err != nil {
		return fmt.Errorf("clear document: %w", err)
	}
	m := &Meta{TenantID: p.TenantID, PostID: p.ID, Number: f.Number, Kind: f.Kind, Issuer: f.Issuer, Signer: f.Signer,
		IssuedOn: f.IssuedOn, EffectiveOn: f.EffectiveOn, ExpiresOn: f.ExpiresOn}
	if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
		return fmt.Errorf("insert document: %w", err)
	}
	return nil
}

func writeAttachments(ctx context.Context, tx bun.Tx, p *post.Post, ids []string) error {
	var rows []Attachment
	seen := map[string]bool{}
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		m, err := media.Get(ctx, tx, p.TenantID, id)
		if errs.Is(err, errs.KindNotFound) {
			return errs.Invalid("attachments", "attachment_unknown", fmt.Sprintf("Không có tệp %q trong thư viện của đơn vị", id))
		}
		if err != nil {
			return err
		}
		if m.Kind != media.KindDocument {
			return errs.Invalid("attachments", "attachment_not_document", fmt.Sprintf("Tệp “%s” không phải tài liệu PDF, DOCX, XLSX hoặc ODT", m.Name))
		}
		rows = append(rows, Attachment{TenantID: p.TenantID, PostID: p.ID, MediaID: id, Position: len(rows)})
	}
	if len(rows) > MaxAttachments {
		return errs.Invalid("attachments", "attachments_too_many", fmt.Sprintf("Một văn bản có tối đa %d tệp đính kèm", MaxAttachments))
	}
	if _, err := tx.NewDelete().Model((*Attachment)(nil)).Where("tenant_id = ? AND post_id = ?", p.TenantID, p.ID).Exec(ctx); err != nil {
		return fmt.Errorf("clear attachments: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert attachments: %w", err)
	}
	return nil
}

// API is the items API's extension for documents (post.API.Extension).
type API struct{}

var _ post.Extension = API{}

// metaJSON is the contract's "document" object.
type metaJSON struct {
	Number      string `json:"number"`
	Kind        Kind   `json:"kind"`
	Issuer      string `json:"issuer"`
	Signer      string `json:"signer"`
	IssuedOn    string `json:"issued_on"`
	EffectiveOn string `json:"effective_on"`
	ExpiresOn   string `json:"expires_on"`
	// Expired is true once the expiry day has passed.
	Expired bool `json:"expired"`
}

// Decode reads "document" and "attachments" of an items API request.
func (API) Decode(typ post.Type, doc json.RawMessage, attachments *[]string) (any, error) {
	if doc == nil && attachments == nil {
		return nil, nil
	}
	if typ != post.TypeDocument {
		return nil, errs.Invalid("type", "document_type_required", "Chỉ văn bản (type \"document\") mới có thông tin văn bản và tệp đính kèm")
	}
	in := &Input{Attachments: attachments}
	if doc != nil {
		var j metaJSON
		dec := json.NewDecoder(strings.NewReader(string(doc)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&j); err != nil {
			return nil, errs.Invalid("document", "json_invalid", "Thông tin văn bản không hợp lệ: "+err.Error())
		}
		f := Fields{Number: j.Number, Kind: j.Kind, Issuer: j.Issuer, Signer: j.Signer}
		for _, d := range []struct {
			s    string
			to   **time.Time
			name string
		}{{j.IssuedOn, &f.IssuedOn, "issued_on"}, {j.EffectiveOn, &f.EffectiveOn, "effective_on"}, {j.ExpiresOn, &f.ExpiresOn, "expires_on"}} {
			t, err := post.ParseDate(d.s)
			if err != nil {
				return nil, errs.Invalid("document."+d.name, "date_invalid", "Ngày phải có dạng yyyy-mm-dd hoặc dd/mm/yyyy")
			}
			*d.to = t
		}
		in.Fields = &f
	}
	return in, nil
}

// View gives a document's "document" and "attachments" in the items API.
func (API) View(ctx context.Context, idb bun.IDB, p *post.Post) (any, []string, error) {
	if p.Type != post.TypeDocument {
		return nil, nil, nil
	}
	m, err := Get(ctx, idb, p.TenantID, p.ID)
	if err != nil || m == nil {
		return nil, nil, err
	}
	ids, err := AttachmentIDs(ctx, idb, p.TenantID, p.ID)
	if err != nil {
		return nil, nil, err
	}
	return metaView(m, time.Now()), ids, nil
}

func metaView(m *Meta, now time.Time) metaJSON {
	iso := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format("2006-01-02")
	}
	return metaJSON{Number: m.Number, Kind: m.Kind, Issuer: m.Issuer, Signer: m.Signer, IssuedOn: iso(m.IssuedOn),
		EffectiveOn: iso(m.EffectiveOn), ExpiresOn: iso(m.ExpiresOn), Expired: m.ExpiredAt(now)}
}
