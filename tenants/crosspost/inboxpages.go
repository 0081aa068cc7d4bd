package crosspost

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post"
)

// Row is a submission as the console lists it.
type Row struct {
	Detail
	Waited     string
	FieldNames []string
	// CopyURL is the copy's console page (receiver) or public page.
	CopyURL string
}

// InboxPage is "Hộp thư đến".
type InboxPage struct {
	Shell     any
	Tenant    *tenancy.Tenant
	Rows      []Row
	Filter    Filter
	WeekValue string
	// Weeks are the weeks the filter offers, newest first, by their
	// Vietnamese names (a typed "YYYY-Www" was ignored when mistyped).
	Weeks     []WeekChoice
	Senders   []*tenancy.Tenant
	Fields    []tenancy.Field
	Types     []post.Type
	States    []State
	CanDecide bool
}

// InboxItemPage is one submission with its text, findings and history.
type InboxItemPage struct {
	Shell      any
	Tenant     *tenancy.Tenant
	Row        Row
	Body       template.HTML
	Findings   int
	Reasons    []Reason
	CanDecide  bool
	CanPublish bool
	// Agreements are the tenant's valid reuse agreements, offered when
	// it accepts a republished item.
	Agreements []post.PostOption
}

// rows completes details for the console.
func (h *Console) rows(c *fiber.Ctx, subs []Submission) ([]Row, error) {
	ds, err := h.Service.Details(c.UserContext(), subs)
	if err != nil {
		return nil, err
	}
	fs, err := tenancy.Fields(c.UserContext(), h.Service.DB)
	if err != nil {
		return nil, err
	}
	now := h.Service.now()
	out := make([]Row, 0, len(ds))
	for _, d := range ds {
		r := Row{Detail: d, Waited: Waited(d.Waited(now))}
		if d.Post != nil {
			r.FieldNames = fieldNames(fs, d.Post.Fields)
		}
		if d.Copy != nil {
			r.CopyURL = "/t/" + d.To.Slug + "/bai-viet/" + d.Copy.ID
		}
		out = append(out, r)
	}
	return out, nil
}

func (h *Console) inboxPage(c *fiber.Ctx) error {
	t, actor, sh, err := h.page(c, PathInbox)
	if err != nil {
		return err
	}
	f := Filter{Field: c.Query("field"), Type: post.Type(c.Query("type")), State: State(c.Query("state")), Week: c.Query("week"), Limit: 100}
	if s, ok := h.Registry.BySlug(c.Query("sender")); ok {
		f.Sender = s.ID
	}
	if _, err := WeekStart(f.Week); f.Week != "" && err != nil {
		f.Week = ""
	}
	subs, err := Inbox(c.UserContext(), h.Service.DB, t.ID, f)
	if err != nil {
		return err
	}
	p := InboxPage{Shell: sh, Tenant: t, Filter: f, WeekValue: f.Week, Weeks: inboxWeeks(time.Now(), f.Week), Types: post.Types, States: States, CanDecide: actor.Can(authz.InboxDecide)}
	if p.Rows, err = h.rows(c, subs); err != nil {
		return err
	}
	for _, x := range h.Registry.All() {
		if x.ParentID != nil && *x.ParentID == t.ID {
			p.Senders = append(p.Senders, x)
		}
	}
	if p.Fields, err = tenancy.Fields(c.UserContext(), h.Service.DB); err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/inbox", p)
}

func (h *Console) inboxItem(c *fiber.Ctx) error {
	t, actor, sh, err := h.page(c, PathInbox)
	if err != nil {
		return err
	}
	d, err := h.Service.Detailed(c.UserContext(), t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	rs, err := h.rows(c, []Submission{d.Submission})
	if err != nil {
		return err
	}
	rs[0].History = d.History
	p := InboxItemPage{Shell: sh, Tenant: t, Row: rs[0], Reasons: Reasons, CanDecide: actor.Can(authz.InboxDecide),
		CanPublish: actor.Can(authz.PostPublish) && t.HasSite}
	if p.CanDecide && rs[0].PostType == post.TypeRepublished {
		if p.Agreements, err = post.AgreementOptions(c.UserContext(), h.Service.DB, t.ID, "", h.Service.now()); err != nil {
			return err
		}
	}
	if d.Post != nil {
		p.Body = template.HTML(d.Post.Body) // #nosec: bodies are sanitised on save
		p.Findings = d.Post.LintErrors + d.Post.LintWarnings
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/inbox_item", p)
}

func (h *Console) inboxBack(c *fiber.Ctx, t *tenancy.Tenant) string {
	return "/t/" + t.Slug + PathInbox + "/" + c.Params("id")
}

func (h *Console) acceptForm(c *fiber.Ctx) error {
	t, actor, _, err := h.page(c, PathInbox)
	if err != nil {
		return err
	}
	in := AcceptInput{Publish: c.FormValue("publish") == "1", Note: c.FormValue("note"), Agreement: c.FormValue("agreement")}
	_, cp, err := h.Service.Accept(c.UserContext(), t, actor, c.Params("id"), in)
	if err != nil {
		return formError(c, h.inboxBack(c, t), err)
	}
	msg := "Đã nhận bài thành bản nháp của đơn vị."
	if cp.Status == post.StatusPublished {
		msg = "Đã nhận và đăng bài lên trang."
	}
	return redirectWith(c, "/t/"+t.Slug+"/bai-viet/"+cp.ID, "ok", msg)
}

func (h *Console) returnForm(c *fiber.Ctx) error {
	t, actor, _, err := h.page(c, PathInbox)
	if err != nil {
		return err
	}
	if _, err := h.Service.Return(c.UserContext(), t, actor, c.Params("id"), c.FormValue("note")); err != nil {
		return formError(c, h.inboxBack(c, t), err)
	}
	return redirectWith(c, "/t/"+t.Slug+PathInbox, "ok", "Đã trả lại bài cho đơn vị kèm ghi chú.")
}

func (h *Console) refuseForm(c *fiber.Ctx) error {
	t, actor, _, err := h.page(c, PathInbox)
	if err != nil {
		return err
	}
	if _, err := h.Service.Refuse(c.UserContext(), t, actor, c.Params("id"), Reason(c.FormValue("reason")), c.FormValue("note")); err != nil {
		return formError(c, h.inboxBack(c, t), err)
	}
	return redirectWith(c, "/t/"+t.Slug+PathInbox, "ok", "Đã từ chối bài và báo cho đơn vị.")
}

// WeekChoice is a week the inbox filter offers.
type WeekChoice struct {
	Key, Label string
	Selected   bool
}

// InboxWeeks is how many weeks back the inbox filter offers.
const InboxWeeks = 26

// inboxWeeks lists this week and the InboxWeeks before it, newest first,
// selected the one named by selected (YYYY-Www).
func inboxWeeks(now time.Time, selected string) []WeekChoice {
	local := now.In(vntext.Location())
	monday := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, vntext.Location()).AddDate(0, 0, -((int(local.Weekday()) + 6) % 7))
	out := make([]WeekChoice, 0, InboxWeeks+1)
	for i := 0; i <= InboxWeeks; i++ {
		d := monday.AddDate(0, 0, -7*i)
		y, w := d.ISOWeek()
		key := fmt.Sprintf("%04d-W%02d", y, w)
		label := vntext.WeekLabel(d)
		if i == 0 {
			label += " — tuần này"
		}
		out = append(out, WeekChoice{Key: key, Label: label, Selected: key == strings.ToUpper(strings.TrimSpace(selected))})
	}
	return out
}
