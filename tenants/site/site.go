// Package site renders the public website of the tenant a request's host
// names: home, section pages, robots.txt, sitemap and feed. Every query is
// scoped by that tenant's id; nothing here can reach another tenant's rows.
package site

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/board"
)

// Handler serves the public pages.
type Handler struct {
	DB       bun.IDB
	Renderer *web.Renderer
}

// Routes registers the public routes on app.
func (h *Handler) Routes(app fiber.Router) {
	app.Get("/", h.home)
	app.Get("/chuyen-muc/:slug", h.section)
	app.Get("/ban-bien-tap", h.board)
	app.Get("/robots.txt", h.robots)
	app.Get("/sitemap.xml", h.sitemap)
	app.Get("/feed.xml", h.feed)
}

// Teaser is an item as listed on home and section pages.
type Teaser struct {
	Title, Summary, URL, Section string
	PublishedAt                  time.Time
	Withdrawn                    bool
}

// Block is a section with its latest items on the home page.
type Block struct {
	Section tenancy.Section
	Items   []Teaser
}

// Page is the data every public page has.
type Page struct {
	Tenant   *tenancy.Tenant
	Nav      []tenancy.Section
	Sections []tenancy.Section
	Section  *tenancy.Section
	Latest   []Teaser
	Blocks   []Block
	Items    []Teaser
}

func (h *Handler) page(ctx context.Context, t *tenancy.Tenant) (*Page, error) {
	ss, err := tenancy.Sections(ctx, h.DB, t.ID)
	if err != nil {
		return nil, err
	}
	p := &Page{Tenant: t, Sections: ss}
	for _, s := range ss {
		if s.Required {
			p.Nav = append(p.Nav, s)
		}
	}
	return p, nil
}

func (h *Handler) home(c *fiber.Ctx) error {
	t := web.Tenant(c)
	p, err := h.page(c.UserContext(), t)
	if err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "site/home", p)
}

func (h *Handler) section(c *fiber.Ctx) error {
	t := web.Tenant(c)
	s, err := tenancy.SectionBySlug(c.UserContext(), h.DB, t.ID, c.Params("slug"))
	if err != nil {
		return err
	}
	p, err := h.page(c.UserContext(), t)
	if err != nil {
		return err
	}
	p.Section = s
	return h.Renderer.Render(c, fiber.StatusOK, "site/section", p)
}

func baseURL(c *fiber.Ctx) string {
	scheme := "http"
	if web.Secure(c) {
		scheme = "https"
	}
	return scheme + "://" + web.HostPort(c)
}

func (h *Handler) robots(c *fiber.Ctx) error {
	c.Type("txt", "utf-8")
	return c.SendString("User-agent: *\nAllow: /\nSitemap: " + baseURL(c) + "/sitemap.xml\n")
}

func (h *Handler) sitemap(c *fiber.Ctx) error {
	t := web.Tenant(c)
	ss, err := tenancy.Sections(c.UserContext(), h.DB, t.ID)
	if err != nil {
		return err
	}
	base := baseURL(c)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	fmt.Fprintf(&b, "<url><loc>%s/</loc></url>\n", xmlEscape(base))
	for _, s := range ss {
		fmt.Fprintf(&b, "<url><loc>%s/chuyen-muc/%s</loc></url>\n", xmlEscape(base), xmlEscape(s.Slug))
	}
	b.WriteString("</urlset>\n")
	c.Type("xml", "utf-8")
	return c.SendString(b.String())
}

func (h *Handler) feed(c *fiber.Ctx) error {
	t := web.Tenant(c)
	base := baseURL(c)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<rss version="2.0"><channel>` + "\n")
	fmt.Fprintf(&b, "<title>%s</title><link>%s/</link><description>%s</description><language>vi</language>\n",
		xmlEscape(t.Name), xmlEscape(base), xmlEscape(t.Name))
	b.WriteString("</channel></rss>\n")
	c.Set(fiber.HeaderContentType, "application/rss+xml; charset=utf-8")
	return c.SendString(b.String())
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}

func (h *Handler) board(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	p, err := h.page(ctx, t)
	if err != nil {
		return err
	}
	b, err := board.PublicView(ctx, h.DB, t.ID)
	if err != nil {
		return err
	}
	return h.Renderer.Render(c, fiber.StatusOK, "site/board", board.PageData{Tenant: t, Nav: p.Nav, Board: b})
}
