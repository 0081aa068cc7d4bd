package lint

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Two conventions place the tone mark of the open syllables with the
// nuclei "oa", "oe" and "uy": on the first vowel (hòa, khỏe, thủy — the
// older, still common style) or on the second (hoà, khoẻ, thuỷ — the style
// of the 1980s spelling rules). Both are correct; an item that mixes them
// looks careless. The rule does not prefer a style: it flags the words in
// the style the item uses less.

const (
	toneFirst  = 1 // hòa, khỏe, thủy
	toneSecond = 2 // hoà, khoẻ, thuỷ
)

// toneStyle classifies a lower-case NFC word by where its final "oa", "oe"
// or "uy" carries the tone mark; 0 when it has no such ending. With a
// final consonant ("hoàn", "thuyết") the mark goes on the second vowel in
// both styles, so only words ending in the pair count; in "quý" the "u"
// belongs to "qu", so it does not count either.
func toneStyle(w []rune) int {
	n := len(w)
	if n < 2 {
		return 0
	}
	a, b := w[n-2], w[n-1]
	var prev rune
	if n >= 3 {
		prev = w[n-3]
	}
	switch {
	case strings.ContainsRune("òóỏõọ", a) && (b == 'a' || b == 'e'):
		return toneFirst
	case a == 'o' && strings.ContainsRune("àáảãạèéẻẽẹ", b):
		return toneSecond
	case prev == 'q':
		return 0
	case strings.ContainsRune("ùúủũụ", a) && b == 'y':
		return toneFirst
	case a == 'u' && strings.ContainsRune("ỳýỷỹỵ", b):
		return toneSecond
	}
	return 0
}

func isToneMark(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return false
}

// moveTone returns word with the tone mark of its last two letters moved
// to the other letter, keeping the case of each.
func moveTone(word string) string {
	rs := []rune(norm.NFC.String(word))
	n := len(rs)
	if n < 2 {
		return word
	}
	a := []rune(norm.NFD.String(string(rs[n-2])))
	b := []rune(norm.NFD.String(string(rs[n-1])))
	take := func(d []rune) ([]rune, rune) {
		for i, r := range d {
			if isToneMark(r) {
				return append(d[:i:i], d[i+1:]...), r
			}
		}
		return d, 0
	}
	var tone rune
	if a, tone = take(a); tone != 0 {
		b = append(b, tone)
	} else if b, tone = take(b); tone != 0 {
		a = append(a, tone)
	}
	return string(rs[:n-2]) + norm.NFC.String(string(a)+string(b))
}

type toneWord struct {
	part   string
	off, n int
	word   string
	style  int
}

func checkToneMarks(p *Parsed) []Finding {
	var words []toneWord
	count := [3]int{}
	for _, t := range p.Parts() {
		rs := t.Runes
		for i := 0; i < len(rs); {
			if !unicode.IsLetter(rs[i]) && !unicode.IsMark(rs[i]) {
				i++
				continue
			}
			s := i
			marks := false
			for i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsMark(rs[i])) {
				marks = marks || unicode.IsMark(rs[i])
				i++
			}
			w := rs[s:i]
			if marks {
				// Decomposed text: classify its NFC form, keep NFD offsets.
				w = []rune(norm.NFC.String(string(w)))
			}
			var buf [3]rune
			tail := buf[:0]
			for _, r := range w[max(0, len(w)-3):] {
				tail = append(tail, unicode.ToLower(r))
			}
			if st := toneStyle(tail); st != 0 {
				count[st]++
				words = append(words, toneWord{part: t.Part, off: s, n: i - s, word: string(rs[s:i]), style: st})
			}
		}
	}
	if count[toneFirst] == 0 || count[toneSecond] == 0 {
		return nil
	}
	// The style used more is the item's; on a tie, the one used first.
	minority := toneSecond
	if count[toneFirst] < count[toneSecond] ||
		count[toneFirst] == count[toneSecond] && words[0].style == toneSecond {
		minority = toneFirst
	}
	var example [3]string
	for _, w := range words {
		if example[w.style] == "" {
			example[w.style] = strings.ToLower(norm.NFC.String(w.word))
		}
	}
	msg := fmt.Sprintf("Dùng lẫn hai kiểu đặt dấu thanh: “%s” (dấu ở nguyên âm đầu, %d lần) và “%s” (dấu ở nguyên âm sau, %d lần) — nên thống nhất một kiểu",
		example[toneFirst], count[toneFirst], example[toneSecond], count[toneSecond])
	var out []Finding
	for _, w := range words {
		if w.style == minority {
			out = append(out, Finding{Part: w.part, Offset: w.off, Length: w.n, Message: msg, Suggestion: moveTone(w.word)})
		}
	}
	return out
}
