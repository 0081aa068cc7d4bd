package post

import (
	"context"
	"errors"
	"html/template"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post/lint"
)

// PostView is an item's page in the console: its text, state, history,
// presentation findings and the workflow steps the account may take.
type PostView struct {
	Shell    any
	Tenant   *tenancy.Tenant
	Row      PostRow
	Post     *Post
	Body     template.HTML
	History  []PostStep
	Findings []PostFinding
	Actions  PostActions
	CanEdit  bool
	// CanSend offers "Gửi Ban Biên tập Sở": the tenant has a parent and
	// the account may send (the cross-posting service checks the rest).
	CanSend      bool
	BaseURL      string // /t/<slug>/bai-viet/<id>
	PublicURL    string
	ScheduleMin  string // earliest schedule (dd/mm/yyyy HH:MM), Vietnam time
	ScheduleAt   string // current schedule (dd/mm/yyyy HH:MM), Vietnam time
	Error        string
	LintRefused  bool // the submission was refused for these findings
	ErrorsCount  int
	WarningCount int
	// Edition is the pending new text of a published item, shown beside
	// the live text; the workflow steps and the findings are then the
	// edition's.
	Edition *PostEdition
	// OriginName is the unit a copy was taken from (accepted or pulled):
	// its account here is the editor who took it in, not its author.
	OriginName string
}

// PostEdition is a published item's pending edition on its page.
type PostEdition struct {
	Edition     *Edition
	Body        template.HTML
	SectionName string
	FieldNames  []string
	Author      string // who began it
	Updated     string // dd/mm/yyyy HH:MM, Vietnam time
}

// PostStep is one recorded workflow transition.
type PostStep struct {
	From, To string
	Actor    string
	At       time.Time
	Note     string
	// Edition marks a step of a pending edition (not of the live item).
	Edition bool
}

// PostActions are the workflow steps offered on an item's page: those that
// exist from its state and that the account holds the permission for.
type PostActions struct {
	Submit, Return, Approve, Schedule, Publish, ForcePublish, Withdraw, Unpublish, Draft bool
	// Discard abandons the pending edition; Edition says the steps above
	// (but Withdraw and Unpublish) concern it.
	Discard, Edition bool
}

// Any reports whether any step is offered.
func (a PostActions) Any() bool {
	return a.Submit || a.Return || a.Approve || a.Schedule || a.Publish || a.ForcePublish || a.Withdraw || a.Unpublish || a.Draft || a.Discard
}

// postActions mirrors the service's rules (workflow.go, edition.go) to
// decide what to show; the service still enforces every step. changed is
// whether the account changed the text under review since its submission.
func postActions(p *Post, a Actor, t *tenancy.Tenant, secondReviewer, changed bool) PostActions {
	if p.Edition != nil {
		return editionActions(p, a, t, secondReviewer, changed)
	}
	own := p.AuthorID == a.ID
	is := func(ss ...Status) bool {
		for _, s := range ss {
			if p.Status == s {
				return true
			}
		}
		return false
	}
	review := a.Can(authz.PostReview)
	mayApproveOwn := !own || (a.Can(authz.PostPublish) && !secondReviewer)
	return PostActions{
		Submit: is(StatusDraft, StatusReturned) && a.Can(authz.PostSubmit) && (own || a.Can(authz.PostEditAny)),
		Return: is(StatusSubmitted, StatusApproved, StatusScheduled) && review,
		Approve: (is(StatusSubmitted) || (is(StatusPublished) && p.NotReviewed && p.ForcedBy != a.ID)) &&
			review && mayApproveOwn && !changed,
		Schedule:     is(StatusApproved, StatusScheduled) && a.Can(authz.PostSchedule) && t.HasSite,
		Publish:      is(StatusApproved, StatusScheduled) && a.Can(authz.PostPublish) && t.HasSite,
		ForcePublish: is(StatusDraft, StatusSubmitted, StatusReturned) && a.Can(authz.PostForcePublish) && t.HasSite,
		Withdraw:     is(StatusPublished) && a.Can(authz.PostWithdraw),
		Unpublish:    is(StatusPublished, StatusWithdrawn) && a.Can(authz.PostWithdraw),
		Draft: is(StatusReturned, StatusWithdrawn, StatusUnpublished, StatusSubmitted) &&
			((own && a.Can(authz.PostEditOwn)) || a.Can(authz.PostEditAny)),
	}
}

// editionActions are the steps of a published item's pending edition, and
// the withdrawal of the live item.
func editionActions(p *Post, a Actor, t *tenancy.Tenant, secondReviewer, changed bool) PostActions {
	e := p.Edition
	own := e.CreatedBy == a.ID || p.AuthorID == a.ID
	is := func(ss ...Status) bool {
		for _, s := range ss {
			if e.Status == s {
				return true
			}
		}
		return false
	}
	mayApproveOwn := e.CreatedBy != a.ID || (a.Can(authz.PostPublish) && !secondReviewer)
	return PostActions{
		Edition:      true,
		Submit:       is(StatusDraft, StatusReturned) && a.Can(authz.PostSubmit) && (own || a.Can(authz.PostEditAny)),
		Return:       is(StatusSubmitted, StatusApproved) && a.Can(authz.PostReview),
		Approve:      is(StatusSubmitted) && a.Can(authz.PostReview) && mayApproveOwn && !changed,
		Publish:      is(StatusApproved) && a.Can(authz.PostPublish) && t.HasSite,
		ForcePublish: is(StatusDraft, StatusSubmitted, StatusReturned) && a.Can(authz.PostForcePublish) && t.HasSite,
		Withdraw:     a.Can(authz.PostWithdraw),
		Unpublish:    a.Can(authz.PostWithdraw),
		Draft:        is(StatusReturned, StatusSubmitted) && ((own && a.Can(authz.PostEditOwn)) || a.Can(authz.PostEditAny)),
		Discard:      (e.CreatedBy == a.ID && a.Can(authz.PostEditOwn)) || a.Can(authz.PostEditAny),
	}
}

// datetimeLocal formats t for the schedule's field, in Vietnam time: a
// text field, not datetime-local, which shows the browser's language's
// order (mm/dd/yyyy and AM/PM in an English Chrome).
func datetimeLocal(t time.Time) string { return t.In(vntext.Location()).Format("02/01/2006 15:04") }

// parseLocalTime reads a datetime-local value (or "dd/mm/yyyy HH:MM" typed
// where the browser has no picker) as Vietnam time.
func parseLocalTime(s string) (*time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2/1/2006 15:04", "15:04 2/1/2006"} {
		if t, err := time.ParseInLocation(layout, s, vntext.Location()); err == nil {
			return &t, nil
		}
	}
	return nil, errs.Invalid("at", "time_invalid", "Thời điểm hẹn đăng phải có dạng dd/mm/yyyy HH:MM")
}

// postPage loads everything an item's page shows.
func (h *Console) postPage(c *fiber.Ctx, t *tenancy.Tenant, svc *Service, p *Post) (*PostView, error) {
	ctx := c.UserContext()
	sh, err := h.shell(c, t, "/bai-viet")
	if err != nil {
		return nil, err
	}
	names, err := h.loadPostNames(ctx, t)
	if err != nil {
		return nil, err
	}
	trs, err := Transitions(ctx, svc.DB, t.ID, p.ID)
	if err != nil {
		return nil, err
	}
	settings, err := SettingsOf(ctx, svc.DB, t.ID)
	if err != nil {
		return nil, err
	}
	if err := LoadEdition(ctx, svc.DB, p); err != nil {
		return nil, err
	}
	actor := ActorFor(h.Authz, c, t)
	changed, err := EditedSince(ctx, svc.DB, t.ID, p.ID, ReviewFrom(p), actor.ID)
	if err != nil {
		return nil, err
	}
	// The findings are those of the text under work: the edition's, when
	// there is one.
	work := p
	if p.Edition != nil {
		work = p.Edition.Text(p)
	}
	v := &PostView{Shell: sh, Tenant: t, Row: names.row(ctx, h, p), Post: p,
		// The body was sanitised when saved; cleaning it again here keeps
		// the console safe from any row written another way.
		Body:        template.HTML(svc.Sanitizer.Clean(p.Body)), //nolint:gosec // sanitised by bluemonday policy
		Findings:    postFindings(svc.Findings(work), work.Title, work.Summary, work.Body),
		Actions:     postActions(p, actor, t, settings.AlwaysSecondReviewer, changed),
		CanEdit:     postCanEdit(p, actor),
		CanSend:     t.ParentID != nil && actor.Can(authz.PostSubmitParent),
		BaseURL:     "/t/" + t.Slug + "/bai-viet/" + p.ID,
		ScheduleMin: datetimeLocal(time.Now().Add(time.Minute)),
	}
	if p.OriginTenantID != nil && h.Registry != nil {
		if origin, ok := h.Registry.ByID(*p.OriginTenantID); ok {
			v.OriginName = origin.Name
		}
	}
	if e := p.Edition; e != nil {
		er := names.row(ctx, h, work)
		v.Edition = &PostEdition{Edition: e, SectionName: er.SectionName, FieldNames: er.FieldNames,
			Body:    template.HTML(svc.Sanitizer.Clean(e.Body)), //nolint:gosec // sanitised by bluemonday policy
			Author:  names.account(ctx, h, e.CreatedBy),
			Updated: vntext.DateTime(e.UpdatedAt)}
	}
	if p.ScheduledAt != nil {
		v.ScheduleAt = datetimeLocal(*p.ScheduledAt)
	}
	v.PublicURL = PublicURL(c, t, p, h.Registry.BaseDomain())
	if v.CanSend && h.SendOffered != nil {
		if v.CanSend, err = h.SendOffered(ctx, t, actor, p); err != nil {
			return nil, err
		}
	}
	for _, f := range v.Findings {
		if f.SeverityLabel == "Lỗi" {
			v.ErrorsCount++
		} else {
			v.WarningCount++
		}
	}
	for _, tr := range trs {
		v.History = append(v.History, PostStep{From: tr.From.Label(), To: tr.To.Label(), Actor: names.account(ctx, h, tr.ActorID), At: tr.CreatedAt, Note: tr.Note, Edition: tr.Edition})
	}
	return v, nil
}

func (h *Console) postView(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	p, err := Get(c.UserContext(), svc.DB, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	v, err := h.postPage(c, t, svc, p)
	if err != nil {
		return err
	}
	return h.render(c, fiber.StatusOK, "console/post_view", v)
}

// transitionDone is the flash after each step.
var transitionDone = map[Status]string{
	StatusSubmitted:   "Đã gửi bài cho Ban Biên tập duyệt",
	StatusReturned:    "Đã trả lại bài cho tác giả kèm ghi chú",
	StatusApproved:    "Đã duyệt bài",
	StatusScheduled:   "Đã hẹn giờ đăng bài",
	StatusPublished:   "Đã đăng bài lên trang",
	StatusWithdrawn:   "Đã gỡ bài; trang bài hiển thị thông báo gỡ kèm lý do",
	StatusUnpublished: "Đã ngừng đăng bài",
	StatusDraft:       "Đã chuyển bài về bản nháp",
}

// editionDone is the flash after each step of a pending edition.
var editionDone = map[Status]string{
	StatusDraft:     "Đã chuyển bản sửa về bản nháp",
	StatusSubmitted: "Đã gửi bản sửa cho Ban Biên tập duyệt; trang vẫn hiển thị bản đang đăng",
	StatusReturned:  "Đã trả lại bản sửa kèm ghi chú",
	StatusApproved:  "Đã duyệt bản sửa; bản sửa lên trang khi được đăng",
}

// postDiscardEdition abandons the pending edition of a published item.
func (h *Console) postDiscardEdition(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	p, err := svc.DiscardEdition(c.UserContext(), t, ActorFor(h.Authz, c, t), c.Params("id"))
	if err != nil {
		if userErrorStatus(err) == 0 {
			return err
		}
		return redirectWith(c, "/t/"+t.Slug+"/bai-viet/"+c.Params("id"), "error", errorText(err))
	}
	return redirectWith(c, "/t/"+t.Slug+"/bai-viet/"+p.ID, "ok", "Đã hủy bản sửa; trang giữ nội dung đang đăng (bản sửa vẫn còn trong lịch sử phiên bản)")
}

func (h *Console) postTransition(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	id := c.Params("id")
	to, err := ParseStatus(c.FormValue("to"))
	var p *Post
	if err == nil {
		in := TransitionInput{To: to, Note: c.FormValue("note"), Force: c.FormValue("force") != ""}
		if in.At, err = parseLocalTime(c.FormValue("at")); err == nil {
			p, err = svc.Transition(ctx, t, ActorFor(h.Authz, c, t), id, in)
		}
	}
	if err == nil {
		msg := transitionDone[p.Status]
		if to == StatusApproved && p.Status == StatusPublished {
			// A published item reviewed after it was published unreviewed.
			msg = "Đã duyệt bài đang đăng; bài thôi mang dấu chưa được duyệt"
		}
		if e := p.Edition; e != nil {
			msg = editionDone[e.Status]
		} else if to == StatusPublished && p.Status == StatusPublished && c.FormValue("ban-sua") != "" {
			msg = "Đã đăng bản sửa: trang công khai hiển thị nội dung mới"
		}
		if p.Status == StatusScheduled && p.ScheduledAt != nil {
			msg += " lúc " + vntext.DateTime(*p.ScheduledAt)
		}
		return redirectWith(c, "/t/"+t.Slug+"/bai-viet/"+p.ID, "ok", msg)
	}
	status := userErrorStatus(err)
	if status == 0 {
		return err
	}
	cur, gerr := Get(ctx, svc.DB, t.ID, id)
	if gerr != nil {
		return gerr
	}
	v, verr := h.postPage(c, t, svc, cur)
	if verr != nil {
		return verr
	}
	v.Error = errorText(err)
	var lintErr *LintError
	if errors.As(err, &lintErr) {
		v.LintRefused = true
		v.Error += ": " + strconv.Itoa(len(lintErr.Findings)) + " lỗi được liệt kê trong mục “Kiểm tra trình bày”."
	}
	return h.render(c, status, "console/post_view", v)
}

// ReviewPage is the review queue: submitted items, oldest first, and for
// whoever may publish, the approved items waiting for publication.
type ReviewPage struct {
	Shell  any
	Tenant *tenancy.Tenant
	Rows   []ReviewRow
	// CanPublish shows the second list: Approved, oldest approval first.
	CanPublish bool
	Approved   []ReviewRow
	// Unreviewed are items published before anyone reviewed them, longest
	// public first: waiting for someone else's review.
	Unreviewed []ReviewRow
}

// ReviewRow is one item waiting for review (or, in Approved, for
// publication since its approval).
type ReviewRow struct {
	PostRow
	Since  time.Time
	Waited string
	Late   bool // waiting more than two days
	// ApprovedBy is who approved it (Approved rows).
	ApprovedBy string
}

func (h *Console) reviewQueue(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sh, err := h.shell(c, t, "/cho-duyet")
	if err != nil {
		return err
	}
	names, err := h.loadPostNames(ctx, t)
	if err != nil {
		return err
	}
	ps, err := List(ctx, svc.DB, t.ID, Filter{Statuses: []Status{StatusSubmitted}, Limit: 200})
	if err != nil {
		return err
	}
	// Published items whose edition waits for review wait as much.
	eds, err := WithEditions(ctx, svc.DB, t.ID, StatusSubmitted)
	if err != nil {
		return err
	}
	for _, p := range eds {
		// The row shows the findings of the text under review.
		p.LintErrors, p.LintWarnings = p.Edition.LintErrors, p.Edition.LintWarnings
	}
	ps = append(ps, eds...)
	now := time.Now()
	page := ReviewPage{Shell: sh, Tenant: t}
	if page.Rows, err = h.reviewRows(ctx, svc, t, names, ps, StatusSubmitted, now); err != nil {
		return err
	}
	unreviewed, err := PublishedUnreviewed(ctx, svc.DB, t.ID)
	if err != nil {
		return err
	}
	if page.Unreviewed, err = h.reviewRows(ctx, svc, t, names, unreviewed, StatusPublished, now); err != nil {
		return err
	}
	// Publishing needs the site, as the item's page offers it (postActions).
	page.CanPublish = t.HasSite && ActorFor(h.Authz, c, t).Can(authz.PostPublish)
	if page.CanPublish {
		approved, err := AwaitingPublication(ctx, svc.DB, t.ID)
		if err != nil {
			return err
		}
		for _, p := range approved {
			if p.Edition != nil {
				p.LintErrors, p.LintWarnings = p.Edition.LintErrors, p.Edition.LintWarnings
			}
		}
		if page.Approved, err = h.reviewRows(ctx, svc, t, names, approved, StatusApproved, now); err != nil {
			return err
		}
	}
	return h.render(c, fiber.StatusOK, "console/review", page)
}

// reviewRows makes the queue's rows of items that reached state st (of
// the item, or of its edition when it has one), oldest arrival first: the
// time is that of the last step into st, else the item's last change.
func (h *Console) reviewRows(ctx context.Context, svc *Service, t *tenancy.Tenant, names *postNames, ps []*Post, st Status, now time.Time) ([]ReviewRow, error) {
	last := map[string]Transition{}
	if len(ps) > 0 {
		ids := make([]string, len(ps))
		edition := map[string]bool{}
		for i, p := range ps {
			ids[i] = p.ID
			edition[p.ID] = p.Edition != nil
		}
		var trs []Transition
		err := svc.DB.NewSelect().Model(&trs).Where("tenant_id = ? AND to_status = ?", t.ID, st).
			Where("post_id IN (?)", bun.List(ids)).Scan(ctx)
		if err != nil {
			return nil, err
		}
		for _, tr := range trs {
			// An approved edition's wait began with the edition's
			// approval, not with an earlier approval of the item.
			if st == StatusApproved && tr.Edition != edition[tr.PostID] {
				continue
			}
			if tr.CreatedAt.After(last[tr.PostID].CreatedAt) {
				last[tr.PostID] = tr
			}
		}
	}
	rows := make([]ReviewRow, 0, len(ps))
	for _, p := range ps {
		tr, ok := last[p.ID]
		s := tr.CreatedAt
		if !ok {
			s = p.UpdatedAt
		}
		r := ReviewRow{PostRow: names.row(ctx, h, p), Since: s, Waited: waited(now.Sub(s)), Late: now.Sub(s) > 48*time.Hour}
		if st == StatusApproved {
			if ok {
				r.ApprovedBy = names.account(ctx, h, tr.ActorID)
			}
			if now.Sub(s) < time.Minute {
				r.Waited = "vừa duyệt"
			}
		}
		if st == StatusPublished && now.Sub(s) < time.Minute {
			r.Waited = "vừa đăng"
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Since.Before(rows[j].Since) })
	return rows, nil
}

// waited says how long an item has waited, in Vietnamese: "chờ 2 ngày 3 giờ".
func waited(d time.Duration) string {
	if d < time.Minute {
		return "vừa gửi"
	}
	days, hours, minutes := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return "chờ " + strconv.Itoa(days) + " ngày " + strconv.Itoa(hours) + " giờ"
	case days > 0:
		return "chờ " + strconv.Itoa(days) + " ngày"
	case hours > 0 && minutes > 0:
		return "chờ " + strconv.Itoa(hours) + " giờ " + strconv.Itoa(minutes) + " phút"
	case hours > 0:
		return "chờ " + strconv.Itoa(hours) + " giờ"
	}
	return "chờ " + strconv.Itoa(minutes) + " phút"
}

// PostFinding is a lint finding with its labels and the text around it.
type PostFinding struct {
	lint.Finding
	SeverityLabel string `json:"severity_label"`
	PartLabel     string `json:"part_label"`
	Before        string `json:"before"`
	Marked        string `json:"marked"`
	After         string `json:"after"`
}

// postFindings labels findings and cuts the text each points at from the
// item's parts (title and summary as stored, body as its plain text).
func postFindings(fs []lint.Finding, title, summary, bodyHTML string) []PostFinding {
	out := make([]PostFinding, 0, len(fs))
	var body []rune
	for _, f := range fs {
		pf := PostFinding{Finding: f, SeverityLabel: "Cảnh báo", PartLabel: f.Part}
		if f.Severity == lint.Error {
			pf.SeverityLabel = "Lỗi"
		}
		var text []rune
		switch f.Part {
		case lint.PartTitle:
			pf.PartLabel, text = "Tiêu đề", []rune(title)
		case lint.PartSummary:
			pf.PartLabel, text = "Sa-pô", []rune(summary)
		case lint.PartBody:
			if body == nil {
				body = []rune(lint.BodyText(bodyHTML))
			}
			pf.PartLabel, text = "Nội dung", body
		}
		if f.Offset >= 0 && f.Offset <= len(text) && f.Length >= 0 {
			end := min(f.Offset+f.Length, len(text))
			oneLine := strings.NewReplacer("\n", " ¶ ").Replace
			pf.Before = oneLine(string(text[max(f.Offset-30, 0):f.Offset]))
			pf.Marked = oneLine(string(text[f.Offset:end]))
			pf.After = oneLine(string(text[end:min(end+30, len(text))]))
		}
		out = append(out, pf)
	}
	return out
}

// postCanEdit mirrors the service's edit rule, to offer the edit link only
// where it works (the service still decides). A republished item is
// edited like another, but only in what its lock leaves free (its
// section, fields and event date: checkLock); the form shows its text
// without inputs (postEdit).
func postCanEdit(p *Post, a Actor) bool {
	if p.Status == StatusUnpublished || p.Status == StatusWithdrawn {
		return false
	}
	if a.Can(authz.PostEditAny) {
		return true
	}
	if p.Status == StatusPublished {
		e := p.Edition
		own := p.AuthorID == a.ID || e != nil && e.CreatedBy == a.ID
		return own && a.Can(authz.PostEditOwn) && (e == nil || e.Status == StatusDraft || e.Status == StatusReturned)
	}
	return p.AuthorID == a.ID && a.Can(authz.PostEditOwn) && (p.Status == StatusDraft || p.Status == StatusReturned)
}

// postLint answers the live check of the editor: the findings of the
// posted title, summary and body, normalised as a save would store them.
// Nothing is saved.
func (h *Console) postLint(c *fiber.Ctx) error {
	svc, err := h.posts()
	if err != nil {
		return err
	}
	title := strings.Join(strings.Fields(vntext.NFC(c.FormValue("title"))), " ")
	summary := strings.TrimSpace(vntext.NFC(c.FormValue("summary")))
	body := svc.Sanitizer.Clean(c.FormValue("body"))
	fs := postFindings(svc.Findings(&Post{Title: title, Summary: summary, Body: body}), title, summary, body)
	errorsN, warnings := 0, 0
	for _, f := range fs {
		if f.Severity == lint.Error {
			errorsN++
		} else {
			warnings++
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"findings": fs, "errors": errorsN, "warnings": warnings})
}
