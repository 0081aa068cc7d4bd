package site

import (
	"context"
	"fmt"
	"html/template"
	"maps"
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/web"
	"github.com/trangtin/trangtin/tenants/media"
	"github.com/trangtin/trangtin/tenants/post"
)

// Home page sizes.
const (
	// LatestSize is the lead item and the cards beside it.
	LatestSize = 9
	// BlockSize is the number of items in each section's block.
	BlockSize = 4
	// FromUnitsSize is the number of units' items on a Department's home.
	FromUnitsSize = 6
)

// HomeQueries is the most queries one home page makes, whatever the number
// of sections, items and pictures: sections, the block order, the latest items
// (with the units' items, on a tenant with child units), every block's
// items, the pictures with their renditions that the home showed last
// time (coverHints) and those it did not. A listed document's expiry
// comes with it (expiryColumn).
const HomeQueries = 6

// home renders the home page in a constant number of queries (HomeQueries).
func (h *Handler) home(c *fiber.Ctx) error {
	ctx, t := c.UserContext(), web.Tenant(c)
	p, err := h.page(c, t)
	if err != nil {
		return err
	}
	// A Department's own news leads; what its units sent has its own
	// block below, so no item shows twice. The latest items and the
	// blocks are read together (one round trip on PostgreSQL).
	var latest, copies []*post.Post
	latestRead := listing{Limit: LatestSize, Covers: true}.read(t.ID, &latest)
	if len(p.Units) > 0 {
		latestRead = ownAndCopies(t.ID, LatestSize, FromUnitsSize, &latest, &copies)
	}
	names := sectionNames(p.Sections)
	blocks := make(map[string]Teasers, len(p.Sections))
	pg := h.DB.Dialect().Name() == dialect.PG
	reads := []db.Read{latestRead, blockItems(pg, t.ID, BlockSize, names, blocks)}
	// The pictures this home showed last time come in the same round
	// trip (coverHints); pictures attaches them and reads the others.
	guess := h.covers.get(t.ID)
	ims := make(map[string]*media.Image, len(guess))
	if len(guess) > 0 {
		reads = append(reads, media.ImagesRead(t.ID, guess, ims))
	}
	if err := db.QueryAll(ctx, h.DB, reads...); err != nil {
		return err
	}
	if len(p.Units) > 0 {
		sortOwnAndCopies(latest, copies)
	}
	sortBlocks(blocks)
	all := teasersNamed(latest, names)
	if len(all) > 0 {
		// Usually the newest leads: the rest is then the list as it is.
		switch i := h.leadOf(all); i {
		case 0:
			p.Lead, p.Latest = &all[0], all[1:]
		default:
			lead := all[i]
			p.Lead, p.Latest = &lead, append(all[:i:i], all[i+1:]...)
		}
	}
	for _, s := range orderSections(p.Sections, p.blockOrder) {
		if items := blocks[s.ID]; len(items) > 0 {
			p.Blocks = append(p.Blocks, Block{Section: s, Items: items})
		}
	}
	if len(p.Units) > 0 {
		p.FromUnits = teasersNamed(copies, names)
		for i, cp := range copies {
			if cp.OriginTenantID != nil && h.Registry != nil {
				if from, ok := h.Registry.ByID(*cp.OriginTenantID); ok {
					p.FromUnits[i].From = from.Name
				}
			}
		}
	}
	covers, err := h.pictures(ctx, t, p, guess, ims)
	if err != nil {
		return err
	}
	h.covers.put(t.ID, covers)
	lists := [][]Teaser{p.Latest, p.FromUnits}
	if p.Lead != nil {
		lists = append(lists, []Teaser{*p.Lead})
	}
	for _, b := range p.Blocks {
		lists = append(lists, b.Items)
	}
	h.markExpired(lists...)
	if p.Lead != nil {
		p.Lead.Expired = lists[2][0].Expired
	}
	return h.Renderer.Render(c, fiber.StatusOK, "site/home", p)
}

// leadOf is the index of the home's lead among the latest items: the
// newest, unless it is a document past its validity, which a reader
// should not meet as the site's top story ("Hết hiệu lực" under the
// headline); then the newest item that is not. It stays among the latest.
func (h *Handler) leadOf(latest []Teaser) int {
	if h.ExpiredOn == nil {
		return 0
	}
	for i, t := range latest {
		if t.expiresOn == nil || !h.ExpiredOn(*t.expiresOn) {
			return i
		}
	}
	return 0
}

// blockOrder is the order of the home's blocks a tenant chose (section
// slugs), nil when it chose none. Only that column: the settings row also
// holds the agency's whole "about" text, which the home does not show.
func blockOrder(ctx context.Context, idb bun.IDB, tenantID string) ([]string, error) {
	var cols []string
	if err := db.Select(ctx, idb, &cols, "SELECT block_order FROM site_settings WHERE tenant_id = ?", tenantID); err != nil {
		return nil, fmt.Errorf("load the home's block order: %w", err)
	}
	if len(cols) == 0 {
		return nil, nil
	}
	return (&Settings{BlockOrder: cols[0]}).Order(), nil
}

// pictures attaches the covers of every teaser of p: those among ims,
// read for the ids in asked (the pictures the tenant's home showed last
// time, read with its items: coverHints), and the others in one more
// query. It returns the ids of the covers it attached, the next render's
// guess.
func (h *Handler) pictures(ctx context.Context, t *tenancy.Tenant, p *Page, asked []string, ims map[string]*media.Image) ([]string, error) {
	all := make([]*Teaser, 0, 1+len(p.Latest)+len(p.FromUnits)+len(p.Blocks))
	if p.Lead != nil {
		all = append(all, p.Lead)
	}
	for i := range p.Latest {
		all = append(all, &p.Latest[i])
	}
	// A block shows a picture for its newest item only (Blocks.HTML).
	for b := range p.Blocks {
		if len(p.Blocks[b].Items) > 0 {
			all = append(all, &p.Blocks[b].Items[0])
		}
	}
	for i := range p.FromUnits {
		all = append(all, &p.FromUnits[i])
	}
	return attachCovers(ctx, h.DB, t.ID, all, asked, ims)
}

// attachCovers attaches their covers to ts. ims holds the pictures already
// read for the ids in asked (an id asked but absent names no picture of
// the tenant); the other covers are read in one query and added to it. It
// returns the ids of every cover of ts.
func attachCovers(ctx context.Context, idb bun.IDB, tenantID string, ts []*Teaser, asked []string, ims map[string]*media.Image) ([]string, error) {
	seen := make(map[string]bool, len(ts)+len(asked))
	for _, id := range asked {
		seen[id] = true
	}
	var ids, missing []string
	for _, t := range ts {
		if t.cover == "" || slices.Contains(ids, t.cover) {
			continue
		}
		ids = append(ids, t.cover)
		if !seen[t.cover] {
			missing = append(missing, t.cover)
		}
	}
	if len(missing) > 0 {
		more, err := media.Images(ctx, idb, tenantID, missing)
		if err != nil {
			return nil, err
		}
		maps.Copy(ims, more)
	}
	// Cards share a picture's description: a home shows about sixty
	// cards and a third as many pictures, and the attributes are the
	// longest text of a card.
	attrs := make(map[*media.Image]template.HTMLAttr, len(ids))
	for _, t := range ts {
		im := ims[t.cover]
		if im == nil {
			continue
		}
		a, ok := attrs[im]
		if !ok {
			im.Sizes = cardSizes
			a = im.Attrs(cardSizes)
			attrs[im] = a
		}
		t.Image, t.ImageAttrs = im, a
	}
	if len(ts) > 0 && ts[0].Image != nil {
		lead := *ts[0].Image
		lead.Sizes = leadSizes
		ts[0].Image, ts[0].ImageAttrs = &lead, lead.Attrs(leadSizes)
	}
	return ids, nil
}

// The sizes of a card's picture (beside its headline on a phone, site.css)
// and of the lead item's on the home page.
const (
	cardSizes = "(max-width: 720px) 120px, 320px"
	leadSizes = "(max-width: 720px) 100vw, 680px"
)

// orderSections puts the sections named in order first, in that order,
// then the others in their own order.
func orderSections(ss []tenancy.Section, order []string) []tenancy.Section {
	bySlug := make(map[string]int, len(ss))
	for i, s := range ss {
		bySlug[s.Slug] = i
	}
	used := make([]bool, len(ss))
	out := make([]tenancy.Section, 0, len(ss))
	for _, slug := range order {
		if i, ok := bySlug[slug]; ok && !used[i] {
			used[i] = true
			out = append(out, ss[i])
		}
	}
	for i, s := range ss {
		if !used[i] {
			out = append(out, s)
		}
	}
	return out
}
