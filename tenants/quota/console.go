package quota

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/console"
	"github.com/trangtin/trangtin/tenants/post"
)

// ConsoleRoutes registers the console pages; each declares its permission.
func (h *Handler) ConsoleRoutes(app fiber.Router) {
	az := h.Authz
	app.Get("/bao-cao/chi-tieu", az.Require(authz.ReportView, h.parent), h.gridPage)
	app.Get("/bao-cao/chi-tieu/cai-dat", az.Require(authz.QuotaManage, h.parent), h.managePage)
	app.Post("/bao-cao/chi-tieu/chi-tieu", az.Require(authz.QuotaManage, h.parent), h.setQuota)
	app.Post("/bao-cao/chi-tieu/mien", az.Require(authz.QuotaManage, h.parent), h.addExemption)
	app.Post("/bao-cao/chi-tieu/mien/:id/xoa", az.Require(authz.QuotaManage, h.parent), h.removeExemption)
	// The grid's report is the parent's: this guard checks the parent, so
	// authz.Tenant is the parent here, not the :slug unit.
	app.Get("/bao-cao/chi-tieu/:slug/:week", az.Require(authz.ReportView, h.parent), h.itemsPage)
	app.Get("/bao-cao/thang", az.Require(authz.ReportView, h.parent), h.reportPage)
	app.Get("/bao-cao/thang/in", az.Require(authz.ReportView, h.parent), h.printPage)
	app.Post("/bao-cao/thang/chot", az.Require(authz.QuotaManage, h.parent), h.snapshot)
	app.Get("/t/:slug/chi-tieu", az.Require(authz.QuotaViewOwn, h.bySlug), h.ownPage)
}

// shell is the console layout's data: the console's (Shell), or none when
// the pages run without the console (the layout then shows no menu).
func (h *Handler) shell(c *fiber.Ctx, t *tenancy.Tenant, active string) (*console.Shell, error) {
	if h.Shell == nil {
		return nil, nil
	}
	return h.Shell(c, t, active)
}

// period reads ?quy=YYYY-Qn or ?thang=YYYY-MM; by default the month of now.
func (h *Handler) period(c *fiber.Ctx) (Period, error) {
	if q := c.Query("quy"); q != "" {
		return ParseQuarter(q)
	}
	if m := c.Query("thang"); m != "" {
		return ParseMonth(m)
	}
	return MonthOf(h.now()), nil
}

// neighbours are the periods before and after p.
func neighbours(p Period) (prev, next Period) {
	before, after := p.Weeks[0].Prev().Thursday(), p.Weeks[len(p.Weeks)-1].Next().Thursday()
	if len(p.Key) == 7 {
		return MonthPeriod(before.Year(), before.Month()), MonthPeriod(after.Year(), after.Month())
	}
	return QuarterPeriod(before.Year(), (int(before.Month())+2)/3), QuarterPeriod(after.Year(), (int(after.Month())+2)/3)
}

// periodQuery is the query string naming p.
func periodQuery(p Period) string {
	if len(p.Key) == 7 {
		return "thang=" + p.Key
	}
	return "quy=" + p.Key
}

type weekCol struct{ Key, Short, Label string }

type gridCell struct{ Class, Symbol, Label, Count, Title, URL string }

type gridRow struct {
	Name, Slug, Kind string
	Quota            int
	Cells            []gridCell
	Met, Missed      int
	Exempt, Open     int
	Counted          int
	Rate             string
}

type gridPageData struct {
	Shell                  *console.Shell
	Parent                 *tenancy.Tenant
	Label, Key             string
	Month, Quarter         string
	Months                 []MonthOption
	Weeks                  []weekCol
	Rows                   []gridRow
	WeekTotals             []string
	Totals                 gridRow
	Sort                   string
	SortName, SortRate     string
	SortMissed             string
	Prev, Next, ReportURL  string
	ManageURL, ParentQuery string
	CanManage              bool
}

func rateText(r *float64) string {
	if r == nil {
		return "—"
	}
	return num(round1(*r*100)) + "%"
}

// gridPage is the Office's table of every contributor × weeks.
func (h *Handler) gridPage(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	if err := h.requireViewAll(c, parent.ID); err != nil {
		return err
	}
	p, err := h.period(c)
	if err != nil {
		return err
	}
	rows, err := Grid(c.UserContext(), h.DB, parent.ID, p.Weeks, h.now())
	if err != nil {
		return err
	}
	sortRows(rows, c.Query("sap-xep"))
	pq := "cap-tren=" + url.QueryEscape(parent.Slug)
	d := gridPageData{Parent: parent, Label: p.Label(), Key: p.Key, Sort: c.Query("sap-xep", "ten"), ParentQuery: pq,
		CanManage: h.Authz.Allowed(web.Account(c).AccountID, parent.ID, authz.QuotaManage)}
	if len(p.Key) == 7 {
		d.Month = p.Key
	} else {
		d.Quarter = p.Key
		d.Month = MonthOf(h.now()).Key
	}
	d.Months = MonthOptions(h.now(), d.Month)
	base := "/bao-cao/chi-tieu?" + pq + "&" + periodQuery(p)
	d.SortName, d.SortRate, d.SortMissed = base+"&sap-xep=ten", base+"&sap-xep=ty-le", base+"&sap-xep=thieu"
	prev, next := neighbours(p)
	d.Prev = "/bao-cao/chi-tieu?" + pq + "&" + periodQuery(prev)
	d.Next = "/bao-cao/chi-tieu?" + pq + "&" + periodQuery(next)
	d.ReportURL = "/bao-cao/thang?" + pq + "&thang=" + MonthOf(p.Weeks[len(p.Weeks)-1].Start()).Key
	d.ManageURL = "/bao-cao/chi-tieu/cai-dat?" + pq + "&" + periodQuery(p)
	for _, w := range p.Weeks {
		d.Weeks = append(d.Weeks, weekCol{Key: w.String(), Short: w.Short(), Label: w.Label()})
	}
	weekMet, weekJudged := make([]int, len(p.Weeks)), make([]int, len(p.Weeks))
	var total Tally
	for _, r := range rows {
		gr := gridRow{Name: r.Name, Slug: r.Slug, Kind: r.Kind.Label(), Quota: r.QuotaPerWeek, Met: r.Met, Missed: r.Missed,
			Exempt: r.Exempt, Open: r.Open, Counted: r.Counted, Rate: rateText(r.Compliance)}
		for i, ws := range r.Weeks {
			shown := ws.Shown()
			cell := gridCell{Class: "state " + string(shown), Symbol: shown.Symbol(), Label: shown.Label(),
				Count: fmt.Sprintf("%d/%d", ws.Counted, ws.Quota), Title: ws.Reason,
				URL: "/bao-cao/chi-tieu/" + r.Slug + "/" + ws.Week + "?" + pq}
			if ws.State == StateExempt {
				cell.Count = strconv.Itoa(ws.Counted)
			}
			gr.Cells = append(gr.Cells, cell)
			switch ws.State {
			case StateMet:
				weekMet[i]++
				weekJudged[i]++
			case StateMissed:
				weekJudged[i]++
			}
		}
		total.merge(r.Tally)
		d.Rows = append(d.Rows, gr)
	}
	for i := range p.Weeks {
		d.WeekTotals = append(d.WeekTotals, fmt.Sprintf("%d/%d đạt", weekMet[i], weekJudged[i]))
	}
	d.Totals = gridRow{Met: total.Met, Missed: total.Missed, Exempt: total.Exempt, Open: total.Open, Counted: total.Counted,
		Rate: rateText(total.Compliance)}
	if d.Shell, err = h.shell(c, nil, ""); err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/quota_office", d)
}

// sortRows orders the grid: by name (default, already), by compliance
// (lowest first, never-judged last) or by weeks missed (most first).
func sortRows(rows []Row, by string) {
	rate := func(r Row) float64 {
		if r.Compliance == nil {
			return 2
		}
		return *r.Compliance
	}
	switch by {
	case "ty-le":
		sort.SliceStable(rows, func(i, j int) bool { return rate(rows[i]) < rate(rows[j]) })
	case "thieu":
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Missed > rows[j].Missed })
	}
}

type itemRow struct {
	Title, Type, Origin, State, Counts string
	Sent, Decided, Published           string
	LintErrors, LintWarnings           int
}

type itemsPageData struct {
	Shell      *console.Shell
	Parent     *tenancy.Tenant
	Tenant     *tenancy.Tenant
	Week       string
	Standing   WeekStanding
	StateClass string
	StateLabel string
	Items      []itemRow
	BackURL    string
}

// itemsPage is the drill-down: the items of a contributor-week.
func (h *Handler) itemsPage(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	if err := h.requireViewAll(c, parent.ID); err != nil {
		return err
	}
	t, ok := h.Registry.BySlug(c.Params("slug"))
	if !ok || t.ParentID == nil || *t.ParentID != parent.ID {
		return errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
	}
	w, err := ParseWeek(c.Params("week"))
	if err != nil {
		return errs.NotFound("week_not_found", "Không tìm thấy tuần")
	}
	ctx := c.UserContext()
	st, err := Standing(ctx, h.DB, parent.ID, t.ID, w, w, h.now())
	if err != nil {
		return err
	}
	items, err := Items(ctx, h.DB, parent.ID, t.ID, w.Start(), w.End())
	if err != nil {
		return err
	}
	th := w.Thursday()
	d := itemsPageData{Parent: parent, Tenant: t, Week: w.Label(),
		BackURL: fmt.Sprintf("/bao-cao/chi-tieu?cap-tren=%s&thang=%04d-%02d", url.QueryEscape(parent.Slug), th.Year(), int(th.Month()))}
	if len(st) > 0 {
		d.Standing, d.StateClass, d.StateLabel = st[0], "state "+string(st[0].State), st[0].State.Symbol()+" "+st[0].State.Label()
	}
	for _, it := range items {
		r := itemRow{Title: it.Title, Type: post.Type(it.Type).Label(), State: SubmissionStateLabel(it.State),
			Sent: vntext.DateTime(it.FirstSentAt), LintErrors: it.LintErrors, LintWarnings: it.LintWarnings}
		switch {
		case it.Origin == "pulled":
			r.Origin, r.Counts = "Sở lấy về", "Không tính"
		case !it.Counts:
			r.Origin, r.Counts = "Đơn vị gửi", "Không tính (đăng lại từ báo chí)"
		case it.State == "withdrawn":
			r.Origin, r.Counts = "Đơn vị gửi", "Không tính (đã rút)"
		default:
			r.Origin, r.Counts = "Đơn vị gửi", "Tính"
		}
		if it.DecidedAt != nil {
			r.Decided = vntext.DateTime(*it.DecidedAt)
		}
		if it.PublishedAt != nil {
			r.Published = vntext.DateTime(*it.PublishedAt)
		}
		d.Items = append(d.Items, r)
	}
	if d.Shell, err = h.shell(c, nil, ""); err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/quota_items", d)
}
