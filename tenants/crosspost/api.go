package crosspost

import (
	"bytes"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post"
)

// API serves the cross-posting routes under /api/v1.
type API struct {
	Service    *Service
	Authz      *authz.Enforcer
	Registry   *tenancy.Registry
	BaseDomain string
}

// Routes registers the routes; each declares its permission in the
// tenant of the :slug parameter (the sender for /send and /submissions,
// the receiver for the inbox and pulling).
func (a *API) Routes(r fiber.Router) {
	az, by := a.Authz, a.bySlug
	r.Post("/tenants/:slug/posts/:id/send", az.Require(authz.PostSubmitParent, by), a.send)
	r.Get("/tenants/:slug/posts/:id/source", az.Require(authz.TenantView, by), a.sourceDiff)
	r.Post("/tenants/:slug/posts/:id/source/update", az.Require(authz.PostEditAny, by), a.sourceUpdate)
	r.Get("/tenants/:slug/submissions", az.Require(authz.TenantView, by), a.outbox)
	r.Get("/tenants/:slug/inbox", az.Require(authz.InboxView, by), a.inbox)
	r.Get("/tenants/:slug/inbox/:id", az.Require(authz.InboxView, by), a.inboxItem)
	r.Post("/tenants/:slug/inbox/:id/accept", az.Require(authz.InboxDecide, by), a.accept)
	r.Post("/tenants/:slug/inbox/:id/return", az.Require(authz.InboxDecide, by), a.giveBack)
	r.Post("/tenants/:slug/inbox/:id/refuse", az.Require(authz.InboxDecide, by), a.refuse)
	r.Get("/tenants/:slug/pull", az.Require(authz.PullCreate, by), a.candidates)
	r.Post("/tenants/:slug/pull", az.Require(authz.PullCreate, by), a.pull)
	r.Get("/tenants/:slug/agreements", az.Require(authz.TenantView, by), a.agreements)
	r.Post("/tenants/:slug/agreements", az.Require(authz.AgreementManage, by), a.addAgreement)
	r.Get("/tenants/:slug/agreements/:id", az.Require(authz.TenantView, by), a.agreement)
	r.Patch("/tenants/:slug/agreements/:id", az.Require(authz.AgreementManage, by), a.updateAgreement)
	r.Post("/tenants/:slug/agreements/:id/expire", az.Require(authz.AgreementManage, by), a.expireAgreement)
}

func (a *API) bySlug(c *fiber.Ctx) (*tenancy.Tenant, error) { return web.SlugTenant(a.Registry, c) }

// tenant is the :slug tenant the route's guard checked, and its actor.
func (a *API) tenant(c *fiber.Ctx) (*tenancy.Tenant, post.Actor) {
	t := authz.Tenant(c)
	return t, post.ActorFor(a.Authz, c, t)
}

func decode(c *fiber.Ctx, v any) error {
	if len(bytes.TrimSpace(c.Body())) == 0 {
		return nil
	}
	return web.DecodeJSON(c, v)
}

// urlFor builds public addresses with the request's port (development).
func (a *API) urlFor(c *fiber.Ctx) func(t *tenancy.Tenant, p *post.Post) string {
	return func(t *tenancy.Tenant, p *post.Post) string { return post.PublicURL(c, t, p, a.BaseDomain) }
}

func (a *API) views(c *fiber.Ctx, subs []Submission, limit, offset int) error {
	ds, err := a.Service.Details(c.UserContext(), subs)
	if err != nil {
		return err
	}
	now, url := a.Service.now(), a.urlFor(c)
	items := make([]View, 0, len(ds))
	for i := range ds {
		items = append(items, ViewOf(&ds[i], now, url))
	}
	next := ""
	if len(subs) == limit {
		next = strconv.Itoa(offset + limit)
	}
	return c.JSON(fiber.Map{"items": items, "next": next})
}

func (a *API) one(c *fiber.Ctx, status int, parentID, id string) error {
	d, err := a.Service.Detailed(c.UserContext(), parentID, id)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(ViewOf(d, a.Service.now(), a.urlFor(c)))
}

// filter reads the list filters of the query string.
func (a *API) filter(c *fiber.Ctx) (Filter, error) {
	f := Filter{Field: c.Query("field"), Type: post.Type(c.Query("type")), State: State(c.Query("state")),
		Origin: Origin(c.Query("origin")), Week: c.Query("week"), Post: c.Query("post"), Limit: 50}
	f.Offset, _ = strconv.Atoi(c.Query("cursor"))
	if s := c.Query("sender"); s != "" {
		t, ok := a.Registry.BySlug(s)
		if !ok {
			return f, errs.Invalid("sender", "sender_unknown", "Không có đơn vị gửi này")
		}
		f.Sender = t.ID
	}
	if f.Week != "" {
		if _, err := WeekStart(f.Week); err != nil {
			return f, err
		}
	}
	return f, nil
}

func (a *API) send(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	var b struct {
		Note string `json:"note"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	sub, err := a.Service.Send(c.UserContext(), t, actor, c.Params("id"), b.Note)
	var lintErr *post.LintError
	if errors.As(err, &lintErr) {
		code, msg, field := errs.Public(err)
		return c.Status(fiber.StatusUnprocessableEntity).JSON(fiber.Map{
			"error": fiber.Map{"code": code, "message": msg, "field": field}, "lint": lintErr.Findings})
	}
	if err != nil {
		return err
	}
	ds, err := a.Service.Details(c.UserContext(), []Submission{*sub})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ViewOf(&ds[0], a.Service.now(), a.urlFor(c)))
}

func (a *API) inbox(c *fiber.Ctx) error {
	t, _ := a.tenant(c)
	f, err := a.filter(c)
	if err != nil {
		return err
	}
	subs, err := Inbox(c.UserContext(), a.Service.DB, t.ID, f)
	if err != nil {
		return err
	}
	return a.views(c, subs, f.Limit, f.Offset)
}

func (a *API) outbox(c *fiber.Ctx) error {
	t, _ := a.tenant(c)
	f, err := a.filter(c)
	if err != nil {
		return err
	}
	subs, err := Outbox(c.UserContext(), a.Service.DB, t.ID, f)
	if err != nil {
		return err
	}
	return a.views(c, subs, f.Limit, f.Offset)
}

func (a *API) inboxItem(c *fiber.Ctx) error {
	t, _ := a.tenant(c)
	return a.one(c, fiber.StatusOK, t.ID, c.Params("id"))
}

func (a *API) accept(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	var b struct {
		Publish   bool   `json:"publish"`
		Note      string `json:"note"`
		Agreement string `json:"agreement"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	sub, _, err := a.Service.Accept(c.UserContext(), t, actor, c.Params("id"), AcceptInput{b.Publish, b.Note, b.Agreement})
	if err != nil {
		return err
	}
	return a.one(c, fiber.StatusOK, t.ID, sub.ID)
}

func (a *API) giveBack(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	var b struct {
		Note string `json:"note"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	sub, err := a.Service.Return(c.UserContext(), t, actor, c.Params("id"), b.Note)
	if err != nil {
		return err
	}
	return a.one(c, fiber.StatusOK, t.ID, sub.ID)
}

func (a *API) refuse(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	var b struct {
		Reason Reason `json:"reason"`
		Note   string `json:"note"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	sub, err := a.Service.Refuse(c.UserContext(), t, actor, c.Params("id"), b.Reason, b.Note)
	if err != nil {
		return err
	}
	return a.one(c, fiber.StatusOK, t.ID, sub.ID)
}
