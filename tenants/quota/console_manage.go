package quota

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/console"
)

// notice is the fixed message a redirect may ask a page to show.
func notice(code string) string {
	switch code {
	case "chot":
		return "Đã chốt số liệu báo cáo tháng."
	case "chi-tieu":
		return "Đã cập nhật chỉ tiêu tuần."
	case "mien":
		return "Đã thêm tuần miễn chỉ tiêu."
	case "xoa-mien":
		return "Đã xóa tuần miễn chỉ tiêu."
	}
	return ""
}

type snapshotRow struct{ When, Reason, By string }

type reportPageData struct {
	Shell                       *console.Shell
	Parent                      *tenancy.Tenant
	Month, Label                string
	Months                      []MonthOption
	Notice, Error               string
	Source                      string
	Live, Closed, CanManage     bool
	Intro                       []string
	Tables                      []*letterTable
	Uncovered                   []string
	JSONURL, CSVURL, XLSXURL    string
	PrintURL, LiveURL, GridURL  string
	SnapshotURL, SnapshotAction string
	Snapshots                   []snapshotRow
}

// reportPage shows the monthly report with its downloads and snapshots.
func (h *Handler) reportPage(c *fiber.Ctx) error {
	return h.renderReport(c, fiber.StatusOK, "")
}

func (h *Handler) renderReport(c *fiber.Ctx, status int, formError string) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	p, err := ParseMonth(c.Query("thang", MonthOf(h.now()).Key))
	if err != nil {
		return err
	}
	live := c.Query("truc-tiep") == "1"
	ctx := c.UserContext()
	r, err := Get(ctx, h.DB, parent.ID, p, live, h.now())
	if err != nil {
		return err
	}
	pq := "parent=" + url.QueryEscape(parent.Slug) + "&month=" + p.Key
	cq := "cap-tren=" + url.QueryEscape(parent.Slug) + "&thang=" + p.Key
	d := reportPageData{Parent: parent, Month: p.Key, Months: MonthOptions(h.now(), p.Key), Label: p.Label(), Notice: notice(c.Query("thong-bao")), Error: formError,
		Live: r.Snapshot == nil, Closed: r.Closed, Intro: intro(r),
		CanManage: h.Authz.Allowed(web.Account(c).AccountID, parent.ID, authz.QuotaManage),
		JSONURL:   "/api/v1/reports/quota?" + pq, CSVURL: "/api/v1/reports/quota?format=csv&" + pq,
		XLSXURL: "/api/v1/reports/quota?format=xlsx&" + pq, PrintURL: "/bao-cao/thang/in?" + cq,
		LiveURL: "/bao-cao/thang?truc-tiep=1&" + cq, SnapshotURL: "/bao-cao/thang?" + cq,
		GridURL: "/bao-cao/chi-tieu?" + cq, SnapshotAction: "/bao-cao/thang/chot?" + cq}
	if live {
		d.XLSXURL += "&live=1"
		d.CSVURL += "&live=1"
		d.JSONURL += "&live=1"
		d.PrintURL += "&truc-tiep=1"
	}
	if r.Snapshot != nil {
		d.Source = "Số liệu đã chốt lúc " + vntext.DateTime(r.Snapshot.CreatedAt) + " (" + r.Snapshot.Reason + ")."
	} else {
		d.Source = "Số liệu trực tiếp, tính đến " + vntext.DateTime(r.GeneratedAt) + "."
	}
	ts := tables(r)
	d.Tables = []*letterTable{toLetter(ts[1]), toLetter(ts[0]), toLetter(ts[2]), toLetter(ts[3])}
	for _, f := range r.FieldList {
		if f.Items == 0 {
			d.Uncovered = append(d.Uncovered, f.Name)
		}
	}
	snaps, err := Snapshots(ctx, h.DB, parent.ID, p.Key)
	if err != nil {
		return err
	}
	for _, s := range snaps {
		by := "tự động"
		if s.CreatedBy != "" {
			by = s.CreatedBy
			if a, ok := accountName(c, h, s.CreatedBy); ok {
				by = a
			}
		}
		d.Snapshots = append(d.Snapshots, snapshotRow{When: vntext.DateTime(s.CreatedAt), Reason: s.Reason, By: by})
	}
	if d.Shell, err = h.shell(c, nil, ""); err != nil {
		return err
	}
	return h.Renderer.Render(c, status, "console/quota_report", d)
}

// accountName is an account's name for display.
func accountName(c *fiber.Ctx, h *Handler, id string) (string, bool) {
	a, err := account.ByID(c.UserContext(), h.DB, id)
	if err != nil {
		return "", false
	}
	return a.Name, true
}

// printPage is the report as a printable A4 letter.
func (h *Handler) printPage(c *fiber.Ctx) error {
	p, err := ParseMonth(c.Query("thang", MonthOf(h.now()).Key))
	if err != nil {
		return err
	}
	return h.sendReport(c, p, FormatHTML, c.Query("truc-tiep") == "1")
}

// snapshot makes a new snapshot of a closed month with a reason.
func (h *Handler) snapshot(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	s, err := h.service().Snapshot(c.UserContext(), parent, c.Query("thang"), c.FormValue("ly-do"), web.Account(c).AccountID)
	if err != nil {
		if errs.Is(err, errs.KindInvalid) && c.Query("thang") != "" {
			return h.renderReport(c, fiber.StatusUnprocessableEntity, publicMessage(err))
		}
		return err
	}
	return c.Redirect("/bao-cao/thang?cap-tren="+url.QueryEscape(parent.Slug)+"&thang="+s.Month+"&thong-bao=chot", fiber.StatusSeeOther)
}

func publicMessage(err error) string {
	_, msg, _ := errs.Public(err)
	return msg
}

type quotaRow struct {
	Slug, Name, Kind string
	Quota            int
	History          []string
}

type exemptionRow struct{ ID, Week, Who, Reason string }

type managePageData struct {
	Shell                *console.Shell
	Parent               *tenancy.Tenant
	Label, Notice, Error string
	// QuotaWeeks and ExemptWeeks are the weeks the two forms offer: a
	// quota from a few weeks back (a late correction) to half a year
	// ahead, an exemption up to a year ahead (the next Tết).
	QuotaWeeks, ExemptWeeks []WeekOption
	Contributors            []quotaRow
	Exemptions              []exemptionRow
	QuotaAction, ExemptBase string
	ExemptAction, GridURL   string
	Max                     int
}

// managePage lists quotas with their history and the period's exemptions.
func (h *Handler) managePage(c *fiber.Ctx) error { return h.renderManage(c, fiber.StatusOK, "") }

func (h *Handler) renderManage(c *fiber.Ctx, status int, formError string) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	p, err := h.period(c)
	if err != nil {
		return err
	}
	ctx, now := c.UserContext(), h.now()
	rows, err := Grid(ctx, h.DB, parent.ID, []Week{WeekOf(now)}, now)
	if err != nil {
		return err
	}
	hist, err := quotaHistory(ctx, h.DB, parent.ID, "")
	if err != nil {
		return err
	}
	q := "?cap-tren=" + url.QueryEscape(parent.Slug) + "&" + periodQuery(p)
	d := managePageData{Parent: parent, Label: p.Label(), Notice: notice(c.Query("thong-bao")), Error: formError,
		QuotaWeeks: WeekOptions(now, 4, 26), ExemptWeeks: WeekOptions(now, 8, 52), QuotaAction: "/bao-cao/chi-tieu/chi-tieu" + q, ExemptAction: "/bao-cao/chi-tieu/mien" + q,
		ExemptBase: q, GridURL: "/bao-cao/chi-tieu" + q, Max: MaxQuota}
	names := map[string]string{}
	for _, r := range rows {
		qr := quotaRow{Slug: r.Slug, Name: r.Name, Kind: r.Kind.Label(), Quota: r.Weeks[0].Quota}
		for _, ch := range hist[r.ID] {
			if ch.EffectiveWeek == baselineWeek {
				qr.History = append(qr.History, "ban đầu: "+strconv.Itoa(ch.Quota))
				continue
			}
			line := "từ " + weekLabel(ch.EffectiveWeek) + ": " + strconv.Itoa(ch.Quota)
			if ch.Reason != "" {
				line += " (" + ch.Reason + ")"
			}
			qr.History = append(qr.History, line)
		}
		d.Contributors = append(d.Contributors, qr)
		names[r.ID] = r.Name
	}
	ex, err := Exemptions(ctx, h.DB, parent.ID, p.Weeks[0], Week{})
	if err != nil {
		return err
	}
	for _, e := range ex {
		who := "Tất cả phòng, đơn vị"
		if e.TenantID != nil {
			who = names[*e.TenantID]
		}
		d.Exemptions = append(d.Exemptions, exemptionRow{ID: e.ID, Week: weekLabel(e.Week), Who: who, Reason: e.Reason})
	}
	if d.Shell, err = h.shell(c, nil, ""); err != nil {
		return err
	}
	return h.Renderer.Render(c, status, "console/quota_manage", d)
}

// weekLabel is a stored ISO week ("2026-W05") for people (Week.Label),
// or as stored if it does not read as one.
func weekLabel(iso string) string {
	w, err := ParseWeek(iso)
	if err != nil {
		return iso
	}
	return w.Label()
}

// service is the Service behind the console's forms and the API.
func (h *Handler) service() *Service {
	return &Service{DB: h.DB, Registry: h.Registry, Now: h.Now}
}

func (h *Handler) afterManage(c *fiber.Ctx, err error, notice string) error {
	if err != nil {
		if errs.Is(err, errs.KindInvalid) || errs.Is(err, errs.KindConflict) {
			return h.renderManage(c, fiber.StatusUnprocessableEntity, publicMessage(err))
		}
		return err
	}
	q := c.Request().URI().QueryArgs()
	q.Set("thong-bao", notice)
	return c.Redirect("/bao-cao/chi-tieu/cai-dat?"+string(q.QueryString()), fiber.StatusSeeOther)
}

func (h *Handler) setQuota(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	err = func() error {
		n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("chi-tieu")))
		if err != nil {
			return errs.Invalid("chi-tieu", "quota_invalid", "Chỉ tiêu tuần phải là một số")
		}
		_, err = h.service().SetQuota(c.UserContext(), parent, QuotaRequest{Tenant: c.FormValue("don-vi"), Quota: n,
			From: c.FormValue("tu-tuan"), Reason: c.FormValue("ly-do"), ActorID: web.Account(c).AccountID})
		return err
	}()
	return h.afterManage(c, err, "chi-tieu")
}

func (h *Handler) addExemption(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	_, err = h.service().AddExemption(c.UserContext(), parent, ExemptionRequest{Tenant: c.FormValue("don-vi"),
		Week: c.FormValue("tuan"), Reason: c.FormValue("ly-do"), ActorID: web.Account(c).AccountID})
	return h.afterManage(c, err, "mien")
}

func (h *Handler) removeExemption(c *fiber.Ctx) error {
	parent, err := h.parent(c)
	if err != nil {
		return err
	}
	err = h.service().RemoveExemption(c.UserContext(), parent, c.Params("id"), web.Account(c).AccountID)
	return h.afterManage(c, err, "xoa-mien")
}

type ownPageData struct {
	Shell    *console.Shell
	Tenant   *tenancy.Tenant
	Parent   string
	Current  string
	Class    string
	Weeks    []gridCell
	GridURL  string
	HasQuota bool
}

// ownPage is a tenant's own standing toward its parent, and for a parent
// whose account may see the grid, a link to it.
func (h *Handler) ownPage(c *fiber.Ctx) error {
	t, v, err := h.own(c)
	if err != nil {
		return err
	}
	d := ownPageData{Tenant: t}
	if t.ParentID != nil {
		if p, ok := h.Registry.ByID(*t.ParentID); ok {
			d.Parent = p.Name
		}
	}
	if v.Current != nil {
		w, _ := ParseWeek(v.Current.Week)
		cur := Current{TenantName: t.Name, ParentName: d.Parent, Week: w, WeekStanding: *v.Current, Left: w.End().Sub(h.now())}
		d.Current, d.Class, d.HasQuota = cur.Text(), "state "+string(cur.State), true
	}
	for i := len(v.Weeks) - 1; i >= 0; i-- {
		ws := v.Weeks[i]
		w, _ := ParseWeek(ws.Week)
		shown := ws.Shown()
		d.Weeks = append(d.Weeks, gridCell{Class: "state " + string(shown), Symbol: shown.Symbol(), Label: shown.Label(),
			Count: strconv.Itoa(ws.Counted) + "/" + strconv.Itoa(ws.Quota), Title: ws.Reason, URL: w.Label()})
	}
	if h.canViewAll(web.Account(c).AccountID, t.ID) && hasChildren(h.Registry, t.ID) {
		d.GridURL = "/bao-cao/chi-tieu?cap-tren=" + url.QueryEscape(t.Slug)
	}
	if d.Shell, err = h.shell(c, t, "/chi-tieu"); err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "console/quota_own", d)
}

func hasChildren(reg *tenancy.Registry, id string) bool {
	for _, t := range reg.All() {
		if t.ParentID != nil && *t.ParentID == id {
			return true
		}
	}
	return false
}
