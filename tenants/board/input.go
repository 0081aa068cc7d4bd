package board

import (
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Limits on the lengths of board texts, in characters.
const (
	MaxNameLen     = 120
	MaxTitleLen    = 200
	MaxDutiesLen   = 4000
	MaxNumberLen   = 60
	MaxEmailLen    = 254
	MaxAccountLen  = 100
	MaxOrder       = 10000
	maxHistoryRows = 500
)

// DecisionInput is what setting a board's decision needs.
type DecisionInput struct {
	// Number is the decision's number and symbol, e.g. "125/QĐ-TTDVVL".
	Number string
	// Date is the signing day; only its calendar day (in its own location) counts.
	Date        time.Time
	SignerName  string
	SignerTitle string
}

// MemberInput is what adding or updating a member needs. Update replaces
// every field with the input's.
type MemberInput struct {
	Name string
	// AccountID links the member to an account; "" for none.
	AccountID string
	// AccountEmail, when set, links the member to the account with that
	// e-mail instead (Service resolves it to AccountID).
	AccountEmail string
	Position     Position
	JobTitle     string
	Duties       string
	// Sections are slugs of the tenant's sections the member covers.
	Sections []string
	// Fields are codes of the sector's fields the member covers.
	Fields        []string
	Email         string
	Phone         string
	ContactPublic bool
	// Order places the member among those of the same position; 0 puts a
	// new member last (and keeps an updated member's place).
	Order int
}

// decisionNumber is a number, a slash, then the symbol: "125/QĐ-TTDVVL",
// "01/2024/QĐ-UBND".
var decisionNumber = regexp.MustCompile(`^[0-9]+/\S+$`)

// phoneChars are the characters a phone number may be written with.
var phoneChars = regexp.MustCompile(`^\+?[0-9 ().\-]+$`)

// cleanLine is s in NFC with runs of white space made one space.
func cleanLine(s string) string {
	return strings.Join(strings.Fields(vntext.NFC(s)), " ")
}

// cleanText is multi-line s in NFC with Unix line ends, each line trimmed
// and runs of blank lines made one.
func cleanText(s string) string {
	s = strings.ReplaceAll(vntext.NFC(s), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

func tooLong(s string, max int) bool { return utf8.RuneCountInString(s) > max }

// normalize cleans in and checks everything that needs no database; the
// calendar day of Date becomes midnight UTC. now bounds the date.
func (in DecisionInput) normalize(now time.Time) (DecisionInput, error) {
	in.Number = strings.Join(strings.Fields(vntext.NFC(in.Number)), "")
	in.SignerName = cleanLine(in.SignerName)
	in.SignerTitle = cleanLine(in.SignerTitle)
	switch {
	case in.Number == "":
		return in, errs.Invalid("number", "decision_no_required", "Cần nhập số quyết định thành lập Ban Biên tập")
	case tooLong(in.Number, MaxNumberLen) || !decisionNumber.MatchString(in.Number):
		return in, errs.Invalid("number", "decision_no_format",
			fmt.Sprintf("Số quyết định %q không đúng dạng số/ký hiệu, ví dụ 125/QĐ-TTDVVL", in.Number))
	case in.Date.IsZero():
		return in, errs.Invalid("date", "decision_date_required", "Cần nhập ngày ký quyết định (dd/mm/yyyy)")
	}
	y, m, d := in.Date.Date()
	in.Date = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	ty, tm, td := now.In(vntext.Location()).Date()
	if in.Date.After(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)) {
		return in, errs.Invalid("date", "decision_date_future", "Ngày ký quyết định không thể sau ngày hôm nay")
	}
	if y < 1945 {
		return in, errs.Invalid("date", "decision_date_range", "Ngày ký quyết định không hợp lệ")
	}
	switch {
	case in.SignerName == "":
		return in, errs.Invalid("signer_name", "signer_name_required", "Cần nhập họ tên người ký quyết định")
	case tooLong(in.SignerName, MaxNameLen):
		return in, errs.Invalid("signer_name", "signer_name_length", fmt.Sprintf("Họ tên người ký dài quá %d ký tự", MaxNameLen))
	case in.SignerTitle == "":
		return in, errs.Invalid("signer_title", "signer_title_required", "Cần nhập chức vụ người ký quyết định")
	case tooLong(in.SignerTitle, MaxTitleLen):
		return in, errs.Invalid("signer_title", "signer_title_length", fmt.Sprintf("Chức vụ người ký dài quá %d ký tự", MaxTitleLen))
	}
	return in, nil
}

// normalize cleans in and checks everything that needs no database.
// Section slugs and field codes are trimmed and de-duplicated here and
// checked against the database by the store.
func (in MemberInput) normalize() (MemberInput, error) {
	in.Name = cleanLine(in.Name)
	in.AccountID = strings.TrimSpace(in.AccountID)
	in.Position = Position(strings.TrimSpace(string(in.Position)))
	in.JobTitle = cleanLine(in.JobTitle)
	in.Duties = cleanText(in.Duties)
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Phone = strings.Join(strings.Fields(in.Phone), " ")
	in.Sections = uniqueTrimmed(in.Sections)
	in.Fields = uniqueTrimmed(in.Fields)
	switch {
	case in.Name == "":
		return in, errs.Invalid("name", "name_required", "Cần nhập họ tên thành viên")
	case tooLong(in.Name, MaxNameLen):
		return in, errs.Invalid("name", "name_length", fmt.Sprintf("Họ tên thành viên dài quá %d ký tự", MaxNameLen))
	case !in.Position.Valid():
		return in, errs.Invalid("position", "position_invalid",
			fmt.Sprintf("Vị trí %q không hợp lệ: chọn Trưởng ban, Phó ban, Thư ký, Biên tập viên hoặc Cộng tác viên", in.Position))
	case tooLong(in.JobTitle, MaxTitleLen):
		return in, errs.Invalid("job_title", "job_title_length", fmt.Sprintf("Chức vụ tại đơn vị dài quá %d ký tự", MaxTitleLen))
	case tooLong(in.Duties, MaxDutiesLen):
		return in, errs.Invalid("duties", "duties_length", fmt.Sprintf("Nhiệm vụ dài quá %d ký tự", MaxDutiesLen))
	case tooLong(in.AccountID, MaxAccountLen):
		return in, errs.Invalid("account_id", "account_id_length", "Mã tài khoản không hợp lệ")
	case in.Order < 0 || in.Order > MaxOrder:
		return in, errs.Invalid("order", "order_range", fmt.Sprintf("Thứ tự phải từ 0 đến %d", MaxOrder))
	}
	if in.Email != "" {
		a, err := mail.ParseAddress(in.Email)
		if err != nil || a.Address != in.Email || tooLong(in.Email, MaxEmailLen) || !strings.Contains(in.Email[strings.LastIndexByte(in.Email, '@'):], ".") {
			return in, errs.Invalid("email", "email_invalid", fmt.Sprintf("Địa chỉ thư điện tử %q không hợp lệ", in.Email))
		}
	}
	if in.Phone != "" {
		digits := 0
		for _, r := range in.Phone {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if !phoneChars.MatchString(in.Phone) || digits < 6 || digits > 15 {
			return in, errs.Invalid("phone", "phone_invalid", fmt.Sprintf("Số điện thoại %q không hợp lệ", in.Phone))
		}
	}
	return in, nil
}

// uniqueTrimmed drops blanks and repeats from list, keeping the first order.
func uniqueTrimmed(list []string) []string {
	out := make([]string, 0, len(list))
	seen := make(map[string]bool, len(list))
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
