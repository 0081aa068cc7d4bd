package authz

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/tenancy"
)

// Adapter stores Casbin policy in two tables through bun, on PostgreSQL and
// SQLite alike: "p" rules (role, domain, permission) in authz_rules and "g"
// rules (account, role, domain) in authz_assignments. Every write runs in a
// transaction (a savepoint inside the caller's) that also bumps the 'policy'
// generation, so every process's watcher sees it once it commits.
type Adapter struct {
	db      bun.IDB
	timeout time.Duration
}

var (
	_ persist.Adapter        = (*Adapter)(nil)
	_ persist.ContextAdapter = (*Adapter)(nil)
)

// NewAdapter returns an adapter on idb. Casbin's context-free methods run
// with a 30-second deadline.
func NewAdapter(idb bun.IDB) *Adapter { return &Adapter{db: idb, timeout: 30 * time.Second} }

type ruleRow struct {
	bun.BaseModel `bun:"table:authz_rules"`

	Role       string `bun:"role,pk"`
	Domain     string `bun:"domain,pk"`
	Permission string `bun:"permission,pk"`
}

type assignmentRow struct {
	bun.BaseModel `bun:"table:authz_assignments"`

	Domain    string    `bun:"domain,pk"`
	AccountID string    `bun:"account_id,pk"`
	Role      string    `bun:"role,pk"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// columns maps a Casbin rule's fields to table columns, in rule order.
func columns(sec, ptype string) (table string, cols []string, err error) {
	switch {
	case sec == "p" && ptype == "p":
		return "authz_rules", []string{"role", "domain", "permission"}, nil
	case sec == "g" && ptype == "g":
		return "authz_assignments", []string{"account_id", "role", "domain"}, nil
	}
	return "", nil, fmt.Errorf("authz adapter: unsupported policy type %s/%s", sec, ptype)
}

func (a *Adapter) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), a.timeout)
}

// LoadPolicy loads every rule into m.
func (a *Adapter) LoadPolicy(m model.Model) error {
	ctx, cancel := a.ctx()
	defer cancel()
	return a.LoadPolicyCtx(ctx, m)
}

// LoadPolicyCtx loads every rule into m.
func (a *Adapter) LoadPolicyCtx(ctx context.Context, m model.Model) error {
	var rules []ruleRow
	if err := a.db.NewSelect().Model(&rules).Order("role", "domain", "permission").Scan(ctx); err != nil {
		return fmt.Errorf("load authz rules: %w", err)
	}
	var assigned []assignmentRow
	if err := a.db.NewSelect().Model(&assigned).Order("domain", "account_id", "role").Scan(ctx); err != nil {
		return fmt.Errorf("load authz assignments: %w", err)
	}
	for _, r := range rules {
		if err := persist.LoadPolicyArray([]string{"p", r.Role, r.Domain, r.Permission}, m); err != nil {
			return fmt.Errorf("load authz rule %s %s %s: %w", r.Role, r.Domain, r.Permission, err)
		}
	}
	for _, r := range assigned {
		if err := persist.LoadPolicyArray([]string{"g", r.AccountID, r.Role, r.Domain}, m); err != nil {
			return fmt.Errorf("load authz assignment %s %s %s: %w", r.AccountID, r.Role, r.Domain, err)
		}
	}
	return nil
}

// SavePolicy replaces everything stored with m's rules.
func (a *Adapter) SavePolicy(m model.Model) error {
	ctx, cancel := a.ctx()
	defer cancel()
	return a.SavePolicyCtx(ctx, m)
}

// SavePolicyCtx replaces everything stored with m's rules.
func (a *Adapter) SavePolicyCtx(ctx context.Context, m model.Model) error {
	var rules []ruleRow
	var assigned []assignmentRow
	now := time.Now().UTC()
	for sec, assertions := range m {
		if sec != "p" && sec != "g" {
			continue
		}
		for ptype, ast := range assertions {
			if len(ast.Policy) == 0 {
				continue
			}
			if _, _, err := columns(sec, ptype); err != nil {
				return err
			}
			for _, rule := range ast.Policy {
				if len(rule) != 3 {
					return fmt.Errorf("authz adapter: %s rule %v: want 3 fields", ptype, rule)
				}
				if sec == "p" {
					rules = append(rules, ruleRow{Role: rule[0], Domain: rule[1], Permission: rule[2]})
				} else {
					assigned = append(assigned, assignmentRow{AccountID: rule[0], Role: rule[1], Domain: rule[2], CreatedAt: now})
				}
			}
		}
	}
	return writePolicy(ctx, a.db, func(ctx context.Context, tx bun.Tx) error {
		for _, table := range []string{"authz_rules", "authz_assignments"} {
			if _, err := tx.NewDelete().TableExpr(table).Where("1 = 1").Exec(ctx); err != nil {
				return fmt.Errorf("clear %s: %w", table, err)
			}
		}
		const chunk = 500
		for i := 0; i < len(rules); i += chunk {
			part := rules[i:min(i+chunk, len(rules))]
			if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
				return fmt.Errorf("save authz rules: %w", err)
			}
		}
		for i := 0; i < len(assigned); i += chunk {
			part := assigned[i:min(i+chunk, len(assigned))]
			if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
				return fmt.Errorf("save authz assignments: %w", err)
			}
		}
		return nil
	})
}

// AddPolicy stores one rule; an existing one is left as it is.
func (a *Adapter) AddPolicy(sec, ptype string, rule []string) error {
	ctx, cancel := a.ctx()
	defer cancel()
	return a.AddPolicyCtx(ctx, sec, ptype, rule)
}

// AddPolicyCtx stores one rule; an existing one is left as it is.
func (a *Adapter) AddPolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	return writePolicy(ctx, a.db, func(ctx context.Context, tx bun.Tx) error { return addRule(ctx, tx, sec, ptype, rule) })
}

// RemovePolicy deletes one rule.
func (a *Adapter) RemovePolicy(sec, ptype string, rule []string) error {
	ctx, cancel := a.ctx()
	defer cancel()
	return a.RemovePolicyCtx(ctx, sec, ptype, rule)
}

// RemovePolicyCtx deletes one rule.
func (a *Adapter) RemovePolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	if len(rule) != 3 {
		return fmt.Errorf("authz adapter: %s rule %v: want 3 fields", ptype, rule)
	}
	return a.RemoveFilteredPolicyCtx(ctx, sec, ptype, 0, rule...)
}

// RemoveFilteredPolicy deletes the rules whose fields from fieldIndex on
// equal fieldValues; an empty value matches anything.
func (a *Adapter) RemoveFilteredPolicy(sec, ptype string, fieldIndex int, fieldValues ...string) error {
	ctx, cancel := a.ctx()
	defer cancel()
	return a.RemoveFilteredPolicyCtx(ctx, sec, ptype, fieldIndex, fieldValues...)
}

// RemoveFilteredPolicyCtx deletes the rules whose fields from fieldIndex on
// equal fieldValues; an empty value matches anything.
func (a *Adapter) RemoveFilteredPolicyCtx(ctx context.Context, sec, ptype string, fieldIndex int, fieldValues ...string) error {
	return writePolicy(ctx, a.db, func(ctx context.Context, tx bun.Tx) error {
		return removeRules(ctx, tx, sec, ptype, fieldIndex, fieldValues...)
	})
}

// writePolicy runs fn in a transaction on idb (a savepoint when idb is
// already a transaction) and bumps the policy generation in it.
func writePolicy(ctx context.Context, idb bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := fn(ctx, tx); err != nil {
			return err
		}
		return tenancy.BumpGeneration(ctx, tx, GenerationPolicy)
	})
}

func addRule(ctx context.Context, idb bun.IDB, sec, ptype string, rule []string) error {
	if _, _, err := columns(sec, ptype); err != nil {
		return err
	}
	if len(rule) != 3 {
		return fmt.Errorf("authz adapter: %s rule %v: want 3 fields", ptype, rule)
	}
	var q *bun.InsertQuery
	if sec == "p" {
		q = idb.NewInsert().Model(&ruleRow{Role: rule[0], Domain: rule[1], Permission: rule[2]})
	} else {
		q = idb.NewInsert().Model(&assignmentRow{AccountID: rule[0], Role: rule[1], Domain: rule[2], CreatedAt: time.Now().UTC()})
	}
	if _, err := q.On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("add %s rule %v: %w", ptype, rule, err)
	}
	return nil
}

func removeRules(ctx context.Context, idb bun.IDB, sec, ptype string, fieldIndex int, fieldValues ...string) error {
	table, cols, err := columns(sec, ptype)
	if err != nil {
		return err
	}
	if fieldIndex < 0 || fieldIndex+len(fieldValues) > len(cols) {
		return fmt.Errorf("authz adapter: filter at field %d with %d values is out of range", fieldIndex, len(fieldValues))
	}
	q := idb.NewDelete().TableExpr(table)
	filtered := false
	for i, v := range fieldValues {
		if v != "" {
			q = q.Where("? = ?", bun.Ident(cols[fieldIndex+i]), v)
			filtered = true
		}
	}
	if !filtered {
		return errors.New("authz adapter: refusing to remove every rule without a filter value")
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("remove %s rules: %w", ptype, err)
	}
	return nil
}
