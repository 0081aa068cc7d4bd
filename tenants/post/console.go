package post

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
)

// Console serves the item pages of the editorial console: the list, the
// form, live lint, the item page and its workflow, revisions, and the
// review queue. The console package lays the pages out (Shell) and lists
// them in the tenant menu; features built on items add to them through the
// func fields below, so that this package imports none of them.
type Console struct {
	DB       *bun.DB
	Service  *Service
	Authz    *authz.Enforcer
	Registry *tenancy.Registry
	Renderer *web.Renderer
	// Shell builds the console layout data (switcher, menu, flash) of a
	// page, normally console.Handler.Layout; nil gives a minimal one.
	Shell web.ShellFunc
	// Extension adds a feature's fields to the item form (documents).
	Extension *ConsoleExtension
	// SendOffered tells whether an item's page offers "Gửi Ban Biên tập
	// Sở" (crosspost.Service.Offered); nil offers it to whoever may send.
	SendOffered func(ctx context.Context, t *tenancy.Tenant, actor Actor, p *Post) (bool, error)
	// Picture gives the cover picture mediaID of tenant t with its preview
	// on the admin host (media), nil when it is gone; nil shows none.
	Picture func(ctx context.Context, t *tenancy.Tenant, mediaID string) (*PostCover, error)
}

// Routes registers the item pages; each declares its permission. Steps
// whose rule depends on the item (own or any, the workflow state) are
// checked again by Service.
func (h *Console) Routes(r fiber.Router) {
	az := h.Authz
	r.Get("/t/:slug/bai-viet", az.Require(authz.TenantView, h.bySlug), h.postsPage)
	r.Get("/t/:slug/bai-viet/moi", az.Require(authz.PostCreate, h.bySlug), h.postNewForm)
	r.Post("/t/:slug/bai-viet/moi", az.Require(authz.PostCreate, h.bySlug), h.postCreate)
	r.Post("/t/:slug/bai-viet/kiem-tra", az.Require(authz.PostCreate, h.bySlug), h.postLint)
	r.Get("/t/:slug/bai-viet/:id", az.Require(authz.TenantView, h.bySlug), h.postView)
	r.Get("/t/:slug/bai-viet/:id/sua", az.Require(authz.PostEditOwn, h.bySlug), h.postEditForm)
	r.Post("/t/:slug/bai-viet/:id/sua", az.Require(authz.PostEditOwn, h.bySlug), h.postSave)
	r.Post("/t/:slug/bai-viet/:id/chuyen", az.Require(authz.TenantView, h.bySlug), h.postTransition)
	r.Post("/t/:slug/bai-viet/:id/anh-dai-dien", az.Require(authz.PostEditOwn, h.bySlug), h.postCover)
	r.Post("/t/:slug/bai-viet/:id/ban-sua/huy", az.Require(authz.PostEditOwn, h.bySlug), h.postDiscardEdition)
	r.Get("/t/:slug/bai-viet/:id/phien-ban", az.Require(authz.TenantView, h.bySlug), h.postRevisions)
	r.Post("/t/:slug/bai-viet/:id/phien-ban/:n/khoi-phuc", az.Require(authz.PostEditOwn, h.bySlug), h.postRestore)
	r.Get("/t/:slug/cho-duyet", az.Require(authz.PostReview, h.bySlug), h.reviewQueue)
}

func (h *Console) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(h.Registry, c) }

// tenant is the :slug tenant the route's guard checked.
func (h *Console) tenant(c *fiber.Ctx) (*tenancy.Tenant, error) {
	if t := authz.Tenant(c); t != nil {
		return t, nil
	}
	return nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
}

// shell returns the layout data of a page (Shell), or none when the pages
// run without the console (the layout then shows no menu).
func (h *Console) shell(c *fiber.Ctx, t *tenancy.Tenant, active string) (any, error) {
	if h.Shell == nil {
		return nil, nil
	}
	return h.Shell(c, t, active)
}

func (h *Console) render(c *fiber.Ctx, status int, page string, data any) error {
	return h.Renderer.Render(c, status, page, data)
}

// errorText is the message of an error to show on a form.
func errorText(err error) string {
	_, msg, _ := errs.Public(err)
	return msg
}

// redirectWith sends the browser to path with a flash
// (web.RedirectWithFlash).
func redirectWith(c *fiber.Ctx, path, kind, text string) error {
	return web.RedirectWithFlash(c, path, kind, text)
}

// formError shows a user's mistake as a flash on back; anything else is
// the server's error.
func formError(c *fiber.Ctx, back string, err error) error {
	switch errs.KindOf(err) {
	case errs.KindInvalid, errs.KindConflict, errs.KindNotFound, errs.KindForbidden:
		return redirectWith(c, back, "error", errorText(err))
	}
	return err
}

// postsPerPage is the length of one page of the item list.
const postsPerPage = 30

// PostOption is one choice of a select or a checkbox list.
type PostOption struct {
	Value, Label string
	Selected     bool
}

// PostRow is an item in a list, with the names its codes stand for.
type PostRow struct {
	Post        *Post
	SectionName string
	FieldNames  []string
	AuthorName  string
	Updated     string // dd/mm/yyyy HH:MM, Vietnam time
}

// PostFilter is what the item list is narrowed by (the query string).
type PostFilter struct {
	Status, Section, Field, Type, Q string
	Mine                            bool
}

// PostsPage is the list of a tenant's items.
type PostsPage struct {
	Shell     any
	Tenant    *tenancy.Tenant
	Rows      []PostRow
	Filter    PostFilter
	Statuses  []PostOption
	Sections  []PostOption
	Fields    []PostOption
	Types     []PostOption
	CanCreate bool
	Page      int
	PrevURL   string
	NextURL   string
}

// posts returns the item service, or a clear error while it is not wired.
func (h *Console) posts() (*Service, error) {
	if h.Service == nil {
		return nil, errs.Unavailable("posts_unavailable", "Chức năng bài viết chưa được cấu hình trên máy chủ này", errors.New("post: Console.Service is nil"))
	}
	return h.Service, nil
}

// postNames holds the display names of a tenant's sections and of the
// sector's fields, loaded once per page.
type postNames struct {
	sections   []tenancy.Section
	sectionOf  map[string]string // section id → name
	fields     []tenancy.Field
	fieldName  map[string]string // field code → name
	accountsBy map[string]string // account id → name
}

func (h *Console) loadPostNames(ctx context.Context, t *tenancy.Tenant) (*postNames, error) {
	secs, err := tenancy.Sections(ctx, h.DB, t.ID)
	if err != nil {
		return nil, err
	}
	fs, err := tenancy.Fields(ctx, h.DB)
	if err != nil {
		return nil, err
	}
	n := &postNames{sections: secs, fields: fs, sectionOf: map[string]string{}, fieldName: map[string]string{}, accountsBy: map[string]string{}}
	for _, s := range secs {
		n.sectionOf[s.ID] = s.Name
	}
	for _, f := range fs {
		n.fieldName[f.Code] = f.Name
	}
	return n, nil
}

// account returns the name of an account ("Hệ thống" for scheduled steps).
func (n *postNames) account(ctx context.Context, h *Console, id string) string {
	if id == "" || id == "system" {
		return "Hệ thống"
	}
	if name, ok := n.accountsBy[id]; ok {
		return name
	}
	name := "Tài khoản đã xóa"
	if a, err := account.ByID(ctx, h.DB, id); err == nil {
		name = a.Name
	}
	n.accountsBy[id] = name
	return name
}

func (n *postNames) row(ctx context.Context, h *Console, p *Post) PostRow {
	r := PostRow{Post: p, AuthorName: n.account(ctx, h, p.AuthorID), Updated: vntext.DateTime(p.UpdatedAt)}
	if p.SectionID != nil {
		r.SectionName = n.sectionOf[*p.SectionID]
	}
	for _, f := range p.Fields {
		if name, ok := n.fieldName[f]; ok {
			r.FieldNames = append(r.FieldNames, name)
		} else {
			r.FieldNames = append(r.FieldNames, f)
		}
	}
	return r
}

func (n *postNames) sectionOptions(selected string) []PostOption {
	out := make([]PostOption, 0, len(n.sections))
	for _, s := range n.sections {
		out = append(out, PostOption{Value: s.Slug, Label: s.Name, Selected: s.Slug == selected})
	}
	return out
}

func (n *postNames) fieldOptions(selected []string) []PostOption {
	on := map[string]bool{}
	for _, s := range selected {
		on[s] = true
	}
	out := make([]PostOption, 0, len(n.fields))
	for _, f := range n.fields {
		out = append(out, PostOption{Value: f.Code, Label: f.Name, Selected: on[f.Code]})
	}
	return out
}

// postTypeOptions lists the types a writer may choose. "republished" (a
// press article copied under an agreement) is chosen when an item is made,
// with its source, and never later: its text is locked from creation. So
// it is offered when creating (and in filters), and on an existing item
// only when the item has it.
func postTypeOptions(selected Type, creating bool) []PostOption {
	var out []PostOption
	for _, ty := range Types {
		if ty == TypeRepublished && selected != ty && !creating {
			continue
		}
		out = append(out, PostOption{Value: string(ty), Label: ty.Label(), Selected: ty == selected})
	}
	return out
}

func (h *Console) postsPage(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	me := web.Account(c).AccountID
	sh, err := h.shell(c, t, "/bai-viet")
	if err != nil {
		return err
	}
	names, err := h.loadPostNames(ctx, t)
	if err != nil {
		return err
	}
	fl := PostFilter{Status: c.Query("trang-thai"), Section: c.Query("chuyen-muc"), Field: c.Query("linh-vuc"),
		Type: c.Query("loai"), Q: strings.TrimSpace(c.Query("q")), Mine: c.Query("cua-toi") != ""}
	page, _ := strconv.Atoi(c.Query("trang"))
	page = max(page, 1)
	f := Filter{Field: fl.Field, Query: fl.Q, Limit: postsPerPage + 1, Offset: (page - 1) * postsPerPage}
	if fl.Status != "" {
		st, err := ParseStatus(fl.Status)
		if err != nil {
			return err
		}
		f.Statuses = []Status{st}
	}
	if fl.Type != "" {
		f.Type = Type(fl.Type)
	}
	if fl.Mine {
		f.AuthorID = me
	}
	if fl.Section != "" {
		f.SectionID = "-" // an unknown section matches nothing
		for _, s := range names.sections {
			if s.Slug == fl.Section {
				f.SectionID = s.ID
			}
		}
	}
	ps, err := List(ctx, svc.DB, t.ID, f)
	if err != nil {
		return err
	}
	pg := PostsPage{Shell: sh, Tenant: t, Filter: fl, Page: page,
		Sections: names.sectionOptions(fl.Section), Types: postTypeOptions(Type(fl.Type), true),
		CanCreate: h.Authz.Allowed(me, t.ID, authz.PostCreate)}
	for _, st := range Statuses {
		pg.Statuses = append(pg.Statuses, PostOption{Value: string(st), Label: st.Label(), Selected: string(st) == fl.Status})
	}
	pg.Fields = names.fieldOptions([]string{fl.Field})
	if len(ps) > postsPerPage {
		ps = ps[:postsPerPage]
		pg.NextURL = postsPageURL(c, page+1)
	}
	if page > 1 {
		pg.PrevURL = postsPageURL(c, page-1)
	}
	for _, p := range ps {
		pg.Rows = append(pg.Rows, names.row(ctx, h, p))
	}
	return h.render(c, fiber.StatusOK, "console/posts", pg)
}

// postsPageURL is the current list URL with its filters, on another page.
func postsPageURL(c *fiber.Ctx, page int) string {
	v := url.Values{}
	for _, k := range []string{"trang-thai", "chuyen-muc", "linh-vuc", "loai", "cua-toi", "q"} {
		if s := c.Query(k); s != "" {
			v.Set(k, s)
		}
	}
	v.Set("trang", strconv.Itoa(page))
	return c.Path() + "?" + v.Encode()
}

// PostForm is the create and edit form.
type PostForm struct {
	Shell        any
	Tenant       *tenancy.Tenant
	Post         *Post // nil on create
	Action       string
	LintURL      string
	Title        string
	Summary      string
	Body         string
	EventDate    string // yyyy-mm-dd for <input type=date>
	Byline       string
	Version      int
	Types        []PostOption
	Sections     []PostOption
	Fields       []PostOption
	Error        string
	ErrorField   string
	Findings     []PostFinding
	Conflict     *PostConflict
	Locked       bool // a republished item: its text may not change
	SectionFirst bool // the tenant has no site: a section is optional
	// Edition says the item is published: what is saved becomes (or
	// changes) its pending edition, not the live text.
	Edition bool
	// Extension is the data of a feature's fields (ConsoleExtension.Form).
	Extension any
	// Cover is the item's cover picture (nil: none chosen yet).
	Cover *PostCover
	// PickURL lists the library's images for the picture picker.
	PickURL string
	// Source is a press article's provenance as typed (creating only);
	// Agreements are the tenant's register, offered for it.
	Source     SourceForm
	Agreements []PostOption
}

// SourceForm is the provenance of a republished press article as the
// item form holds it.
type SourceForm struct {
	Outlet, URL, Author, PublishedAt, Agreement string
}

// sourceForm reads the provenance fields of the item form.
func sourceForm(c *fiber.Ctx) SourceForm {
	return SourceForm{Outlet: c.FormValue("source_outlet"), URL: c.FormValue("source_url"), Author: c.FormValue("source_author"),
		PublishedAt: c.FormValue("source_published_at"), Agreement: c.FormValue("source_agreement")}
}

// AgreementOptions offers the tenant's register of reuse agreements, the
// valid ones only, selected the one chosen.
func AgreementOptions(ctx context.Context, idb bun.IDB, tenantID, selected string, now time.Time) ([]PostOption, error) {
	as, err := Agreements(ctx, idb, tenantID)
	if err != nil {
		return nil, err
	}
	var out []PostOption
	for _, a := range as {
		if !a.ValidAt(now) {
			continue
		}
		label := a.Outlet + " – số " + a.Reference
		if a.ExpiresOn != nil {
			label += " (đến " + vntext.Date(*a.ExpiresOn) + ")"
		}
		out = append(out, PostOption{Value: a.ID, Label: label, Selected: a.ID == selected})
	}
	return out, nil
}

// ConsoleExtension lets a feature built on items add fields to the item form
// (a document's metadata and files, in the template partial
// "document_fields"): Read puts what was submitted into in.Extension,
// Form gives the partial its data (from p, or what was submitted).
type ConsoleExtension struct {
	Read func(c *fiber.Ctx, t *tenancy.Tenant, in *Input) error
	Form func(c *fiber.Ctx, t *tenancy.Tenant, p *Post, submitted bool) (any, error)
}

// extend reads the extension's fields into in (nil: only show them) and
// fills the form's Extension.
func (h *Console) extend(c *fiber.Ctx, t *tenancy.Tenant, p *Post, in *Input, f *PostForm) error {
	if h.Extension == nil {
		return nil
	}
	var err error
	if f.Extension, err = h.Extension.Form(c, t, p, in != nil); err != nil || in == nil {
		return err
	}
	return h.Extension.Read(c, t, in)
}

// PostCover is the cover picture of an item as the form shows it.
type PostCover struct{ ID, Thumb, Alt string }

// postInput reads the form into an Input; a bad date is an error.
func postInput(c *fiber.Ctx) (Input, error) {
	in := Input{Title: c.FormValue("title"), Summary: c.FormValue("summary"), Body: c.FormValue("body"),
		Type: Type(c.FormValue("type")), Section: c.FormValue("section"), Byline: c.FormValue("byline"),
		Fields: formValues(c, "fields")}
	d, err := ParseDate(c.FormValue("event_date"))
	if err != nil {
		return in, err
	}
	in.EventDate = d
	if in.Type == TypeRepublished {
		f := sourceForm(c)
		src := &SourceInput{Outlet: f.Outlet, URL: f.URL, Author: f.Author, AgreementID: strings.TrimSpace(f.Agreement)}
		if at := strings.TrimSpace(f.PublishedAt); at != "" {
			if !strings.Contains(at, ":") {
				// A day alone would read as midnight: the page would say
				// the original came out at 00:00, and the tenant's delay
				// before republishing would count from then.
				return in, errs.Invalid("source.published_at", "source_time_needs_hour", "Cần cả giờ báo gốc đăng bài (dd/mm/yyyy hh:mm), ví dụ "+at+" 08:30: thời gian chờ trước khi đăng lại tính từ giờ đó")
			}
			when, err := ParseTime(at)
			if err != nil {
				return in, errs.Invalid("source.published_at", "source_time_invalid", "Thời điểm báo gốc đăng bài viết theo dạng dd/mm/yyyy hh:mm, ví dụ 05/12/2026 08:30")
			}
			src.PublishedAt = &when
		}
		in.Source = src
	}
	return in, nil
}

// formValues returns every value of a repeated form field (checkboxes).
func formValues(c *fiber.Ctx, key string) []string {
	if form, err := c.MultipartForm(); err == nil && form != nil {
		return form.Value[key]
	}
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(key) {
		out = append(out, string(v))
	}
	return out
}

// fill puts an input's values (and the tenant's choices) into the form.
func (f *PostForm) fill(names *postNames, in Input) {
	f.Title, f.Summary, f.Body, f.Byline = in.Title, in.Summary, in.Body, in.Byline
	f.EventDate = ""
	if in.EventDate != nil {
		f.EventDate = vntext.Date(*in.EventDate)
	}
	f.Types = postTypeOptions(in.Type, f.Post == nil)
	section := in.Section
	if section == "" && f.Post == nil {
		section = DefaultSection
	}
	f.Sections = names.sectionOptions(section)
	f.Fields = names.fieldOptions(in.Fields)
}

func (h *Console) newPostForm(c *fiber.Ctx, t *tenancy.Tenant, p *Post) (*PostForm, *postNames, error) {
	active := "/bai-viet"
	sh, err := h.shell(c, t, active)
	if err != nil {
		return nil, nil, err
	}
	names, err := h.loadPostNames(c.UserContext(), t)
	if err != nil {
		return nil, nil, err
	}
	base := "/t/" + t.Slug + "/bai-viet"
	f := &PostForm{Shell: sh, Tenant: t, Post: p, Action: base + "/moi", LintURL: base + "/kiem-tra", SectionFirst: !t.HasSite,
		PickURL: "/t/" + t.Slug + "/thu-vien/chon"}
	if p != nil {
		f.Action, f.Version, f.Locked = base+"/"+p.ID+"/sua", p.Version, p.Type == TypeRepublished
		f.Edition = p.Status == StatusPublished
	}
	return f, names, nil
}

func (h *Console) postNewForm(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	if _, err := h.posts(); err != nil {
		return err
	}
	f, names, err := h.newPostForm(c, t, nil)
	if err != nil {
		return err
	}
	f.fill(names, Input{Type: TypeNews})
	if f.Agreements, err = AgreementOptions(c.UserContext(), h.DB, t.ID, "", time.Now()); err != nil {
		return err
	}
	if err := h.extend(c, t, nil, nil, f); err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "console/post_edit", f)
}

// userErrorStatus is the HTTP status of a user's mistake shown on its
// page (invalid input, a state conflict, a refused step), 0 otherwise.
func userErrorStatus(err error) int {
	switch errs.KindOf(err) {
	case errs.KindInvalid:
		return fiber.StatusUnprocessableEntity
	case errs.KindConflict:
		return fiber.StatusConflict
	case errs.KindForbidden:
		return fiber.StatusForbidden
	}
	return 0
}

// postFormError re-renders the form with a user's mistake, keeping what
// they typed; real failures go to the error handler.
func (h *Console) postFormError(c *fiber.Ctx, f *PostForm, err error) error {
	status := userErrorStatus(err)
	if status == 0 {
		return err
	}
	f.Error = errorText(err)
	if e := errs.As(err); e != nil {
		f.ErrorField = e.Field
	}
	return h.render(c, status, "console/post_edit", f)
}

func (h *Console) postCreate(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	f, names, err := h.newPostForm(c, t, nil)
	if err != nil {
		return err
	}
	in, err := postInput(c)
	f.fill(names, in)
	f.Body = svc.Sanitizer.Clean(in.Body) // shown again as it would be saved
	f.Source = sourceForm(c)
	var aerr error
	if f.Agreements, aerr = AgreementOptions(c.UserContext(), svc.DB, t.ID, f.Source.Agreement, time.Now()); aerr != nil {
		return aerr
	}
	if xerr := h.extend(c, t, nil, &in, f); err == nil {
		err = xerr
	}
	if err != nil {
		return h.postFormError(c, f, err)
	}
	p, err := svc.Create(c.UserContext(), t, ActorFor(h.Authz, c, t), in)
	if err != nil {
		return h.postFormError(c, f, err)
	}
	return redirectWith(c, "/t/"+t.Slug+"/bai-viet/"+p.ID, "ok", savedText(p, "Đã tạo bản nháp"))
}

// savedText is the flash after a save, with the lint counts.
func savedText(p *Post, what string) string {
	s := what + " (phiên bản " + strconv.Itoa(p.Version) + ")."
	if p.LintErrors > 0 || p.LintWarnings > 0 {
		s += " Kiểm tra trình bày: " + strconv.Itoa(p.LintErrors) + " lỗi, " + strconv.Itoa(p.LintWarnings) + " cảnh báo — xem bên dưới."
	}
	return s
}

func (h *Console) postEditForm(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	p, err := Get(c.UserContext(), svc.DB, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	if err := LoadEdition(c.UserContext(), svc.DB, p); err != nil {
		return err
	}
	f, names, err := h.newPostForm(c, t, p)
	if err != nil {
		return err
	}
	f.fill(names, EditInputOf(p))
	if err := h.extend(c, t, p, nil, f); err != nil {
		return err
	}
	work := p
	if p.Edition != nil {
		work = p.Edition.Text(p)
	}
	f.Findings = postFindings(svc.Findings(work), work.Title, work.Summary, work.Body)
	if f.Cover, err = h.cover(c.UserContext(), t, p); err != nil {
		return err
	}
	if !postCanEdit(p, ActorFor(h.Authz, c, t)) {
		f.Error = "Bạn không thể sửa bài ở trạng thái “" + p.Status.Label() + "”; chỉ biên tập viên mới sửa được bài đã gửi duyệt."
	}
	return h.render(c, fiber.StatusOK, "console/post_edit", f)
}

func (h *Console) postSave(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	cur, err := Get(ctx, svc.DB, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	f, names, err := h.newPostForm(c, t, cur)
	if err != nil {
		return err
	}
	in, err := postInput(c)
	if cur.Type == TypeRepublished {
		// The form shows a republished item's text without inputs and
		// sends only what its lock leaves free: the text it does not send
		// is the stored one. Text that is sent anyway goes to the service,
		// which refuses any change to it (checkLock).
		locked := InputOf(cur)
		keep := func(v *string, stored string) {
			if *v == "" {
				*v = stored
			}
		}
		keep(&in.Title, locked.Title)
		keep(&in.Summary, locked.Summary)
		keep(&in.Body, locked.Body)
		keep(&in.Byline, locked.Byline)
		if in.Type == "" {
			in.Type = locked.Type
		}
	}
	f.fill(names, in)
	f.Body = svc.Sanitizer.Clean(in.Body) // shown again as it would be saved
	if xerr := h.extend(c, t, cur, &in, f); err == nil {
		err = xerr
	}
	base, _ := strconv.Atoi(c.FormValue("version"))
	f.Version = base
	if err != nil {
		return h.postFormError(c, f, err)
	}
	if base <= 0 {
		return h.postFormError(c, f, errs.Invalid("version", "version_required", "Thiếu số phiên bản của bản đang sửa; hãy tải lại trang sửa bài"))
	}
	p, err := svc.Update(ctx, t, ActorFor(h.Authz, c, t), cur.ID, base, in)
	var conflict *ConflictError
	if errors.As(err, &conflict) {
		return h.postConflict(c, f, svc, conflict, in)
	}
	if err != nil {
		return h.postFormError(c, f, err)
	}
	what, shown := "Đã lưu", p
	if p.Edition != nil {
		shown = p.Edition.Text(p)
		what = "Đã lưu bản sửa; trang công khai vẫn hiển thị bản đang đăng cho đến khi bản sửa được duyệt và đăng"
	} else if cur.Status != p.Status {
		what = "Đã lưu; bài đã duyệt nay được sửa nên quay lại chờ duyệt"
	}
	return redirectWith(c, "/t/"+t.Slug+"/bai-viet/"+p.ID, "ok", savedText(shown, what))
}
