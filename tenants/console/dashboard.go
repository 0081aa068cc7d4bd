package console

import (
	"context"
	"fmt"
	"html/template"
	"sort"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/question"
)

// Membership is a tenant the account works in, with its roles.
type Membership struct {
	Slug, Name, KindLabel string
	RoleLabels            []string
}

// Dashboard is the console's home page.
type Dashboard struct {
	Shell         *Shell
	Memberships   []Membership
	PlatformRoles []string
	Standings     []template.HTML
	// Tasks is the work waiting for the account: review queues, items
	// returned to it with their note, inbox counts, the week's standing.
	Tasks []Task
	// ManagesTenants links a platform admin to /don-vi.
	ManagesTenants bool
	// Reports links whoever may read an organisation's quota reports (the
	// Office's staff and the Department's board, or platform-wide) to the
	// grid and the month; a unit's board reads its own standing instead.
	Reports bool
}

func (h *Handler) dashboard(c *fiber.Ctx) error {
	p := web.Account(c)
	sh, err := h.shell(c, nil, "")
	if err != nil {
		return err
	}
	d := Dashboard{Shell: sh}
	assignments := h.Authz.Assignments(p.AccountID)
	for domain, roles := range assignments {
		if domain == authz.PlatformDomain {
			for _, r := range sortedRoles(roles) {
				d.PlatformRoles = append(d.PlatformRoles, authz.RoleLabel(r))
			}
			continue
		}
		t, ok := h.Registry.ByID(domain)
		if !ok {
			continue
		}
		m := Membership{Slug: t.Slug, Name: t.Name, KindLabel: t.Kind.Label()}
		for _, r := range sortedRoles(roles) {
			m.RoleLabels = append(m.RoleLabels, authz.RoleLabel(r))
		}
		d.Memberships = append(d.Memberships, m)
	}
	sort.Slice(d.Memberships, func(i, j int) bool { return d.Memberships[i].Name < d.Memberships[j].Name })
	var mine []*tenancy.Tenant
	for domain := range assignments {
		if t, ok := h.Registry.ByID(domain); ok {
			mine = append(mine, t)
		}
	}
	sort.Slice(mine, func(i, j int) bool { return mine[i].Name < mine[j].Name })
	if d.Tasks, err = h.tasks(c.UserContext(), p.AccountID, mine); err != nil {
		return err
	}
	for _, fn := range h.Work {
		tasks, err := fn(c.UserContext(), p.AccountID)
		if err != nil {
			return err
		}
		d.Tasks = append(d.Tasks, tasks...)
	}
	d.Reports = h.Authz.Allowed(p.AccountID, authz.PlatformDomain, authz.ReportView)
	for _, t := range mine {
		d.Reports = d.Reports || t.ParentID == nil && h.Authz.Allowed(p.AccountID, t.ID, authz.ReportView)
	}
	d.ManagesTenants = h.Provisioner != nil && h.Authz.Allowed(p.AccountID, authz.PlatformDomain, authz.TenantManage)
	for _, fn := range h.Dashboard {
		lines, err := fn(c.UserContext(), mine)
		if err != nil {
			return err
		}
		d.Standings = append(d.Standings, lines...)
	}
	return h.render(c, fiber.StatusOK, "console/index", d)
}

// tasks lists the account's own work in its tenants: the review queue of
// a tenant where it reviews, the approved items waiting for publication
// where it may publish, and its items the board returned, with the
// note that came with them.
func (h *Handler) tasks(ctx context.Context, accountID string, ts []*tenancy.Tenant) ([]Task, error) {
	var out []Task
	for _, t := range ts {
		base := "/t/" + t.Slug
		if h.Authz.Allowed(accountID, t.ID, authz.PostReview) {
			rc, err := post.CountAwaitingReview(ctx, h.DB, t.ID)
			if err != nil {
				return nil, err
			}
			if rc.Submitted > 0 {
				out = append(out, Task{Text: fmt.Sprintf("%s: %d bài chờ duyệt", t.Name, rc.Submitted), URL: base + "/cho-duyet", LinkText: "Mở hàng chờ duyệt"})
			} else {
				out = append(out, Task{Text: t.Name + ": không có bài nào chờ duyệt"})
			}
			if rc.Unreviewed > 0 {
				out = append(out, Task{Text: fmt.Sprintf("%s: %d bài đã đăng khi chưa duyệt, cần người duyệt", t.Name, rc.Unreviewed),
					URL: base + "/cho-duyet#chua-duyet", LinkText: "Mở danh sách bài đăng khi chưa duyệt"})
			}
			// Citizens' questions wait for the board (a site's form sends them).
			if t.HasSite {
				n, err := question.CountNew(ctx, h.DB, t.ID)
				if err != nil {
					return nil, err
				}
				if n > 0 {
					out = append(out, Task{Text: fmt.Sprintf("%s: %d câu hỏi của người dân chờ trả lời", t.Name, n),
						URL: base + "/hoi-dap", LinkText: "Mở hàng câu hỏi"})
				}
			}
		}
		// Approved items wait for whoever may publish them (on a tenant
		// with a site: publishing needs one).
		if t.HasSite && h.Authz.Allowed(accountID, t.ID, authz.PostPublish) {
			n, err := post.CountAwaitingPublication(ctx, h.DB, t.ID)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				// The list is on the review queue; a role that may publish
				// without reviewing finds them by the status filter.
				link := base + "/cho-duyet#cho-dang"
				if !h.Authz.Allowed(accountID, t.ID, authz.PostReview) {
					link = base + "/bai-viet?trang-thai=" + string(post.StatusApproved)
				}
				out = append(out, Task{Text: fmt.Sprintf("%s: %d bài đã duyệt chờ đăng", t.Name, n), URL: link, LinkText: "Mở danh sách bài chờ đăng"})
			}
		}
		if !h.Authz.Allowed(accountID, t.ID, authz.PostCreate) {
			continue
		}
		returned, err := post.List(ctx, h.DB, t.ID, post.Filter{Statuses: []post.Status{post.StatusReturned}, AuthorID: accountID, Limit: 20})
		if err != nil {
			return nil, err
		}
		for _, p := range returned {
			note, err := post.ReturnNote(ctx, h.DB, t.ID, p.ID)
			if err != nil {
				return nil, err
			}
			out = append(out, Task{Text: fmt.Sprintf("%s: bài “%s” được trả lại để sửa", t.Name, p.Title),
				URL: base + "/bai-viet/" + p.ID + "/sua", LinkText: "Sửa bài", Note: note})
		}
	}
	return out, nil
}

func (h *Handler) switchTenant(c *fiber.Ctx) error {
	slug := c.Query("t")
	if t, ok := h.Registry.BySlug(slug); !ok || !tenancySlugOK(slug) || !h.Authz.Member(web.Account(c).AccountID, t.ID) {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return c.Redirect("/t/"+slug, fiber.StatusSeeOther)
}

func tenancySlugOK(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return s != ""
}

// TenantHome is a tenant's overview page.
type TenantHome struct {
	Shell  *Shell
	Tenant *tenancy.Tenant
	Roles  []string
	// Parent is the tenant above (nil for the Department); ParentLink
	// when the account may open it.
	Parent      *tenancy.Tenant
	ParentLink  bool
	Settings    *post.Settings
	CanSettings bool
}

func (h *Handler) tenantHome(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	sh, err := h.shell(c, t, "")
	if err != nil {
		return err
	}
	settings, err := post.SettingsOf(c.UserContext(), h.DB, t.ID)
	if err != nil {
		return err
	}
	page := TenantHome{Shell: sh, Tenant: t, Settings: settings,
		CanSettings: h.Authz.Allowed(web.Account(c).AccountID, t.ID, authz.TenantSettings)}
	if t.ParentID != nil {
		if p, ok := h.Registry.ByID(*t.ParentID); ok {
			page.Parent = p
			page.ParentLink = h.Authz.Allowed(web.Account(c).AccountID, p.ID, authz.TenantView)
		}
	}
	for _, r := range sortedRoles(h.Authz.Roles(web.Account(c).AccountID, t.ID)) {
		page.Roles = append(page.Roles, authz.RoleLabel(r))
	}
	return h.render(c, fiber.StatusOK, "console/tenant", page)
}
