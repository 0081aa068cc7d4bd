package vntext

import (
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

func TestSlugify(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"d with stroke", "Đoàn Thanh niên", "doan-thanh-nien"},
		{"tone marks", "Trung tâm Dịch vụ việc làm Thanh Hóa", "trung-tam-dich-vu-viec-lam-thanh-hoa"},
		{"punctuation collapses", "Lao động – Việc làm!!", "lao-dong-viec-lam"},
		{"nfd input", "Ho\u0300a", "hoa"},
		{"only symbols", "—!?", ""},
		{"ascii skips the transform", "Bao cao Q1/2025 (ban cuoi)", "bao-cao-q1-2025-ban-cuoi"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Slugify(c.in, 0); got != c.want {
				t.Fatalf("Slugify(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

func TestSlugifyBoundsLength(t *testing.T) {
	got := Slugify("Hội nghị tổng kết công tác lao động người có công và xã hội năm 2024 triển khai nhiệm vụ năm 2025", 40)
	if len(got) > 40 || got[len(got)-1] == '-' {
		t.Fatalf("Slugify bounded = %q", got)
	}
}

func FuzzSlugify(f *testing.F) {
	f.Add("Tin tức – Sự kiện")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		out := Slugify(s, 60)
		if len(out) > 60 {
			t.Fatalf("too long: %q", out)
		}
		for _, r := range out {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("bad rune %q in %q", r, out)
			}
		}
	})
}

func TestDateIsVietnamTime(t *testing.T) {
	// 20:00 UTC on 31/12 is already 01/01 in Vietnam.
	utc := time.Date(2025, 12, 31, 20, 0, 0, 0, time.UTC)
	if got := Date(utc); got != "01/01/2026" {
		t.Fatalf("Date = %q", got)
	}
	for _, s := range []string{"05/04/2019", "5/4/2019", "2019-04-05", " 5/04/2019 "} {
		d, err := ParseDate(s)
		if err != nil || d.Day() != 5 || d.Month() != time.April || d.Year() != 2019 {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"04/05", "32/01/2019", "5-4-2019", ""} {
		if d, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", s, d)
		}
	}
}

// TestFoldRuneIsFold checks FoldRune against Fold on every rune of the
// Basic Multilingual Plane and of the Latin and combining blocks beyond.
func TestFoldRuneIsFold(t *testing.T) {
	if testing.Short() {
		t.Skip("folds 65,536 runes through the transform chain")
	}
	bad := 0
	for r := rune(0); r <= 0xFFFF; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		if got, want := FoldRune(r), Fold(string(r)); got != want {
			if bad++; bad <= 10 {
				t.Errorf("FoldRune(%U %q) = %q, Fold = %q", r, r, got, want)
			}
		}
	}
	for _, r := range "ệẾđĐÀỹỴ" {
		if FoldRune(r) == string(r) {
			t.Errorf("%q did not fold", r)
		}
	}
}

// TestStripMarksAsChain: stripMarks gives what the transform chain it
// replaced gave (NFD, nonspacing marks removed, NFC), on Vietnamese in
// both normal forms, other scripts' marks, marks with no letter, a
// Hangul syllable, emoji, and bytes that are not UTF-8.
func TestStripMarksAsChain(t *testing.T) {
	chain := func(s string) string {
		out, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
		if err != nil {
			t.Fatalf("chain on %q: %v", s, err)
		}
		return out
	}
	for _, s := range []string{
		"Ảnh hội nghị tổng kết năm 2026.jpg",
		"Ho\u0300a bi\u0300nh",   // NFD
		"Nguyễn Thị Thu Hằng",    // NFC
		"ĐẶNG ỨC ỸỶỴ",            // capitals
		"\u0301\u0300 chỉ dấu",   // marks with no letter before them
		"Crème brûlée, Ångström", // Latin-1
		"한국어 ㄱ",                  // Hangul: decomposed jamo are letters, not marks
		"Ελληνικά άέή",           // Greek tonos
		"हिन्दी",                 // Devanagari virama and vowel signs
		"emoji 👍🏽 ✔︎",
		"bad \xff\xfe bytes ế \xc3",
		"",
	} {
		if got, want := stripMarks(s), chain(s); got != want {
			t.Errorf("stripMarks(%q) = %q, the chain gives %q", s, got, want)
		}
	}
}

// TestDateAsFormat: Date and ISODate write what time.Format writes for
// dd/mm/yyyy and RFC 3339, from year 1 to 9999 and outside it, across
// Vietnam's midnight.
func TestDateAsFormat(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(1, 1, 1, 5, 0, 0, 0, time.UTC),
		time.Date(999, 3, 9, 16, 59, 59, 0, time.UTC),
		time.Date(1975, 4, 30, 17, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 4, 23, 30, 0, 0, time.UTC),
		time.Date(2027, 2, 28, 17, 0, 0, 1, time.UTC),
		time.Date(9999, 12, 31, 16, 59, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 17, 0, 0, 0, time.UTC),
		time.Date(-5, 6, 7, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := Date(at), at.In(Location()).Format("02/01/2006"); got != want {
			t.Errorf("Date(%v) = %q, want %q", at, got, want)
		}
		if got, want := ISODate(at), at.In(Location()).Format(time.RFC3339); got != want {
			t.Errorf("ISODate(%v) = %q, want %q", at, got, want)
		}
	}
	for d := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() < 2027; d = d.Add(37*time.Hour + 61*time.Second) {
		if got, want := Date(d), d.In(Location()).Format("02/01/2006"); got != want {
			t.Fatalf("Date(%v) = %q, want %q", d, got, want)
		}
		if got, want := ISODate(d), d.In(Location()).Format(time.RFC3339); got != want {
			t.Fatalf("ISODate(%v) = %q, want %q", d, got, want)
		}
	}
}
