package lint

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Old Word files typed in the TCVN3 (ABC) or VNI fonts store Vietnamese
// letters as single bytes; pasted as Windows-1252 text they arrive as
// Latin-1 look-alikes: "Së Lao ®éng" (TCVN3) or "Sôû Lao ñoäng" (VNI) for
// "Sở Lao động". Detection scores the words of a part: a legit Vietnamese
// text uses only a known set of Latin-1 letters, in known places, so the
// scores below are zero for it whatever its length, and a foreign name or
// a "©" does not add up to a finding.

// tcvn3Letters and tcvn3Glyphs align rune by rune: a Vietnamese letter and
// the character its TCVN3 code shows as. Upper-case letters with a tone
// mark have no code of their own (the .VnTimeH font draws the lower-case
// codes in capitals).
const (
	tcvn3Letters = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
	tcvn3Glyphs  = "µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦"
)

// tcvnSymbol reports the TCVN3 codes that show as symbols rather than
// letters (¸ µ ® « ¬ soft hyphen …). No European language has them inside
// a word, so one of them between letters is strong evidence.
func tcvnSymbol(r rune) bool {
	switch {
	case r >= 0xA1 && r <= 0xAE, r >= 0xB5 && r <= 0xB9, r >= 0xBB && r <= 0xBE:
		return true
	}
	return r == 0xD7 || r == 0xF7 // × ÷
}

// letterish reports a rune that may be part of a mojibake word.
func letterish(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) || tcvnSymbol(r) }

// symbolInWord reports whether a TCVN3 symbol at this place is inside a
// word. The side that counts depends on the symbol, so that the same
// character used as itself is not counted: "ABC®", "© 2024", "«Hello»",
// "5 µg", "§ 5", "chú thích¹".
func symbolInWord(r, prev, next rune) bool {
	switch r {
	case '®', '©': // đ, â: start words ("®éng", "©m")
		return letterish(next)
	case '«', 'µ': // ô, à: follow a consonant ("kh«ng", "lµ")
		return letterish(prev)
	case '¹': // ạ: inside the word ("t¹i", "ho¹ch"), unlike a footnote mark
		return letterish(prev) && letterish(next)
	case '»': // ằ: before the final consonant ("b»ng")
		return letterish(next)
	}
	return letterish(prev) || letterish(next)
}

// foreignLetter reports Latin-1 letters that Vietnamese never uses.
func foreignLetter(r rune) bool {
	switch r {
	case 'ä', 'å', 'æ', 'ç', 'ë', 'ï', 'ð', 'ñ', 'ö', 'ø', 'û', 'ü', 'þ', 'ÿ', 'ß',
		'Ä', 'Å', 'Æ', 'Ç', 'Ë', 'Ï', 'Ð', 'Ñ', 'Ö', 'Ø', 'Û', 'Ü', 'Þ':
		return true
	}
	return false
}

// vniAfter reports a VNI diacritic glyph r following the base letter prev
// where Vietnamese has no such pair: VNI writes "Vieät", "Hoùa", "khoâng".
// Pairs that are legit Vietnamese ("hoá", "xuân", "quê", "nguyên") are not
// counted.
func vniAfter(prev, r rune) bool {
	r = unicode.ToLower(r)
	tone := r == 'ù' || r == 'ø' || r == 'û' || r == 'õ' || r == 'ï'
	switch unicode.ToLower(prev) {
	case 'a', 'e':
		return tone || strings.ContainsRune("âáàåãäêéèúüë", r)
	case 'o':
		return tone || r == 'â' || r == 'å' || r == 'ä'
	case 'u', 'y', 'ô', 'ö':
		return tone
	}
	return false
}

// knownLegacy reports common words (và, của, là, đã, các, Việt, năm, được,
// người, không, những, tại, đến, tỉnh, xã, có, với, một) as they look in
// TCVN3 or VNI. Compared after lowering ASCII letters only, as the glyphs
// are not letters of a case.
func knownLegacy(tok []rune) (tcvn, vni bool) {
	switch asciiLower(tok) {
	case "vµ", "cña", "lµ", "®·", "c¸c", "viÖt", "n¨m", "®\u00adîc", "ng\u00adêi",
		"kh«ng", "nh÷ng", "t¹i", "®Õn", "tØnh", "x·":
		return true, false
	case "vaø", "cuûa", "laø", "ñaõ", "caùc", "vieät", "naêm", "ñöôïc", "ngöôøi",
		"khoâng", "nhöõng", "taïi", "ñeán", "tænh", "xaõ", "coù", "vôùi", "moät":
		return false, true
	}
	return false, false
}

func asciiLower(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// legacyTokenRune reports runes of a word for detection: anything but
// space, ASCII punctuation and the General Punctuation block (“ ” … –).
// TCVN3 glyphs such as "·" and "¬" are punctuation to Unicode, so they
// must not split a word.
func legacyTokenRune(r rune) bool {
	switch {
	case unicode.IsSpace(r):
		return false
	case r < 0x80:
		return isASCIILetter(r) || isDigit(r)
	case r >= 0x2000 && r <= 0x206F:
		return false
	}
	return true
}

// legacyScan is the outcome of scoring one text.
type legacyScan struct {
	words    int // words with a letter
	suspects int // words with evidence
	score    int
	strong   bool // a TCVN3 symbol, a case anomaly or a known word
	tcvn     int  // evidence for TCVN3
	vni      int  // evidence for VNI
	first    [2]int
}

func scanLegacy(rs []rune) legacyScan {
	sc := legacyScan{first: [2]int{-1, -1}}
	for i := 0; i < len(rs); {
		if !legacyTokenRune(rs[i]) {
			i++
			continue
		}
		s := i
		for i < len(rs) && legacyTokenRune(rs[i]) {
			i++
		}
		sc.word(rs, s, i)
	}
	return sc
}

func (sc *legacyScan) word(rs []rune, s, e int) {
	hasLetter, weight, strong := false, 0, false
	for k := s; k < e; k++ {
		r := rs[k]
		var prev, next rune
		if k > s {
			prev = rs[k-1]
		}
		if k+1 < e {
			next = rs[k+1]
		}
		if letterish(r) {
			hasLetter = true
		}
		switch {
		case tcvnSymbol(r):
			if symbolInWord(r, prev, next) {
				weight, strong = max(weight, 2), true
				sc.tcvn++
			}
		case r >= 0xC0 && r <= 0xDE && (isASCIILower(prev) || tcvnSymbol(prev)):
			// A capital after a small letter, "ViÖt", "tiÕng": TCVN3 codes
			// for small letters with tone marks show as Latin-1 capitals.
			weight, strong = max(weight, 2), true
			sc.tcvn++
		case vniAfter(prev, r):
			weight = max(weight, 1)
			sc.vni++
		case foreignLetter(r):
			weight = max(weight, 1)
			switch {
			case (r == 'ñ' || r == 'Ñ') && k == s: // VNI đ starts words
				sc.vni++
			case r == 'ö' || r == 'Ö': // VNI ư and TCVN3 ử alike
			case isASCIILetter(prev) && !strings.ContainsRune("aeiouyAEIOUY", prev):
				sc.tcvn++ // TCVN3 "Së", "häc", "cña"
			}
		}
	}
	if !hasLetter {
		return
	}
	sc.words++
	if weight == 0 {
		return // known words all carry evidence; skip the lookup for clean words
	}
	if t, v := knownLegacy(rs[s:e]); t || v {
		weight += 3
		strong = true
		if t {
			sc.tcvn += 3
		} else {
			sc.vni += 3
		}
	}
	sc.suspects++
	sc.score += weight
	sc.strong = sc.strong || strong
	if sc.first[0] < 0 {
		sc.first = [2]int{s, e}
	}
}

// legacy reports whether the scan adds up to a legacy encoding: enough
// evidence, and enough of the words carrying it, so that a few foreign
// names ("Müller", "Gödel") in a long text do not.
func (sc *legacyScan) legacy() bool {
	if sc.suspects == 0 {
		return false
	}
	return sc.strong && sc.score >= 4 && sc.suspects*20 >= sc.words ||
		sc.score >= 6 && sc.suspects*10 >= sc.words*3
}

func checkLegacy(p *Parsed) []Finding {
	var out []Finding
	for _, t := range p.Parts() {
		sc := scanLegacy(t.Runes)
		if !sc.legacy() {
			continue
		}
		rs := t.Runes
		start := sc.first[0]
		end := snippetEnd(rs, start, sc.first[1])
		msg := "Văn bản có vẻ dùng bảng mã TCVN3 (ABC) cũ — hãy chuyển sang Unicode"
		decode := FromTCVN3
		if sc.vni > sc.tcvn {
			msg = "Văn bản có vẻ dùng bảng mã VNI cũ — hãy chuyển sang Unicode"
			decode = FromVNI
		}
		out = append(out, Finding{Part: t.Part, Offset: start, Length: end - start,
			Message: msg, Suggestion: decode(string(rs[start:end]))})
	}
	return out
}

// snippetEnd extends a flagged word to a few words of context (about 60
// runes, within the line, ending at a word boundary), enough for the
// suggestion to be recognisable.
func snippetEnd(rs []rune, start, end int) int {
	limit := min(len(rs), start+60)
	best := end
	for k := end; k < limit && rs[k] != '\n'; k++ {
		if unicode.IsSpace(rs[k]) {
			continue
		}
		if k+1 == len(rs) || unicode.IsSpace(rs[k+1]) {
			best = k + 1
		}
	}
	return max(best, end)
}

// FromTCVN3 converts text typed in a TCVN3 (ABC) font and read as
// Windows-1252 to Unicode (NFC). A word with two or more ASCII letters,
// all capitals, is taken as typed in the capitals font (.VnTimeH) and its
// letters are converted to capitals. Only use it on text that is TCVN3: it
// changes legit "é" and "ê" too.
func FromTCVN3(s string) string {
	glyphs := []rune(tcvn3Glyphs)
	m := make(map[rune]rune, len(glyphs))
	for i, l := range []rune(tcvn3Letters) {
		m[glyphs[i]] = l
	}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !legacyTokenRune(rs[i]) {
			i++
			continue
		}
		start := i
		upper, lower := 0, false
		for i < len(rs) && legacyTokenRune(rs[i]) {
			if rs[i] >= 'A' && rs[i] <= 'Z' {
				upper++
			}
			lower = lower || rs[i] >= 'a' && rs[i] <= 'z'
			i++
		}
		// "VIÖT" is capitals; "Së" may be "Sở" or "SỞ", and a capital
		// first letter is far more common.
		caps := upper >= 2 && !lower
		for k := start; k < i; k++ {
			if l, ok := m[rs[k]]; ok {
				if caps {
					l = unicode.ToUpper(l)
				}
				rs[k] = l
			}
		}
	}
	return norm.NFC.String(string(rs))
}

// FromVNI converts text typed in a VNI font and read as Windows-1252 to
// Unicode (NFC). VNI writes a letter as its base and a glyph for the marks
// ("Vieät" is "Việt"). Only use it on text that is VNI: it changes legit
// pairs such as "oá" too.
func FromVNI(s string) string {
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		if i+1 < len(rs) {
			if r, ok := vniPair(rs[i], rs[i+1]); ok {
				b.WriteRune(r)
				i++
				continue
			}
		}
		b.WriteRune(vniSingle(rs[i]))
	}
	return norm.NFC.String(b.String())
}

// vniPair decodes a VNI base letter followed by a mark glyph.
func vniPair(base, glyph rune) (rune, bool) {
	lb := unicode.ToLower(base)
	var letter rune
	circumflex, breve := false, false
	switch lb {
	case 'a':
		letter, circumflex, breve = 'a', true, true
	case 'e', 'o':
		letter, circumflex = lb, true
	case 'u', 'y':
		letter = lb
	case 'ô': // VNI ơ
		letter = 'ơ'
	case 'ö': // VNI ư
		letter = 'ư'
	default:
		return 0, false
	}
	var marks string
	switch unicode.ToLower(glyph) {
	case 'ù':
		marks = "\u0301"
	case 'ø':
		marks = "\u0300"
	case 'û':
		marks = "\u0309"
	case 'õ':
		marks = "\u0303"
	case 'ï':
		marks = "\u0323"
	case 'â', 'á', 'à', 'å', 'ã', 'ä':
		if !circumflex {
			return 0, false
		}
		marks = "\u0302" + toneOf(unicode.ToLower(glyph), "âáàåãä")
	case 'ê', 'é', 'è', 'ú', 'ü', 'ë':
		if !breve {
			return 0, false
		}
		marks = "\u0306" + toneOf(unicode.ToLower(glyph), "êéèúüë")
	default:
		return 0, false
	}
	rs := []rune(norm.NFC.String(string(letter) + marks))
	if len(rs) != 1 {
		return 0, false
	}
	if lb != base {
		return unicode.ToUpper(rs[0]), true
	}
	return rs[0], true
}

// toneOf maps the glyph at position i of a VNI mark series (none, acute,
// grave, hook, tilde, dot) to its combining tone mark.
func toneOf(glyph rune, series string) string {
	tones := []string{"", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"}
	for i, r := range []rune(series) {
		if r == glyph {
			return tones[i]
		}
	}
	return ""
}

// vniSingle decodes the VNI glyphs that stand alone for a letter.
func vniSingle(r rune) rune {
	switch r {
	case 'ñ':
		return 'đ'
	case 'Ñ':
		return 'Đ'
	case 'ô':
		return 'ơ'
	case 'Ô':
		return 'Ơ'
	case 'ö':
		return 'ư'
	case 'Ö':
		return 'Ư'
	case 'æ':
		return 'ỉ'
	case 'Æ':
		return 'Ỉ'
	case 'ó':
		return 'ĩ'
	case 'Ó':
		return 'Ĩ'
	case 'ò':
		return 'ị'
	case 'Ò':
		return 'Ị'
	case 'î':
		return 'ỵ'
	case 'Î':
		return 'Ỵ'
	}
	return r
}
