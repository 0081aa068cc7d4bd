package crosspost

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post"
)

func (a *API) pull(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	var b struct {
		Tenant    string `json:"tenant"`
		Post      string `json:"post"`
		Publish   bool   `json:"publish"`
		Note      string `json:"note"`
		Agreement string `json:"agreement"`
	}
	if err := decode(c, &b); err != nil {
		return err
	}
	if b.Tenant == "" || b.Post == "" {
		return errs.Invalid("post", "post_required", "Cần chọn đơn vị (tenant) và bài viết (post) để lấy")
	}
	sub, _, err := a.Service.Pull(c.UserContext(), t, actor, PullInput{b.Tenant, b.Post, b.Publish, b.Note, b.Agreement})
	if err != nil {
		return err
	}
	return a.one(c, fiber.StatusCreated, t.ID, sub.ID)
}

// CandidateView is an item offered for pulling.
type CandidateView struct {
	From        TenantRef  `json:"from"`
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Type        post.Type  `json:"type"`
	URL         string     `json:"url"`
	PublishedAt *time.Time `json:"published_at"`
	// Submission is the item's live submission state, "" when free to pull.
	Submission State `json:"submission"`
}

func (a *API) candidates(c *fiber.Ctx) error {
	t, _ := a.tenant(c)
	offset, _ := strconv.Atoi(c.Query("cursor"))
	f := CandidateFilter{Tenant: c.Query("tenant"), Query: c.Query("q"), Field: c.Query("field"), Type: post.Type(c.Query("type")), Limit: 30, Offset: offset}
	cs, err := a.Service.Candidates(c.UserContext(), t, f)
	if err != nil {
		return err
	}
	url := a.urlFor(c)
	items := make([]CandidateView, 0, len(cs))
	for _, x := range cs {
		v := CandidateView{From: TenantRef{x.From.Slug, x.From.Name}, ID: x.Post.ID, Title: x.Post.Title, Summary: x.Post.Summary,
			Type: x.Post.Type, URL: url(x.From, x.Post), PublishedAt: x.Post.PublishedAt}
		if x.Taken != nil {
			v.Submission = x.Taken.State
		}
		items = append(items, v)
	}
	next := ""
	if len(cs) == f.Limit {
		next = strconv.Itoa(f.Offset + f.Limit)
	}
	return c.JSON(fiber.Map{"items": items, "next": next})
}

func (a *API) agreements(c *fiber.Ctx) error {
	t, _ := a.tenant(c)
	as, err := post.Agreements(c.UserContext(), a.Service.DB, t.ID)
	if err != nil {
		return err
	}
	now := a.Service.now()
	items := make([]AgreementView, 0, len(as))
	for i := range as {
		items = append(items, ViewAgreement(&as[i], now))
	}
	return c.JSON(fiber.Map{"items": items, "next": ""})
}

func (a *API) addAgreement(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	var in AgreementInput
	if err := decode(c, &in); err != nil {
		return err
	}
	ag, err := a.Service.AddAgreement(c.UserContext(), t, actor, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(ViewAgreement(ag, a.Service.now()))
}

func (a *API) agreement(c *fiber.Ctx) error {
	t, _ := a.tenant(c)
	ag, err := post.GetAgreement(c.UserContext(), a.Service.DB, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(ViewAgreement(ag, a.Service.now()))
}

func (a *API) updateAgreement(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	var p AgreementPatch
	if err := web.DecodeJSON(c, &p); err != nil {
		return err
	}
	ag, err := a.Service.UpdateAgreement(c.UserContext(), t, actor, c.Params("id"), p)
	if err != nil {
		return err
	}
	return c.JSON(ViewAgreement(ag, a.Service.now()))
}

func (a *API) expireAgreement(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	ag, err := a.Service.ExpireAgreement(c.UserContext(), t, actor, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(ViewAgreement(ag, a.Service.now()))
}

// DiffView is the API's comparison of a copy with its original.
type DiffView struct {
	SourceChanged bool      `json:"source_changed"`
	From          TenantRef `json:"from"`
	OriginPost    string    `json:"origin_post"`
	OriginStatus  string    `json:"origin_status"`
	Revision      int       `json:"origin_revision"`
	Title         []Part    `json:"title"`
	Summary       []Part    `json:"summary"`
	Body          []Part    `json:"body"`
}

func (a *API) sourceDiff(c *fiber.Ctx) error {
	t, _ := a.tenant(c)
	d, err := a.Service.Diff(c.UserContext(), t, c.Params("id"))
	if err != nil {
		return err
	}
	v := DiffView{SourceChanged: d.Changed, From: TenantRef{d.From.Slug, d.From.Name}, OriginPost: *d.Copy.OriginPostID,
		Revision: d.Copy.OriginRevision, Title: d.Title, Summary: d.Summary, Body: d.Body}
	if d.Original != nil {
		v.OriginStatus = string(d.Original.Status)
	}
	return c.JSON(v)
}

func (a *API) sourceUpdate(c *fiber.Ctx) error {
	t, actor := a.tenant(c)
	p, err := a.Service.UpdateFromSource(c.UserContext(), t, actor, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": p.ID, "version": p.Version, "source_changed": false, "origin_revision": p.OriginRevision})
}
