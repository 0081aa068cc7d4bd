package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/crosspost"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/quota"
)

// wireConsoleWork gives the console what /don-vi and the dashboard need
// from other features: the provisioner (the same calls as the command line
// and the API), each tenant's last send, and the work waiting for an
// account in the inbox, in sends the parent returned and, for the Office,
// this week's standing across the organisation's contributors.
func wireConsoleWork(_ context.Context, a *App, w *wiring) error {
	w.Console.Provisioner = NewProvisioner(a.Config, a.DB)
	w.Console.LastSent = func(ctx context.Context, ids []string) (map[string]time.Time, error) {
		return crosspost.LastSent(ctx, a.DB, ids)
	}
	w.Console.Work = append(w.Console.Work, a.inboxWork, a.officeWeek)
	return nil
}

// memberTenants lists the tenants the account holds a role in, by name.
func (a *App) memberTenants(accountID string) []*tenancy.Tenant {
	var ts []*tenancy.Tenant
	for domain := range a.Authz.Assignments(accountID) {
		if t, ok := a.Registry.ByID(domain); ok {
			ts = append(ts, t)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
	return ts
}

// inboxWork counts what waits in the inbox of each tenant whose inbox the
// account decides, and lists the sends its parent returned, with the note.
func (a *App) inboxWork(ctx context.Context, accountID string) ([]console.Task, error) {
	var out []console.Task
	for _, t := range a.memberTenants(accountID) {
		base := "/t/" + t.Slug
		if a.Authz.Allowed(accountID, t.ID, authz.InboxDecide) {
			n, err := crosspost.Waiting(ctx, a.DB, t.ID)
			if err != nil {
				return nil, err
			}
			if n > 0 {
				out = append(out, console.Task{Text: fmt.Sprintf("%s: %d bài các đơn vị gửi lên chờ quyết định", t.Name, n),
					URL: base + crosspost.PathInbox, LinkText: "Mở hộp thư đến"})
			}
		}
		if t.ParentID == nil || !a.Authz.Allowed(accountID, t.ID, authz.PostSubmitParent) {
			continue
		}
		subs, err := crosspost.ReturnedTo(ctx, a.DB, t.ID, 20)
		if err != nil {
			return nil, err
		}
		parent := "đơn vị cấp trên"
		if p, ok := a.Registry.ByID(*t.ParentID); ok {
			parent = p.Name
		}
		for _, s := range subs {
			title := "(bài đã xóa)"
			if p, err := post.Get(ctx, a.DB, t.ID, s.PostID); err == nil {
				title = p.Title
			}
			out = append(out, console.Task{Text: fmt.Sprintf("%s trả lại bài “%s” của %s", parent, title, t.Name),
				URL: base + "/bai-viet/" + s.PostID, LinkText: "Xem bài", Note: s.DecisionNote})
		}
	}
	return out, nil
}

// officeWeek shows, to those who read an organisation's quota report (the
// Office), this week's standing across all its contributors.
func (a *App) officeWeek(ctx context.Context, accountID string) ([]console.Task, error) {
	now := time.Now()
	week := quota.WeekOf(now)
	var out []console.Task
	for _, org := range a.Registry.All() {
		if org.ParentID != nil || org.Status != tenancy.StatusActive || !a.Authz.Allowed(accountID, org.ID, authz.ReportView) {
			continue
		}
		rows, err := quota.Grid(ctx, a.DB, org.ID, []quota.Week{week}, now)
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			continue
		}
		met, due, exempt := 0, 0, 0
		var open []string
		for _, r := range rows {
			if len(r.Weeks) == 0 {
				continue
			}
			switch r.Weeks[0].State {
			case quota.StateMet:
				met, due = met+1, due+1
			case quota.StateOpen, quota.StateMissed:
				due++
				open = append(open, r.Name)
			case quota.StateExempt:
				exempt++
			}
		}
		text := fmt.Sprintf("%s – %s: %d/%d đơn vị đã đạt chỉ tiêu", org.Name, week.Label(), met, due)
		if len(open) > 0 {
			text += "; chưa đạt: " + strings.Join(open, ", ")
		}
		if exempt > 0 {
			text += fmt.Sprintf("; %d đơn vị được miễn", exempt)
		}
		out = append(out, console.Task{Text: text, URL: "/bao-cao/chi-tieu?cap-tren=" + org.Slug, LinkText: "Mở bảng theo dõi chỉ tiêu"})
	}
	return out, nil
}
