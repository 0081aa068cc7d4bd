package document

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
)

// Console adds a document's fields to the console's item form
// (post.Console.Extension; the template partial "document_fields" in
// templates/layouts/document.html shows them).
type Console struct {
	DB bun.IDB
}

// FormData is what the partial shows.
type FormData struct {
	Number, Issuer, Signer           string
	IssuedOn, EffectiveOn, ExpiresOn string // yyyy-mm-dd for <input type=date>
	Kinds                            []Option
	Files                            []FileOption
	LibraryURL                       string
}

// FileOption is a document of the library that may be attached.
type FileOption struct {
	ID, Name, Type string
	Checked        bool
}

// Read puts the submitted document fields into in.Extension when the item
// is a document.
func (k *Console) Read(c *fiber.Ctx, _ *tenancy.Tenant, in *post.Input) error {
	if in.Type != post.TypeDocument {
		return nil
	}
	f := Fields{Number: c.FormValue("doc_number"), Kind: Kind(c.FormValue("doc_kind")), Issuer: c.FormValue("doc_issuer"), Signer: c.FormValue("doc_signer")}
	for _, d := range []struct {
		name string
		to   **time.Time
	}{{"doc_issued_on", &f.IssuedOn}, {"doc_effective_on", &f.EffectiveOn}, {"doc_expires_on", &f.ExpiresOn}} {
		t, err := post.ParseDate(c.FormValue(d.name))
		if err != nil {
			return errs.Invalid(d.name, "date_invalid", "Ngày của văn bản phải có dạng dd/mm/yyyy")
		}
		*d.to = t
	}
	ids := attachmentsOf(c)
	in.Extension = &Input{Fields: &f, Attachments: &ids}
	return nil
}

func attachmentsOf(c *fiber.Ctx) []string {
	ids := []string{}
	if form, err := c.MultipartForm(); err == nil && form != nil {
		return append(ids, form.Value["attachments"]...)
	}
	for _, v := range c.Request().PostArgs().PeekMulti("attachments") {
		ids = append(ids, string(v))
	}
	return ids
}

// Form gives the partial its data: what was submitted, else the stored
// document of p, and the library's documents to attach.
func (k *Console) Form(c *fiber.Ctx, t *tenancy.Tenant, p *post.Post, submitted bool) (any, error) {
	ctx := c.UserContext()
	d := &FormData{LibraryURL: "/t/" + t.Slug + media.LibraryPath + "?kind=document"}
	kind, chosen := Kind(""), map[string]bool{}
	switch {
	case submitted:
		d.Number, d.Issuer, d.Signer = c.FormValue("doc_number"), c.FormValue("doc_issuer"), c.FormValue("doc_signer")
		d.IssuedOn, d.EffectiveOn, d.ExpiresOn = c.FormValue("doc_issued_on"), c.FormValue("doc_effective_on"), c.FormValue("doc_expires_on")
		kind = Kind(c.FormValue("doc_kind"))
		for _, id := range attachmentsOf(c) {
			chosen[id] = true
		}
	case p != nil:
		m, err := Get(ctx, k.DB, t.ID, p.ID)
		if err != nil {
			return nil, err
		}
		if m != nil {
			d.Number, d.Issuer, d.Signer, kind = m.Number, m.Issuer, m.Signer, m.Kind
			d.IssuedOn, d.EffectiveOn, d.ExpiresOn = formDay(m.IssuedOn), formDay(m.EffectiveOn), formDay(m.ExpiresOn)
		}
		ids, err := AttachmentIDs(ctx, k.DB, t.ID, p.ID)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			chosen[id] = true
		}
	}
	for _, x := range Kinds {
		d.Kinds = append(d.Kinds, Option{string(x.Code), x.Name, x.Code == kind})
	}
	files, err := media.List(ctx, k.DB, t.ID, media.Filter{Kind: media.KindDocument, Limit: 100})
	if err != nil {
		return nil, err
	}
	for _, m := range files {
		d.Files = append(d.Files, FileOption{ID: m.ID, Name: m.DownloadName(), Type: m.Ext(), Checked: chosen[m.ID]})
	}
	return d, nil
}

// formDay is a document's date as its form field shows it (dd/mm/yyyy);
// the dates are calendar days kept as UTC midnight (vntext.Day).
func formDay(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("02/01/2006")
}
