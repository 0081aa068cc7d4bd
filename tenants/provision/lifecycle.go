package provision

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// The operations of a tenant's life, as written to its history
// (tenant_history.op) and, prefixed with "tenant.", to the audit log.
const (
	OpCreate       = "create"
	OpRename       = "rename"
	OpSetSlug      = "set-slug"
	OpDomainAdd    = "domain-add"
	OpDomainRemove = "domain-remove"
	OpMove         = "move"
	OpMerge        = "merge"
	OpSuspend      = "suspend"
	OpResume       = "resume"
	OpArchive      = "archive"
)

// Change says who makes a lifecycle change, from where and why. ActorID is
// empty on the command line, where Via names the operator instead.
type Change struct {
	ActorID string
	IP      string
	Reason  string
	// Via names where the change came from when there is no account: the
	// command line and the system user who ran it.
	Via string
}

// maxReason bounds the reason of a change, in characters.
const maxReason = 500

// clean normalises the reason (NFC, one line, no control characters).
func (c Change) clean() (Change, error) {
	c.Reason = strings.Join(strings.Fields(vntext.NFC(c.Reason)), " ")
	if n := len([]rune(c.Reason)); n > maxReason {
		return c, errs.Invalid("reason", "too_long", fmt.Sprintf("Lý do dài quá %d ký tự", maxReason))
	}
	return c, nil
}

// Move is a tenant given a new parent, as the hooks see it.
type Move struct {
	Tenant *tenancy.Tenant
	// From is the parent before the move (nil for a tenant at the top), To
	// the parent after.
	From, To *tenancy.Tenant
	At       time.Time
	Change
}

// Merge is one tenant's content going into another, as the hooks see it.
type Merge struct {
	From, Into *tenancy.Tenant
	At         time.Time
	Change
	// Sections maps the merged tenant's section ids to the receiving
	// tenant's (same slug, or a copy made for the merge).
	Sections map[string]string
	// Renamed collects the items that took a new slug in the receiving
	// tenant (old slug → new), so their old addresses redirect.
	Renamed map[string]string
}

// Lifecycle holds what other features do when a tenant changes; each hook
// runs inside the change's transaction (tenants/app wires them).
type Lifecycle struct {
	// OnMove runs after a tenant has its new parent (sends still pending
	// at the old parent are withdrawn here).
	OnMove []func(ctx context.Context, tx bun.Tx, m *Move) error
	// OnMerge runs, in order, after the receiving tenant has every section
	// of the merged one: each step carries a feature's rows over.
	OnMerge []func(ctx context.Context, tx bun.Tx, m *Merge) error
	// OnStatus runs after a tenant's status changed (the quota's status
	// history).
	OnStatus []func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, from tenancy.Status, at time.Time, c Change) error
	// ItemPaths lists the public paths of an item with slug on a site, so
	// an item renamed by a merge keeps each of its addresses.
	ItemPaths func(slug string) []string
}

func (p *Provisioner) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC()
	}
	return time.Now().UTC()
}

// changeTenant runs fn on the tenant, loaded and checked not merged in a
// transaction, then bumps the tenants change counter (every replica
// reloads within a second); the caller's fn records history and audit.
func (p *Provisioner) changeTenant(ctx context.Context, tenantID string, fn func(ctx context.Context, tx bun.Tx, t *tenancy.Tenant) error) (*tenancy.Tenant, error) {
	var out *tenancy.Tenant
	err := db.InTx(ctx, p.DB, func(ctx context.Context, tx bun.Tx) error {
		t, err := lockTenant(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		if t.Status == tenancy.StatusMerged {
			return errMerged(t)
		}
		if err := fn(ctx, tx, t); err != nil {
			return err
		}
		out = t
		return tenancy.BumpGeneration(ctx, tx, tenancy.GenerationTenants)
	})
	if err != nil {
		return nil, err
	}
	return reload(ctx, p.DB, out)
}

// lockTenant loads a tenant inside tx, locking its row on PostgreSQL so two
// lifecycle changes of one tenant queue (SQLite's writer lock already
// serialises them).
func lockTenant(ctx context.Context, tx bun.Tx, id string) (*tenancy.Tenant, error) {
	if db.IsPostgres(tx) {
		if _, err := tx.NewRaw("SELECT id FROM tenants WHERE id = ? FOR UPDATE", id).Exec(ctx); err != nil {
			return nil, fmt.Errorf("lock tenant: %w", err)
		}
	}
	return tenancy.ByID(ctx, tx, id)
}

// reload reads a changed tenant back with its domains and slugs filled.
func reload(ctx context.Context, idb bun.IDB, t *tenancy.Tenant) (*tenancy.Tenant, error) {
	if t == nil {
		return nil, nil
	}
	return tenancy.ByID(ctx, idb, t.ID)
}

func errMerged(t *tenancy.Tenant) error {
	return errs.Conflict("tenant_merged", fmt.Sprintf("Đơn vị %q đã hợp nhất vào đơn vị khác; không thể thay đổi nữa", t.Slug))
}

// record writes the tenant's new version and the audit event of a change.
func record(ctx context.Context, tx bun.Tx, t *tenancy.Tenant, op string, at time.Time, c Change, detail map[string]any) error {
	if err := tenancy.RecordVersion(ctx, tx, t, op, at, c.ActorID, c.Reason); err != nil {
		return err
	}
	if detail == nil {
		detail = map[string]any{}
	}
	return audit.Record(ctx, tx, audit.Event{TenantID: t.ID, ActorID: c.ActorID, Action: "tenant." + op,
		Subject: t.Slug, IP: c.IP, Detail: withReason(detail, c)})
}

// withReason adds why and, from the command line, who to an audit detail.
func withReason(detail map[string]any, c Change) map[string]any {
	if c.Reason != "" {
		detail["reason"] = c.Reason
	}
	if c.Via != "" {
		detail["via"] = c.Via
	}
	return detail
}
