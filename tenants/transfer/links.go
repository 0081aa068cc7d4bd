package transfer

import (
	"regexp"
	"strings"
)

// rewriter points absolute links at the tenant's old hosts to its new one:
// "https://old.base.vn/bai-viet/x" becomes "https://new.example.vn/bai-viet/x",
// keeping the scheme (or a scheme-relative "//"), any port, path, query and
// fragment. Relative links ("/media/<id>/...", "/bai-viet/...") need no
// change: ids and item slugs are kept, and the host picks the tenant.
type rewriter struct {
	re *regexp.Regexp
	to string
}

// newRewriter returns a rewriter from the hosts in from to the host to, or
// nil when there is nothing to rewrite.
func newRewriter(from []string, to string) *rewriter {
	var alts []string
	for _, h := range from {
		if h != "" && !strings.EqualFold(h, to) {
			alts = append(alts, regexp.QuoteMeta(h))
		}
	}
	if len(alts) == 0 {
		return nil
	}
	// The host must be a whole host: preceded by "//" and followed by a
	// port, a path, a query, a fragment, a quote, a space or the end, so
	// that "old.base.vn.example.com" is left alone.
	re := regexp.MustCompile(`(?i)((?:https?:)?//)(?:` + strings.Join(alts, "|") + `)(:[0-9]+)?([/?#"'\s<>)]|$)`)
	return &rewriter{re: re, to: strings.ReplaceAll(to, "$", "$$")}
}

// apply rewrites s; a nil rewriter leaves it as it is.
func (r *rewriter) apply(s string) string {
	if r == nil {
		return s
	}
	return r.re.ReplaceAllString(s, "${1}"+r.to+"${2}${3}")
}
