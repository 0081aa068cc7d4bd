package site

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// Audit actions of a tenant's own sections.
const (
	ActionSectionCreated = "section.created"
	ActionSectionUpdated = "section.updated"
	ActionSectionRemoved = "section.removed"
)

// Limits of a section's text.
const (
	SectionNameMax        = 120
	SectionDescriptionMax = 500
	sectionSlugMax        = 63
)

var sectionSlugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// SectionInput is what the sections form sends. Slug is used only when a
// section is created (empty: made from the name); an address, once given,
// stays, since readers and search engines keep it.
type SectionInput struct {
	Name, Slug, Description string
}

// Own reports whether s is one a tenant made itself: neither one Decree
// 42/2022 requires of every site nor one standing for a field of the
// sector. Only those may be renamed or removed; the others are the same
// on every site, so readers and the Department's reports find them.
func Own(s tenancy.Section) bool { return !s.Required && s.FieldCode == nil }

// CreateSection adds a section of the tenant's own, after the sections it
// has (it then shows in the site's menu and as a block of the home).
func (a *Agency) CreateSection(ctx context.Context, tenantID, actorID, ip string, in SectionInput) (*tenancy.Section, error) {
	name, err := cleanText(in.Name, "name", "Tên chuyên mục", SectionNameMax, false)
	if err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errs.Invalid("name", "name_required", "Cần nhập tên chuyên mục")
	}
	desc, err := cleanText(in.Description, "description", "Mô tả", SectionDescriptionMax, false)
	if err != nil {
		return nil, err
	}
	slug := strings.ToLower(strings.TrimSpace(in.Slug))
	if slug == "" {
		slug = vntext.Slugify(name, sectionSlugMax)
	}
	if len(slug) > sectionSlugMax || !sectionSlugPattern.MatchString(slug) {
		return nil, errs.Invalid("slug", "bad_slug", "Địa chỉ chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (tối đa 63 ký tự), ví dụ tuyen-sinh")
	}
	s := &tenancy.Section{TenantID: tenantID, ID: db.NewID(), Slug: slug, Name: name, Description: desc, CreatedAt: a.now()}
	taken := errs.Conflict("slug_taken", fmt.Sprintf("Đơn vị đã có chuyên mục với địa chỉ /chuyen-muc/%s; hãy chọn địa chỉ khác", slug))
	err = db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		// After every section that is not a field's (the required ones
		// come first, then the tenant's own in the order made).
		var last []int
		if err := db.Select(ctx, tx, &last, "SELECT COALESCE(MAX(position), 0) FROM sections WHERE tenant_id = ? AND field_code IS NULL", tenantID); err != nil {
			return fmt.Errorf("place the new section: %w", err)
		}
		if len(last) > 0 {
			s.Position = last[0] + 1
		}
		var same []string
		if err := db.Select(ctx, tx, &same, "SELECT id FROM sections WHERE tenant_id = ? AND slug = ?", tenantID, slug); err != nil {
			return fmt.Errorf("check the section's address: %w", err)
		}
		if len(same) > 0 {
			return taken
		}
		if err := nameFree(ctx, tx, tenantID, "", name); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(s).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return taken
			}
			return fmt.Errorf("create section: %w", err)
		}
		// The address may have been a removed section's, sending its
		// readers on (RemoveSection): the new section takes it.
		if _, err := tx.NewDelete().Table("section_redirects").Where("tenant_id = ? AND slug = ?", tenantID, slug).Exec(ctx); err != nil {
			return fmt.Errorf("end the redirect of %s: %w", slug, err)
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionSectionCreated,
			Subject: slug, Detail: map[string]any{"name": name}, IP: ip})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateSection renames a section of the tenant's own and sets its
// description; of the other sections only the description changes (their
// names are those the decree and the sector's fields give).
func (a *Agency) UpdateSection(ctx context.Context, tenantID, actorID, ip, id string, in SectionInput) error {
	desc, err := cleanText(in.Description, "description", "Mô tả", SectionDescriptionMax, false)
	if err != nil {
		return err
	}
	return db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		s, err := sectionByID(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		name := s.Name
		if Own(*s) {
			if name, err = cleanText(in.Name, "name", "Tên chuyên mục", SectionNameMax, false); err != nil {
				return err
			}
			if name == "" {
				return errs.Invalid("name", "name_required", "Cần nhập tên chuyên mục")
			}
			if err := nameFree(ctx, tx, tenantID, id, name); err != nil {
				return err
			}
		}
		if name == s.Name && desc == s.Description {
			return nil
		}
		if _, err := tx.NewUpdate().Table("sections").Set("name = ?", name).Set("description = ?", desc).
			Where("tenant_id = ? AND id = ?", tenantID, id).Exec(ctx); err != nil {
			return fmt.Errorf("update section %s: %w", s.Slug, err)
		}
		return audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionSectionUpdated,
			Subject: s.Slug, Detail: map[string]any{"name": name, "was": s.Name}, IP: ip})
	})
}

// Removal is what RemoveSection did: the section's name, and how many items
// moved to which section (To is empty when none did).
type Removal struct {
	Name, To string
	Moved    int
}

// RemoveSection removes a section of the tenant's own. Its items (every
// state) and editions move to the section moveTo, in the same
// transaction, so none is left without a place; moveTo may be empty only
// when the section holds none.
func (a *Agency) RemoveSection(ctx context.Context, tenantID, actorID, ip, id, moveTo string) (Removal, error) {
	var r Removal
	err := db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		s, err := sectionByID(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		if !Own(*s) {
			return errs.Invalid("section", "section_fixed", fmt.Sprintf("Chuyên mục “%s” là chuyên mục bắt buộc của mọi trang (Nghị định 42/2022 và các lĩnh vực của ngành), không xóa được", s.Name))
		}
		var counts []int
		if err := db.Select(ctx, tx, &counts, "SELECT COUNT(*) FROM posts WHERE tenant_id = ? AND section_id = ?", tenantID, id); err != nil {
			return fmt.Errorf("count the section's items: %w", err)
		}
		held := 0
		if len(counts) > 0 {
			held = counts[0]
		}
		detail := map[string]any{"name": s.Name, "items": held}
		if moveTo != "" || held > 0 {
			if moveTo == "" {
				return errs.Invalid("move_to", "move_to_required", fmt.Sprintf("Chuyên mục “%s” còn %d bài: hãy chọn chuyên mục nhận các bài này", s.Name, held))
			}
			if moveTo == id {
				return errs.Invalid("move_to", "move_to_self", "Hãy chọn một chuyên mục khác để nhận các bài")
			}
			to, err := sectionByID(ctx, tx, tenantID, moveTo)
			if err != nil {
				return errs.Invalid("move_to", "move_to_not_found", "Không tìm thấy chuyên mục nhận các bài")
			}
			if _, err := tx.NewUpdate().Table("posts").Set("section_id = ?", to.ID).
				Where("tenant_id = ? AND section_id = ?", tenantID, id).Exec(ctx); err != nil {
				return fmt.Errorf("move the items of section %s: %w", s.Slug, err)
			}
			if _, err := tx.NewUpdate().Table("post_editions").Set("section_id = ?", to.ID).
				Where("tenant_id = ? AND section_id = ?", tenantID, id).Exec(ctx); err != nil {
				return fmt.Errorf("move the editions of section %s: %w", s.Slug, err)
			}
			detail["moved_to"] = to.Slug
			r.To = to.Name
			// Its address, and those already sent on to it, now send
			// readers to the section that took its items.
			if _, err := tx.NewUpdate().Table("section_redirects").Set("section_id = ?", to.ID).
				Where("tenant_id = ? AND section_id = ?", tenantID, id).Exec(ctx); err != nil {
				return fmt.Errorf("repoint the redirects to section %s: %w", s.Slug, err)
			}
			if _, err := tx.NewRaw("INSERT INTO section_redirects (tenant_id, slug, section_id, created_at) VALUES (?, ?, ?, ?)"+
				" ON CONFLICT (tenant_id, slug) DO UPDATE SET section_id = EXCLUDED.section_id", tenantID, s.Slug, to.ID, time.Now().UTC()).Exec(ctx); err != nil {
				return fmt.Errorf("redirect the address of section %s: %w", s.Slug, err)
			}
		} else if _, err := tx.NewDelete().Table("section_redirects").Where("tenant_id = ? AND section_id = ?", tenantID, id).Exec(ctx); err != nil {
			return fmt.Errorf("end the redirects to section %s: %w", s.Slug, err)
		}
		if _, err := tx.NewDelete().Table("sections").Where("tenant_id = ? AND id = ?", tenantID, id).Exec(ctx); err != nil {
			return fmt.Errorf("remove section %s: %w", s.Slug, err)
		}
		r.Name, r.Moved = s.Name, held
		return audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionSectionRemoved,
			Subject: s.Slug, Detail: detail, IP: ip})
	})
	if err != nil {
		return Removal{}, err
	}
	return r, nil
}

// MoveSection moves a section of the tenant's own one place up (earlier)
// or down among the tenant's own sections, in the site's menu and on the
// sections page; the required sections stay first. It reports whether
// the section moved (not when it is already first or last).
func (a *Agency) MoveSection(ctx context.Context, tenantID, actorID, ip, id string, up bool) (bool, error) {
	moved := false
	err := db.InTx(ctx, a.DB, func(ctx context.Context, tx bun.Tx) error {
		s, err := sectionByID(ctx, tx, tenantID, id)
		if err != nil {
			return err
		}
		if !Own(*s) {
			return errs.Invalid("section", "section_fixed", fmt.Sprintf("Chuyên mục “%s” là chuyên mục bắt buộc của mọi trang, giữ chỗ của nó", s.Name))
		}
		var own []tenancy.Section
		if err := tx.NewSelect().Model(&own).Where("tenant_id = ? AND field_code IS NULL AND required = ?", tenantID, false).
			OrderExpr("position, slug").Scan(ctx); err != nil {
			return fmt.Errorf("load the tenant's own sections: %w", err)
		}
		i := slices.IndexFunc(own, func(x tenancy.Section) bool { return x.ID == id })
		j := i + 1
		if up {
			j = i - 1
		}
		if i < 0 || j < 0 || j >= len(own) {
			return nil
		}
		own[i], own[j] = own[j], own[i]
		// The own sections follow the required ones, numbered anew: equal
		// or scattered positions of older data become one clear order.
		var last []int
		if err := db.Select(ctx, tx, &last, "SELECT COALESCE(MAX(position), 0) FROM sections WHERE tenant_id = ? AND required = ?", tenantID, true); err != nil {
			return fmt.Errorf("place the sections: %w", err)
		}
		base := 1
		if len(last) > 0 {
			base = last[0] + 1
		}
		for k, x := range own {
			if x.Position == base+k {
				continue
			}
			if _, err := tx.NewUpdate().Table("sections").Set("position = ?", base+k).
				Where("tenant_id = ? AND id = ?", tenantID, x.ID).Exec(ctx); err != nil {
				return fmt.Errorf("place section %s: %w", x.Slug, err)
			}
		}
		moved = true
		return audit.Record(ctx, tx, audit.Event{TenantID: tenantID, ActorID: actorID, Action: ActionSectionUpdated,
			Subject: s.Slug, Detail: map[string]any{"moved": map[bool]string{true: "up", false: "down"}[up]}, IP: ip})
	})
	return moved, err
}

// SectionItemCounts is how many items (every state) each section of a
// tenant holds, by section id.
func SectionItemCounts(ctx context.Context, idb bun.IDB, tenantID string) (map[string]int, error) {
	var rows []struct {
		SectionID string `bun:"section_id"`
		N         int    `bun:"n"`
	}
	if err := db.Select(ctx, idb, &rows, "SELECT section_id, COUNT(*) AS n FROM posts WHERE tenant_id = ? AND section_id IS NOT NULL GROUP BY section_id", tenantID); err != nil {
		return nil, fmt.Errorf("count items by section: %w", err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.SectionID] = r.N
	}
	return out, nil
}

// nameFree refuses name when another section of the tenant (not except)
// has it, in any case: two menu entries and two choices of the item form
// named alike would send writers to the wrong one.
func nameFree(ctx context.Context, tx bun.IDB, tenantID, except, name string) error {
	var rows []struct {
		ID   string `bun:"id"`
		Name string `bun:"name"`
	}
	if err := db.Select(ctx, tx, &rows, "SELECT id, name FROM sections WHERE tenant_id = ?", tenantID); err != nil {
		return fmt.Errorf("check the section's name: %w", err)
	}
	for _, r := range rows {
		if r.ID != except && strings.EqualFold(vntext.NFC(r.Name), name) {
			return errs.Invalid("name", "name_taken", fmt.Sprintf("Đơn vị đã có chuyên mục “%s”; hãy đặt tên khác", r.Name))
		}
	}
	return nil
}

// sectionByID is section id of the tenant, read in tx.
func sectionByID(ctx context.Context, tx bun.IDB, tenantID, id string) (*tenancy.Section, error) {
	s := new(tenancy.Section)
	if err := tx.NewSelect().Model(s).Where("tenant_id = ? AND id = ?", tenantID, id).Scan(ctx); err != nil {
		return nil, db.NotFound(err, "load section", "section_not_found", "Không tìm thấy chuyên mục")
	}
	return s, nil
}

// movedSection is the address of the section that took the items of the
// tenant's removed section slug, "" when no section did.
func movedSection(ctx context.Context, idb bun.IDB, tenantID, slug string) (string, error) {
	var to []string
	if err := db.Select(ctx, idb, &to, "SELECT s.slug FROM section_redirects r JOIN sections s ON s.tenant_id = r.tenant_id AND s.id = r.section_id"+
		" WHERE r.tenant_id = ? AND r.slug = ?", tenantID, slug); err != nil {
		return "", fmt.Errorf("look up where section %s went: %w", slug, err)
	}
	if len(to) == 0 {
		return "", nil
	}
	return to[0], nil
}
