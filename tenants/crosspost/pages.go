package crosspost

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
)

// SentPage is "Đã gửi lên Sở": what the tenant sent up, the state of each
// and where it lives upstream, and the items it may send now.
type SentPage struct {
	Shell    any
	Tenant   *tenancy.Tenant
	Parent   *tenancy.Tenant
	Rows     []Row
	Sendable []*post.Post
	CanSend  bool
}

func (h *Console) sentPage(c *fiber.Ctx) error {
	t, actor, sh, err := h.page(c, PathSent)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	subs, err := Outbox(ctx, h.Service.DB, t.ID, Filter{Limit: 100})
	if err != nil {
		return err
	}
	p := SentPage{Shell: sh, Tenant: t, CanSend: actor.Can(authz.PostSubmitParent)}
	if t.ParentID != nil {
		p.Parent, _ = h.Registry.ByID(*t.ParentID)
	}
	if p.Rows, err = h.rows(c, subs); err != nil {
		return err
	}
	for i := range p.Rows {
		if d := p.Rows[i].Copy; d != nil {
			p.Rows[i].CopyURL = post.PublicURL(c, p.Rows[i].To, d, h.BaseDomain)
		}
	}
	statuses := []post.Status{post.StatusApproved, post.StatusScheduled, post.StatusPublished}
	if !t.HasSite || t.Kind == tenancy.KindOffice || t.Kind == tenancy.KindUnion {
		statuses = append(statuses, post.StatusDraft, post.StatusSubmitted, post.StatusReturned)
	}
	if p.Parent == nil || !p.CanSend {
		return h.Renderer.Render(c, fiber.StatusOK, "console/inbox_sent", p)
	}
	ps, err := post.List(ctx, h.Service.DB, t.ID, post.Filter{Statuses: statuses, Limit: 50})
	if err != nil {
		return err
	}
	for _, x := range ps {
		if cur, err := liveByItem(ctx, h.Service.DB, t.ID, x.ID, false); err != nil {
			return err
		} else if cur == nil {
			p.Sendable = append(p.Sendable, x)
		}
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/inbox_sent", p)
}

func (h *Console) sendForm(c *fiber.Ctx) error {
	t, actor, _, err := h.page(c, PathSent)
	if err != nil {
		return err
	}
	sent := "/t/" + t.Slug + PathSent
	back := sent
	if c.FormValue("from") == "item" {
		// Sent from the item's page: a refusal is said there, where the
		// item can be fixed, not on the list of sent items.
		back = "/t/" + t.Slug + "/bai-viet/" + url.PathEscape(c.Params("id"))
	}
	_, err = h.Service.Send(c.UserContext(), t, actor, c.Params("id"), c.FormValue("note"))
	var lintErr *post.LintError
	if errors.As(err, &lintErr) {
		return redirectWith(c, back, "error", "Bài còn "+strconv.Itoa(len(lintErr.Findings))+" lỗi trình bày; hãy sửa trước khi gửi.")
	}
	if err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, sent, "ok", "Đã gửi bài lên Ban Biên tập cấp trên.")
}

// DiffPage shows a copy beside its original: "Bài gốc đã thay đổi".
type DiffPage struct {
	Shell     any
	Tenant    *tenancy.Tenant
	Diff      *SourceDiff
	CanUpdate bool
}

func (h *Console) diffPage(c *fiber.Ctx) error {
	t, actor, sh, err := h.page(c, "/bai-viet")
	if err != nil {
		return err
	}
	d, err := h.Service.Diff(c.UserContext(), t, c.Params("id"))
	if err != nil {
		return err
	}
	p := DiffPage{Shell: sh, Tenant: t, Diff: d,
		CanUpdate: actor.Can(authz.PostEditAny) && d.Original != nil && d.Copy.Type != post.TypeRepublished}
	return h.Renderer.Render(c, fiber.StatusOK, "console/inbox_diff", p)
}

func (h *Console) updateForm(c *fiber.Ctx) error {
	t, actor, _, err := h.page(c, "/bai-viet")
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + "/bai-viet/" + c.Params("id")
	p, err := h.Service.UpdateFromSource(c.UserContext(), t, actor, c.Params("id"))
	if err != nil {
		return formError(c, back+"/bai-goc", err)
	}
	msg := "Đã cập nhật theo bài gốc (phiên bản " + strconv.Itoa(p.Version) + ")."
	if p.Edition != nil {
		msg = "Đã đưa nội dung mới của bài gốc vào bản sửa (phiên bản " + strconv.Itoa(p.Version) + "); bản sửa lên trang khi được duyệt và đăng."
	}
	return redirectWith(c, back, "ok", msg)
}

// PullPage lists descendants' published items to pull.
type PullPage struct {
	Shell       any
	Tenant      *tenancy.Tenant
	Filter      CandidateFilter
	Candidates  []Candidate
	Descendants []*tenancy.Tenant
	Fields      []tenancy.Field
	Types       []post.Type
	CanPublish  bool
	Next        string
}

func (h *Console) pullPage(c *fiber.Ctx) error {
	t, actor, sh, err := h.page(c, PathPull)
	if err != nil {
		return err
	}
	offset, _ := strconv.Atoi(c.Query("tu"))
	f := CandidateFilter{Tenant: c.Query("tenant"), Query: c.Query("q"), Field: c.Query("field"), Type: post.Type(c.Query("type")), Limit: 30, Offset: offset}
	p := PullPage{Shell: sh, Tenant: t, Filter: f, Descendants: h.Service.descendants(t.ID), Types: post.Types,
		CanPublish: actor.Can(authz.PostPublish) && t.HasSite}
	if p.Candidates, err = h.Service.Candidates(c.UserContext(), t, f); err != nil {
		return err
	}
	if len(p.Candidates) == f.Limit {
		p.Next = strconv.Itoa(f.Offset + f.Limit)
	}
	if p.Fields, err = tenancy.Fields(c.UserContext(), h.Service.DB); err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/pull", p)
}

func (h *Console) pullForm(c *fiber.Ctx) error {
	t, actor, _, err := h.page(c, PathPull)
	if err != nil {
		return err
	}
	in := PullInput{Tenant: c.FormValue("tenant"), Post: c.FormValue("post"), Publish: c.FormValue("publish") == "1",
		Note: c.FormValue("note"), Agreement: c.FormValue("agreement")}
	_, cp, err := h.Service.Pull(c.UserContext(), t, actor, in)
	if err != nil {
		return formError(c, "/t/"+t.Slug+PathPull, err)
	}
	return redirectWith(c, "/t/"+t.Slug+"/bai-viet/"+cp.ID, "ok", "Đã lấy bài về đơn vị.")
}

// AgreementsPage is the register of reuse agreements.
type AgreementsPage struct {
	Shell     any
	Tenant    *tenancy.Tenant
	Items     []AgreementView
	CanManage bool
	// A refused new entry: the message, the field it names and what was
	// typed, shown again in the form.
	Error, ErrorField string
	Typed             AgreementInput
}

func (h *Console) agreementsPage(c *fiber.Ctx) error {
	t, actor, sh, err := h.page(c, PathAgreements)
	if err != nil {
		return err
	}
	p, err := h.register(c, t, actor, sh)
	if err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/agreements", p)
}

// register is the agreements page's data.
func (h *Console) register(c *fiber.Ctx, t *tenancy.Tenant, actor post.Actor, sh any) (AgreementsPage, error) {
	as, err := post.Agreements(c.UserContext(), h.Service.DB, t.ID)
	if err != nil {
		return AgreementsPage{}, err
	}
	p := AgreementsPage{Shell: sh, Tenant: t, CanManage: actor.Can(authz.AgreementManage)}
	for i := range as {
		p.Items = append(p.Items, ViewAgreement(&as[i], h.Service.now()))
	}
	return p, nil
}

func (h *Console) agreementForm(c *fiber.Ctx) error {
	t, actor, sh, err := h.page(c, PathAgreements)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + PathAgreements
	in := AgreementInput{Outlet: c.FormValue("outlet"), Reference: c.FormValue("reference"), SignedOn: c.FormValue("signed_on"),
		ExpiresOn: c.FormValue("expires_on"), Scope: c.FormValue("scope")}
	if _, err := h.Service.AddAgreement(c.UserContext(), t, actor, in); err != nil {
		switch errs.KindOf(err) {
		case errs.KindInvalid, errs.KindConflict:
			// The form again, with what was typed and the field named.
			p, rerr := h.register(c, t, actor, sh)
			if rerr != nil {
				return rerr
			}
			_, p.Error, p.ErrorField = errs.Public(err)
			p.Typed = in
			return h.Renderer.Render(c, fiber.StatusUnprocessableEntity, "console/agreements", p)
		}
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã thêm thỏa thuận vào sổ.")
}

func (h *Console) agreementEditForm(c *fiber.Ctx) error {
	t, actor, _, err := h.page(c, PathAgreements)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + PathAgreements
	field := func(k string) *string { v := c.FormValue(k); return &v }
	p := AgreementPatch{Outlet: field("outlet"), Reference: field("reference"), SignedOn: field("signed_on"),
		ExpiresOn: field("expires_on"), Scope: field("scope")}
	if _, err := h.Service.UpdateAgreement(c.UserContext(), t, actor, c.Params("id"), p); err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã sửa thỏa thuận.")
}

func (h *Console) agreementExpireForm(c *fiber.Ctx) error {
	t, actor, _, err := h.page(c, PathAgreements)
	if err != nil {
		return err
	}
	back := "/t/" + t.Slug + PathAgreements
	if _, err := h.Service.ExpireAgreement(c.UserContext(), t, actor, c.Params("id")); err != nil {
		return formError(c, back, err)
	}
	return redirectWith(c, back, "ok", "Đã chấm dứt thỏa thuận từ hôm nay.")
}
