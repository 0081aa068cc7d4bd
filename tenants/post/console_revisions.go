package post

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post/lint"
)

// RevisionsPage lists an item's revisions and compares two of them.
type RevisionsPage struct {
	Shell      any
	Tenant     *tenancy.Tenant
	Post       *Post
	BaseURL    string
	Rows       []RevisionRow
	Options    []RevisionRow // for the compare form
	A, B       int
	Compare    *RevisionCompare
	CanRestore bool
	Error      string
}

// RevisionRow is one revision in the list.
type RevisionRow struct {
	Number    int
	Kind      string
	KindLabel string
	Actor     string
	At        time.Time
	Title     string
	BasedOn   int
	Note      string
	Latest    bool // the item's current text
}

// RevisionCompare is the difference between two revisions, part by part.
type RevisionCompare struct {
	A, B    RevisionRow
	Title   []DiffPart
	Summary []DiffPart
	Body    []DiffPart
	Meta    []MetaChange
	Same    bool
}

// MetaChange is a changed attribute (type, section, fields, date, byline).
type MetaChange struct{ Label, From, To string }

// DiffPart is a run of text kept ("eq"), removed ("del") or added ("ins").
type DiffPart struct {
	Op   string
	Text string
}

func revisionKindLabel(kind string) string {
	switch kind {
	case "create":
		return "Tạo mới"
	case "save":
		return "Lưu"
	case "restore":
		return "Khôi phục"
	case "conflict":
		return "Bản xung đột (chưa áp dụng)"
	}
	return kind
}

func (h *Console) postRevisions(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	p, err := Get(ctx, svc.DB, t.ID, c.Params("id"))
	if err != nil {
		return err
	}
	sh, err := h.shell(c, t, "/bai-viet")
	if err != nil {
		return err
	}
	names, err := h.loadPostNames(ctx, t)
	if err != nil {
		return err
	}
	revs, err := Revisions(ctx, svc.DB, t.ID, p.ID)
	if err != nil {
		return err
	}
	page := RevisionsPage{Shell: sh, Tenant: t, Post: p, BaseURL: "/t/" + t.Slug + "/bai-viet/" + p.ID,
		CanRestore: p.Type != TypeRepublished && postCanEdit(p, ActorFor(h.Authz, c, t))}
	byNumber := map[int]*Revision{}
	latest := true
	for i := range revs {
		r := &revs[i]
		byNumber[r.Number] = r
		row := RevisionRow{Number: r.Number, Kind: r.Kind, KindLabel: revisionKindLabel(r.Kind), Actor: names.account(ctx, h, r.ActorID),
			At: r.CreatedAt, Title: r.Title, BasedOn: r.BasedOn, Note: r.Note}
		if latest && r.Kind != "conflict" {
			row.Latest, latest = true, false
		}
		page.Rows = append(page.Rows, row)
	}
	page.Options = page.Rows
	page.A, _ = strconv.Atoi(c.Query("a"))
	page.B, _ = strconv.Atoi(c.Query("b"))
	if page.A == 0 && page.B == 0 && len(revs) >= 2 {
		page.A, page.B = revs[1].Number, revs[0].Number
	}
	if page.A != 0 || page.B != 0 {
		ra, rb := byNumber[page.A], byNumber[page.B]
		if ra == nil || rb == nil {
			page.Error = "Không tìm thấy phiên bản cần so sánh"
			return h.render(c, fiber.StatusNotFound, "console/revisions", page)
		}
		page.Compare = compareRevisions(names, ra, rb)
		for _, row := range page.Rows {
			switch row.Number {
			case ra.Number:
				page.Compare.A = row
			case rb.Number:
				page.Compare.B = row
			}
		}
	}
	return h.render(c, fiber.StatusOK, "console/revisions", page)
}

func compareRevisions(names *postNames, a, b *Revision) *RevisionCompare {
	cmp := &RevisionCompare{
		Title:   diffText(a.Title, b.Title),
		Summary: diffText(a.Summary, b.Summary),
		Body:    diffText(lint.BodyText(a.Body), lint.BodyText(b.Body)),
	}
	section := func(id *string) string {
		if id == nil {
			return "—"
		}
		return names.sectionOf[*id]
	}
	fields := func(s string) string {
		var out []string
		for _, code := range strings.Split(s, ",") {
			if code == "" {
				continue
			}
			if n, ok := names.fieldName[code]; ok {
				code = n
			}
			out = append(out, code)
		}
		return strings.Join(out, "; ")
	}
	day := func(d *time.Time) string {
		if d == nil {
			return "—"
		}
		return vntext.Date(*d)
	}
	for _, m := range []MetaChange{
		{"Loại", a.Type.Label(), b.Type.Label()},
		{"Chuyên mục", section(a.SectionID), section(b.SectionID)},
		{"Lĩnh vực", fields(a.Fields), fields(b.Fields)},
		{"Ngày diễn ra sự kiện", day(a.EventDate), day(b.EventDate)},
		{"Tác giả (bút danh)", a.Byline, b.Byline},
	} {
		if m.From != m.To {
			cmp.Meta = append(cmp.Meta, m)
		}
	}
	cmp.Same = len(cmp.Meta) == 0 && a.Title == b.Title && a.Summary == b.Summary && a.Body == b.Body
	return cmp
}

// PostConflict is what the edit form shows after a stale save: the item as
// it now stands beside the text the writer sent (kept as a revision).
type PostConflict struct {
	Message        string
	Current        *Post
	CurrentBody    string // plain text of the current body
	YourBody       string // plain text of the sent body
	KeptAs         int
	CompareURL     string
	RevisionsURL   string
	CurrentVersion int
}

// postConflict answers 409 with both texts: the item as it now stands and
// the writer's (already kept as a revision). The form keeps the writer's
// text and now carries the current version, so saving again after reading
// the current text is a deliberate choice.
func (h *Console) postConflict(c *fiber.Ctx, f *PostForm, svc *Service, ce *ConflictError, in Input) error {
	t, cur := f.Tenant, ce.Current
	revs := "/t/" + t.Slug + "/bai-viet/" + cur.ID + "/phien-ban"
	pc := &PostConflict{
		Message: "Bài viết đã được người khác sửa trong lúc bạn đang sửa: bài hiện ở phiên bản " + strconv.Itoa(cur.Version) +
			", còn bạn sửa từ phiên bản " + strconv.Itoa(ce.BasedOn) + ". Nội dung của bạn chưa được áp dụng nhưng không bị mất: nó đã được lưu thành bản lưu số " +
			strconv.Itoa(ce.ConflictVersion) + " trong lịch sử phiên bản. Hãy đối chiếu hai nội dung dưới đây; nếu bấm “Lưu” lần nữa, nội dung của bạn sẽ thay thế phiên bản hiện tại.",
		Current: cur, CurrentBody: lint.BodyText(cur.Body), YourBody: lint.BodyText(svc.Sanitizer.Clean(in.Body)),
		KeptAs: ce.ConflictVersion, RevisionsURL: revs, CurrentVersion: cur.Version,
	}
	if rs, err := Revisions(c.UserContext(), svc.DB, t.ID, cur.ID); err == nil {
		for _, r := range rs {
			if r.Number < ce.ConflictVersion && r.Kind != "conflict" {
				pc.CompareURL = revs + "?a=" + strconv.Itoa(r.Number) + "&b=" + strconv.Itoa(ce.ConflictVersion)
				break
			}
		}
	}
	f.Conflict, f.Version = pc, cur.Version
	return h.render(c, fiber.StatusConflict, "console/post_edit", f)
}

func (h *Console) postRestore(c *fiber.Ctx) error {
	t, err := h.tenant(c)
	if err != nil {
		return err
	}
	svc, err := h.posts()
	if err != nil {
		return err
	}
	id := c.Params("id")
	back := "/t/" + t.Slug + "/bai-viet/" + id + "/phien-ban"
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n <= 0 {
		return errs.NotFound("revision_not_found", "Không tìm thấy phiên bản")
	}
	p, err := svc.Restore(c.UserContext(), t, ActorFor(h.Authz, c, t), id, n)
	if err != nil {
		if errs.Is(err, errs.KindNotFound) {
			return err
		}
		return formError(c, back, err)
	}
	return redirectWith(c, "/t/"+t.Slug+"/bai-viet/"+p.ID, "ok",
		"Đã khôi phục nội dung của bản lưu số "+strconv.Itoa(n)+" thành phiên bản "+strconv.Itoa(p.Version))
}

// Limits of the comparison: beyond them a changed block is shown as wholly
// removed and wholly added rather than compared word by word, so a huge
// body cannot make the page slow.
const (
	diffMaxLineCells = 1 << 20
	diffMaxWordCells = 1 << 20
)

// diffText compares two texts line by line, then word by word inside each
// changed block, and returns the runs to show with <del> and <ins>.
func diffText(a, b string) []DiffPart {
	if a == b {
		if a == "" {
			return nil
		}
		return []DiffPart{{"eq", a}}
	}
	var out []DiffPart
	la, lb := splitKeep(a, func(r rune) bool { return r == '\n' }), splitKeep(b, func(r rune) bool { return r == '\n' })
	var del, ins []string
	flush := func() {
		if len(del) > 0 && len(ins) > 0 {
			wa, wb := words(strings.Join(del, "")), words(strings.Join(ins, ""))
			out = appendOps(out, diffTokens(wa, wb, diffMaxWordCells))
		} else {
			out = appendPart(out, "del", strings.Join(del, ""))
			out = appendPart(out, "ins", strings.Join(ins, ""))
		}
		del, ins = del[:0], ins[:0]
	}
	for _, e := range diffTokens(la, lb, diffMaxLineCells) {
		switch e.Op {
		case "del":
			del = append(del, e.Text)
		case "ins":
			ins = append(ins, e.Text)
		default:
			flush()
			out = appendPart(out, "eq", e.Text)
		}
	}
	flush()
	return out
}

// splitKeep splits s after each rune where sep is true, keeping the rune.
func splitKeep(s string, sep func(rune) bool) []string {
	var out []string
	start := 0
	for i, r := range s {
		if sep(r) {
			end := i + len(string(r))
			out = append(out, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// words splits text into runs of white space and runs of other text, so
// that a word compares equal whatever space follows it.
func words(s string) []string {
	var out []string
	start, inSpace := 0, false
	for i, r := range s {
		sp := unicode.IsSpace(r)
		if i > start && sp != inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// diffTokens is a longest-common-subsequence diff of two token lists, with
// the common head and tail trimmed first. Above maxCells the middle is
// reported as removed then added.
func diffTokens(a, b []string, maxCells int) []DiffPart {
	var head, tail []DiffPart
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		head = append(head, DiffPart{"eq", a[0]})
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		tail = append([]DiffPart{{"eq", a[len(a)-1]}}, tail...)
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	mid := make([]DiffPart, 0, len(a)+len(b))
	if len(a)*len(b) > maxCells || len(a) == 0 || len(b) == 0 {
		for _, s := range a {
			mid = append(mid, DiffPart{"del", s})
		}
		for _, s := range b {
			mid = append(mid, DiffPart{"ins", s})
		}
		return append(append(head, mid...), tail...)
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	w := len(b) + 1
	lcs := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			mid = append(mid, DiffPart{"eq", a[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			mid = append(mid, DiffPart{"del", a[i]})
			i++
		default:
			mid = append(mid, DiffPart{"ins", b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		mid = append(mid, DiffPart{"del", a[i]})
	}
	for ; j < len(b); j++ {
		mid = append(mid, DiffPart{"ins", b[j]})
	}
	return append(append(head, mid...), tail...)
}

// appendPart adds a run, merging it with the last one of the same kind.
func appendPart(out []DiffPart, op, text string) []DiffPart {
	if text == "" {
		return out
	}
	if n := len(out); n > 0 && out[n-1].Op == op {
		out[n-1].Text += text
		return out
	}
	return append(out, DiffPart{op, text})
}

func appendOps(out, ops []DiffPart) []DiffPart {
	for _, o := range ops {
		out = appendPart(out, o.Op, o.Text)
	}
	return out
}
