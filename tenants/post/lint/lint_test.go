package lint

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// only runs the single rule id on doc.
func only(t *testing.T, doc Doc, id string) []Finding {
	t.Helper()
	for _, r := range Rules() {
		if r.ID == id {
			return RunRules(doc, []Rule{r})
		}
	}
	t.Fatalf("no rule %q", id)
	return nil
}

// at is an expected finding: part and offset, and the length and
// suggestion when they are set.
type at struct {
	part       string
	off        int
	length     int // -1: not checked
	suggestion string
}

func title(off int) at { return at{PartTitle, off, -1, ""} }
func body(off int) at  { return at{PartBody, off, -1, ""} }

type ruleCase struct {
	name string
	doc  Doc
	want []at
}

// runCases checks that each case yields exactly the expected findings of
// the rule, in order, with valid fields.
func runCases(t *testing.T, id string, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := only(t, c.doc, id)
			if len(got) != len(c.want) {
				t.Fatalf("got %d findings %+v, want %d %+v", len(got), got, len(c.want), c.want)
			}
			p := Parse(c.doc)
			for i, w := range c.want {
				f := got[i]
				if f.Part != w.part || f.Offset != w.off {
					t.Errorf("finding %d at %s:%d, want %s:%d (%+v)", i, f.Part, f.Offset, w.part, w.off, f)
				}
				if w.length >= 0 && f.Length != w.length {
					t.Errorf("finding %d length %d, want %d", i, f.Length, w.length)
				}
				if w.suggestion != "" && f.Suggestion != w.suggestion {
					t.Errorf("finding %d suggestion %q, want %q", i, f.Suggestion, w.suggestion)
				}
				if f.Rule != id || f.Message == "" {
					t.Errorf("finding %d: rule %q message %q", i, f.Rule, f.Message)
				}
				checkSpan(t, p, f)
			}
		})
	}
}

func checkSpan(t *testing.T, p *Parsed, f Finding) {
	t.Helper()
	var n int
	switch f.Part {
	case PartTitle:
		n = len(p.Title.Runes)
	case PartSummary:
		n = len(p.Summary.Runes)
	case PartBody:
		n = len(p.Body.Runes)
	default:
		t.Errorf("finding part %q", f.Part)
		return
	}
	if f.Offset < 0 || f.Length < 0 || f.Offset+f.Length > n {
		t.Errorf("%s span %d+%d outside %s text of %d runes", f.Rule, f.Offset, f.Length, f.Part, n)
	}
}

func TestNotNFC(t *testing.T) {
	nfd := norm.NFD.String("Hòa bình")
	runCases(t, "not-nfc", []ruleCase{
		{"nfc", Doc{Title: "Hòa bình", Summary: "Tiếng Việt"}, nil},
		{"ascii", Doc{Title: "Hello"}, nil},
		{"nfd title", Doc{Title: nfd}, []at{{PartTitle, 1, 2, "ò"}}},
		{"nfd later", Doc{Summary: "Việt Nam " + norm.NFD.String("Đà Nẵng")}, []at{{PartSummary, 10, 2, "à"}}},
		{"nfd body", Doc{BodyHTML: "<p>" + nfd + "</p>"}, []at{{PartBody, 1, 2, "ò"}}},
		{"one per part", Doc{Title: nfd, BodyHTML: nfd + nfd}, []at{{PartTitle, 1, 2, ""}, {PartBody, 1, 2, ""}}},
	})
}

func TestNormalizeNFC(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
		changed        bool
	}{
		{"nfc", "Hòa bình", "Hòa bình", false},
		{"nfd", norm.NFD.String("Hòa bình, Việt Nam"), "Hòa bình, Việt Nam", true},
		{"empty", "", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, changed := NormalizeNFC(c.in)
			if got != c.want || changed != c.changed {
				t.Errorf("NormalizeNFC = %q, %v; want %q, %v", got, changed, c.want, c.changed)
			}
		})
	}
}

func TestDoubleSpace(t *testing.T) {
	runCases(t, "double-space", []ruleCase{
		{"single", Doc{Title: "Hà Nội mùa thu"}, nil},
		{"two in title", Doc{Title: "Hà  Nội"}, []at{{PartTitle, 2, 2, "Hà Nội"}}},
		{"three", Doc{Summary: "Hà   Nội"}, []at{{PartSummary, 2, 3, ""}}},
		{"nbsp pair in body", Doc{BodyHTML: "<p>Hà&nbsp; Nội</p>"}, []at{{PartBody, 2, 2, ""}}},
		{"html spaces collapse", Doc{BodyHTML: "<p>Hà    Nội\n   mùa thu</p>"}, nil},
		{"trailing", Doc{Title: "Hà Nội  "}, nil},
		{"leading", Doc{Title: "  Hà Nội"}, nil},
		{"indented line", Doc{Summary: "Dòng một\n    dòng hai"}, nil},
		{"second paragraph", Doc{BodyHTML: "<p>Một hai</p><p>Ba&nbsp;&nbsp;bốn</p>"}, []at{body(10)}},
	})
}

func TestSpaceBeforePunctuation(t *testing.T) {
	runCases(t, "space-before-punctuation", []ruleCase{
		{"clean", Doc{Title: "Hà Nội, ngày 5; giờ: 9! Sao? Xong."}, nil},
		{"comma", Doc{Title: "Hà Nội , ngày"}, []at{{PartTitle, 6, 2, "Nội,"}}},
		{"colon", Doc{Summary: "Lưu ý :"}, []at{{PartSummary, 5, 2, ""}}},
		{"question", Doc{Summary: "Tại sao ?"}, []at{{PartSummary, 7, 2, ""}}},
		{"exclamation and semicolon", Doc{BodyHTML: "<p>Tốt ! Xong ;</p>"}, []at{body(3), body(10)}},
		{"nbsp before colon", Doc{BodyHTML: "<p>Chú ý&nbsp;: mai</p>"}, []at{body(5)}},
		{"two spaces", Doc{Title: "Xong  ."}, []at{{PartTitle, 4, 3, "Xong."}}},
		{"comma word", Doc{Title: "Hà Nội ,ngày"}, []at{title(6)}},
		{"domain", Doc{Title: "Tên miền .vn và .gov.vn"}, nil},
		{"ellipsis", Doc{Title: "Và còn nữa ..."}, nil},
		{"line start", Doc{Summary: "Dòng một\n, dòng hai"}, nil},
	})
}

func TestMissingSpaceAfterPunctuation(t *testing.T) {
	runCases(t, "missing-space-after-punctuation", []ruleCase{
		{"comma", Doc{Title: "Lao động,việc làm"}, []at{{PartTitle, 8, 1, "động, việc"}}},
		{"period", Doc{Summary: "Đã xong.Sau đó về."}, []at{{PartSummary, 7, 1, ""}}},
		{"colon", Doc{Summary: "Lưu ý:Không"}, []at{{PartSummary, 5, 1, ""}}},
		{"question", Doc{Summary: "Sao?Tôi"}, []at{{PartSummary, 3, 1, ""}}},
		{"exclamation", Doc{Summary: "Tốt!Chúng ta"}, []at{{PartSummary, 3, 1, ""}}},
		{"semicolon", Doc{Summary: "một;hai"}, []at{{PartSummary, 3, 1, ""}}},
		{"before quote", Doc{BodyHTML: "<p>Ông nói:“Chúng tôi”</p>"}, []at{body(7)}},
		{"after ellipsis", Doc{Title: "Chờ...và đợi"}, []at{title(5)}},
		{"after space comma", Doc{Title: "Hà Nội ,ngày"}, []at{title(7)}},
		{"decimal", Doc{Title: "Tăng 1,5 lần, đạt 3.000 người"}, nil},
		{"time", Doc{Title: "Lúc 09:00 sáng"}, nil},
		{"date", Doc{Title: "Ngày 05.04.2019"}, nil},
		{"abbreviations", Doc{Title: "TP.HCM, Q.Ba Đình, PGS.TS Nguyễn, Tp.Huế, ThS.Lê"}, nil},
		{"host", Doc{Title: "Xem molisa.gov.vn, www.Molisa.gov.vn"}, nil},
		{"url", Doc{Title: "Xem https://molisa.gov.vn/tin?id=5&a=b,c"}, nil},
		{"email", Doc{Title: "Gửi thư: lienhe@molisa.gov.vn"}, nil},
		{"etc", Doc{Title: "sách, vở, v.v..."}, nil},
		{"leading dot", Doc{Title: "Nền tảng .NET"}, nil},
		{"end", Doc{Title: "Xong."}, nil},
		{"sentence then capital name", Doc{Title: "Việt Nam.Sau đó"}, []at{title(8)}},
	})
}

func TestUnbalancedBrackets(t *testing.T) {
	runCases(t, "unbalanced-brackets", []ruleCase{
		{"balanced", Doc{Title: "Hội nghị (lần 2) [trực tuyến] (có (lồng) nhau)"}, nil},
		{"unclosed", Doc{Title: "Hội nghị (lần 2"}, []at{{PartTitle, 9, 1, ""}}},
		{"unopened", Doc{Title: "Hội nghị lần hai)"}, []at{title(16)}},
		{"word then closer", Doc{Title: "kết quả) tốt"}, []at{title(7)}},
		{"mismatched", Doc{Title: "(a]"}, []at{title(0), title(2)}},
		{"list labels", Doc{Summary: "a) Một\nb) Hai\n1) Ba\niv) Bốn; gồm: c) năm"}, nil},
		{"per line", Doc{Summary: "mở (một\nhai) đóng"}, []at{{PartSummary, 3, 1, ""}, {PartSummary, 11, 1, ""}}},
		{"per paragraph in body", Doc{BodyHTML: "<p>mở (một</p><p>hai) đóng</p>"}, []at{body(3), body(11)}},
		{"inline tags join", Doc{BodyHTML: "<p>mở (<b>một</b>) đóng</p>"}, nil},
	})
}

func TestUnbalancedQuotes(t *testing.T) {
	runCases(t, "unbalanced-quotes", []ruleCase{
		{"curly", Doc{Title: "Phong trào “Nghĩa tình đồng đội”"}, nil},
		{"straight", Doc{Title: `Phong trào "Nghĩa tình"`}, nil},
		{"guillemets", Doc{Title: "Sách «Đất rừng»"}, nil},
		{"nested", Doc{Title: "“Anh nói «được» rồi”"}, nil},
		{"unclosed curly", Doc{Title: "Phong trào “Nghĩa tình"}, []at{{PartTitle, 11, 1, ""}}},
		{"unopened curly", Doc{Title: "Nghĩa tình” đồng đội"}, []at{title(10)}},
		{"odd straight", Doc{Title: `"a" và "b`}, []at{title(7)}},
		{"per paragraph", Doc{BodyHTML: "<p>“Một</p><p>hai”</p>"}, []at{body(0), body(8)}},
	})
}

func TestTitleAllCaps(t *testing.T) {
	runCases(t, "title-all-caps", []ruleCase{
		{"caps", Doc{Title: "SỞ LAO ĐỘNG TỔ CHỨC HỘI NGHỊ"}, []at{{PartTitle, 0, 28, "Sở lao động tổ chức hội nghị"}}},
		{"mostly caps", Doc{Title: "UBND TỈNH BAN HÀNH KẾ HOẠCH về việc làm"}, []at{title(0)}},
		{"sentence case", Doc{Title: "Sở Lao động – Thương binh và Xã hội tổ chức hội nghị"}, nil},
		{"acronym", Doc{Title: "Sở LĐTBXH tổ chức hội nghị tổng kết"}, nil},
		{"short acronyms", Doc{Title: "BHXH, BHYT"}, nil},
		{"empty", Doc{}, nil},
	})
}

func TestTitleTooLong(t *testing.T) {
	long := strings.Repeat("ệ", MaxTitleRunes+1)
	runCases(t, "title-too-long", []ruleCase{
		{"limit", Doc{Title: strings.Repeat("ệ", MaxTitleRunes)}, nil},
		{"over", Doc{Title: long}, []at{{PartTitle, MaxTitleRunes, 1, ""}}},
	})
}

func TestTitleTrailingPeriod(t *testing.T) {
	runCases(t, "title-trailing-period", []ruleCase{
		{"period", Doc{Title: "Hội nghị tổng kết."}, []at{{PartTitle, 17, 1, "Hội nghị tổng kết"}}},
		{"period and space", Doc{Title: "Hội nghị. "}, []at{title(8)}},
		{"ellipsis", Doc{Title: "Chờ đợi..."}, nil},
		{"none", Doc{Title: "Hội nghị tổng kết"}, nil},
		{"question", Doc{Title: "Vì sao?"}, nil},
		{"only period", Doc{Title: "."}, []at{title(0)}},
	})
}

func TestSummary(t *testing.T) {
	runCases(t, "summary-missing", []ruleCase{
		{"missing", Doc{Title: "x"}, []at{{PartSummary, 0, 0, ""}}},
		{"blank", Doc{Summary: " \n\u00a0"}, []at{{PartSummary, 0, 0, ""}}},
		{"present", Doc{Summary: "Tóm tắt."}, nil},
	})
	runCases(t, "summary-too-long", []ruleCase{
		{"limit", Doc{Summary: strings.Repeat("ă", MaxSummaryRunes)}, nil},
		{"over", Doc{Summary: strings.Repeat("ă", MaxSummaryRunes+5)}, []at{{PartSummary, MaxSummaryRunes, 5, ""}}},
	})
}

func TestDateFormat(t *testing.T) {
	runCases(t, "date-format", []ruleCase{
		{"house style", Doc{Summary: "Ngày 05/04/2019 và 31/12/2020"}, nil},
		{"short day and month", Doc{Summary: "Ngày 5/4/2019"}, []at{{PartSummary, 5, 8, "05/04/2019"}}},
		{"dashes", Doc{Summary: "Ngày 05-04-2019"}, []at{{PartSummary, 5, 10, "05/04/2019"}}},
		{"dots", Doc{Summary: "ngày 05.04.2019."}, []at{{PartSummary, 5, 10, "05/04/2019"}}},
		{"iso", Doc{Summary: "ngày 2019-04-05 tới"}, []at{{PartSummary, 5, 10, "05/04/2019"}}},
		{"start of text", Doc{Title: "1/12/2020"}, []at{{PartTitle, 0, 9, "01/12/2020"}}},
		{"in body", Doc{BodyHTML: "<p>Hà Nội, 1/5/2021</p>"}, []at{{PartBody, 8, 8, "01/05/2021"}}},
		{"money", Doc{Summary: "3.000.000 đồng, 1,5 triệu, 12.500"}, nil},
		{"document number", Doc{Summary: "Quyết định số 15/2020/QĐ-UBND, Thông tư 10/2020/TT-BLĐTBXH"}, nil},
		{"version and ip", Doc{Summary: "bản 1.2.3, máy 10.0.0.1, 1.12.12.2019"}, nil},
		{"not a date", Doc{Summary: "32/13/2019, 5/4/19, 0912-345-678"}, nil},
		{"url", Doc{Summary: "https://molisa.gov.vn/2019-04-05/tin"}, nil},
		{"time", Doc{Summary: "09:00 ngày 05/04/2019"}, nil},
	})
}

func TestImages(t *testing.T) {
	runCases(t, "image-no-alt", []ruleCase{
		{"no alt", Doc{BodyHTML: `<p>Trước</p><img src="/media/a.jpg">`}, []at{{PartBody, 5, 0, "Ảnh a.jpg"}}},
		{"empty alt", Doc{BodyHTML: `<p>Ảnh <img src="/media/b.jpg" alt=" "> đây</p>`}, []at{body(4)}},
		{"alt", Doc{BodyHTML: `<img src="/media/a.jpg" alt="Quang cảnh hội nghị">`}, nil},
		{"no images", Doc{BodyHTML: `<p>Chữ</p>`}, nil},
	})
	runCases(t, "image-no-caption", []ruleCase{
		{"bare", Doc{BodyHTML: `<p><img src="a.jpg" alt="x"></p>`}, []at{body(0)}},
		{"figure without caption", Doc{BodyHTML: `<figure><img src="a.jpg" alt="x"></figure>`}, []at{body(0)}},
		{"blank caption", Doc{BodyHTML: `<figure><img src="a.jpg" alt="x"><figcaption> &nbsp;</figcaption></figure>`}, []at{body(0)}},
		{"captioned", Doc{BodyHTML: `<figure><img src="a.jpg" alt="x"><figcaption>Ảnh: TTXVN</figcaption></figure>`}, nil},
		{"caption first", Doc{BodyHTML: `<figure><figcaption>Ảnh: TTXVN</figcaption><img src="a.jpg" alt="x"></figure>`}, nil},
		{"second image outside", Doc{BodyHTML: `<figure><img src="a.jpg" alt="x"><figcaption>Chú thích</figcaption></figure><p>Chữ <img src="b.jpg" alt="y"></p>`}, []at{body(13)}},
	})
}

func TestLinks(t *testing.T) {
	runCases(t, "empty-link", []ruleCase{
		{"good", Doc{BodyHTML: `<p>Xem <a href="/tin/1">tin</a></p>`}, nil},
		{"image link", Doc{BodyHTML: `<a href="/tin/1"><img src="a.jpg" alt="Logo"></a>`}, nil},
		{"bookmark", Doc{BodyHTML: `<p><a name="_GoBack"></a><a id="muc-1"></a>Chữ</p>`}, nil},
		{"no href", Doc{BodyHTML: `<p>Xem <a>tin</a></p>`}, []at{{PartBody, 4, 3, ""}}},
		{"hash", Doc{BodyHTML: `<p>Xem <a href="#">tin</a></p>`}, []at{body(4)}},
		{"blank href", Doc{BodyHTML: `<p>Xem <a href="  ">tin</a></p>`}, []at{body(4)}},
		{"no text", Doc{BodyHTML: `<p>Xem <a href="/tin/1"> </a> nhé</p>`}, []at{body(4)}},
		{"image without alt", Doc{BodyHTML: `<p>Xem <a href="/tin/1"><img src="a.jpg"></a></p>`}, []at{body(3)}},
	})
	runCases(t, "javascript-link", []ruleCase{
		{"plain", Doc{BodyHTML: `<a href="javascript:alert(1)">bấm</a>`}, []at{{PartBody, 0, 3, ""}}},
		{"case", Doc{BodyHTML: `<a href="JaVaScRiPt:alert(1)">bấm</a>`}, []at{body(0)}},
		{"leading space", Doc{BodyHTML: `<a href="  javascript:x">bấm</a>`}, []at{body(0)}},
		{"tab entity", Doc{BodyHTML: `<a href="java&#x09;script:x">bấm</a>`}, []at{body(0)}},
		{"newline", Doc{BodyHTML: "<a href=\"java\nscript:x\">bấm</a>"}, []at{body(0)}},
		{"char entity", Doc{BodyHTML: `<a href="&#106;avascript:x">bấm</a>`}, []at{body(0)}},
		{"control", Doc{BodyHTML: "<a href=\"\x01javascript:x\">bấm</a>"}, []at{body(0)}},
		{"vbscript", Doc{BodyHTML: `<a href="vbscript:x">bấm</a>`}, []at{body(0)}},
		{"http", Doc{BodyHTML: `<a href="https://molisa.gov.vn/?q=javascript:x">bấm</a>`}, nil},
		{"path", Doc{BodyHTML: `<a href="/javascript-co-ban">bấm</a>`}, nil},
	})
}

func TestMixedToneMarks(t *testing.T) {
	runCases(t, "mixed-tone-marks", []ruleCase{
		{"first style only", Doc{Title: "Hòa bình", Summary: "khỏe, thúy, ủy ban, họa sĩ"}, nil},
		{"second style only", Doc{Title: "Hoà bình", Summary: "khoẻ, thuý, uỷ ban, hoạ sĩ"}, nil},
		{"unaffected words", Doc{Summary: "quý, quỳ, hoàn, thuyết, ngoài, khuya, hoà"}, nil},
		{"one each, first wins", Doc{Title: "Hòa bình", Summary: "hoà hợp"}, []at{{PartSummary, 0, 3, "hòa"}}},
		{"minority flagged", Doc{Summary: "hoà, khoẻ, thuý và hòa"}, []at{{PartSummary, 19, 3, "hoà"}}},
		{"capitals keep case", Doc{Summary: "Hoà, khoẻ, Thủy"}, []at{{PartSummary, 11, 4, "Thuỷ"}}},
		{"decomposed", Doc{Summary: norm.NFD.String("hòa") + " hoà hoà"}, []at{{PartSummary, 0, 4, "hoà"}}},
		{"in body", Doc{Title: "Thủy lợi", BodyHTML: "<p>Thuỷ điện, uỷ ban</p>"}, []at{{PartTitle, 0, 4, "Thuỷ"}}},
	})
	f := only(t, Doc{Summary: "hoà, khoẻ và hòa"}, "mixed-tone-marks")
	if len(f) != 1 || !strings.Contains(f[0].Message, "“hòa”") || !strings.Contains(f[0].Message, "“hoà”") {
		t.Errorf("message should give an example of each style: %+v", f)
	}
}

func TestBodyText(t *testing.T) {
	for _, c := range []struct{ name, html, want string }{
		{"paragraphs", "<p>Một</p><p>Hai</p>", "Một\nHai"},
		{"collapse", "<p>  Một \n  hai  </p>", "Một hai"},
		{"nbsp kept", "<p>a&nbsp; b</p>", "a\u00a0 b"},
		{"br", "a<br>b", "a\nb"},
		{"empty lines dropped", "<p>a</p><p> </p><p>&nbsp;</p><p>b</p>", "a\nb"},
		{"entities", "<p>A &amp; B &lt;3</p>", "A & B <3"},
		{"script dropped", "<p>a<script>x()</script>b</p>", "ab"},
		{"alt not text", `<p>a <img alt="ảnh"> b</p>`, "a b"},
		{"table cells", "<table><tr><td>1</td><td>2</td></tr></table>", "1\n2"},
		{"invalid utf8", "a\xffb", "a\ufffdb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := BodyText(c.html); got != c.want {
				t.Errorf("BodyText(%q) = %q, want %q", c.html, got, c.want)
			}
		})
	}
}

func TestRunSortsAndFills(t *testing.T) {
	doc := Doc{
		Title:    "HỘI NGHỊ TỔNG KẾT CÔNG TÁC NĂM.",
		BodyHTML: `<p>Hà  Nội ,ngày 5/4/2019</p><img src="a.jpg">`,
	}
	fs := Run(doc, nil)
	if len(fs) == 0 {
		t.Fatal("no findings")
	}
	for i := 1; i < len(fs); i++ {
		a, b := fs[i-1], fs[i]
		if partRank(a.Part) > partRank(b.Part) || a.Part == b.Part && a.Offset > b.Offset {
			t.Errorf("not sorted: %+v before %+v", a, b)
		}
	}
	if fs[0].Part != PartTitle || fs[len(fs)-1].Part != PartBody {
		t.Errorf("parts out of order: %+v", fs)
	}
	p := Parse(doc)
	for _, f := range fs {
		if f.Severity != Error && f.Severity != Warning || f.Message == "" || f.Rule == "" {
			t.Errorf("incomplete finding %+v", f)
		}
		checkSpan(t, p, f)
	}
	if !Blocking(fs) {
		t.Error("title in capitals and a missing summary should block")
	}
}

func TestBlocking(t *testing.T) {
	if Blocking(nil) || Blocking([]Finding{{Severity: Warning}}) {
		t.Error("warnings must not block")
	}
	if !Blocking([]Finding{{Severity: Warning}, {Severity: Error}}) {
		t.Error("an error must block")
	}
}

func TestConfig(t *testing.T) {
	doc := Doc{Title: "Hà  Nội.", Summary: ""}
	has := func(fs []Finding, id string) (Severity, bool) {
		for _, f := range fs {
			if f.Rule == id {
				return f.Severity, true
			}
		}
		return "", false
	}
	t.Run("defaults", func(t *testing.T) {
		fs := Run(doc, nil)
		if s, ok := has(fs, "summary-missing"); !ok || s != Error {
			t.Errorf("summary-missing = %q, %v", s, ok)
		}
		if s, ok := has(fs, "double-space"); !ok || s != Warning {
			t.Errorf("double-space = %q, %v", s, ok)
		}
	})
	t.Run("override and off", func(t *testing.T) {
		cfg := Config{"summary-missing": Warning, "double-space": Off, "title-trailing-period": Error}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		fs := Run(doc, cfg)
		if s, _ := has(fs, "summary-missing"); s != Warning {
			t.Errorf("summary-missing = %q, want warning", s)
		}
		if _, ok := has(fs, "double-space"); ok {
			t.Error("double-space is off")
		}
		if s, _ := has(fs, "title-trailing-period"); s != Error {
			t.Errorf("title-trailing-period = %q, want error", s)
		}
		if Blocking(Run(Doc{Summary: "x", Title: "Hà Nội."}, cfg)) != true {
			t.Error("raised to error, the trailing period should block")
		}
	})
	t.Run("apply does not change the table", func(t *testing.T) {
		rules := Rules()
		_ = Config{"not-nfc": Error}.Apply(rules)
		if rules[0].Severity != Warning {
			t.Error("Apply changed its input")
		}
	})
	t.Run("validate", func(t *testing.T) {
		for _, c := range []Config{{"no-such-rule": Warning}, {"double-space": "fatal"}} {
			if err := c.Validate(); err == nil {
				t.Errorf("%v: no error", c)
			}
		}
		if err := Config(nil).Validate(); err != nil {
			t.Error(err)
		}
	})
}

func TestRuleTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule %q", r.ID)
		}
		seen[r.ID] = true
		if r.Check == nil || r.Message == "" || r.Severity != Error && r.Severity != Warning {
			t.Errorf("rule %q incomplete", r.ID)
		}
		if r.ID != strings.ToLower(r.ID) || strings.ContainsAny(r.ID, " _") {
			t.Errorf("rule id %q is not kebab-case", r.ID)
		}
	}
	if len(seen) != 18 {
		t.Errorf("%d rules, want 18", len(seen))
	}
}

func TestFindingJSON(t *testing.T) {
	b, err := json.Marshal(Finding{Rule: "date-format", Severity: Warning, Part: PartBody, Offset: 3, Length: 8, Message: "m", Suggestion: "05/04/2019"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"rule":"date-format","severity":"warning","part":"body","offset":3,"length":8,"message":"m","suggestion":"05/04/2019"}`
	if string(b) != want {
		t.Errorf("json %s, want %s", b, want)
	}
}

func TestCleanArticleHasNoFindings(t *testing.T) {
	doc := article(300)
	if fs := Run(doc, nil); len(fs) != 0 {
		t.Errorf("clean article has findings: %+v", fs[:min(len(fs), 5)])
	}
}
