package lint

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRun checks that no input makes the lint panic, that every finding
// points inside its part's text and that severities and parts are valid.
func FuzzRun(f *testing.F) {
	f.Add("Hà  Nội ,ngày 5/4/2019.", "", `<p>“Một (hai</p><img src="a.jpg"><a href="java&#x09;script:x"></a>`)
	f.Add("SỞ LAO ĐỘNG TỔ CHỨC HỘI NGHỊ", "hoà và hòa", `<figure><img alt="x"><figcaption>c</figcaption></figure>`)
	f.Add("Së Lao ®éng Th\u00ad¬ng binh", "Sôû Lao ñoäng vaø Xaõ hoäi", "<p>ViÖt Nam n¨m 2019</p>")
	f.Add("Ho\u0300a", "a\u0301\u0302\u0323", "<p>o\u031b\u0301</p>\x00<a>")
	f.Add("", "", "<table><tr><td>1<td>2</table><svg><text>x</text></svg><br/>&nbsp;&nbsp;")
	f.Add("\xff\xfe", "2019-04-05 05.04.2019", "<a href='#'><img></a><p>a) b) (c]</p>")
	f.Fuzz(func(t *testing.T, title, summary, body string) {
		doc := Doc{Title: title, Summary: summary, BodyHTML: body}
		fs := Run(doc, nil)
		p := Parse(doc)
		lens := map[string]int{
			PartTitle:   len(p.Title.Runes),
			PartSummary: len(p.Summary.Runes),
			PartBody:    len(p.Body.Runes),
		}
		if got := utf8.RuneCountInString(title); got != lens[PartTitle] {
			t.Fatalf("title text has %d runes, the title %d", lens[PartTitle], got)
		}
		prev := Finding{Part: PartTitle}
		for _, f := range fs {
			n, ok := lens[f.Part]
			if !ok {
				t.Fatalf("finding with part %q: %+v", f.Part, f)
			}
			if f.Offset < 0 || f.Length < 0 || f.Offset+f.Length > n {
				t.Fatalf("%s: span %d+%d outside %s of %d runes", f.Rule, f.Offset, f.Length, f.Part, n)
			}
			if f.Severity != Error && f.Severity != Warning {
				t.Fatalf("%s: severity %q", f.Rule, f.Severity)
			}
			if f.Rule == "" || f.Message == "" {
				t.Fatalf("incomplete finding %+v", f)
			}
			if partRank(f.Part) < partRank(prev.Part) || f.Part == prev.Part && f.Offset < prev.Offset {
				t.Fatalf("not sorted: %+v after %+v", f, prev)
			}
			prev = f
		}
		if Blocking(fs) != hasError(fs) {
			t.Fatal("Blocking disagrees with the severities")
		}
		if s, changed := NormalizeNFC(title); changed == (s == title) {
			t.Fatalf("NormalizeNFC(%q) = %q, changed %v", title, s, changed)
		}
		// The converters must not panic either.
		_ = FromTCVN3(body)
		_ = FromVNI(body)
	})
}

func hasError(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// TestLargeInputs feeds long, repetitive inputs that would expose work
// quadratic in the text or unbounded output; each must finish quickly
// (the test timeout bounds it) and report a bounded number of findings.
func TestLargeInputs(t *testing.T) {
	for _, c := range []struct{ name, body string }{
		{"nested divs", strings.Repeat("<div>", 50000) + "x"},
		{"links", strings.Repeat("<a href=x>y", 20000)},
		{"links in tables", strings.Repeat("<a href=x><table><tr><td>", 5000) + "<img>"},
		{"captions in tables", strings.Repeat("<figure><table><tr><td><figcaption>", 5000) + "<img>"},
		{"commas", strings.Repeat(",a", 100000)},
		{"brackets", strings.Repeat("(", 100000)},
		{"dates", strings.Repeat("1/1/2000/", 30000)},
		{"spaces", strings.Repeat("a&nbsp;&nbsp;", 50000)},
		{"tone marks", strings.Repeat("hoà hòa ", 50000)},
		{"tcvn3", strings.Repeat("ViÖt ", 50000)},
		{"marks", strings.Repeat("o\u0301\u0302\u0323", 50000)},
	} {
		t.Run(c.name, func(t *testing.T) {
			head := c.body[:min(len(c.body), 2000)]
			fs := Run(Doc{Title: head, Summary: head, BodyHTML: c.body}, nil)
			if limit := len(Rules()) * MaxFindingsPerRule; len(fs) > limit {
				t.Errorf("%d findings, more than %d", len(fs), limit)
			}
		})
	}
}
