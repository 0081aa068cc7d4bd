package post

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/jobs"
)

// MergeItems carries every item of tenant from into tenant into, inside a
// merge's transaction (tenants/provision): items keep their ids, text,
// status, dates and authors; their revisions, fields and workflow history
// follow; sections map through sections (old section id → new); an item
// whose slug into already uses gets a new one (returned, old → new); the
// agreements of from's register follow (one into already holds is
// shared); a scheduled item keeps its time. The originals stay until
// DropMergedItems, so rows of other features referring to them can be
// pointed at the copies in between.
func MergeItems(ctx context.Context, tx bun.Tx, from, into string, sections map[string]string) (map[string]string, error) {
	renamed, err := freeSlugs(ctx, tx, from, into)
	if err != nil {
		return nil, err
	}
	if _, err := db.CopyRows(ctx, tx, "posts", []db.Set{{Column: "tenant_id", Expr: "?", Args: []any{into}},
		{Column: "section_id", Expr: "NULL"}}, "tenant_id = ?", from); err != nil {
		return nil, err
	}
	for old, nu := range sections {
		if _, err := tx.NewRaw(`UPDATE posts SET section_id = ? WHERE tenant_id = ? AND id IN
			(SELECT id FROM posts WHERE tenant_id = ? AND section_id = ?)`, nu, into, from, old).Exec(ctx); err != nil {
			return nil, fmt.Errorf("merge items: sections: %w", err)
		}
		if _, err := tx.NewRaw(`UPDATE post_revisions SET section_id = ? WHERE tenant_id = ? AND section_id = ?`,
			nu, from, old).Exec(ctx); err != nil {
			return nil, fmt.Errorf("merge items: revision sections: %w", err)
		}
	}
	for _, table := range []string{"post_fields", "post_revisions", "post_transitions", "post_documents", "post_attachments"} {
		if _, err := tx.NewRaw("UPDATE "+table+" SET tenant_id = ? WHERE tenant_id = ?", into, from).Exec(ctx); err != nil {
			return nil, fmt.Errorf("merge items: %s: %w", table, err)
		}
	}
	if err := mergeEditions(ctx, tx, from, into, sections); err != nil {
		return nil, err
	}
	if err := mergeAgreements(ctx, tx, from, into); err != nil {
		return nil, err
	}
	if err := moveSchedules(ctx, tx, from, into); err != nil {
		return nil, err
	}
	return renamed, nil
}

// DropMergedItems deletes from's original items once MergeItems copied them
// and every referring row points at the copies.
func DropMergedItems(ctx context.Context, tx bun.Tx, from string) error {
	if _, err := tx.NewDelete().Model((*Post)(nil)).Where("tenant_id = ?", from).Exec(ctx); err != nil {
		return fmt.Errorf("merge items: drop originals: %w", err)
	}
	return nil
}

// freeSlugs gives each item of from whose slug into already uses the
// first free "<slug>-N" (free in both tenants), and returns old → new.
func freeSlugs(ctx context.Context, tx bun.Tx, from, into string) (map[string]string, error) {
	var theirs, ours []struct {
		ID   string `bun:"id"`
		Slug string `bun:"slug"`
	}
	if err := tx.NewSelect().Model((*Post)(nil)).Column("id", "slug").Where("tenant_id = ?", into).Scan(ctx, &theirs); err != nil {
		return nil, fmt.Errorf("merge items: slugs: %w", err)
	}
	if err := tx.NewSelect().Model((*Post)(nil)).Column("id", "slug").Where("tenant_id = ?", from).Order("id").Scan(ctx, &ours); err != nil {
		return nil, fmt.Errorf("merge items: slugs: %w", err)
	}
	taken, used := map[string]bool{}, map[string]bool{}
	for _, p := range theirs {
		taken[p.Slug], used[p.Slug] = true, true
	}
	for _, p := range ours {
		used[p.Slug] = true
	}
	renamed := map[string]string{}
	for _, p := range ours {
		if !taken[p.Slug] {
			continue
		}
		nu := p.Slug
		for n := 2; used[nu]; n++ {
			nu = p.Slug + "-" + strconv.Itoa(n)
		}
		used[nu] = true
		if _, err := tx.NewUpdate().Model((*Post)(nil)).Set("slug = ?", nu).Where("tenant_id = ? AND id = ?", from, p.ID).Exec(ctx); err != nil {
			return nil, fmt.Errorf("merge items: rename %s: %w", p.Slug, err)
		}
		renamed[p.Slug] = nu
	}
	return renamed, nil
}

// mergeAgreements moves from's register of reuse agreements to into; an
// agreement into already has (same outlet and reference) is shared, and
// the items citing from's copy cite into's.
func mergeAgreements(ctx context.Context, tx bun.Tx, from, into string) error {
	var ours []Agreement
	if err := tx.NewSelect().Model(&ours).Where("tenant_id = ?", from).Scan(ctx); err != nil {
		return fmt.Errorf("merge agreements: %w", err)
	}
	for _, a := range ours {
		var same []string
		if err := tx.NewSelect().Model((*Agreement)(nil)).Column("id").
			Where("tenant_id = ? AND outlet = ? AND reference = ?", into, a.Outlet, a.Reference).Scan(ctx, &same); err != nil {
			return fmt.Errorf("merge agreements: %w", err)
		}
		if len(same) == 0 {
			_, err := tx.NewUpdate().Model((*Agreement)(nil)).Set("tenant_id = ?", into).Where("tenant_id = ? AND id = ?", from, a.ID).Exec(ctx)
			if err != nil {
				return fmt.Errorf("merge agreements: move %s: %w", a.Reference, err)
			}
			continue
		}
		if _, err := tx.NewUpdate().Model((*Post)(nil)).Set("agreement_id = ?", same[0]).
			Where("tenant_id = ? AND agreement_id = ?", into, a.ID).Exec(ctx); err != nil {
			return fmt.Errorf("merge agreements: repoint %s: %w", a.Reference, err)
		}
	}
	return nil
}

// moveSchedules re-enqueues the publication jobs of from's scheduled items
// under into (the jobs name their item's tenant).
func moveSchedules(ctx context.Context, tx bun.Tx, from, into string) error {
	var due []struct {
		ID          string    `bun:"id"`
		ScheduledAt time.Time `bun:"scheduled_at"`
	}
	if err := tx.NewSelect().Model((*Post)(nil)).Column("id", "scheduled_at").
		Where("tenant_id = ? AND status = ? AND scheduled_at IS NOT NULL", from, StatusScheduled).Scan(ctx, &due); err != nil {
		return fmt.Errorf("merge items: schedules: %w", err)
	}
	for _, d := range due {
		at := d.ScheduledAt.UTC().Truncate(time.Microsecond)
		if _, err := jobs.Cancel(ctx, tx, publishKey(d.ID, at)); err != nil {
			return err
		}
		if err := enqueuePublish(ctx, tx, into, d.ID, at); err != nil {
			return err
		}
	}
	return nil
}

// mergeEditions moves the pending editions of from's items to their copies
// in into, with their sections mapped like the items' (an edition whose
// section into lacks keeps none, as a copied item does).
func mergeEditions(ctx context.Context, tx bun.Tx, from, into string, sections map[string]string) error {
	for old, nu := range sections {
		if _, err := tx.NewRaw(`UPDATE post_editions SET tenant_id = ?, section_id = ? WHERE tenant_id = ? AND section_id = ?`,
			into, nu, from, old).Exec(ctx); err != nil {
			return fmt.Errorf("merge items: editions: %w", err)
		}
	}
	if _, err := tx.NewRaw(`UPDATE post_editions SET tenant_id = ?, section_id = NULL WHERE tenant_id = ?`, into, from).Exec(ctx); err != nil {
		return fmt.Errorf("merge items: editions: %w", err)
	}
	return nil
}
