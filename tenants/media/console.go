package media

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
)

// LibraryPath is the console path of a tenant's media library, under
// /t/<slug>.
const LibraryPath = "/thu-vien"

// UploadRoutes are the routes whose bodies are uploads: streamed, and
// bounded by the media limit rather than the small limit of every other
// route (web.Options.Uploads).
var UploadRoutes = []web.Route{"POST /api/v1/tenants/:slug/media", "POST /t/:slug" + LibraryPath}

// Console serves the media library pages of the editorial console.
type Console struct {
	Service    *Service
	Authz      *authz.Enforcer
	Registry   *tenancy.Registry
	Renderer   *web.Renderer
	BaseDomain string
	// Shell builds the console layout data (switcher, menu, flash) of a
	// page, normally the console package's; nil gives a minimal one. It
	// returns any so that this package does not import the console, which
	// sits above it.
	Shell web.ShellFunc
}

// ConsoleRoutes registers the library pages; each declares its permission.
//
//	GET  /t/:slug/thu-vien             tenant:view    grid, search, filters, upload form
//	POST /t/:slug/thu-vien             media:upload   multipart upload
//	GET  /t/:slug/thu-vien/chon        tenant:view    the images, as JSON, for the editor's picker
//	GET  /t/:slug/thu-vien/:id         tenant:view    one media: preview, usage, edit form
//	POST /t/:slug/thu-vien/:id         media:manage   save alt, caption, credit
//	POST /t/:slug/thu-vien/:id/xoa     media:manage   delete
//	GET  /t/:slug/thu-vien/:id/tep/*   tenant:view    the file, for previews on the admin host
//	GET  /media/:id/*                  signed in      a picture of an item body, as the site
//	                                                  address says, for the tenants the
//	                                                  account reads (see consoleMedia)
func (h *Console) Routes(r fiber.Router) {
	az := h.Authz
	base := "/t/:slug" + LibraryPath
	r.Get(base, az.Require(authz.TenantView, h.bySlug), h.library)
	r.Post(base, az.Require(authz.MediaUpload, h.bySlug), h.upload)
	r.Get(base+"/chon", az.Require(authz.TenantView, h.bySlug), h.pick)
	r.Get(base+"/:id", az.Require(authz.TenantView, h.bySlug), h.detail)
	r.Post(base+"/:id", az.Require(authz.MediaManage, h.bySlug), h.save)
	r.Post(base+"/:id/xoa", az.Require(authz.MediaManage, h.bySlug), h.remove)
	r.Get(base+"/:id/tep/*", az.Require(authz.TenantView, h.bySlug), h.file)
	r.Get("/media/:id/*", authz.RequireAuthenticated(), h.consoleMedia)
}

// consoleMedia serves the /media/ addresses that item bodies carry (they
// are site-relative, so on the admin host the editor, the item page and
// the Department's inbox ask the admin host for them). The media is looked
// up among the tenants the account may read: those it holds tenant:view
// in, and the children of those whose inbox it reads (the Department's
// board sees the pictures of items its units send). Anything else is not
// found, as on a site that does not hold it.
func (h *Console) consoleMedia(c *fiber.Ctx) error {
	id := c.Params("id")
	if !validID(id) {
		return errNotFound()
	}
	who := web.Account(c).AccountID
	var readable []string
	for _, t := range h.Registry.All() {
		if h.Authz.Allowed(who, t.ID, authz.TenantView) ||
			t.ParentID != nil && h.Authz.Allowed(who, *t.ParentID, authz.InboxView) {
			readable = append(readable, t.ID)
		}
	}
	if len(readable) == 0 {
		return errNotFound()
	}
	var tenantID string
	err := h.Service.db.NewSelect().Model((*Media)(nil)).Column("tenant_id").
		Where("m.tenant_id IN (?)", bun.List(readable)).Where("m.id = ?", id).Limit(1).
		Scan(c.UserContext(), &tenantID)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound()
	}
	if err != nil {
		return fmt.Errorf("find media %s: %w", id, err)
	}
	return h.Service.serve(c, tenantID, id, c.Params("*"), "private, max-age=3600")
}

func (h *Console) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(h.Registry, c) }

// tenant is the :slug tenant the route's guard checked.
func (h *Console) tenant(c *fiber.Ctx) *tenancy.Tenant { return authz.Tenant(c) }

func (h *Console) can(c *fiber.Ctx, t *tenancy.Tenant, p authz.Permission) bool {
	return h.Authz.Allowed(web.Account(c).AccountID, t.ID, p)
}

// shell returns the layout data of a page: the console's (Shell), or
// none when the library runs without the console (the layout then shows
// no menu).
func (h *Console) shell(c *fiber.Ctx, t *tenancy.Tenant) (any, error) {
	if h.Shell == nil {
		return nil, nil
	}
	return h.Shell(c, t, LibraryPath)
}

// notice is the message shown after a redirect (?ok=…).
func notice(code string) string {
	switch code {
	case "tai-len":
		return "Đã tải tệp lên thư viện."
	case "luu":
		return "Đã lưu thông tin của tệp."
	case "xoa":
		return "Đã xóa tệp khỏi thư viện."
	}
	return ""
}

// fileURL is the console address of a media file (for previews).
func fileURL(t *tenancy.Tenant, m *Media, rest string) string {
	return "/t/" + t.Slug + LibraryPath + "/" + m.ID + "/tep/" + rest
}

// Thumb is the address of an image's preview in the console (on the
// admin host, where /media/ is not served).
func Thumb(t *tenancy.Tenant, m *Media) string {
	src, _ := thumb(t, m)
	return src
}

// thumb is the preview of an image in the console: src, srcset.
func thumb(t *tenancy.Tenant, m *Media) (src, srcset string) {
	if m.Kind != KindImage {
		return "", ""
	}
	src = fileURL(t, m, m.FileName())
	var parts []string
	for _, r := range m.Renditions {
		parts = append(parts, fileURL(t, m, "r/"+strconv.Itoa(r.Width)+"."+r.Format)+" "+strconv.Itoa(r.Width)+"w")
		if r.Width <= 640 {
			src = fileURL(t, m, "r/"+strconv.Itoa(r.Width)+"."+r.Format)
		}
	}
	if len(parts) > 0 {
		parts = append(parts, fileURL(t, m, m.FileName())+" "+strconv.Itoa(m.Width)+"w")
	}
	return src, strings.Join(parts, ", ")
}

// file serves a media of the tenant on the admin host, privately.
func (h *Console) file(c *fiber.Ctx) error {
	return h.Service.serve(c, h.tenant(c).ID, c.Params("id"), c.Params("*"), "private, max-age=3600")
}

// refusal returns the status and message of an error a form shows, or
// ok=false for failures the error handler must answer.
func refusal(err error) (status int, message string, ok bool) {
	switch errs.KindOf(err) {
	case errs.KindInvalid, errs.KindConflict, errs.KindNotFound, errs.KindForbidden, errs.KindUnavailable:
		_, msg, _ := errs.Public(err)
		return web.Status(err), msg, true
	}
	return 0, "", false
}
