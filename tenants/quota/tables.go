package quota

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/post"
)

// table is one part of the report as rows of cells: a sheet of the XLSX
// file, a table of the printable page.
type table struct {
	Sheet     string
	Title     string
	Head      []string
	Rows      [][]cell
	Landscape bool
	// Highlight marks columns (by index) to shade: fields nobody covered.
	Highlight map[int]bool
}

// cell is a value (string, int or float64) and its kind for colouring:
// a week State, or "" for none.
type cell struct {
	V     any
	State State
}

// String is the cell's value as text.
func (c cell) String() string {
	switch v := c.V.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

func cells(vs ...any) []cell {
	out := make([]cell, len(vs))
	for i, v := range vs {
		out[i] = cell{V: v}
	}
	return out
}

// percent is a compliance rate in percent with one decimal, or "" when none.
func percent(r *float64) any {
	if r == nil {
		return ""
	}
	return round1(*r * 100)
}

// value is a measure's number or "" when there is none.
func value(f *float64) any {
	if f == nil {
		return ""
	}
	return *f
}

// weekCell is a contributor-week as text that does not rely on colour.
func weekCell(ws WeekStanding) cell {
	shown := ws.Shown()
	text := fmt.Sprintf("%s %s %d/%d", shown.Symbol(), shown.Label(), ws.Counted, ws.Quota)
	if ws.State == StateExempt {
		text = fmt.Sprintf("%s %s (%s) %d", shown.Symbol(), shown.Label(), ws.Reason, ws.Counted)
	}
	return cell{V: text, State: shown}
}

// weekHead is a week's column heading: "T45 (02/11–08/11)".
func weekHead(key string) string {
	w, err := ParseWeek(key)
	if err != nil {
		return key
	}
	last := w.End().AddDate(0, 0, -1)
	return fmt.Sprintf("%s (%s–%s)", w.Short(), w.Start().Format("02/01"), last.In(vntext.Location()).Format("02/01"))
}

func kindLabel(c ContributorReport) string { return c.Kind.Label() }

func summaryTable(r *Report) table {
	t := table{Sheet: "Tổng hợp", Title: "Tổng hợp gửi tin, bài " + r.Period.Label + " — " + r.Parent.Name, Landscape: true,
		Head: []string{"STT", "Đơn vị", "Loại", "Chỉ tiêu/tuần", "Tuần đạt", "Tuần thiếu", "Tuần miễn", "Tuần đang mở",
			"Tỷ lệ đạt (%)", "Đã gửi", "Được duyệt", "Đã đăng", "Bị trả lại", "Bị từ chối", "Chờ duyệt",
			"Bài chuyên sâu", "Đăng lại (không tính)", "Sở lấy về"}}
	for i, c := range r.Contributors {
		t.Rows = append(t.Rows, cells(i+1, c.Name, kindLabel(c), c.QuotaPerWeek, c.Met, c.Missed, c.Exempt, c.Open,
			percent(c.Compliance), c.Sent, c.Accepted, c.Published, c.Returned, c.Refused, c.Pending, c.InDepth, c.NotCounted, c.Pulled))
	}
	o := r.Totals
	t.Rows = append(t.Rows, cells("", "Tổng cộng", "", "", o.Met, o.Missed, o.Exempt, o.Open, percent(o.Compliance),
		o.Sent, o.Accepted, o.Published, o.Returned, o.Refused, o.Pending, o.InDepth, o.NotCounted, o.Pulled))
	return t
}

// countsTable is the letter's narrower table of item figures.
func countsTable(r *Report) table {
	t := table{Title: "Số lượng và tình trạng tin, bài " + r.Period.Label,
		Head: []string{"STT", "Đơn vị", "Đã gửi", "Được duyệt", "Đã đăng", "Bị trả lại", "Bị từ chối", "Chờ duyệt",
			"Chuyên sâu", "Đăng lại (không tính)", "Sở lấy về"}}
	for i, c := range r.Contributors {
		t.Rows = append(t.Rows, cells(i+1, c.Name, c.Sent, c.Accepted, c.Published, c.Returned, c.Refused, c.Pending,
			c.InDepth, c.NotCounted, c.Pulled))
	}
	o := r.Totals
	t.Rows = append(t.Rows, cells("", "Tổng cộng", o.Sent, o.Accepted, o.Published, o.Returned, o.Refused, o.Pending,
		o.InDepth, o.NotCounted, o.Pulled))
	return t
}

func weeksTable(r *Report) table {
	t := table{Sheet: "Theo tuần", Title: "Kết quả thực hiện chỉ tiêu theo tuần " + r.Period.Label, Landscape: true,
		Head: []string{"STT", "Đơn vị", "Chỉ tiêu/tuần"}}
	for _, w := range r.Weeks {
		t.Head = append(t.Head, weekHead(w))
	}
	t.Head = append(t.Head, "Tuần đạt", "Tuần thiếu", "Tuần miễn", "Tỷ lệ đạt (%)")
	met, judged := make([]int, len(r.Weeks)), make([]int, len(r.Weeks))
	for i, c := range r.Contributors {
		row := cells(i+1, c.Name, c.QuotaPerWeek)
		for j, ws := range c.Weeks {
			row = append(row, weekCell(ws))
			switch ws.State {
			case StateMet:
				met[j]++
				judged[j]++
			case StateMissed:
				judged[j]++
			}
		}
		t.Rows = append(t.Rows, append(row, cells(c.Met, c.Missed, c.Exempt, percent(c.Compliance))...))
	}
	total := cells("", "Tổng cộng", "")
	for j := range r.Weeks {
		total = append(total, cell{V: fmt.Sprintf("%d/%d đạt", met[j], judged[j])})
	}
	o := r.Totals
	t.Rows = append(t.Rows, append(total, cells(o.Met, o.Missed, o.Exempt, percent(o.Compliance))...))
	return t
}

func fieldsTable(r *Report) table {
	t := table{Sheet: "Lĩnh vực", Title: "Tin, bài theo lĩnh vực " + r.Period.Label + " (ô tô màu: lĩnh vực chưa có tin, bài)",
		Landscape: true, Head: []string{"STT", "Đơn vị"}, Highlight: map[int]bool{}}
	for i, f := range r.FieldList {
		t.Head = append(t.Head, f.Name)
		if f.Items == 0 {
			t.Highlight[i+2] = true
		}
	}
	for i, c := range r.Contributors {
		row := cells(i+1, c.Name)
		for _, f := range r.FieldList {
			row = append(row, cell{V: c.Fields[f.Code]})
		}
		t.Rows = append(t.Rows, row)
	}
	total := cells("", "Tổng cộng")
	for _, f := range r.FieldList {
		total = append(total, cell{V: f.Items})
	}
	t.Rows = append(t.Rows, total)
	return t
}

func timelinessTable(r *Report) table {
	t := table{Sheet: "Kịp thời", Title: "Tính kịp thời " + r.Period.Label, Landscape: true,
		Head: []string{"STT", "Đơn vị", "Sự kiện → gửi: trung vị (ngày)", "Sự kiện → gửi: chậm nhất (ngày)",
			"Gửi → quyết định: trung vị (giờ)", "Gửi → quyết định: chậm nhất (giờ)",
			"Sự kiện → đăng trên trang Sở: trung vị (ngày)", "Sự kiện → đăng: chậm nhất (ngày)",
			"Tin, bài có lỗi trình bày", "Lỗi", "Cảnh báo"}}
	row := func(n any, name string, tl Timeliness, f FindingTally) []cell {
		return cells(n, name, value(tl.EventToSent.Median), value(tl.EventToSent.Worst),
			value(tl.SentToDecision.Median), value(tl.SentToDecision.Worst),
			value(tl.EventToPublished.Median), value(tl.EventToPublished.Worst), f.Items, f.Errors, f.Warnings)
	}
	for i, c := range r.Contributors {
		t.Rows = append(t.Rows, row(i+1, c.Name, c.Timeliness, c.Findings))
	}
	t.Rows = append(t.Rows, row("", "Chung", r.Timeliness, r.Totals.Findings))
	return t
}

// nameOf maps contributor slugs to names.
func nameOf(r *Report) map[string]string {
	m := map[string]string{}
	for _, c := range r.Contributors {
		m[c.Slug] = c.Name
	}
	return m
}

func listedTable(r *Report, sheet, title string, items []Listed) table {
	names := nameOf(r)
	t := table{Sheet: sheet, Title: title, Landscape: true,
		Head: []string{"STT", "Đơn vị", "Tiêu đề", "Loại", "Ngày gửi", "Trạng thái", "Đã đăng trên trang Sở", "Lỗi", "Cảnh báo"}}
	for i, it := range items {
		name := names[it.Contributor]
		if name == "" {
			name = it.Contributor
		}
		published := ""
		if it.PublishedAt != nil {
			published = vntext.Date(*it.PublishedAt)
		}
		t.Rows = append(t.Rows, cells(i+1, name, it.Title, post.Type(it.Type).Label(), vntext.Date(it.FirstSentAt),
			SubmissionStateLabel(it.State), published, it.LintErrors, it.LintWarnings))
	}
	return t
}

func departmentTable(r *Report) table {
	d := r.Department
	t := table{Sheet: "Hoạt động của Sở", Title: "Tin, bài đăng trên trang " + r.Parent.Name + " " + r.Period.Label,
		Head: []string{"Nhóm", "Mục", "Số tin, bài"}}
	for _, s := range Sources() {
		t.Rows = append(t.Rows, cells("Nguồn", SourceLabel(s), d.BySource[s]))
	}
	for _, ty := range post.Types {
		t.Rows = append(t.Rows, cells("Loại", ty.Label(), d.ByType[string(ty)]))
	}
	for _, f := range r.FieldList {
		t.Rows = append(t.Rows, cells("Lĩnh vực", f.Name, d.ByField[f.Code]))
	}
	t.Rows = append(t.Rows, cells("Tổng cộng", "", d.Published))
	return t
}

// tables are the report's parts in order.
func tables(r *Report) []table {
	return []table{
		summaryTable(r), weeksTable(r), fieldsTable(r), timelinessTable(r),
		listedTable(r, "Lỗi trình bày", "Tin, bài có lỗi trình bày "+r.Period.Label, r.Findings),
		departmentTable(r),
		listedTable(r, "Sở lấy về", "Tin, bài Sở lấy từ trang của đơn vị "+r.Period.Label, r.Pulled),
	}
}

// SubmissionStateLabel names a submission state in Vietnamese.
func SubmissionStateLabel(s string) string {
	switch s {
	case "sent":
		return "Chờ duyệt"
	case "accepted":
		return "Được duyệt"
	case "returned":
		return "Bị trả lại"
	case "refused":
		return "Bị từ chối"
	case "withdrawn":
		return "Đã rút"
	}
	return s
}

// csvHead and csvRow make the one-row-per-contributor CSV.
func csvHead(r *Report) []string {
	h := []string{"STT", "Mã đơn vị", "Đơn vị", "Loại", "Chỉ tiêu/tuần"}
	for _, w := range r.Weeks {
		h = append(h, "Tuần "+weekHead(w))
	}
	h = append(h, "Tuần đạt", "Tuần thiếu", "Tuần miễn", "Tuần đang mở", "Tỷ lệ đạt (%)",
		"Đã gửi", "Được duyệt", "Đã đăng", "Bị trả lại", "Bị từ chối", "Chờ duyệt", "Bài chuyên sâu",
		"Đăng lại (không tính)", "Sở lấy về")
	for _, f := range r.FieldList {
		h = append(h, "Lĩnh vực: "+f.Name)
	}
	return append(h, "Sự kiện → gửi: trung vị (ngày)", "Sự kiện → gửi: chậm nhất (ngày)",
		"Gửi → quyết định: trung vị (giờ)", "Gửi → quyết định: chậm nhất (giờ)",
		"Sự kiện → đăng: trung vị (ngày)", "Sự kiện → đăng: chậm nhất (ngày)",
		"Tin, bài có lỗi trình bày", "Lỗi", "Cảnh báo")
}

func csvRow(r *Report, i int) []string {
	c := r.Contributors[i]
	row := cells(i+1, c.Slug, c.Name, kindLabel(c), c.QuotaPerWeek)
	for _, ws := range c.Weeks {
		row = append(row, weekCell(ws))
	}
	row = append(row, cells(c.Met, c.Missed, c.Exempt, c.Open, percent(c.Compliance), c.Sent, c.Accepted, c.Published,
		c.Returned, c.Refused, c.Pending, c.InDepth, c.NotCounted, c.Pulled)...)
	for _, f := range r.FieldList {
		row = append(row, cell{V: c.Fields[f.Code]})
	}
	tl := c.Timeliness
	row = append(row, cells(value(tl.EventToSent.Median), value(tl.EventToSent.Worst), value(tl.SentToDecision.Median),
		value(tl.SentToDecision.Worst), value(tl.EventToPublished.Median), value(tl.EventToPublished.Worst),
		c.Findings.Items, c.Findings.Errors, c.Findings.Warnings)...)
	out := make([]string, len(row))
	for j, x := range row {
		out[j] = strings.TrimSpace(x.String())
	}
	return out
}
