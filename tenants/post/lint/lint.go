// Package lint checks Vietnamese items for presentation errors ("lỗi
// trình bày"): text that is not NFC, pastes in the legacy TCVN3 (ABC) or
// VNI encodings, spacing around punctuation, unbalanced quotes and
// brackets, titles in capitals or too long, a missing or long summary,
// dates outside the house style, images without alt text or caption,
// empty or javascript: links, and tone marks placed in two styles in one
// item.
//
// The package is pure: no database, no HTTP, no package-level state. The
// rule set is data (see [Rules] and [Config]), so a tenant can turn a rule
// off or change its severity without code.
//
// # Offsets
//
// A [Finding] points at its text by part ("title", "summary" or "body"),
// a rune offset and a rune length, all counted in the part's plain text:
//
//   - title and summary: the string as given, unchanged (they are plain
//     text, not HTML);
//   - body: the text a reader sees, as returned by [BodyText]: the HTML is
//     parsed as a <body> fragment; block elements and <br> end a line;
//     each run of HTML white space (space, tab, CR, LF, FF) becomes one
//     space; lines are trimmed of those spaces and lines with nothing but
//     white space are dropped; lines are joined with "\n". No-break spaces
//     are kept, entities are decoded, and the text is not normalised, so
//     the double spaces an editor makes with &nbsp; and non-NFC text can
//     still be seen. The content of scripts, styles and similar elements
//     and image alt text are not text. An element without text of its own
//     (an image, an empty link) is placed at the offset where it occurs.
//
// Offsets never exceed the length of the part's text; a finding about a
// whole part (a missing summary) has offset 0 and length 0.
package lint

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Doc is the item to check. BodyHTML is the body after sanitising.
type Doc struct {
	Title    string
	Summary  string
	BodyHTML string
}

// Severity says what a finding does to the workflow.
type Severity string

// Severities. Only Error and Warning appear in findings; Off is used in a
// [Config] to turn a rule off.
const (
	// Error blocks submission for review.
	Error Severity = "error"
	// Warning is shown to the writer but does not block.
	Warning Severity = "warning"
	// Off disables a rule.
	Off Severity = "off"
)

// The parts of a document a finding can point at.
const (
	PartTitle   = "title"
	PartSummary = "summary"
	PartBody    = "body"
)

// Finding is one problem found in a document.
//
// Offset and Length are counted in runes of the part's plain text (see the
// package documentation). Suggestion is a proposed correction for the
// editor to read, usually the corrected form of the flagged text with a
// word of context; it is empty when there is nothing better to say than
// the message.
type Finding struct {
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	Part       string   `json:"part"`
	Offset     int      `json:"offset"`
	Length     int      `json:"length"`
	Message    string   `json:"message"`
	Suggestion string   `json:"suggestion,omitempty"`
}

// Rule is one check in the rule table.
//
// Check returns the findings of the rule; it sets Part, Offset, Length,
// Suggestion and, where it says more than the default, Message. The runner
// fills in Rule, Severity and an empty Message from the table, so that a
// tenant's configuration and the table stay the only source of both.
type Rule struct {
	ID       string
	Severity Severity
	// Message is the default message, also used to describe the rule in
	// settings.
	Message string
	Check   func(*Parsed) []Finding
}

// Config is a tenant's adjustment of the default rules: rule id → severity,
// or Off to disable the rule. Rules not named keep their defaults.
type Config map[string]Severity

// Apply returns a copy of rules with the configuration applied: severities
// overridden and disabled rules removed.
func (c Config) Apply(rules []Rule) []Rule {
	out := make([]Rule, 0, len(rules))
	for _, r := range rules {
		if s, ok := c[r.ID]; ok {
			if s == Off {
				continue
			}
			r.Severity = s
		}
		out = append(out, r)
	}
	return out
}

// Validate reports an unknown rule id or an invalid severity, so that a
// tenant's settings are refused when saved rather than ignored later.
func (c Config) Validate() error {
	known := map[string]bool{}
	for _, r := range Rules() {
		known[r.ID] = true
	}
	var bad []string
	for id, s := range c {
		switch {
		case !known[id]:
			bad = append(bad, "không có quy tắc "+quote(id))
		case s != Error && s != Warning && s != Off:
			bad = append(bad, "mức "+quote(string(s))+" của quy tắc "+quote(id)+" không hợp lệ (error, warning hoặc off)")
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad) // map order is random; the message should not be
	return configError(strings.Join(bad, "; "))
}

type configError string

func (e configError) Error() string { return "cấu hình kiểm tra trình bày: " + string(e) }

// Run checks doc with the default rules adjusted by cfg (which may be nil)
// and returns the findings sorted by part (title, summary, body), then
// offset.
func Run(doc Doc, cfg Config) []Finding {
	return RunRules(doc, cfg.Apply(Rules()))
}

// RunRules checks doc with the given rules, for callers that build their
// own table. Rules with severity Off or without a Check are skipped; a
// rule reports at most MaxFindingsPerRule findings, the first ones.
func RunRules(doc Doc, rules []Rule) []Finding {
	p := Parse(doc)
	var out []Finding
	for _, r := range rules {
		if r.Check == nil || r.Severity == Off {
			continue
		}
		fs := r.Check(p)
		if len(fs) > MaxFindingsPerRule {
			// A rule that fires this often has found one problem many
			// times (a whole paste in a legacy encoding, spaces typed
			// for layout); the first ones say it, and the response
			// stays small.
			slices.SortStableFunc(fs, byPosition)
			fs = fs[:MaxFindingsPerRule]
		}
		for _, f := range fs {
			f.Rule = r.ID
			f.Severity = r.Severity
			if f.Message == "" {
				f.Message = r.Message
			}
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, byPosition)
	return out
}

// MaxFindingsPerRule bounds the findings one rule reports on a document.
const MaxFindingsPerRule = 100

func byPosition(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(partRank(a.Part), partRank(b.Part)),
		cmp.Compare(a.Offset, b.Offset),
		strings.Compare(a.Rule, b.Rule),
	)
}

func partRank(p string) int {
	switch p {
	case PartTitle:
		return 0
	case PartSummary:
		return 1
	case PartBody:
		return 2
	}
	return 3
}

// Blocking reports whether any finding is an error, which refuses
// submission for review.
func Blocking(findings []Finding) bool {
	for _, f := range findings {
		if f.Severity == Error {
			return true
		}
	}
	return false
}

// NormalizeNFC returns s in Unicode NFC and whether that changed it. The
// item is stored in NFC so that search, slugs and comparisons see one
// spelling of each letter.
func NormalizeNFC(s string) (string, bool) {
	if norm.NFC.IsNormalString(s) {
		return s, false
	}
	n := norm.NFC.String(s)
	return n, n != s
}

func quote(s string) string { return "“" + s + "”" }
