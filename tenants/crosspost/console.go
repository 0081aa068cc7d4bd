package crosspost

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post"
)

// ShellFunc builds the console layout's data (account, tenant switcher,
// menu, flash) for a page of tenant t; active is the menu path. It is the
// console's web.ShellFunc (console.Handler.Layout).
type ShellFunc = web.ShellFunc

// Console serves the console pages: the inbox ("Hộp thư đến"), what a
// tenant sent up ("Đã gửi lên Sở"), pulling, the agreement register and a
// copy's comparison with its original.
type Console struct {
	Service    *Service
	Authz      *authz.Enforcer
	Registry   *tenancy.Registry
	Renderer   *web.Renderer
	Shell      ShellFunc
	BaseDomain string
}

// Menu paths (after /t/<slug>).
const (
	PathInbox      = "/hop-thu"
	PathSent       = "/da-gui"
	PathPull       = "/lay-bai"
	PathAgreements = "/thoa-thuan"
)

// Routes registers the pages; each declares its permission.
func (h *Console) Routes(app fiber.Router) {
	az, by := h.Authz, h.bySlug
	app.Get("/t/:slug"+PathInbox, az.Require(authz.InboxView, by), h.inboxPage)
	app.Get("/t/:slug"+PathInbox+"/:id", az.Require(authz.InboxView, by), h.inboxItem)
	app.Post("/t/:slug"+PathInbox+"/:id/nhan", az.Require(authz.InboxDecide, by), h.acceptForm)
	app.Post("/t/:slug"+PathInbox+"/:id/tra-lai", az.Require(authz.InboxDecide, by), h.returnForm)
	app.Post("/t/:slug"+PathInbox+"/:id/tu-choi", az.Require(authz.InboxDecide, by), h.refuseForm)
	app.Get("/t/:slug"+PathSent, az.Require(authz.TenantView, by), h.sentPage)
	app.Post("/t/:slug/bai-viet/:id/gui-so", az.Require(authz.PostSubmitParent, by), h.sendForm)
	app.Get("/t/:slug/bai-viet/:id/bai-goc", az.Require(authz.TenantView, by), h.diffPage)
	app.Post("/t/:slug/bai-viet/:id/bai-goc/cap-nhat", az.Require(authz.PostEditAny, by), h.updateForm)
	app.Get("/t/:slug"+PathPull, az.Require(authz.PullCreate, by), h.pullPage)
	app.Post("/t/:slug"+PathPull, az.Require(authz.PullCreate, by), h.pullForm)
	app.Get("/t/:slug"+PathAgreements, az.Require(authz.TenantView, by), h.agreementsPage)
	app.Post("/t/:slug"+PathAgreements, az.Require(authz.AgreementManage, by), h.agreementForm)
	app.Post("/t/:slug"+PathAgreements+"/:id", az.Require(authz.AgreementManage, by), h.agreementEditForm)
	app.Post("/t/:slug"+PathAgreements+"/:id/cham-dut", az.Require(authz.AgreementManage, by), h.agreementExpireForm)
}

func (h *Console) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(h.Registry, c) }

// page is what every handler starts with: the tenant, the actor and the
// layout data.
func (h *Console) page(c *fiber.Ctx, active string) (*tenancy.Tenant, post.Actor, any, error) {
	t := authz.Tenant(c)
	if t == nil {
		return nil, post.Actor{}, nil, errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
	}
	sh, err := h.Shell(c, t, active)
	return t, post.ActorFor(h.Authz, c, t), sh, err
}

// redirectWith sends the browser to path with a one-time message
// (web.RedirectWithFlash; the console's layout shows it).
func redirectWith(c *fiber.Ctx, path, kind, text string) error {
	return web.RedirectWithFlash(c, path, kind, text)
}

// formError shows a user's mistake on the page it came from; real
// failures go to the error handler.
func formError(c *fiber.Ctx, back string, err error) error {
	switch errs.KindOf(err) {
	case errs.KindInvalid, errs.KindConflict, errs.KindForbidden, errs.KindUnavailable:
		_, msg, _ := errs.Public(err)
		return redirectWith(c, back, "error", msg)
	}
	return err
}

// Waited writes a duration the way the boards speak: "2 ngày 3 giờ".
func Waited(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "vừa xong"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + " phút"
	case d < 24*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + " giờ " + strconv.Itoa(int(d%time.Hour/time.Minute)) + " phút"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + " ngày " + strconv.Itoa(int(d%(24*time.Hour)/time.Hour)) + " giờ"
}

// fieldNames maps field codes to their Vietnamese names.
func fieldNames(fs []tenancy.Field, codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		name := c
		for _, f := range fs {
			if f.Code == c {
				name = f.Name
			}
		}
		out = append(out, name)
	}
	return out
}
