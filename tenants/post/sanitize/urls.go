package sanitize

import (
	"net/url"
	"strings"
)

// linkHref checks the href of a link and returns its canonical form (the form
// bluemonday would write, so that the gate changes nothing) and whether it
// points to another site. The value has already been entity-decoded by the
// parser, so "jav&#x09;ascript:" arrives here as "jav\tascript:".
func linkHref(raw string) (href string, external, ok bool) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", false, false
	}
	// Browsers delete tabs and newlines inside URLs ("java\tscript:" runs
	// script) and read "\" as "/" ("/\evil.example" goes to another host):
	// such hrefs are refused rather than repaired.
	if hasControl(s) || strings.ContainsRune(s, '\\') || hasScriptScheme(s) {
		return "", false, false
	}
	if len(s) >= 4 && strings.EqualFold(s[:4], "tel:") {
		// Phone numbers are written with spaces; a URL cannot hold them.
		s = strings.ReplaceAll(s, " ", "")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", false, false
	}
	switch u.Scheme {
	case "http", "https":
		// "http:path" is relative to the page in some browsers and to
		// another host in others; credentials in a link are a phishing
		// device ("https://so.gov.vn@evil.example/").
		if u.Host == "" || u.Opaque != "" || u.User != nil {
			return "", false, false
		}
		external = true
	case "mailto", "tel":
		if u.Opaque == "" {
			return "", false, false
		}
	case "":
		if u.User != nil {
			return "", false, false
		}
		// "//host/path" takes the page's scheme but goes to another host.
		external = u.Host != ""
	default:
		return "", false, false
	}
	href = u.String()
	if href == "" || !stableURL(href) { // "//" is nothing at all
		return "", false, false
	}
	return href, external, true
}

// mediaSrc checks the src of an image: only our own media, addressed by a
// root-relative path under one of the prefixes, is kept. It returns the
// canonical form of the path.
func (p *Policy) mediaSrc(raw string) (string, bool) {
	s := strings.TrimSpace(raw)
	if s == "" || hasControl(s) || strings.ContainsRune(s, '\\') || strings.HasPrefix(s, "//") || hasScriptScheme(s) {
		return "", false
	}
	// A dot segment, written plainly or percent-encoded (which browsers also
	// resolve), could climb out of the media directory to any URL of ours.
	if lower := strings.ToLower(s); strings.Contains(lower, "%2e") || hasDotSegment(lower) {
		return "", false
	}
	if !p.underMedia(s) {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil {
		return "", false
	}
	src := u.String()
	if !p.underMedia(src) || strings.ContainsAny(src, " \t\n\r\f") || !stableURL(src) {
		return "", false
	}
	return src, true
}

func (p *Policy) underMedia(s string) bool {
	for _, prefix := range p.mediaPrefixes {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// hasScriptScheme reports whether s mentions a script scheme anywhere, even
// where it is inert ("#javascript:", "?next=javascript:..."): no body needs
// one, and a URL that carries one is more likely an attack on something
// downstream than a real link.
func hasScriptScheme(s string) bool {
	return strings.Contains(strings.ToLower(s), "script:")
}

// hasDotSegment reports whether the path part of s has a "." or ".."
// segment.
func hasDotSegment(s string) bool {
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	for seg := range strings.SplitSeq(s, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

// stableURL reports whether u is already in the form url.Parse and
// URL.String give back; bluemonday re-writes every URL that way, and an
// unstable one would make Clean differ from one call to the next.
func stableURL(u string) bool {
	if strings.ContainsAny(u, " \t\n\r\f") {
		return false
	}
	again, err := url.Parse(u)
	return err == nil && again.String() == u
}
