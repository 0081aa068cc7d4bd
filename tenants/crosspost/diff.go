package crosspost

import (
	"context"
	"strings"
	"unicode"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/post/sanitize"
)

// Part is a run of a word diff: Op is "=" (kept), "-" (removed from the
// version copied) or "+" (added in the original since).
type Part struct {
	Op   string `json:"op"`
	Text string `json:"text"`
}

// Added reports whether the part was added.
func (p Part) Added() bool { return p.Op == "+" }

// Removed reports whether the part was removed.
func (p Part) Removed() bool { return p.Op == "-" }

// SourceDiff compares what a copy was made from with its original now.
type SourceDiff struct {
	Copy     *post.Post
	Original *post.Post // nil when the original is gone
	From     *tenancy.Tenant
	Changed  bool
	Title    []Part
	Summary  []Part
	Body     []Part
}

// Diff returns the difference between the revision a copy follows and its
// original as it stands now.
func (s *Service) Diff(ctx context.Context, t *tenancy.Tenant, copyID string) (*SourceDiff, error) {
	cp, err := post.Get(ctx, s.DB, t.ID, copyID)
	if err != nil {
		return nil, err
	}
	if cp.OriginTenantID == nil || cp.OriginPostID == nil {
		return nil, errs.NotFound("not_a_copy", "Bài này không phải bài nhận từ đơn vị khác")
	}
	d := &SourceDiff{Copy: cp, Changed: cp.SourceChanged}
	if d.From, err = s.tenant(ctx, s.DB, *cp.OriginTenantID); err != nil {
		return nil, err
	}
	d.Original, err = post.Get(ctx, s.DB, d.From.ID, *cp.OriginPostID)
	if errs.Is(err, errs.KindNotFound) {
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	base := &post.Revision{}
	if r, err := post.GetRevision(ctx, s.DB, d.From.ID, d.Original.ID, cp.OriginRevision); err == nil {
		base = r
	}
	d.Title = WordDiff(base.Title, d.Original.Title)
	d.Summary = WordDiff(base.Summary, d.Original.Summary)
	d.Body = WordDiff(sanitize.PlainText(base.Body), sanitize.PlainText(d.Original.Body))
	return d, nil
}

// WordDiff is a word-level diff of a and b.
// Very long texts that differ are shown as one removal and one addition.
func WordDiff(a, b string) []Part {
	x, y := tokens(a), tokens(b)
	if a == b {
		return []Part{{"=", a}}
	}
	if len(x)*len(y) > 4_000_000 {
		return []Part{{"-", a}, {"+", b}}
	}
	// lcs[i][j] is the length of the longest common subsequence of x[i:], y[j:].
	lcs := make([][]int32, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var ops []Part
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			ops = append(ops, Part{"=", x[i]})
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, Part{"-", x[i]})
			i++
		default:
			ops = append(ops, Part{"+", y[j]})
			j++
		}
	}
	return group(ops)
}

// group merges token runs: the spaces between two changed words join the
// change, and each change shows its removed words before its added ones.
func group(ops []Part) []Part {
	var out []Part
	var del, ins strings.Builder
	flush := func() {
		if del.Len() > 0 {
			out = append(out, Part{"-", del.String()})
		}
		if ins.Len() > 0 {
			out = append(out, Part{"+", ins.String()})
		}
		del.Reset()
		ins.Reset()
	}
	for k, p := range ops {
		inChange := del.Len()+ins.Len() > 0 && k+1 < len(ops) && ops[k+1].Op != "="
		switch {
		case p.Op == "=" && strings.TrimSpace(p.Text) == "" && inChange:
			del.WriteString(p.Text)
			ins.WriteString(p.Text)
		case p.Op == "=":
			flush()
			if n := len(out); n > 0 && out[n-1].Op == "=" {
				out[n-1].Text += p.Text
			} else {
				out = append(out, p)
			}
		case p.Op == "-":
			del.WriteString(p.Text)
		default:
			ins.WriteString(p.Text)
		}
	}
	flush()
	return out
}

// tokens splits s into runs of word and of space characters.
func tokens(s string) []string {
	var out []string
	start, prev := 0, false
	for i, r := range s {
		space := unicode.IsSpace(r)
		if i > 0 && space != prev {
			out = append(out, s[start:i])
			start = i
		}
		prev = space
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
