package transfer

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

// ImportOptions say which archive to load and as what.
type ImportOptions struct {
	// In is the archive made by Export.
	In string
	// As is the new tenant's slug; empty keeps the archive's.
	As string
	// Parent is the new tenant's parent slug; empty takes the archive's
	// parent when it exists here (see Import).
	Parent string
	// WithDomains also registers the archive's domains that are free here.
	WithDomains bool
	// BaseDomain and AdminHost are this platform's settings: links are
	// rewritten to <slug>.<base domain>, and the admin host is no slug's.
	BaseDomain string
	AdminHost  string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Result is what an import created.
type Result struct {
	// Tenant is the new tenant, with its domains and parent slug.
	Tenant *tenancy.Tenant
	// Rows counts the rows written per table.
	Rows map[string]int
	// Objects counts the media objects stored.
	Objects int
	// SkippedDomains are the archive's domains not registered: all of them
	// without WithDomains, else those taken or reserved here.
	SkippedDomains []string
	// Source is the manifest of the archive.
	Source *Manifest
}

// Import loads an archive made by Export as a new tenant, on this platform
// or another. It checks every checksum before anything is written. The
// tenant gets a new id; every other id is kept (rows are keyed by tenant id
// first, so they cannot clash with the original's). Media objects are
// stored under the new tenant's prefix first, then every row is written in
// one transaction; if that fails the objects are deleted again, so a failed
// import leaves no tenant, no rows and no objects.
//
// The parent is opts.Parent, else the archive's parent when a tenant with
// that slug exists here; a department whose parent is absent goes to the
// top of the tree if there is no top department yet. Otherwise Parent is
// required.
func Import(ctx context.Context, bdb *bun.DB, store blob.Store, opts ImportOptions) (*Result, error) {
	dir, err := os.MkdirTemp("", "trangtin-import-*")
	if err != nil {
		return nil, fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	m, err := unpack(ctx, opts.In, dir)
	if err != nil {
		return nil, err
	}
	if err := checkSource(dir, opts.In, m); err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	ld := &loader{m: m, dir: dir, opts: opts, newID: db.NewID(), now: now().UTC(),
		res: &Result{Rows: map[string]int{}, Source: m}}
	if ld.slug = opts.As; ld.slug == "" {
		ld.slug = m.Tenant.Slug
	}
	// Refuse a bad slug or parent before any object is written; the
	// transaction checks again.
	if err := ld.resolve(ctx, bdb); err != nil {
		return nil, err
	}
	put, err := ld.putObjects(ctx, store)
	if err == nil {
		err = db.InTx(ctx, bdb, ld.load)
	}
	if err != nil {
		cleanup, left := context.WithoutCancel(ctx), 0
		for _, k := range put {
			if store.Delete(cleanup, k) != nil {
				left++
			}
		}
		if left > 0 {
			return nil, fmt.Errorf("%w (and %d stored objects under %s could not be removed)", err, left, blob.TenantPrefix(ld.newID))
		}
		return nil, err
	}
	ld.res.Objects = len(put)
	return ld.res, nil
}

// checkSource checks data/tenants.jsonl holds the one row of the
// manifest's tenant.
func checkSource(dir, path string, m *Manifest) error {
	f, err := os.Open(filepath.Join(dir, "data", "tenants.jsonl"))
	if err != nil {
		return fmt.Errorf("read tenant row: %w", err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	var row map[string]any
	if err := dec.Decode(&row); err != nil || row["id"] != m.Tenant.ID || dec.More() {
		return damaged(path, "data/tenants.jsonl does not hold the tenant of the manifest")
	}
	return nil
}

// loader carries one import through its steps.
type loader struct {
	m     *Manifest
	dir   string
	opts  ImportOptions
	newID string
	now   time.Time
	res   *Result

	slug     string
	parentID *string
	parent   string
	// domains are the archive's domains registered for the new tenant.
	domains map[string]bool
	links   *rewriter
	// objects are the keys of the archive's objects.
	objects map[string]bool
	// scheduled are the items waiting for their publication time.
	scheduled map[string]time.Time
}

// resolve checks the slug is free and picks the parent.
func (ld *loader) resolve(ctx context.Context, idb bun.IDB) error {
	if err := provision.ValidateSlug(ld.slug); err != nil {
		return err
	}
	if ld.opts.AdminHost != "" && ld.slug+"."+ld.opts.BaseDomain == ld.opts.AdminHost {
		return errs.Invalid("", "slug_reserved", fmt.Sprintf("slug %q is the admin host's: choose another with --as", ld.slug))
	}
	n, err := idb.NewSelect().Table("tenants").Where("slug = ?", ld.slug).Count(ctx)
	if err != nil {
		return fmt.Errorf("check slug: %w", err)
	}
	if n > 0 {
		return errs.Conflict("slug_taken", fmt.Sprintf("slug %q is taken: choose another with --as", ld.slug))
	}
	kind := tenancy.Kind(ld.m.Tenant.Kind)
	if !kind.Valid() {
		return damaged(ld.opts.In, "unknown kind %q", kind)
	}
	name, explicit := ld.opts.Parent, ld.opts.Parent != ""
	if !explicit {
		name = ld.m.Tenant.Parent
	}
	ld.parentID, ld.parent = nil, ""
	if name != "" {
		p, err := tenancy.BySlug(ctx, idb, name)
		switch {
		case errs.Is(err, errs.KindNotFound) && explicit:
			return errs.Invalid("", "parent_unknown", fmt.Sprintf("unknown parent %q", name))
		case errs.Is(err, errs.KindNotFound) && kind != tenancy.KindDepartment:
			return errs.Invalid("", "parent_required", fmt.Sprintf("the archive's parent %q does not exist here: name one with --parent", name))
		case err != nil && !errs.Is(err, errs.KindNotFound):
			return err
		case err == nil:
			if p.Status == tenancy.StatusArchived {
				return errs.Invalid("", "parent_archived", fmt.Sprintf("parent %q is archived", name))
			}
			if p.Kind == tenancy.KindOffice || p.Kind == tenancy.KindUnion {
				return errs.Invalid("", "parent_kind", fmt.Sprintf("parent %q is a %s, which cannot have children", name, p.Kind))
			}
			// The new tenant has no children yet; the check keeps the
			// rule in one place.
			if err := provision.CheckNoLoop(ctx, idb, ld.newID, p.ID); err != nil {
				return err
			}
			ld.parentID, ld.parent = &p.ID, p.Slug
			return nil
		}
	}
	if kind != tenancy.KindDepartment {
		return errs.Invalid("", "parent_required", fmt.Sprintf("a %s needs a parent: name one with --parent", kind))
	}
	n, err = idb.NewSelect().Table("tenants").Where("kind = ? AND parent_id IS NULL", tenancy.KindDepartment).Count(ctx)
	if err != nil {
		return fmt.Errorf("count top departments: %w", err)
	}
	if n > 0 {
		msg := "there is already a top department: name a parent with --parent"
		if name != "" {
			msg = fmt.Sprintf("the archive's parent %q does not exist here and %s", name, msg)
		}
		return errs.Invalid("", "parent_required", msg)
	}
	return nil
}

// newKey is where an object of the archive goes: the same key under the
// new tenant's prefix.
func (ld *loader) newKey(old string) string {
	return blob.TenantPrefix(ld.newID) + strings.TrimPrefix(old, blob.TenantPrefix(ld.m.Tenant.ID))
}

// putObjects stores every object of the archive under the new tenant's
// prefix and returns the keys written (also on error, for the clean-up).
func (ld *loader) putObjects(ctx context.Context, store blob.Store) ([]string, error) {
	var put []string
	for _, o := range ld.m.Objects {
		key := ld.newKey(o.Key)
		f, err := os.Open(filepath.Join(ld.dir, filepath.FromSlash(o.File)))
		if err != nil {
			return put, fmt.Errorf("media object: %w", err)
		}
		_, err = store.Put(ctx, key, f, o.Size, o.ContentType)
		_ = f.Close()
		if err != nil {
			return put, fmt.Errorf("media object %s: %w", o.Key, err)
		}
		put = append(put, key)
	}
	return put, nil
}

// load writes the tenant and every row, in the import transaction.
func (ld *loader) load(ctx context.Context, tx bun.Tx) error {
	if err := ld.resolve(ctx, tx); err != nil {
		return err
	}
	if err := ld.pickDomains(ctx, tx); err != nil {
		return err
	}
	var from []string
	if ld.m.Platform.BaseDomain != "" {
		from = append(from, ld.m.Tenant.Slug+"."+ld.m.Platform.BaseDomain)
	}
	for _, d := range ld.m.Tenant.Domains {
		if !ld.domains[d] {
			from = append(from, d)
		}
	}
	ld.links = newRewriter(from, ld.slug+"."+ld.opts.BaseDomain)
	ld.scheduled = map[string]time.Time{}
	for _, tb := range tables() {
		n, err := ld.loadTable(ctx, tx, tb)
		if err != nil {
			return err
		}
		ld.res.Rows[tb.name] = n
	}
	if err := ld.schedule(ctx, tx); err != nil {
		return err
	}
	if err := tenancy.BumpGeneration(ctx, tx, tenancy.GenerationTenants); err != nil {
		return err
	}
	t, err := tenancy.ByID(ctx, tx, ld.newID)
	if err != nil {
		return err
	}
	ld.res.Tenant = t
	return nil
}

// pickDomains decides which of the archive's domains the new tenant takes:
// none unless asked, and never one that is taken or reserved here.
func (ld *loader) pickDomains(ctx context.Context, tx bun.Tx) error {
	ld.domains = map[string]bool{}
	ld.res.SkippedDomains = nil
	for _, d := range ld.m.Tenant.Domains {
		ok := ld.opts.WithDomains && d != ld.opts.AdminHost && d != ld.opts.BaseDomain
		if label, under := strings.CutSuffix(d, "."+ld.opts.BaseDomain); ok && under && !strings.Contains(label, ".") {
			ok = false // <label>.<base domain> is the address of slug label
		}
		if ok {
			n, err := tx.NewSelect().Table("tenant_domains").Where("domain = ?", d).Count(ctx)
			if err != nil {
				return fmt.Errorf("check domain %s: %w", d, err)
			}
			ok = n == 0
		}
		if ok {
			ld.domains[d] = true
		} else {
			ld.res.SkippedDomains = append(ld.res.SkippedDomains, d)
		}
	}
	return nil
}
