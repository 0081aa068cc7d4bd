// Package vntext holds the Vietnamese text rules the whole platform shares:
// Unicode NFC, slugs without diacritics (đ → d), dd/mm/yyyy dates and the
// Asia/Ho_Chi_Minh time zone.
package vntext

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode normalisation form C, the form Vietnamese text
// is stored in (input pasted from macOS or old tools often arrives as NFD).
func NFC(s string) string { return norm.NFC.String(s) }

// dStroke folds đ and Đ, which Unicode does not decompose into d and a
// mark. A Replacer is safe for concurrent use and costly to build (it is
// built on every media path and search otherwise), so there is one.
var dStroke = strings.NewReplacer("đ", "d", "Đ", "d")

// Slugify turns a Vietnamese title into a lower-case ASCII slug: diacritics
// dropped, đ/Đ → d, anything else not a letter or digit becomes one hyphen.
// maxLen bounds the result (cut at a hyphen when possible); 0 means 80.
func Slugify(s string, maxLen int) string {
	if maxLen <= 0 {
		maxLen = 80
	}
	plain := stripMarks(dStroke.Replace(s))
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(plain) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			hyphen = false
			continue
		}
		if !hyphen && b.Len() > 0 {
			b.WriteByte('-')
			hyphen = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if len(out) > maxLen {
		out = out[:maxLen]
		if i := strings.LastIndexByte(out, '-'); i > maxLen/2 {
			out = out[:i]
		}
		out = strings.TrimSuffix(out, "-")
	}
	return out
}

// Location is Asia/Ho_Chi_Minh. Vietnam has kept UTC+7 without daylight
// saving since 1975, so a fixed zone is exact and needs no tzdata on the host.
// Every date on a page goes through it, so the zone is built once (a
// *time.Location is never changed after it is made).
func Location() *time.Location { return ict }

var ict = time.FixedZone("ICT", 7*60*60)

// WeekLabel names the ISO week whose Monday is monday for people: "Tuần
// 45 (02/11–08/11/2026)". Forms offer weeks by it rather than with
// <input type=week>, which the browser writes in its own language.
func WeekLabel(monday time.Time) string {
	monday = monday.In(Location())
	_, num := monday.ISOWeek()
	return "Tuần " + strconv.Itoa(num) + " (" + monday.Format("02/01") + "–" + Date(monday.AddDate(0, 0, 6)) + ")"
}

// Date formats t as dd/mm/yyyy in Vietnam time; the zero time is "".
// The digits are written by hand: a home page formats about a hundred
// dates, and time.Format's layout parsing was two percent of its CPU.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	y, m, d := t.In(Location()).Date()
	if y < 0 || y > 9999 {
		return t.In(Location()).Format("02/01/2006")
	}
	b := [10]byte{byte('0' + d/10), byte('0' + d%10), '/', byte('0' + m/10), byte('0' + m%10), '/',
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10)}
	return string(b[:])
}

// DateTime formats t as "15:04 dd/mm/yyyy" in Vietnam time.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Location()).Format("15:04 02/01/2006")
}

// ISODate formats t as RFC 3339 in Vietnam time (a datetime attribute);
// the zero time is "". Written by hand as Date is; Vietnam's offset is
// always +07:00 (Location).
func ISODate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	v := t.In(Location())
	y, m, d := v.Date()
	if y < 0 || y > 9999 {
		return v.Format(time.RFC3339)
	}
	h, mi, sec := v.Clock()
	b := [25]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10), 'T',
		byte('0' + h/10), byte('0' + h%10), ':', byte('0' + mi/10), byte('0' + mi%10), ':',
		byte('0' + sec/10), byte('0' + sec%10), '+', '0', '7', ':', '0', '0'}
	return string(b[:])
}

// ParseDate reads dd/mm/yyyy (or yyyy-mm-dd) as a day in Vietnam time.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	// "2/1/2006" reads one or two digits of day and month: "6/12/2026"
	// as well as "06/12/2026".
	if t, err := time.ParseInLocation("2/1/2006", s, Location()); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02", s, Location())
}

// DateForm reports whether s is written as dd/mm/yyyy (one or two digits
// of day and month), whatever the numbers: a form tells "31/02/2024",
// which has the right form and names no day, from "2024.02.31".
func DateForm(s string) bool {
	parts := strings.Split(strings.TrimSpace(s), "/")
	if len(parts) != 3 || len(parts[2]) != 4 {
		return false
	}
	for i, p := range parts {
		if p == "" || i < 2 && len(p) > 2 || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// Day is the calendar day of t in Vietnam as midnight UTC: the form a
// DATE column keeps on both dialects (PostgreSQL would otherwise store a
// Vietnam midnight as the previous day in UTC).
func Day(t time.Time) time.Time {
	y, m, d := t.In(Location()).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Fold lower-cases s and drops its diacritics (đ → d), keeping spaces and
// punctuation, for accent-insensitive search.
func Fold(s string) string {
	return strings.ToLower(stripMarks(dStroke.Replace(s)))
}

// asciiLower maps each ASCII byte to its lower case, as one-byte strings
// cut from it need no allocation.
const asciiLower = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f" +
	" !\"#$%&'()*+,-./0123456789:;<=>?@abcdefghijklmnopqrstuvwxyz[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f"

// FoldRune is Fold of the one-rune string r, without Fold's transform
// chain (about 10 KB a call): a search result highlights its words by
// folding every rune of its title and summary. A letter with its marks
// folds to its base letter; a lone combining mark to "".
func FoldRune(r rune) string {
	if r < utf8.RuneSelf {
		return asciiLower[r : r+1]
	}
	if r == 'đ' || r == 'Đ' {
		return "d"
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFD.Properties(buf[:n]).Decomposition()
	if d == nil {
		if unicode.Is(unicode.Mn, r) {
			return ""
		}
		return string(unicode.ToLower(r))
	}
	base, size := utf8.DecodeRune(d)
	for rest := d[size:]; len(rest) > 0; {
		m, sz := utf8.DecodeRune(rest)
		if !unicode.Is(unicode.Mn, m) {
			// Not a letter with marks (a Hangul syllable, say): the
			// general path recomposes what is left.
			return Fold(string(r))
		}
		rest = rest[sz:]
	}
	if unicode.Is(unicode.Mn, base) {
		return Fold(string(r))
	}
	return string(unicode.ToLower(base))
}

// stripMarks drops the combining marks of s (tones, hats, breves): NFD,
// without the nonspacing marks, back to NFC. ASCII has none and is the
// same in every normal form, so it is returned as it is. The three steps
// run one after the other rather than as a transform.Chain, whose buffers
// were 7 KB a call: a picture's path slugifies its file name, so a home
// page with fifty pictures named in Vietnamese made 350 KB of them
// (BenchmarkImageRowAttrs). TestStripMarksAsChain holds it to the chain.
func stripMarks(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	d := norm.NFD.String(s)
	b := make([]byte, 0, len(d))
	// A byte that is not UTF-8 becomes U+FFFD, as it did in the chain.
	for _, r := range d {
		if !unicode.Is(unicode.Mn, r) {
			b = utf8.AppendRune(b, r)
		}
	}
	return norm.NFC.String(string(b))
}
