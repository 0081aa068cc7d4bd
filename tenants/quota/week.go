package quota

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Week is an ISO 8601 week in Vietnam time: Monday 00:00 to Sunday 24:00
// Asia/Ho_Chi_Minh (UTC+7).
type Week struct {
	Year int
	Num  int
}

// WeekOf is the week t falls in, in Vietnam time.
func WeekOf(t time.Time) Week {
	y, n := t.In(vntext.Location()).ISOWeek()
	return Week{Year: y, Num: n}
}

// ParseWeek reads "2026-W45".
func ParseWeek(s string) (Week, error) {
	y, n, ok := strings.Cut(strings.TrimSpace(s), "-W")
	year, err1 := strconv.Atoi(y)
	num, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || len(n) != 2 || num < 1 || num > 53 {
		return Week{}, errs.Invalid("week", "week_invalid", "Tuần phải có dạng YYYY-Www, ví dụ 2026-W45")
	}
	w := Week{Year: year, Num: num}
	if WeekOf(w.Start()) != w {
		return Week{}, errs.Invalid("week", "week_invalid", fmt.Sprintf("Năm %d không có tuần %d", year, num))
	}
	return w, nil
}

// String is the ISO form, "2026-W45"; it sorts as text.
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }

// Start is Monday 00:00 of the week, Vietnam time.
func (w Week) Start() time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, vntext.Location())
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w.Num-1))
}

// End is the instant the week ends: the next Monday 00:00, Vietnam time.
func (w Week) End() time.Time { return w.Start().AddDate(0, 0, 7) }

// Thursday is the week's Thursday, which names its month and year.
func (w Week) Thursday() time.Time { return w.Start().AddDate(0, 0, 3) }

// Next is the week after w.
func (w Week) Next() Week { return WeekOf(w.End()) }

// Prev is the week before w.
func (w Week) Prev() Week { return WeekOf(w.Start().AddDate(0, 0, -1)) }

// Before reports whether w comes before o.
func (w Week) Before(o Week) bool { return w.String() < o.String() }

// Label is the week for people: "Tuần 45 (02/11–08/11/2026)".
func (w Week) Label() string { return vntext.WeekLabel(w.Start()) }

// Short is "T45" for table headings.
func (w Week) Short() string { return fmt.Sprintf("T%d", w.Num) }

// WeeksBetween lists the weeks from the one holding from to the one holding
// the instant before to.
func WeeksBetween(from, to time.Time) []Week {
	var out []Week
	if !to.After(from) {
		return out
	}
	for w := WeekOf(from); w.Start().Before(to); w = w.Next() {
		out = append(out, w)
	}
	return out
}

// Period is a month or a quarter of the report: the ISO weeks whose
// Thursday falls in it.
type Period struct {
	// Key is "2026-11" for a month, "2026-Q4" for a quarter.
	Key string
	// Weeks are the period's weeks in order.
	Weeks []Week
}

// MonthPeriod is the month's period.
func MonthPeriod(year int, month time.Month) Period {
	p := Period{Key: fmt.Sprintf("%04d-%02d", year, int(month))}
	p.Weeks = thursdaysIn(year, month, 1)
	return p
}

// QuarterPeriod is the quarter's period (q from 1 to 4).
func QuarterPeriod(year, q int) Period {
	p := Period{Key: fmt.Sprintf("%04d-Q%d", year, q)}
	p.Weeks = thursdaysIn(year, time.Month(3*q-2), 3)
	return p
}

// thursdaysIn lists the weeks whose Thursday falls in the n months from month.
func thursdaysIn(year int, month time.Month, n int) []Week {
	loc := vntext.Location()
	first := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	end := first.AddDate(0, n, 0)
	th := first.AddDate(0, 0, (int(time.Thursday)-int(first.Weekday())+7)%7)
	var out []Week
	for ; th.Before(end); th = th.AddDate(0, 0, 7) {
		out = append(out, WeekOf(th))
	}
	return out
}

// ParseMonth reads "2026-11".
func ParseMonth(s string) (Period, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return Period{}, errs.Invalid("month", "month_invalid", "Tháng phải có dạng YYYY-MM, ví dụ 2026-11")
	}
	return MonthPeriod(t.Year(), t.Month()), nil
}

// ParseQuarter reads "2026-Q4".
func ParseQuarter(s string) (Period, error) {
	y, q, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "-Q")
	year, err1 := strconv.Atoi(y)
	n, err2 := strconv.Atoi(q)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > 4 || year < 2000 || year > 2100 {
		return Period{}, errs.Invalid("quarter", "quarter_invalid", "Quý phải có dạng YYYY-Qn, ví dụ 2026-Q4")
	}
	return QuarterPeriod(year, n), nil
}

// MonthOf is the month whose report holds the week of t.
func MonthOf(t time.Time) Period {
	th := WeekOf(t).Thursday()
	return MonthPeriod(th.Year(), th.Month())
}

// WeekOption is a week a form offers to choose.
type WeekOption struct {
	Key, Label string
	Selected   bool
}

// WeekOptions are the weeks a form offers, oldest first: from back weeks
// before now's to ahead weeks after it, now's selected. A list, not
// <input type=week>, which writes the week in the browser's language
// ("Week 49, 2026" in an English Chrome) and which some browsers lack.
func WeekOptions(now time.Time, back, ahead int) []WeekOption {
	cur := WeekOf(now)
	w := cur
	for range back {
		w = w.Prev()
	}
	out := make([]WeekOption, 0, back+1+ahead)
	for range back + 1 + ahead {
		label := w.Label()
		if w == cur {
			label += " — tuần này"
		}
		out = append(out, WeekOption{Key: w.String(), Label: label, Selected: w == cur})
		w = w.Next()
	}
	return out
}

// MonthOption is a month a report page offers to choose.
type MonthOption struct {
	Key, Label string
	Selected   bool
}

// MonthOptions are the months to choose from on a report page, newest
// first: the next month, the current one and the two years before it, and
// selected wherever it is. A list, not <input type=month>, which writes
// the month in the browser's language ("November 2026" in an English
// Chrome).
func MonthOptions(now time.Time, selected string) []MonthOption {
	cur := MonthOf(now)
	y, m, _ := strings.Cut(cur.Key, "-")
	year, _ := strconv.Atoi(y)
	month, _ := strconv.Atoi(m)
	first := time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, time.UTC)
	var out []MonthOption
	found := false
	for i := range 26 {
		d := first.AddDate(0, -i, 0)
		p := MonthPeriod(d.Year(), d.Month())
		out = append(out, MonthOption{Key: p.Key, Label: fmt.Sprintf("Tháng %02d/%d", int(d.Month()), d.Year()), Selected: p.Key == selected})
		found = found || p.Key == selected
	}
	if !found {
		if p, err := ParseMonth(selected); err == nil {
			ys, ms, _ := strings.Cut(p.Key, "-")
			out = append(out, MonthOption{Key: p.Key, Label: "Tháng " + ms + "/" + ys, Selected: true})
			// Newest first, wherever the chosen month falls ("YYYY-MM"
			// keys sort as the months do).
			slices.SortFunc(out, func(a, b MonthOption) int { return strings.Compare(b.Key, a.Key) })
		}
	}
	return out
}

// From is the start of the period's first week.
func (p Period) From() time.Time { return p.Weeks[0].Start() }

// To is the end of the period's last week.
func (p Period) To() time.Time { return p.Weeks[len(p.Weeks)-1].End() }

// Closed reports whether the period's last week has ended at now.
func (p Period) Closed(now time.Time) bool { return !now.Before(p.To()) }

// Label names the period for people: "tháng 11/2026", "quý IV/2026".
func (p Period) Label() string {
	if y, q, ok := strings.Cut(p.Key, "-Q"); ok {
		roman := map[string]string{"1": "I", "2": "II", "3": "III", "4": "IV"}[q]
		return "quý " + roman + "/" + y
	}
	y, m, _ := strings.Cut(p.Key, "-")
	return "tháng " + m + "/" + y
}

// WeekKeys lists the period's weeks as strings.
func (p Period) WeekKeys() []string {
	out := make([]string, len(p.Weeks))
	for i, w := range p.Weeks {
		out[i] = w.String()
	}
	return out
}
