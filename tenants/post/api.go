package post

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post/lint"
)

// API serves the contract's item routes under /api/v1/tenants/:slug/posts.
type API struct {
	Service    *Service
	Authz      *authz.Enforcer
	Registry   *tenancy.Registry
	BaseDomain string
	// Extension reads and shows the extra data of typed items (a
	// document's "document" and "attachments"); nil refuses them.
	Extension Extension
}

// Extension reads and shows a typed item's extra data in the items API,
// so that a feature built on items (tenants/document) adds its fields
// without this package knowing them.
type Extension interface {
	// Decode turns a request's "document" and "attachments" (nil when
	// absent) for an item of type typ into Input.Extension.
	Decode(typ Type, document json.RawMessage, attachments *[]string) (any, error)
	// View gives the item's "document" and "attachments" (nil for an item
	// without them).
	View(ctx context.Context, idb bun.IDB, p *Post) (document any, attachments []string, err error)
}

// Routes registers the item routes; each declares its permission, and
// handlers whose rule depends on the item (own or any, the workflow step)
// check it again through the service.
func (a *API) Routes(r fiber.Router) {
	g := r.Group("/tenants/:slug/posts")
	g.Get("/", a.Authz.Require(authz.TenantView, a.bySlug), a.list)
	g.Post("/", a.Authz.Require(authz.PostCreate, a.bySlug), a.create)
	g.Get("/:id", a.Authz.Require(authz.TenantView, a.bySlug), a.get)
	g.Patch("/:id", a.Authz.Require(authz.PostEditOwn, a.bySlug), a.update)
	g.Post("/:id/transitions", a.Authz.Require(authz.TenantView, a.bySlug), a.transition)
	g.Delete("/:id/edition", a.Authz.Require(authz.PostEditOwn, a.bySlug), a.discardEdition)
	g.Get("/:id/revisions", a.Authz.Require(authz.TenantView, a.bySlug), a.revisions)
	r.Get("/tenants/:slug/settings", a.Authz.Require(authz.TenantView, a.bySlug), a.settings)
	r.Patch("/tenants/:slug/settings", a.Authz.Require(authz.TenantSettings, a.bySlug), a.updateSettings)
}

func (a *API) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(a.Registry, c) }

// tenant is the :slug tenant the route's guard checked.
func (a *API) tenant(c *fiber.Ctx) *tenancy.Tenant { return authz.Tenant(c) }

// ActorFor returns the acting account of a request in tenant t.
func ActorFor(az *authz.Enforcer, c *fiber.Ctx, t *tenancy.Tenant) Actor {
	id := web.Account(c).AccountID
	return Actor{ID: id, Can: func(p authz.Permission) bool { return az.Allowed(id, t.ID, p) }}
}

// View is the contract's item shape.
type View struct {
	ID          string         `json:"id"`
	Slug        string         `json:"slug"`
	Title       string         `json:"title"`
	Summary     string         `json:"summary"`
	Body        string         `json:"body"`
	Type        Type           `json:"type"`
	Status      Status         `json:"status"`
	Version     int            `json:"version"`
	Section     string         `json:"section"`
	Fields      []string       `json:"fields"`
	EventDate   string         `json:"event_date"`
	Byline      string         `json:"byline"`
	PublishedAt *time.Time     `json:"published_at"`
	ScheduledAt *time.Time     `json:"scheduled_at,omitempty"`
	NotReviewed bool           `json:"not_reviewed"`
	URL         string         `json:"url"`
	Lint        []lint.Finding `json:"lint"`
	Source      any            `json:"source,omitempty"`
	Document    any            `json:"document,omitempty"`
	Attachments []string       `json:"attachments,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
	// Edition is the pending new text of a published item: the item's own
	// fields stay the live text until the edition is published.
	Edition *EditionView `json:"edition,omitempty"`
}

// EditionView is a published item's pending edition in the API.
type EditionView struct {
	Status    Status         `json:"status"`
	Title     string         `json:"title"`
	Summary   string         `json:"summary"`
	Body      string         `json:"body"`
	Type      Type           `json:"type"`
	Section   string         `json:"section"`
	Fields    []string       `json:"fields"`
	EventDate string         `json:"event_date"`
	Byline    string         `json:"byline"`
	BasedOn   int            `json:"based_on"`
	Lint      []lint.Finding `json:"lint"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// PublicURL is the item's address on its tenant's site as seen from the
// request c (web.SiteURL: scheme, primary host, port); empty until the
// item is public or when the tenant has no site.
func PublicURL(c *fiber.Ctx, t *tenancy.Tenant, p *Post, baseDomain string) string {
	base := web.SiteURL(c, t, baseDomain)
	if !p.Status.Public() || base == "" {
		return ""
	}
	if p.Type == TypeDocument {
		return base + "/van-ban/" + p.Slug
	}
	return base + "/bai-viet/" + p.Slug
}

func (a *API) view(c *fiber.Ctx, t *tenancy.Tenant, p *Post, withLint bool) View {
	v := View{ID: p.ID, Slug: p.Slug, Title: p.Title, Summary: p.Summary, Body: p.Body, Type: p.Type, Status: p.Status,
		Version: p.Version, Section: p.SectionSlug, Fields: p.Fields, Byline: p.Byline, PublishedAt: p.PublishedAt,
		ScheduledAt: p.ScheduledAt, NotReviewed: p.NotReviewed, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		URL: PublicURL(c, t, p, a.BaseDomain), Lint: []lint.Finding{}, Source: SourceView(p)}
	if p.EventDate != nil {
		v.EventDate = p.EventDate.Format("2006-01-02")
	}
	if a.Extension != nil {
		doc, att, err := a.Extension.View(c.UserContext(), a.Service.DB, p)
		if err == nil {
			v.Document, v.Attachments = doc, att
		}
	}
	if withLint {
		if f := a.Service.Findings(p); f != nil {
			v.Lint = f
		}
	}
	if e := p.Edition; e != nil {
		ev := &EditionView{Status: e.Status, Title: e.Title, Summary: e.Summary, Body: e.Body, Type: e.Type,
			Section: e.SectionSlug, Fields: e.FieldList(), Byline: e.Byline, BasedOn: e.BasedOn, Lint: []lint.Finding{}, UpdatedAt: e.UpdatedAt}
		if e.EventDate != nil {
			ev.EventDate = e.EventDate.Format("2006-01-02")
		}
		if f := a.Service.Findings(e.Text(p)); withLint && f != nil {
			ev.Lint = f
		}
		v.Edition = ev
	}
	return v
}

func (a *API) list(c *fiber.Ctx) error {
	t := a.tenant(c)
	f := Filter{Type: Type(c.Query("type")), Field: c.Query("field"), Query: c.Query("q")}
	for _, s := range strings.Split(c.Query("status"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			st, err := ParseStatus(s)
			if err != nil {
				return err
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	offset, _ := strconv.Atoi(c.Query("cursor"))
	f.Offset, f.Limit = max(offset, 0), 50
	ps, err := List(c.UserContext(), a.Service.DB, t.ID, f)
	if err != nil {
		return err
	}
	items := make([]View, 0, len(ps))
	for _, p := range ps {
		items = append(items, a.view(c, t, p, false))
	}
	next := ""
	if len(ps) == f.Limit {
		next = strconv.Itoa(f.Offset + f.Limit)
	}
	return c.JSON(fiber.Map{"items": items, "next": next})
}

// Body is the JSON of a create or edit.
type Body struct {
	Title     *string   `json:"title"`
	Summary   *string   `json:"summary"`
	Body      *string   `json:"body"`
	Type      *Type     `json:"type"`
	Section   *string   `json:"section"`
	Fields    *[]string `json:"fields"`
	EventDate *string   `json:"event_date"`
	Byline    *string   `json:"byline"`
	Version   int       `json:"version"`
	Source    *Source   `json:"source"`
	// Document and Attachments are a document's metadata and files (read
	// by API.Extension).
	Document    json.RawMessage `json:"document"`
	Attachments *[]string       `json:"attachments"`
}

// extension reads b's typed extra data for an item of type typ.
func (a *API) extension(b Body, typ Type) (any, error) {
	if a.Extension == nil {
		if b.Document != nil || b.Attachments != nil {
			return nil, errs.Invalid("document", "document_unsupported", "Máy chủ này không nhận văn bản")
		}
		return nil, nil
	}
	return a.Extension.Decode(typ, b.Document, b.Attachments)
}

// Source is a republished item's provenance (completed by cross-posting).
type Source struct {
	Outlet      string `json:"outlet"`
	URL         string `json:"url"`
	Author      string `json:"author"`
	PublishedAt string `json:"published_at"`
	Agreement   string `json:"agreement"`
}

// ParseDate reads an event date: yyyy-mm-dd, RFC 3339 or dd/mm/yyyy.
func ParseDate(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return &t, nil
	}
	if t, err := vntext.ParseDate(s); err == nil {
		return &t, nil
	}
	return nil, errs.Invalid("event_date", "date_invalid", "Ngày diễn ra sự kiện phải có dạng yyyy-mm-dd hoặc dd/mm/yyyy")
}

// merge applies the fields present in b over in.
func (b Body) merge(in Input) (Input, error) {
	if b.Title != nil {
		in.Title = *b.Title
	}
	if b.Summary != nil {
		in.Summary = *b.Summary
	}
	if b.Body != nil {
		in.Body = *b.Body
	}
	if b.Type != nil {
		in.Type = *b.Type
	}
	if b.Section != nil {
		in.Section = *b.Section
	}
	if b.Fields != nil {
		in.Fields = *b.Fields
	}
	if b.Byline != nil {
		in.Byline = *b.Byline
	}
	if b.EventDate != nil {
		d, err := ParseDate(*b.EventDate)
		if err != nil {
			return in, err
		}
		in.EventDate = d
	}
	if b.Source != nil {
		src, err := b.Source.Input()
		if err != nil {
			return in, err
		}
		in.Source = src
	}
	return in, nil
}

func (a *API) create(c *fiber.Ctx) error {
	t := a.tenant(c)
	var b Body
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	in, err := b.merge(Input{})
	if err != nil {
		return err
	}
	if in.Extension, err = a.extension(b, in.Type); err != nil {
		return err
	}
	p, err := a.Service.Create(c.UserContext(), t, ActorFor(a.Authz, c, t), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(a.view(c, t, p, true))
}

func (a *API) get(c *fiber.Ctx) error {
	t := a.tenant(c)
	p, err := Get(c.UserContext(), a.Service.DB, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	if err := LoadEdition(c.UserContext(), a.Service.DB, p); err != nil {
		return err
	}
	return c.JSON(a.view(c, t, p, true))
}

// EditInputOf is the text an edit of p starts from: its pending edition
// when there is one, else its own.
func EditInputOf(p *Post) Input {
	if p.Edition != nil {
		return p.Edition.Input()
	}
	return InputOf(p)
}

// InputOf is the editable text of an existing item.
func InputOf(p *Post) Input {
	return Input{Title: p.Title, Summary: p.Summary, Body: p.Body, Type: p.Type, Section: p.SectionSlug,
		Fields: p.Fields, EventDate: p.EventDate, Byline: p.Byline}
}

func (a *API) update(c *fiber.Ctx) error {
	t := a.tenant(c)
	var b Body
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	if b.Version <= 0 {
		return errs.Invalid("version", "version_required", "Cần gửi kèm version của bản đang sửa")
	}
	cur, err := Get(c.UserContext(), a.Service.DB, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	if err := LoadEdition(c.UserContext(), a.Service.DB, cur); err != nil {
		return err
	}
	// A PATCH changes the fields it names in the text being edited: the
	// pending edition of a published item, else the item's.
	in, err := b.merge(EditInputOf(cur))
	if err != nil {
		return err
	}
	if in.Extension, err = a.extension(b, in.Type); err != nil {
		return err
	}
	p, err := a.Service.Update(c.UserContext(), t, ActorFor(a.Authz, c, t), cur.ID, b.Version, in)
	var conflict *ConflictError
	if errors.As(err, &conflict) {
		code, msg, _ := errs.Public(err)
		return c.Status(fiber.StatusConflict).JSON(fiber.Map{
			"error":   fiber.Map{"code": code, "message": msg, "field": "version"},
			"current": a.view(c, t, conflict.Current, false), "kept_as_revision": conflict.ConflictVersion,
		})
	}
	if err != nil {
		return err
	}
	return c.JSON(a.view(c, t, p, true))
}

// TransitionBody is the JSON of a workflow step.
type TransitionBody struct {
	To    string `json:"to"`
	Note  string `json:"note"`
	At    string `json:"at"`
	Force bool   `json:"force"`
}

func (a *API) transition(c *fiber.Ctx) error {
	t := a.tenant(c)
	var b TransitionBody
	if err := web.DecodeJSON(c, &b); err != nil {
		return err
	}
	to, err := ParseStatus(b.To)
	if err != nil {
		return err
	}
	in := TransitionInput{To: to, Note: b.Note, Force: b.Force}
	if b.At != "" {
		at, err := time.Parse(time.RFC3339, b.At)
		if err != nil {
			return errs.Invalid("at", "time_invalid", "Thời điểm phải theo RFC 3339, ví dụ 2026-12-01T08:00:00+07:00")
		}
		in.At = &at
	}
	p, err := a.Service.Transition(c.UserContext(), t, ActorFor(a.Authz, c, t), c.Params("id"), in)
	var lintErr *LintError
	if errors.As(err, &lintErr) {
		code, msg, field := errs.Public(err)
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
			"error": fiber.Map{"code": code, "message": msg, "field": field}, "lint": lintErr.Findings,
		})
	}
	if err != nil {
		return err
	}
	return c.JSON(a.view(c, t, p, true))
}

// discardEdition abandons a published item's pending edition.
func (a *API) discardEdition(c *fiber.Ctx) error {
	t := a.tenant(c)
	p, err := a.Service.DiscardEdition(c.UserContext(), t, ActorFor(a.Authz, c, t), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a.view(c, t, p, true))
}

func (a *API) revisions(c *fiber.Ctx) error {
	t := a.tenant(c)
	p, err := Get(c.UserContext(), a.Service.DB, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	rs, err := Revisions(c.UserContext(), a.Service.DB, t.ID, p.ID)
	if err != nil {
		return err
	}
	type rev struct {
		Number    int       `json:"number"`
		Kind      string    `json:"kind"`
		Title     string    `json:"title"`
		BasedOn   int       `json:"based_on"`
		ActorID   string    `json:"actor_id"`
		CreatedAt time.Time `json:"created_at"`
	}
	out := make([]rev, 0, len(rs))
	for _, r := range rs {
		out = append(out, rev{r.Number, r.Kind, r.Title, r.BasedOn, r.ActorID, r.CreatedAt})
	}
	return c.JSON(fiber.Map{"items": out, "next": ""})
}
