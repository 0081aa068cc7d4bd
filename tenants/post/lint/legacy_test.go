package lint

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// encodeTCVN3 turns Unicode text into what a TCVN3 (ABC) paste looks like,
// as an old Word file typed in .VnTime shows when read as Windows-1252.
// Capitals with a tone mark have no TCVN3 code and take the small one, as
// the .VnTimeH font does.
func encodeTCVN3(t testing.TB, s string) string {
	t.Helper()
	letters, glyphs := []rune(tcvn3Letters), []rune(tcvn3Glyphs)
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		if r < 0x80 {
			b.WriteRune(r)
			continue
		}
		i := indexRune(letters, r)
		if i < 0 {
			i = indexRune(letters, unicode.ToLower(r))
		}
		if i < 0 {
			b.WriteRune(r) // "–" and the like are the same in both
			continue
		}
		b.WriteRune(glyphs[i])
	}
	return b.String()
}

func indexRune(rs []rune, r rune) int {
	for i, x := range rs {
		if x == r {
			return i
		}
	}
	return -1
}

// encodeVNI turns Unicode text into a VNI-Windows paste, from the
// decomposition of each letter, independently of FromVNI.
func encodeVNI(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		switch r {
		case 'đ':
			b.WriteRune('ñ')
			continue
		case 'Đ':
			b.WriteRune('Ñ')
			continue
		}
		d := []rune(norm.NFD.String(string(r)))
		if len(d) == 1 {
			b.WriteRune(r)
			continue
		}
		base, upper := unicode.ToLower(d[0]), unicode.IsUpper(d[0])
		var hat rune
		tone := 0 // 0 none, then acute, grave, hook, tilde, dot
		for _, m := range d[1:] {
			if i := indexRune([]rune("\u0301\u0300\u0309\u0303\u0323"), m); i >= 0 {
				tone = i + 1
			} else {
				hat = m
			}
		}
		var out []rune
		switch {
		case base == 'i':
			out = []rune{[]rune("iíìæóò")[tone]}
		case base == 'y' && tone == 5:
			out = []rune{'î'}
		case hat == '\u031b': // horn: ơ is ô, ư is ö, then the tone
			out = []rune{'ô'}
			if base == 'u' {
				out = []rune{'ö'}
			}
			if tone > 0 {
				out = append(out, []rune("ùøûõï")[tone-1])
			}
		case hat == '\u0302':
			out = []rune{base, []rune("âáàåãä")[tone]}
		case hat == '\u0306':
			out = []rune{base, []rune("êéèúüë")[tone]}
		default:
			out = []rune{base, []rune("ùøûõï")[tone-1]}
		}
		for _, x := range out {
			if upper {
				x = unicode.ToUpper(x)
			}
			b.WriteRune(x)
		}
	}
	return b.String()
}

// Sentences of the kind the boards publish.
func legacySentences() []string {
	return []string{
		"Sở Lao động – Thương binh và Xã hội tỉnh Thanh Hóa tổ chức hội nghị tổng kết công tác năm 2019.",
		"Trong năm, toàn tỉnh đã giải quyết việc làm cho hơn 65.000 người lao động, vượt 8% kế hoạch.",
		"Các chính sách ưu đãi người có công với cách mạng được thực hiện đầy đủ, kịp thời và đúng đối tượng.",
		"Quỹ Bảo trợ trẻ em Việt Nam trao học bổng cho học sinh nghèo vượt khó ở huyện miền núi.",
	}
}

func TestEncodersMatchKnownPastes(t *testing.T) {
	// Strings seen in real pastes, written by hand.
	for _, c := range []struct{ enc, uni, want string }{
		{"tcvn3", "Sở Lao động", "Së Lao ®éng"},
		{"tcvn3", "Thương binh", "Th\u00ad¬ng binh"},
		{"tcvn3", "Việt Nam", "ViÖt Nam"},
		{"tcvn3", "năm", "n¨m"},
		{"tcvn3", "Ninh Bình", "Ninh B×nh"},
		{"tcvn3", "Mường Khương", "M\u00adêng Kh\u00ad¬ng"},
		{"vni", "Việt Nam", "Vieät Nam"},
		{"vni", "Thanh Hóa", "Thanh Hoùa"},
		{"vni", "Xin chào các bạn", "Xin chaøo caùc baïn"},
		{"vni", "Lao động", "Lao ñoäng"},
		{"vni", "ĐẠI HỘI", "ÑAÏI HOÄI"},
		{"vni", "thuở", "thuôû"},
		{"vni", "ỉ ị ĩ ỵ ý", "æ ò ó î yù"},
	} {
		t.Run(c.enc+"/"+c.uni, func(t *testing.T) {
			var got, back string
			if c.enc == "tcvn3" {
				got, back = encodeTCVN3(t, c.uni), FromTCVN3(c.want)
			} else {
				got, back = encodeVNI(t, c.uni), FromVNI(c.want)
			}
			if got != c.want {
				t.Errorf("encode(%q) = %q, want %q", c.uni, got, c.want)
			}
			if back != c.uni {
				t.Errorf("decode(%q) = %q, want %q", c.want, back, c.uni)
			}
		})
	}
}

func TestTCVN3TableAligned(t *testing.T) {
	l, g := []rune(tcvn3Letters), []rune(tcvn3Glyphs)
	if len(l) != len(g) || len(l) != 74 {
		t.Fatalf("table lengths %d and %d, want 74", len(l), len(g))
	}
	seen := map[rune]bool{}
	for _, r := range g {
		if seen[r] || r < 0xA1 || r > 0xFE {
			t.Errorf("glyph %q repeated or outside Latin-1", r)
		}
		seen[r] = true
	}
}

func TestKnownLegacyWords(t *testing.T) {
	// Every word in the list must be what the encoders make of it, so the
	// list cannot drift from the tables.
	tcvn := []string{"và", "của", "là", "đã", "các", "Việt", "năm", "được", "người", "không", "những", "tại", "đến", "tỉnh", "xã"}
	vni := []string{"và", "của", "là", "đã", "các", "Việt", "năm", "được", "người", "không", "những", "tại", "đến", "tỉnh", "xã", "có", "với", "một"}
	for _, w := range tcvn {
		if tc, _ := knownLegacy([]rune(encodeTCVN3(t, w))); !tc {
			t.Errorf("TCVN3 %q (%q) not known", w, encodeTCVN3(t, w))
		}
	}
	for _, w := range vni {
		if _, v := knownLegacy([]rune(encodeVNI(t, w))); !v {
			t.Errorf("VNI %q (%q) not known", w, encodeVNI(t, w))
		}
	}
}

func TestLegacyEncodingDetected(t *testing.T) {
	for _, enc := range []string{"tcvn3", "vni"} {
		for i, s := range legacySentences() {
			var pasted, wantMsg string
			var decode func(string) string
			if enc == "tcvn3" {
				pasted, decode, wantMsg = encodeTCVN3(t, s), FromTCVN3, "TCVN3"
			} else {
				pasted, decode, wantMsg = encodeVNI(t, s), FromVNI, "VNI"
			}
			for _, part := range []string{PartTitle, PartSummary, PartBody} {
				t.Run(enc+"/"+part+"/"+string(rune('1'+i)), func(t *testing.T) {
					doc := Doc{Summary: "Tóm tắt.", Title: "Tiêu đề"}
					switch part {
					case PartTitle:
						doc.Title = pasted
					case PartSummary:
						doc.Summary = pasted
					case PartBody:
						doc.BodyHTML = "<p>" + pasted + "</p>"
					}
					fs := only(t, doc, "legacy-encoding")
					if len(fs) != 1 || fs[0].Part != part {
						t.Fatalf("%q: findings %+v, want one in %s", pasted, fs, part)
					}
					f := fs[0]
					if !strings.Contains(f.Message, wantMsg) {
						t.Errorf("message %q does not name %s", f.Message, wantMsg)
					}
					rs := []rune(pasted)
					if f.Offset < 0 || f.Offset+f.Length > len(rs) || f.Length == 0 {
						t.Fatalf("span %d+%d outside %d runes", f.Offset, f.Length, len(rs))
					}
					if want := decode(string(rs[f.Offset : f.Offset+f.Length])); f.Suggestion != want {
						t.Errorf("suggestion %q, want %q", f.Suggestion, want)
					}
					if !strings.Contains(strings.ToLower(s), strings.ToLower(f.Suggestion)) {
						t.Errorf("suggestion %q is not part of the original %q", f.Suggestion, s)
					}
				})
			}
			t.Run(enc+"/roundtrip/"+string(rune('1'+i)), func(t *testing.T) {
				// TCVN3 loses the capitals of toned letters; compare
				// ignoring case for it.
				if got := decode(pasted); !strings.EqualFold(got, s) {
					t.Errorf("decode(%q) = %q, want %q", pasted, got, s)
				}
			})
		}
	}
}

func TestLegacyShortPatterns(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       bool
	}{
		{"ViÖt Nam", "ViÖt Nam", true},
		{"n¨m 2019", "Tæng kÕt n¨m 2019", true},
		{"vni title", "Hoäi nghò toång keát naêm 2019", true},
		{"trademark", "Sản phẩm ABC® và Microsoft®", false},
		{"copyright", "© 2024 Sở Lao động – Thương binh và Xã hội", false},
		{"euro", "Giá vé 5 €", false},
		{"guillemets", "Cuốn sách «Những người khốn khổ» và «Chiến tranh và hoà bình»", false},
		{"units", "Liều 5 µg, nhiệt độ 25°C, diện tích 120 m², § 5", false},
		{"foreign names", "Gödel, Müller, Schröder và Jäger dự hội nghị", false},
		{"one name", "Chuyên gia Müller thăm Việt Nam", false},
		{"times", "Kích thước 3×4 m, tỷ lệ 1½", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := only(t, Doc{Title: c.text, Summary: "x"}, "legacy-encoding")
			if got := len(fs) > 0; got != c.want {
				t.Errorf("%q: flagged %v, want %v (%+v, scan %+v)", c.text, got, c.want, fs, scanLegacy([]rune(c.text)))
			}
		})
	}
}

// correctSentences are correct Unicode Vietnamese with varied marks, both
// tone styles, capitals, numbers and symbols.
func correctSentences() []string {
	return []string{
		"Thủ tướng Chính phủ vừa ký quyết định phê duyệt Chương trình mục tiêu quốc gia giảm nghèo bền vững.",
		"Ủy ban nhân dân tỉnh yêu cầu các sở, ngành khẩn trương rà soát hồ sơ hưởng trợ cấp xã hội.",
		"Người lao động được hỗ trợ học nghề, tìm việc làm và vay vốn ưu đãi để khởi nghiệp.",
		"Đoàn công tác đã thăm hỏi, tặng quà các gia đình chính sách nhân dịp kỷ niệm Ngày Thương binh – Liệt sĩ.",
		"Tỷ lệ hộ nghèo giảm còn 2,5%, thấp hơn mục tiêu Nghị quyết đề ra.",
		"Trẻ em có hoàn cảnh đặc biệt khó khăn được chăm sóc, nuôi dưỡng tại Trung tâm Bảo trợ xã hội.",
		"Bình đẳng giới và vì sự tiến bộ của phụ nữ là nhiệm vụ thường xuyên, lâu dài.",
		"Phòng, chống tệ nạn xã hội gắn với xây dựng đời sống văn hoá ở khu dân cư.",
		"Ông Nguyễn Văn Khoẻ, Giám đốc Sở, nhấn mạnh: “Không để ai bị bỏ lại phía sau”.",
		"Xuân về trên quê hương, thuở ấy khuya khoắt, đường ngoằn ngoèo, quý giá, huyết thống, giùm nhau.",
		"ĐOÀN THANH NIÊN SỞ TỔ CHỨC NGÀY HỘI VIỆC LÀM CHO SINH VIÊN NĂM CUỐI, KHOẺ ĐẸP, HOÀ NHẬP.",
		"Các em học sinh được tặng 500 cuốn vở, 200 bộ quần áo; anh Ẩn, chị Ổn, bà Ứng và ông Ỷ đều có mặt.",
		"Nhiệt độ 25°C, diện tích 120 m², © 2024 Sở Lao động; giá vé 5 €; chú thích¹.",
		"Hội thảo có chuyên gia Müller (Đức) và José Peña (Tây Ban Nha) cùng các đại biểu ở Hoà Bình, Khánh Hòa.",
		"Gió thổi nhè nhẹ, lúa trổ bông, ruộng đồng xanh mướt; giữa trưa, oi ả, người nông dân nghỉ ngơi.",
	}
}

func TestLegacyNoFalsePositive(t *testing.T) {
	for i, s := range correctSentences() {
		t.Run(string(rune('a'+i)), func(t *testing.T) {
			for _, doc := range []Doc{{Title: s}, {Summary: s}, {BodyHTML: "<p>" + s + "</p>"}} {
				if fs := only(t, doc, "legacy-encoding"); len(fs) > 0 {
					t.Errorf("%q flagged: %+v (scan %+v)", s, fs, scanLegacy([]rune(s)))
				}
			}
			// Nothing in a correct sentence is evidence at all.
			if sc := scanLegacy([]rune(s)); sc.score > 2 {
				t.Errorf("%q scores %d", s, sc.score)
			}
		})
	}
	t.Run("all together", func(t *testing.T) {
		all := strings.Join(correctSentences(), " ")
		if fs := only(t, Doc{BodyHTML: "<p>" + all + "</p>"}, "legacy-encoding"); len(fs) > 0 {
			t.Errorf("flagged: %+v", fs)
		}
	})
}
