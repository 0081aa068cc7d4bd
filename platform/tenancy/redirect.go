package tenancy

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Alias kinds: an old slug (answering at <slug>.<base domain>) or a
// removed domain.
const (
	AliasSlug   = "slug"
	AliasDomain = "domain"
)

// Alias is an address a tenant no longer serves but still answers with a
// 301 to its primary host. It stays taken: no other tenant can claim it.
type Alias struct {
	bun.BaseModel `bun:"table:tenant_aliases"`

	Kind      string    `bun:"kind,pk"`
	Name      string    `bun:"name,pk"`
	TenantID  string    `bun:"tenant_id"`
	CreatedAt time.Time `bun:"created_at"`
}

// PathRedirect sends one path of a tenant's hosts elsewhere: when a merged
// tenant's item took a new slug in the tenant it went into, the old path
// points to the new one (on the host the tenant's requests go to).
type PathRedirect struct {
	bun.BaseModel `bun:"table:tenant_redirects"`

	TenantID  string    `bun:"tenant_id,pk"`
	FromPath  string    `bun:"from_path,pk"`
	ToPath    string    `bun:"to_path"`
	CreatedAt time.Time `bun:"created_at"`
}

// AddAlias points the address (kind, name) at tenantID, replacing an alias
// of the same address (which may only be the same tenant's: callers check
// that an address is free first).
func AddAlias(ctx context.Context, idb bun.IDB, kind, name, tenantID string, at time.Time) error {
	if err := RemoveAlias(ctx, idb, kind, name); err != nil {
		return err
	}
	a := &Alias{Kind: kind, Name: name, TenantID: tenantID, CreatedAt: at.UTC()}
	if _, err := idb.NewInsert().Model(a).Exec(ctx); err != nil {
		return fmt.Errorf("add %s alias %s: %w", kind, name, err)
	}
	return nil
}

// RemoveAlias drops an alias (its tenant took the address back).
func RemoveAlias(ctx context.Context, idb bun.IDB, kind, name string) error {
	if _, err := idb.NewDelete().Model((*Alias)(nil)).Where("kind = ? AND name = ?", kind, name).Exec(ctx); err != nil {
		return fmt.Errorf("remove %s alias %s: %w", kind, name, err)
	}
	return nil
}

// AliasOf returns the tenant id an address is an alias of, "" if none.
func AliasOf(ctx context.Context, idb bun.IDB, kind, name string) (string, error) {
	var ids []string
	if err := idb.NewSelect().Model((*Alias)(nil)).Column("tenant_id").
		Where("kind = ? AND name = ?", kind, name).Scan(ctx, &ids); err != nil {
		return "", fmt.Errorf("look up %s alias %s: %w", kind, name, err)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}

// Aliases lists a tenant's aliases by kind and name.
func Aliases(ctx context.Context, idb bun.IDB, tenantID string) ([]Alias, error) {
	var out []Alias
	if err := idb.NewSelect().Model(&out).Where("tenant_id = ?", tenantID).Order("kind", "name").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list aliases: %w", err)
	}
	return out, nil
}

// AddPathRedirects records path redirects of tenantID.
func AddPathRedirects(ctx context.Context, idb bun.IDB, rs []PathRedirect) error {
	if len(rs) == 0 {
		return nil
	}
	if _, err := idb.NewInsert().Model(&rs).On("CONFLICT (tenant_id, from_path) DO UPDATE").
		Set("to_path = EXCLUDED.to_path").Exec(ctx); err != nil {
		return fmt.Errorf("add path redirects: %w", err)
	}
	return nil
}

// redirects is what the registry keeps of aliases and path redirects.
type redirects struct {
	aliases []Alias
	paths   []PathRedirect
}

func loadRedirects(ctx context.Context, idb bun.IDB) (*redirects, error) {
	r := &redirects{}
	if err := idb.NewSelect().Model(&r.aliases).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load aliases: %w", err)
	}
	if err := idb.NewSelect().Model(&r.paths).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load path redirects: %w", err)
	}
	return r, nil
}
