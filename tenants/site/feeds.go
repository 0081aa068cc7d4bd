package site

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/post"
)

func baseURL(c *fiber.Ctx) string {
	scheme := "http"
	if web.Secure(c) {
		scheme = "https"
	}
	return scheme + "://" + web.HostPort(c)
}

func (h *Handler) robots(c *fiber.Ctx) error {
	c.Type("txt", "utf-8")
	return c.SendString("User-agent: *\nAllow: /\nDisallow: /search\nSitemap: " + baseURL(c) + "/sitemap.xml\n")
}

func (h *Handler) sitemap(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	ss, _, err := h.memo.frame(ctx, h.DB, t.ID, h.Generation)
	if err != nil {
		return err
	}
	ps, err := published(ctx, h.DB, t.ID, listing{Limit: 200})
	if err != nil {
		return err
	}
	base := xmlEscape(baseURL(c))
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	fmt.Fprintf(&b, "<url><loc>%s/</loc></url>\n", base)
	for _, path := range []string{PathAbout, PathOrganisation, PathContact, PathEnglish} {
		fmt.Fprintf(&b, "<url><loc>%s%s</loc></url>\n", base, path)
	}
	for _, s := range ss {
		if s.Slug == "gioi-thieu" || s.Slug == "lien-he" {
			continue // answered by the agency's own pages above
		}
		fmt.Fprintf(&b, "<url><loc>%s/chuyen-muc/%s</loc></url>\n", base, xmlEscape(s.Slug))
	}
	for _, p := range ps {
		fmt.Fprintf(&b, "<url><loc>%s%s</loc><lastmod>%s</lastmod></url>\n", base, xmlEscape(URL(p)), p.UpdatedAt.UTC().Format("2006-01-02"))
	}
	b.WriteString("</urlset>\n")
	c.Type("xml", "utf-8")
	return c.SendString(b.String())
}

func (h *Handler) feed(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	ps, err := published(ctx, h.DB, t.ID, listing{Limit: 30})
	if err != nil {
		return err
	}
	base := baseURL(c)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0"><channel>` + "\n")
	fmt.Fprintf(&b, "<title>%s</title><link>%s/</link><description>%s</description><language>vi</language>\n",
		xmlEscape(t.Name), xmlEscape(base), xmlEscape(channelDescription(t)))
	if t.Email != "" {
		who := t.ResponsiblePerson
		if who == "" {
			who = t.Name
		}
		fmt.Fprintf(&b, "<managingEditor>%s</managingEditor>\n", xmlEscape(t.Email+" ("+who+")"))
	}
	fmt.Fprintf(&b, "<copyright>%s</copyright>\n", xmlEscape(channelCopyright(t)))
	for _, p := range ps {
		if p.Status != post.StatusPublished || p.PublishedAt == nil {
			continue
		}
		// RSS readers render <description> as HTML: the summary is plain
		// text, so it is escaped as HTML first and the result as XML, and
		// a summary reading "<b>" shows those three characters.
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s%s</link><guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n",
			xmlEscape(p.Title), xmlEscape(base), xmlEscape(URL(p)), xmlEscape(p.ID), p.PublishedAt.UTC().Format(time.RFC1123Z), xmlEscape(html.EscapeString(p.Summary)))
	}
	b.WriteString("</channel></rss>\n")
	c.Set(fiber.HeaderContentType, "application/rss+xml; charset=utf-8")
	return c.SendString(b.String())
}

// xmlEscape escapes the five XML specials; a plain loop, since building a
// strings.Replacer per call showed in the feed's profile.
func xmlEscape(s string) string {
	if !strings.ContainsAny(s, `&<>"'`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// channelDescription is the feed's description: the agency, who governs
// it and how to reach it (the profile of Decree 42/2022).
func channelDescription(t *tenancy.Tenant) string {
	parts := []string{t.Name}
	if t.GoverningBody != "" {
		parts = append(parts, "Cơ quan chủ quản: "+t.GoverningBody)
	}
	if t.Address != "" {
		parts = append(parts, "Địa chỉ: "+t.Address)
	}
	if t.Phone != "" {
		parts = append(parts, "Điện thoại: "+t.Phone)
	}
	if t.Email != "" {
		parts = append(parts, "Thư điện tử: "+t.Email)
	}
	return strings.Join(parts, ". ")
}

// channelCopyright names the owner, the licence and who answers for the
// content.
func channelCopyright(t *tenancy.Tenant) string {
	s := "© " + t.Name
	if t.LicenceNo != "" {
		s += ". Giấy phép số " + t.LicenceNo
		if t.LicenceDate != nil {
			s += " ngày " + vntext.Date(*t.LicenceDate)
		}
	}
	if t.ResponsiblePerson != "" {
		s += ". Chịu trách nhiệm nội dung: " + t.ResponsiblePerson
		if t.ResponsibleTitle != "" {
			s += ", " + t.ResponsibleTitle
		}
	}
	return s
}
