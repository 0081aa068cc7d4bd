package provision

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// Merge carries the tenant's content into the tenant named intoSlug, in one
// audited transaction, and leaves the tenant "merged": its children move
// under the receiving tenant, the receiving tenant gains any section it
// lacked, the OnMerge hooks carry items (with revisions and history),
// media, board history and submissions over, items whose slug was taken
// get a new one and their old paths a redirect, and the tenant's domains
// become old addresses. Every address of the merged tenant then answers
// 301 to the same content at its new place; its past weeks stay in past
// reports under its own name.
func (p *Provisioner) Merge(ctx context.Context, tenantID, intoSlug string, c Change) (*tenancy.Tenant, error) {
	c, err := c.clean()
	if err != nil {
		return nil, err
	}
	intoSlug = strings.TrimSpace(intoSlug)
	if intoSlug == "" {
		return nil, errs.Invalid("into", "into_required", "Cần chọn đơn vị nhận hợp nhất")
	}
	return p.changeTenant(ctx, tenantID, func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant) error {
		into, err := p.mergeTarget(ctx, tx, t, intoSlug)
		if err != nil {
			return err
		}
		now := p.now()
		if err := p.adoptChildren(ctx, tx, t, into, now, c); err != nil {
			return err
		}
		m := &Merge{From: t, Into: into, At: now, Change: c, Renamed: map[string]string{}}
		if m.Sections, err = mergeSections(ctx, tx, t.ID, into.ID, now); err != nil {
			return err
		}
		for _, h := range p.Lifecycle.OnMerge {
			if err := h(ctx, tx, m); err != nil {
				return err
			}
		}
		if err := p.redirectRenamed(ctx, tx, m); err != nil {
			return err
		}
		return markMerged(ctx, tx, t, into, now, c)
	})
}

// mergeTarget loads and checks the tenant t merges into: another tenant,
// not one of t's descendants, neither merged nor archived, with a site
// when t has one (its addresses need somewhere to go).
func (p *Provisioner) mergeTarget(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, slug string) (*tenancy.Tenant, error) {
	into, err := tenancy.BySlug(ctx, tx, slug)
	if errs.Is(err, errs.KindNotFound) {
		return nil, errs.Invalid("into", "into_unknown", fmt.Sprintf("Không có đơn vị %q để hợp nhất vào", slug))
	}
	if err != nil {
		return nil, err
	}
	switch {
	case into.ID == t.ID:
		return nil, errs.Invalid("into", "merge_self", "Không thể hợp nhất một đơn vị vào chính nó")
	case into.Status == tenancy.StatusMerged:
		return nil, errs.Invalid("into", "into_merged", fmt.Sprintf("Đơn vị %q đã hợp nhất vào đơn vị khác", slug))
	case into.Status == tenancy.StatusArchived:
		return nil, errs.Invalid("into", "into_archived", fmt.Sprintf("Đơn vị %q đã lưu trữ, không nhận nội dung mới", slug))
	case t.HasSite && !into.HasSite:
		return nil, errs.Invalid("into", "into_no_site",
			fmt.Sprintf("Đơn vị %q không có trang thông tin; các địa chỉ của %q sẽ không còn nơi chuyển đến", slug, t.Slug))
	}
	if err := CheckNoLoop(ctx, tx, t.ID, into.ID); errs.Is(err, errs.KindInvalid) {
		return nil, errs.Invalid("into", "merge_into_descendant",
			fmt.Sprintf("Không thể hợp nhất %q vào %q: %q là đơn vị cấp dưới của %q", t.Slug, slug, slug, t.Slug))
	} else if err != nil {
		return nil, err
	}
	return into, nil
}

// adoptChildren moves t's children (but the receiving tenant) under into.
func (p *Provisioner) adoptChildren(ctx context.Context, tx bun.Tx, t, into *tenancy.Tenant, at time.Time, c Change) error {
	var kids []string
	if err := tx.NewSelect().Model((*tenancy.Tenant)(nil)).Column("id").
		Where("parent_id = ? AND id <> ?", t.ID, into.ID).Order("slug").Scan(ctx, &kids); err != nil {
		return fmt.Errorf("list children of %s: %w", t.Slug, err)
	}
	if len(kids) > 0 && !canHaveChildren(into.Kind) {
		return errs.Invalid("into", "into_kind",
			fmt.Sprintf("%q có %d đơn vị trực thuộc nhưng %q (loại %s) không thể có đơn vị con", t.Slug, len(kids), into.Slug, into.Kind))
	}
	for _, id := range kids {
		kid, err := lockTenant(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := p.move(ctx, tx, kid, into, at, c); err != nil {
			return err
		}
	}
	return nil
}

// mergeSections maps every section of from to the section of into with
// the same slug, creating the ones into lacks.
func mergeSections(ctx context.Context, tx bun.Tx, from, into string, at time.Time) (map[string]string, error) {
	src, err := tenancy.Sections(ctx, tx, from)
	if err != nil {
		return nil, err
	}
	dst, err := tenancy.Sections(ctx, tx, into)
	if err != nil {
		return nil, err
	}
	bySlug := map[string]string{}
	for _, s := range dst {
		bySlug[s.Slug] = s.ID
	}
	out := map[string]string{}
	for _, s := range src {
		if id, ok := bySlug[s.Slug]; ok {
			out[s.ID] = id
			continue
		}
		cp := s
		cp.TenantID, cp.ID, cp.CreatedAt = into, db.NewID(), at
		if _, err := tx.NewInsert().Model(&cp).Exec(ctx); err != nil {
			return nil, fmt.Errorf("copy section %s: %w", s.Slug, err)
		}
		out[s.ID] = cp.ID
	}
	return out, nil
}

// redirectRenamed records, for every item that took a new slug, its old
// paths on the merged tenant's hosts.
func (p *Provisioner) redirectRenamed(ctx context.Context, tx bun.Tx, m *Merge) error {
	if len(m.Renamed) == 0 || p.Lifecycle.ItemPaths == nil {
		return nil
	}
	var rs []tenancy.PathRedirect
	for old, slug := range m.Renamed {
		from, to := p.Lifecycle.ItemPaths(old), p.Lifecycle.ItemPaths(slug)
		for i := range from {
			rs = append(rs, tenancy.PathRedirect{TenantID: m.From.ID, FromPath: from[i], ToPath: to[i], CreatedAt: m.At})
		}
	}
	return tenancy.AddPathRedirects(ctx, tx, rs)
}

// markMerged leaves t merged into into: its domains become old addresses
// (which into may claim later), its status and history say where it went.
func markMerged(ctx context.Context, tx bun.Tx, t, into *tenancy.Tenant, at time.Time, c Change) error {
	for _, d := range t.Domains {
		if _, err := tx.NewDelete().Model((*tenancy.Domain)(nil)).Where("tenant_id = ? AND domain = ?", t.ID, d).Exec(ctx); err != nil {
			return fmt.Errorf("release domain %s: %w", d, err)
		}
		if err := tenancy.AddAlias(ctx, tx, tenancy.AliasDomain, d, t.ID, at); err != nil {
			return err
		}
	}
	t.Status, t.MergedIntoID, t.UpdatedAt = tenancy.StatusMerged, &into.ID, at
	if _, err := tx.NewUpdate().Model(t).Column("status", "merged_into_id", "updated_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("mark %s merged: %w", t.Slug, err)
	}
	if err := record(ctx, tx, t, OpMerge, at, c, map[string]any{"into": into.Slug}); err != nil {
		return err
	}
	return record(ctx, tx, into, OpMerge+"-in", at, c, map[string]any{"from": t.Slug})
}
