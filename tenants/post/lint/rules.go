package lint

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Limits of the house style.
const (
	// MaxTitleRunes is the longest title that fits a listing and a search
	// result.
	MaxTitleRunes = 150
	// MaxSummaryRunes is the longest summary (sapo) that still reads as a
	// summary.
	MaxSummaryRunes = 400
	// minCapsLetters keeps short titles made of acronyms ("BHXH, BHYT")
	// from counting as written in capitals.
	minCapsLetters = 10
)

// Rules returns the default rule table. It is built on each call so that a
// caller may change its copy freely.
func Rules() []Rule {
	return []Rule{
		{ID: "not-nfc", Severity: Warning, Check: checkNFC,
			Message: "Văn bản chưa ở dạng Unicode dựng sẵn (NFC); hệ thống sẽ tự chuẩn hoá khi lưu"},
		{ID: "legacy-encoding", Severity: Error, Check: checkLegacy,
			Message: "Văn bản có vẻ dùng bảng mã cũ (TCVN3 hoặc VNI) — hãy chuyển sang Unicode"},
		{ID: "double-space", Severity: Warning, Check: checkDoubleSpace,
			Message: "Có hai dấu cách liền nhau"},
		{ID: "space-before-punctuation", Severity: Warning, Check: checkSpaceBefore,
			Message: "Thừa dấu cách trước dấu câu"},
		{ID: "missing-space-after-punctuation", Severity: Warning, Check: checkSpaceAfter,
			Message: "Thiếu dấu cách sau dấu câu"},
		{ID: "unbalanced-brackets", Severity: Warning, Check: checkBrackets,
			Message: "Dấu ngoặc không cân đối"},
		{ID: "unbalanced-quotes", Severity: Warning, Check: checkQuotes,
			Message: "Dấu ngoặc kép không cân đối"},
		{ID: "title-all-caps", Severity: Error, Check: checkTitleCaps,
			Message: "Tiêu đề viết hoa toàn bộ — chỉ viết hoa chữ đầu câu và tên riêng"},
		{ID: "title-too-long", Severity: Warning, Check: checkTitleLength,
			Message: fmt.Sprintf("Tiêu đề dài quá %d ký tự", MaxTitleRunes)},
		{ID: "title-trailing-period", Severity: Warning, Check: checkTitlePeriod,
			Message: "Tiêu đề không kết thúc bằng dấu chấm"},
		{ID: "summary-missing", Severity: Error, Check: checkSummaryMissing,
			Message: "Thiếu phần tóm tắt (sapo)"},
		{ID: "summary-too-long", Severity: Warning, Check: checkSummaryLength,
			Message: fmt.Sprintf("Phần tóm tắt (sapo) dài quá %d ký tự", MaxSummaryRunes)},
		{ID: "date-format", Severity: Warning, Check: checkDates,
			Message: "Ngày tháng không đúng kiểu dd/mm/yyyy"},
		{ID: "image-no-alt", Severity: Error, Check: checkImageAlt,
			Message: "Ảnh thiếu chú thích (alt) — mô tả ngắn nội dung ảnh cho người không xem được ảnh"},
		{ID: "image-no-caption", Severity: Warning, Check: checkImageCaption,
			Message: "Ảnh chưa có chú thích hiển thị dưới ảnh (figcaption)"},
		{ID: "empty-link", Severity: Error, Check: checkEmptyLink,
			Message: "Liên kết rỗng"},
		{ID: "javascript-link", Severity: Error, Check: checkJavascriptLink,
			Message: "Liên kết dùng “javascript:” — không được phép trong bài viết"},
		{ID: "mixed-tone-marks", Severity: Warning, Check: checkToneMarks,
			Message: "Dùng lẫn hai kiểu đặt dấu thanh trong cùng một bài"},
	}
}

// ---- shared helpers ------------------------------------------------------

// isHSpace reports white space inside a line: the space, the tab, the
// no-break space an editor makes for a second space, and the other Unicode
// spaces that Word pastes carry.
func isHSpace(r rune) bool {
	if r < 0x80 {
		return r == ' ' || r == '\t'
	}
	return r == '\u00a0' || unicode.Is(unicode.Zs, r)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isASCIILower(r rune) bool { return r >= 'a' && r <= 'z' }

// isWordRune reports runes that belong to a word, combining marks included
// so that decomposed (NFD) text holds together.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) || isDigit(r) }

// wordBefore returns the word ending just before i (at most 20 runes), for
// suggestions.
func wordBefore(rs []rune, i int) string {
	j := i
	for j > 0 && i-j < 20 && !unicode.IsSpace(rs[j-1]) {
		j--
	}
	return string(rs[j:i])
}

// wordAfter returns the word starting at i (at most 20 runes).
func wordAfter(rs []rune, i int) string {
	j := i
	for j < len(rs) && j-i < 20 && !unicode.IsSpace(rs[j]) {
		j++
	}
	return string(rs[i:j])
}

// looksLikeAddress reports a URL, e-mail address or host name (a token
// with "://" or "@", or starting with "www."), in which punctuation is not
// followed by a space. It works on runes so that scanning every token of a
// long text allocates nothing.
func looksLikeAddress(tok []rune) bool {
	for i, r := range tok {
		if r == '@' || r == ':' && i+2 < len(tok) && tok[i+1] == '/' && tok[i+2] == '/' {
			return true
		}
	}
	i := 0
	for i < len(tok) && strings.ContainsRune("(“\"'[", tok[i]) {
		i++
	}
	if len(tok)-i < 4 || tok[i+3] != '.' {
		return false
	}
	for k, want := range "www" {
		if unicode.ToLower(tok[i+k]) != want {
			return false
		}
	}
	return true
}

func punctName(r rune) string {
	switch r {
	case ',':
		return "dấu phẩy"
	case '.':
		return "dấu chấm"
	case ';':
		return "dấu chấm phẩy"
	case ':':
		return "dấu hai chấm"
	case '!':
		return "dấu chấm than"
	case '?':
		return "dấu chấm hỏi"
	}
	return "dấu câu"
}

func isSentencePunct(r rune) bool {
	switch r {
	case ',', '.', ';', ':', '!', '?':
		return true
	}
	return false
}

// ---- not-nfc -------------------------------------------------------------

func checkNFC(p *Parsed) []Finding {
	var out []Finding
	for _, t := range p.Parts() {
		s := t.Plain
		if norm.NFC.IsNormalString(s) {
			continue
		}
		// s[:i] is normal and i is a boundary; normalisation works segment
		// by segment, so the first segment that NFC changes is the one to
		// point at.
		i := norm.NFC.QuickSpanString(s)
		for i < len(s) {
			n := norm.NFC.NextBoundaryInString(s[i:], true)
			if n <= 0 {
				n = len(s) - i
			}
			seg := s[i : i+n]
			if fixed := norm.NFC.String(seg); fixed != seg {
				out = append(out, Finding{Part: t.Part, Offset: runeCount(s[:i]), Length: runeCount(seg), Suggestion: fixed})
				break
			}
			i += n
		}
	}
	return out
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }

// ---- spacing -------------------------------------------------------------

func checkDoubleSpace(p *Parsed) []Finding {
	var out []Finding
	for _, t := range p.Parts() {
		rs := t.Runes
		for i := 0; i < len(rs); i++ {
			if !isHSpace(rs[i]) {
				continue
			}
			j := i
			for j < len(rs) && isHSpace(rs[j]) {
				j++
			}
			// Only spaces between two words count: indentation and
			// trailing space are not seen between words.
			if j-i >= 2 && i > 0 && !unicode.IsSpace(rs[i-1]) && j < len(rs) && !unicode.IsSpace(rs[j]) {
				f := Finding{Part: t.Part, Offset: i, Length: j - i,
					Suggestion: wordBefore(rs, i) + " " + wordAfter(rs, j)}
				if j-i > 2 {
					f.Message = fmt.Sprintf("Có %d dấu cách liền nhau", j-i)
				}
				out = append(out, f)
			}
			i = j - 1
		}
	}
	return out
}

func checkSpaceBefore(p *Parsed) []Finding {
	var out []Finding
	for _, t := range p.Parts() {
		rs := t.Runes
		for i := 1; i < len(rs); i++ {
			r := rs[i]
			if !isSentencePunct(r) || !isHSpace(rs[i-1]) {
				continue
			}
			j := i - 1
			for j > 0 && isHSpace(rs[j-1]) {
				j--
			}
			if j == 0 || unicode.IsSpace(rs[j-1]) {
				continue // punctuation opening a line, e.g. a list
			}
			var next rune
			if i+1 < len(rs) {
				next = rs[i+1]
			}
			// An ellipsis after a space marks an omission; a dot before a
			// letter or digit starts a token (".vn", ".NET", ".5").
			if r == '.' && (next == '.' || isWordRune(next)) {
				continue
			}
			out = append(out, Finding{Part: t.Part, Offset: j, Length: i + 1 - j,
				Message:    "Thừa dấu cách trước " + punctName(r),
				Suggestion: wordBefore(rs, j) + string(r)})
		}
	}
	return out
}

// abbreviation reports a word that may be followed by a dot and a capital
// without a space: initials and titles ("TP.HCM", "PGS.TS", "Q.Ba Đình",
// "Tp.Huế", "ThS.Nguyễn").
func abbreviation(w []rune) bool {
	if len(w) == 0 {
		return false
	}
	upper := true
	for _, r := range w {
		if !unicode.IsUpper(r) {
			upper = false
			break
		}
	}
	if upper {
		return true
	}
	switch string(w) {
	case "Tp", "Th", "ThS", "Ths", "Bs", "Gs", "Ts", "Pgs", "Ks", "Nxb":
		return true
	}
	return false
}

func checkSpaceAfter(p *Parsed) []Finding {
	var out []Finding
	for _, t := range p.Parts() {
		rs := t.Runes
		for i := 1; i+1 < len(rs); i++ {
			r, prev, next := rs[i], rs[i-1], rs[i+1]
			if !isSentencePunct(r) {
				continue
			}
			if unicode.IsSpace(prev) && (r == '.' || r == ':') {
				continue // a token that starts with it: ".vn", ":D"
			}
			// Only a following word is missing its space; digits after
			// punctuation are numbers, times and dates (1,5; 3.000;
			// 09:00; 05.04.2019).
			if !unicode.IsLetter(next) && next != '“' && next != '(' {
				continue
			}
			if r == '.' {
				if isASCIILower(next) && (isASCIILetter(prev) || isDigit(prev)) {
					continue // host names and files: molisa.gov.vn, v.v
				}
				if unicode.IsUpper(next) {
					k := i
					for k > 0 && unicode.IsLetter(rs[k-1]) {
						k--
					}
					if abbreviation(rs[k:i]) {
						continue
					}
				}
			}
			if t.inAddress(i) {
				continue
			}
			out = append(out, Finding{Part: t.Part, Offset: i, Length: 1,
				Message:    "Thiếu dấu cách sau " + punctName(r),
				Suggestion: wordBefore(rs, i) + string(r) + " " + wordAfter(rs, i+1)})
		}
	}
	return out
}

// ---- brackets and quotes -------------------------------------------------

type mark struct {
	r   rune
	off int
}

// enumerator reports a closing bracket that ends a list label, "a)",
// "2)" or "iv)", at the start of a line or after a space: such labels have
// no opening bracket by design. A longer word before the bracket ("quả)")
// is an error, not a label.
func enumerator(rs []rune, lineStart, i int) bool {
	k := i
	for k > lineStart && i-k < 5 && (unicode.IsLetter(rs[k-1]) || isDigit(rs[k-1])) {
		k--
	}
	if k == i || !(k == lineStart || unicode.IsSpace(rs[k-1])) {
		return false
	}
	label := rs[k:i]
	digits, roman := true, true
	for _, r := range label {
		digits = digits && isDigit(r)
		roman = roman && strings.ContainsRune("ivxIVX", r)
	}
	return len(label) == 1 || digits && len(label) <= 3 || roman && len(label) <= 4
}

func checkBrackets(p *Parsed) []Finding {
	var out []Finding
	for _, t := range p.Parts() {
		rs := t.Runes
		for _, ln := range t.lines() {
			var stack []mark
			for i := ln[0]; i < ln[1]; i++ {
				switch r := rs[i]; r {
				case '(', '[':
					stack = append(stack, mark{r, i})
				case ')', ']':
					open := '('
					if r == ']' {
						open = '['
					}
					if n := len(stack); n > 0 && stack[n-1].r == open {
						stack = stack[:n-1]
						continue
					}
					if r == ')' && len(stack) == 0 && enumerator(rs, ln[0], i) {
						continue
					}
					out = append(out, Finding{Part: t.Part, Offset: i, Length: 1,
						Message: "Dấu đóng ngoặc " + quote(string(r)) + " không có dấu mở ngoặc tương ứng"})
				}
			}
			for _, m := range stack {
				closer := ")"
				if m.r == '[' {
					closer = "]"
				}
				out = append(out, Finding{Part: t.Part, Offset: m.off, Length: 1,
					Message: "Dấu mở ngoặc " + quote(string(m.r)) + " thiếu dấu đóng ngoặc " + quote(closer)})
			}
		}
	}
	return out
}

func checkQuotes(p *Parsed) []Finding {
	var out []Finding
	for _, t := range p.Parts() {
		rs := t.Runes
		for _, ln := range t.lines() {
			var stack []mark // “ and «
			straight := -1   // offset of an unpaired ", or -1
			for i := ln[0]; i < ln[1]; i++ {
				switch r := rs[i]; r {
				case '“', '«':
					stack = append(stack, mark{r, i})
				case '”', '»':
					open := '“'
					if r == '»' {
						open = '«'
					}
					if n := len(stack); n > 0 && stack[n-1].r == open {
						stack = stack[:n-1]
						continue
					}
					out = append(out, Finding{Part: t.Part, Offset: i, Length: 1,
						Message: "Dấu đóng ngoặc kép " + quote(string(r)) + " không có dấu mở tương ứng"})
				case '"':
					if straight < 0 {
						straight = i
					} else {
						straight = -1
					}
				}
			}
			for _, m := range stack {
				out = append(out, Finding{Part: t.Part, Offset: m.off, Length: 1,
					Message: "Dấu mở ngoặc kép " + quote(string(m.r)) + " thiếu dấu đóng"})
			}
			if straight >= 0 {
				out = append(out, Finding{Part: t.Part, Offset: straight, Length: 1,
					Message: "Dấu ngoặc kép \" không có dấu đóng tương ứng"})
			}
		}
	}
	return out
}

// ---- title and summary ---------------------------------------------------

func checkTitleCaps(p *Parsed) []Finding {
	var letters, upper int
	for _, r := range p.Title.Runes {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	// More than 70% capitals: a normal title with an acronym or two
	// ("Sở LĐTBXH tỉnh ...") stays well below.
	if letters < minCapsLetters || upper*10 <= letters*7 {
		return nil
	}
	return []Finding{{Part: PartTitle, Offset: 0, Length: len(p.Title.Runes),
		Suggestion: sentenceCase(p.Title.Plain)}}
}

// sentenceCase lowers every letter but the first. Proper names lose their
// capitals too, so the result is a starting point for the editor, not a
// fix to apply blindly.
func sentenceCase(s string) string {
	rs := []rune(strings.ToLower(s))
	for i, r := range rs {
		if unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
			break
		}
	}
	return string(rs)
}

func checkTitleLength(p *Parsed) []Finding {
	n := len(p.Title.Runes)
	if n <= MaxTitleRunes {
		return nil
	}
	return []Finding{{Part: PartTitle, Offset: MaxTitleRunes, Length: n - MaxTitleRunes,
		Message: fmt.Sprintf("Tiêu đề dài %d ký tự, quá %d ký tự", n, MaxTitleRunes)}}
}

func checkTitlePeriod(p *Parsed) []Finding {
	rs := p.Title.Runes
	n := len(rs)
	for n > 0 && unicode.IsSpace(rs[n-1]) {
		n--
	}
	if n == 0 || rs[n-1] != '.' || (n >= 2 && rs[n-2] == '.') {
		return nil
	}
	return []Finding{{Part: PartTitle, Offset: n - 1, Length: 1,
		Suggestion: string(rs[:n-1])}}
}

func checkSummaryMissing(p *Parsed) []Finding {
	if strings.TrimSpace(p.Summary.Plain) != "" {
		return nil
	}
	return []Finding{{Part: PartSummary}}
}

func checkSummaryLength(p *Parsed) []Finding {
	n := len(p.Summary.Runes)
	if n <= MaxSummaryRunes {
		return nil
	}
	return []Finding{{Part: PartSummary, Offset: MaxSummaryRunes, Length: n - MaxSummaryRunes,
		Message: fmt.Sprintf("Phần tóm tắt (sapo) dài %d ký tự, quá %d ký tự", n, MaxSummaryRunes)}}
}

// ---- dates ---------------------------------------------------------------

func isDateSep(r rune) bool { return r == '/' || r == '-' || r == '.' }

// digitsAt returns the value and length of the run of ASCII digits at i,
// reading at most 5 so that a long number is seen as too long.
func digitsAt(rs []rune, i int) (v, n int) {
	for i+n < len(rs) && n < 5 && isDigit(rs[i+n]) {
		v = v*10 + int(rs[i+n]-'0')
		n++
	}
	return v, n
}

func checkDates(p *Parsed) []Finding {
	var out []Finding
	for _, t := range p.Parts() {
		rs := t.Runes
		for i := 0; i < len(rs); i++ {
			if !isDigit(rs[i]) {
				continue
			}
			// Start only at the beginning of a number that is not part of
			// a longer chain (an IP address, a version, 1.12.12.2019).
			if i > 0 && (isDigit(rs[i-1]) || unicode.IsLetter(rs[i-1]) ||
				isDateSep(rs[i-1]) && i > 1 && isDigit(rs[i-2])) {
				continue
			}
			f, end, ok := parseDate(rs, i)
			if !ok {
				continue
			}
			if t.inAddress(i) {
				i = end - 1
				continue
			}
			if f != "" {
				out = append(out, Finding{Part: t.Part, Offset: i, Length: end - i,
					Message:    "Ngày " + quote(string(rs[i:end])) + " không đúng kiểu dd/mm/yyyy",
					Suggestion: f})
			}
			i = end - 1
		}
	}
	return out
}

// parseDate reads a date at i: d/m/yyyy, d-m-yyyy or d.m.yyyy (one or two
// digit day and month), or yyyy-mm-dd and the like. It returns the date in
// house style when the text differs from it ("" when it is already right),
// the end of the date and whether a date was read.
func parseDate(rs []rune, i int) (fixed string, end int, ok bool) {
	a, la := digitsAt(rs, i)
	j := i + la
	if j >= len(rs) || !isDateSep(rs[j]) {
		return "", 0, false
	}
	sep := rs[j]
	b, lb := digitsAt(rs, j+1)
	k := j + 1 + lb
	if lb == 0 || k >= len(rs) || rs[k] != sep {
		return "", 0, false
	}
	c, lc := digitsAt(rs, k+1)
	end = k + 1 + lc
	if lc == 0 {
		return "", 0, false
	}
	// The date must end here, not run on into a longer chain of numbers.
	if end < len(rs) && (isDigit(rs[end]) || unicode.IsLetter(rs[end]) ||
		isDateSep(rs[end]) && end+1 < len(rs) && isDigit(rs[end+1])) {
		return "", 0, false
	}
	var d, m, y int
	switch {
	case la <= 2 && lb <= 2 && lc == 4:
		d, m, y = a, b, c
	case la == 4 && lb <= 2 && lc <= 2:
		y, m, d = a, b, c
	default:
		return "", 0, false
	}
	if d < 1 || d > 31 || m < 1 || m > 12 || y < 1900 || y > 2100 {
		return "", 0, false
	}
	want := fmt.Sprintf("%02d/%02d/%04d", d, m, y)
	if string(rs[i:end]) == want {
		return "", end, true
	}
	return want, end, true
}

// ---- images and links ----------------------------------------------------

func checkImageAlt(p *Parsed) []Finding {
	var out []Finding
	for _, im := range p.Images {
		if strings.TrimSpace(im.Alt) != "" {
			continue
		}
		out = append(out, Finding{Part: PartBody, Offset: im.Offset, Suggestion: imageName(im)})
	}
	return out
}

func checkImageCaption(p *Parsed) []Finding {
	var out []Finding
	for _, im := range p.Images {
		if im.Captioned {
			continue
		}
		msg := ""
		if im.InFigure {
			msg = "Ảnh trong khung (figure) chưa có chú thích dưới ảnh (figcaption)"
		}
		out = append(out, Finding{Part: PartBody, Offset: im.Offset, Message: msg, Suggestion: imageName(im)})
	}
	return out
}

// imageName names an image in a suggestion by the last part of its src,
// which is how the editor recognises it.
func imageName(im Image) string {
	src := im.Src
	if i := strings.LastIndexByte(src, '/'); i >= 0 {
		src = src[i+1:]
	}
	if src == "" {
		return ""
	}
	if r := []rune(src); len(r) > 60 {
		src = string(r[:60]) + "…"
	}
	return "Ảnh " + src
}

func checkEmptyLink(p *Parsed) []Finding {
	var out []Finding
	for _, l := range p.Links {
		if l.Target {
			continue
		}
		href := strings.TrimSpace(l.Href)
		noHref := !l.HasHref || href == "" || href == "#"
		noText := l.Text == "" && !l.HasImage
		var msg string
		switch {
		case noHref && noText:
			msg = "Liên kết rỗng: không có địa chỉ và không có chữ"
		case noHref:
			msg = "Liên kết thiếu địa chỉ (href)"
		case noText:
			msg = "Liên kết không có chữ để bấm vào"
		default:
			continue
		}
		out = append(out, Finding{Part: PartBody, Offset: l.Offset, Length: l.Length, Message: msg})
	}
	return out
}

// scriptScheme reports an href that a browser runs as script. Browsers
// ignore leading control characters and spaces and every tab and newline
// in a URL, and schemes are case-insensitive, so "  JaVa\tScRiPt:" counts;
// entities were decoded by the HTML parser.
func scriptScheme(href string) bool {
	var b strings.Builder
	for _, r := range href {
		if r <= ' ' || r == '\u00a0' || r == '\u00ad' || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
		if b.Len() > len("javascript:") {
			break
		}
	}
	s := b.String()
	return strings.HasPrefix(s, "javascript:") || strings.HasPrefix(s, "vbscript:")
}

func checkJavascriptLink(p *Parsed) []Finding {
	var out []Finding
	for _, l := range p.Links {
		if l.HasHref && scriptScheme(l.Href) {
			out = append(out, Finding{Part: PartBody, Offset: l.Offset, Length: l.Length})
		}
	}
	return out
}
