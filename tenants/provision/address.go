package provision

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

// checkNewSlug validates a tenant's new slug and sets it on t: a valid
// slug, not the admin host, not used or held as an old address by another
// tenant. The same slug is no change.
func (p *Provisioner) checkNewSlug(ctx context.Context, idb bun.IDB, t *tenancy.Tenant, slug string) error {
	if slug == t.Slug {
		return nil
	}
	if err := ValidateSlug(slug); err != nil {
		return err
	}
	if p.AdminHost != "" && slug+"."+p.BaseDomain == p.AdminHost {
		return errs.Invalid("slug", "slug_reserved", fmt.Sprintf("Mã đơn vị %q trùng với địa chỉ trang quản trị", slug))
	}
	if err := checkFree(ctx, idb, t.ID, slug, nil); err != nil {
		return err
	}
	t.Slug = slug
	return nil
}

// moveSlug keeps the old slug as an alias of t (its host answers 301 to
// the new one) and drops the alias of the new slug if t held it before.
func moveSlug(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, old string, at time.Time) error {
	if err := tenancy.RemoveAlias(ctx, tx, tenancy.AliasSlug, t.Slug); err != nil {
		return err
	}
	return tenancy.AddAlias(ctx, tx, tenancy.AliasSlug, old, t.ID, at)
}

// AddDomain lets the tenant answer on one more domain, in one audited
// transaction. A domain the tenant once removed (which redirected since)
// serves again; one used or held by another tenant is a conflict.
func (p *Provisioner) AddDomain(ctx context.Context, tenantID, domain string, c Change) (*tenancy.Tenant, error) {
	c, d, err := p.domainInput(domain, c)
	if err != nil {
		return nil, err
	}
	return p.changeTenant(ctx, tenantID, func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant) error {
		if slices.Contains(t.Domains, d) {
			return nil
		}
		if err := checkFree(ctx, tx, t.ID, "", []string{d}); err != nil {
			return err
		}
		now := p.now()
		if _, err := tx.NewInsert().Model(&tenancy.Domain{TenantID: t.ID, Domain: d, CreatedAt: now}).Exec(ctx); err != nil {
			return domainErr(err, d)
		}
		if err := tenancy.RemoveAlias(ctx, tx, tenancy.AliasDomain, d); err != nil {
			return err
		}
		return record(ctx, tx, t, OpDomainAdd, now, c, map[string]any{"domain": d})
	})
}

// RemoveDomain stops the tenant serving a domain, in one audited
// transaction; the domain then answers 301 to the tenant's primary host,
// wherever that is after later changes.
func (p *Provisioner) RemoveDomain(ctx context.Context, tenantID, domain string, c Change) (*tenancy.Tenant, error) {
	c, d, err := p.domainInput(domain, c)
	if err != nil {
		return nil, err
	}
	return p.changeTenant(ctx, tenantID, func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant) error {
		if !slices.Contains(t.Domains, d) {
			return errs.Invalid("domain", "domain_unknown", fmt.Sprintf("Đơn vị %q không dùng tên miền %s", t.Slug, d))
		}
		if _, err := tx.NewDelete().Model((*tenancy.Domain)(nil)).Where("tenant_id = ? AND domain = ?", t.ID, d).Exec(ctx); err != nil {
			return fmt.Errorf("remove domain %s: %w", d, err)
		}
		now := p.now()
		if err := tenancy.AddAlias(ctx, tx, tenancy.AliasDomain, d, t.ID, now); err != nil {
			return err
		}
		return record(ctx, tx, t, OpDomainRemove, now, c, map[string]any{"domain": d})
	})
}

func (p *Provisioner) domainInput(domain string, c Change) (Change, string, error) {
	c, err := c.clean()
	if err != nil {
		return c, "", err
	}
	ds, err := p.normalizeDomains([]string{domain})
	if err != nil {
		return c, "", err
	}
	if len(ds) == 0 {
		return c, "", errs.Invalid("domain", "domain_required", "Cần nhập tên miền")
	}
	return c, ds[0], nil
}

func domainErr(err error, d string) error {
	if db.IsUniqueViolation(err) {
		return errs.Conflict("domain_taken", fmt.Sprintf("Tên miền %s đã được đơn vị khác sử dụng", d))
	}
	return fmt.Errorf("insert domain %s: %w", d, err)
}
