package quota

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/templates"
)

// LetterOptions fill the parts of the printable report that are the
// Office's, not data. Zero values take the defaults noted.
type LetterOptions struct {
	// Agency is the governing body, upper case (default: the parent's name).
	Agency string
	// Office is the issuing office (default "VĂN PHÒNG").
	Office string
	// Number is the letter's number, filled in by hand (default "…/BC-VP").
	Number string
	// Place is where it is issued (default "Thanh Hóa").
	Place string
	// Date is the letter's date (default: when the report was made).
	Date time.Time
	// To is the addressee (default "Giám đốc Sở").
	To string
	// SignerTitle and SignerName sign it (default "CHÁNH VĂN PHÒNG", blank).
	SignerTitle, SignerName string
	// Recipients is the "Nơi nhận" list.
	Recipients []string
	// Hint is a line shown on screen only (how to print).
	Hint string
	// Stylesheet, when set, is the address of report.css the page links
	// to (the console, whose CSP refuses inline style); otherwise the
	// style is inlined so the file stands alone (the CLI's --format html).
	Stylesheet string
}

func (o LetterOptions) withDefaults(r *Report) LetterOptions {
	def := func(s *string, v string) {
		if strings.TrimSpace(*s) == "" {
			*s = v
		}
	}
	def(&o.Agency, strings.ToUpper(r.Parent.Name))
	def(&o.Office, "VĂN PHÒNG")
	def(&o.Number, "…/BC-VP")
	def(&o.Place, "Thanh Hóa")
	def(&o.To, "Giám đốc Sở")
	def(&o.SignerTitle, "CHÁNH VĂN PHÒNG")
	if o.Date.IsZero() {
		o.Date = r.GeneratedAt
	}
	if len(o.Recipients) == 0 {
		o.Recipients = []string{"Giám đốc Sở (để báo cáo);", "Các Phó Giám đốc Sở (để chỉ đạo);",
			"Các phòng nghiệp vụ, đơn vị trực thuộc Sở;", "Ban Biên tập Trang thông tin điện tử Sở;", "Lưu: VT, VP."}
	}
	return o
}

type letterCell struct{ Text, Class string }

type letterTable struct {
	Caption string
	Head    []string
	Rows    [][]letterCell
}

type letterSection struct {
	Heading    string
	Paragraphs []string
	Table      *letterTable
	Note       string
	// Blank are ruled lines left for the Office to write on.
	Blank []string
}

type letterView struct {
	CSS                               template.CSS
	Stylesheet                        string
	Hint                              string
	Agency, Office, Number, PlaceDate string
	Title, Subtitle, To               string
	Intro                             []string
	Sections                          []letterSection
	Snapshot                          string
	Recipients                        []string
	SignerTitle, SignerName           string
}

// num writes a number the Vietnamese way (decimal comma).
// complianceText is the share of closed weeks met, as the letter says it;
// before any week of the period has closed there is no share to give.
func complianceText(c *float64) string {
	if c == nil {
		return "chưa có tuần nào kết thúc để tính tỷ lệ tuần đạt"
	}
	return "tỷ lệ tuần đạt: " + num(percent(c)) + "%"
}

func num(v any) string {
	switch x := v.(type) {
	case float64:
		return strings.Replace(fmt.Sprintf("%.1f", x), ".", ",", 1)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

// toLetter turns a report table into a letter table.
func toLetter(t table) *letterTable {
	lt := &letterTable{Caption: t.Title, Head: t.Head}
	for _, row := range t.Rows {
		var cs []letterCell
		for j, c := range row {
			lc := letterCell{Text: num(c.V)}
			switch {
			case c.State != "":
				lc.Class = string(c.State)
			case t.Highlight[j]:
				lc.Class = "uncovered"
			default:
				switch c.V.(type) {
				case int, float64:
					lc.Class = "num"
				}
			}
			cs = append(cs, lc)
		}
		lt.Rows = append(lt.Rows, cs)
	}
	return lt
}

// WriteHTML writes the report as a printable A4 page in the style of an
// official letter: agency header, number, place and date, title, the
// tables, recipients and signature block.
func WriteHTML(w io.Writer, r *Report, o LetterOptions) error {
	o = o.withDefaults(r)
	tpl, err := template.New("").ParseFS(templates.FS, "console/quota_letter.html")
	if err != nil {
		return fmt.Errorf("parse report letter: %w", err)
	}
	d := o.Date.In(vntext.Location())
	v := letterView{
		Stylesheet: o.Stylesheet, Hint: o.Hint, Agency: o.Agency, Office: o.Office, Number: o.Number,
		PlaceDate: fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", o.Place, d.Day(), int(d.Month()), d.Year()),
		Title:     "BÁO CÁO", Subtitle: "Tình hình hoạt động Trang thông tin điện tử " + r.Period.Label,
		To: o.To, Recipients: o.Recipients, SignerTitle: o.SignerTitle, SignerName: o.SignerName,
	}
	if o.Stylesheet == "" {
		css, err := fs.ReadFile(templates.FS, "static/report.css")
		if err != nil {
			return fmt.Errorf("read report.css: %w", err)
		}
		v.CSS = template.CSS(css)
	}
	v.Intro = intro(r)
	v.Sections = sections(r)
	if r.Snapshot != nil {
		v.Snapshot = fmt.Sprintf("Số liệu chốt lúc %s (%s).", vntext.DateTime(r.Snapshot.CreatedAt), r.Snapshot.Reason)
	} else {
		v.Snapshot = fmt.Sprintf("Số liệu tính đến %s.", vntext.DateTime(r.GeneratedAt))
	}
	if err := tpl.ExecuteTemplate(w, "quota-letter", v); err != nil {
		return fmt.Errorf("render report letter: %w", err)
	}
	return nil
}

func intro(r *Report) []string {
	t := r.Totals
	// The tables show weeks not begun as "Chưa đến"; the totals count them
	// among the open ones (the API's state).
	upcoming := 0
	for _, c := range r.Contributors {
		for _, ws := range c.Weeks {
			if ws.Shown() == stateUpcoming {
				upcoming++
			}
		}
	}
	first, last := "", ""
	if len(r.Weeks) > 0 {
		first, last = weekHead(r.Weeks[0]), weekHead(r.Weeks[len(r.Weeks)-1])
	}
	out := []string{
		fmt.Sprintf("Thực hiện chỉ đạo của Giám đốc Sở về việc tăng cường cung cấp thông tin trên Trang thông tin điện tử, "+
			"Văn phòng Sở báo cáo tình hình gửi tin, bài của các phòng nghiệp vụ, đơn vị trực thuộc Sở và hoạt động của "+
			"Trang thông tin điện tử %s như sau (tính theo tuần, từ %s đến %s, gồm %d tuần: %s … %s):",
			r.Period.Label, vntext.Date(r.Period.From), vntext.Date(r.Period.To.Add(-time.Second)), len(r.Weeks), first, last),
		fmt.Sprintf("%d/%d phòng, đơn vị đã gửi tin, bài; tổng cộng %d tin, bài (được duyệt %d, đã đăng %d, bị trả lại %d, bị từ chối %d, chờ duyệt %d; "+
			"bài chuyên sâu %d). Số tuần đạt chỉ tiêu: %d, thiếu: %d, được miễn: %d, đang mở: %d%s; %s.",
			senders(r), t.Contributors, t.Sent, t.Accepted, t.Published, t.Returned, t.Refused, t.Pending, t.InDepth,
			t.Met, t.Missed, t.Exempt, t.Open-upcoming, upcomingText(upcoming), complianceText(t.Compliance)),
	}
	if r.Totals.Pulled > 0 {
		out = append(out, fmt.Sprintf("Ngoài ra, Ban Biên tập đã lấy %d tin, bài từ trang của các đơn vị (không tính vào chỉ tiêu).", r.Totals.Pulled))
	}
	return out
}

// upcomingText is the letter's count of weeks not begun, when any.
func upcomingText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", chưa đến: %d", n)
}

// senders counts the contributors that sent at least one item in the
// period: the report's total counts every contributor, also those that
// sent none.
func senders(r *Report) int {
	n := 0
	for _, c := range r.Contributors {
		if c.Sent > 0 {
			n++
		}
	}
	return n
}

func sections(r *Report) []letterSection {
	ts := tables(r)
	var uncovered []string
	for _, f := range r.FieldList {
		if f.Items == 0 {
			uncovered = append(uncovered, f.Name)
		}
	}
	fieldNote := "Tất cả các lĩnh vực đều có tin, bài."
	if len(uncovered) > 0 {
		fieldNote = "Lĩnh vực chưa có tin, bài trong tháng (ô tô màu): " + strings.Join(uncovered, "; ") + "."
	}
	var exempt []string
	for _, e := range r.Exemptions {
		who := "tất cả đơn vị"
		if e.Contributor != "" {
			who = nameOf(r)[e.Contributor]
		}
		exempt = append(exempt, fmt.Sprintf("%s: %s (%s)", weekHead(e.Week), who, e.Reason))
	}
	weeksNote := "Ký hiệu: ✓ Đạt, ✗ Thiếu, … Đang mở, – Miễn; số ghi dạng đã gửi/chỉ tiêu."
	if len(exempt) > 0 {
		weeksNote += " Tuần được miễn: " + strings.Join(exempt, "; ") + "."
	}
	return []letterSection{
		{Heading: "I. KẾT QUẢ THỰC HIỆN CHỈ TIÊU GỬI TIN, BÀI", Table: toLetter(ts[1]), Note: weeksNote},
		{Heading: "II. SỐ LƯỢNG VÀ TÌNH TRẠNG TIN, BÀI", Table: toLetter(countsTable(r))},
		{Heading: "III. NỘI DUNG THEO LĨNH VỰC", Table: toLetter(ts[2]), Note: fieldNote},
		{Heading: "IV. TÍNH KỊP THỜI VÀ LỖI TRÌNH BÀY", Table: toLetter(ts[3]),
			Note: "Sự kiện → gửi, sự kiện → đăng tính theo ngày lịch; gửi → quyết định tính theo giờ."},
		{Heading: "V. TIN, BÀI CÓ LỖI TRÌNH BÀY", Table: toLetter(ts[4])},
		{Heading: "VI. HOẠT ĐỘNG CỦA TRANG THÔNG TIN ĐIỆN TỬ SỞ", Table: toLetter(ts[5])},
		{Heading: "VII. TIN, BÀI SỞ LẤY TỪ TRANG CỦA ĐƠN VỊ", Table: toLetter(ts[6])},
		{Heading: "VIII. ĐỀ XUẤT, KIẾN NGHỊ", Blank: []string{"", "", ""}},
	}
}
