package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/provision"
)

// lifecycleOp is one `trangtin tenant <op>`: its own flags (beside --slug
// and --reason) and the one provisioner call that makes the change.
type lifecycleOp struct {
	flags func(fs *flag.FlagSet) func() error
	apply func(ctx context.Context, p *provision.Provisioner, t *tenancy.Tenant, c provision.Change) (*tenancy.Tenant, error)
}

// lifecycleOps are the lifecycle commands of the contract; each calls the
// same provisioner method as the API and the console.
func lifecycleOps() map[string]lifecycleOp {
	status := func(fn func(*provision.Provisioner) func(context.Context, string, provision.Change) (*tenancy.Tenant, error)) lifecycleOp {
		return lifecycleOp{apply: func(ctx context.Context, p *provision.Provisioner, t *tenancy.Tenant, c provision.Change) (*tenancy.Tenant, error) {
			return fn(p)(ctx, t.ID, c)
		}}
	}
	return map[string]lifecycleOp{
		"rename":   renameOp(),
		"set-slug": setSlugOp(),
		"move":     targetOp("parent", "slug of the new parent", (*provision.Provisioner).Move),
		"merge":    targetOp("into", "slug of the tenant that receives the content", (*provision.Provisioner).Merge),
		"suspend": status(func(p *provision.Provisioner) func(context.Context, string, provision.Change) (*tenancy.Tenant, error) {
			return p.Suspend
		}),
		"resume": status(func(p *provision.Provisioner) func(context.Context, string, provision.Change) (*tenancy.Tenant, error) {
			return p.Resume
		}),
		"archive": status(func(p *provision.Provisioner) func(context.Context, string, provision.Change) (*tenancy.Tenant, error) {
			return p.Archive
		}),
	}
}

func renameOp() lifecycleOp {
	var name, nameEN *string
	return lifecycleOp{
		flags: func(fs *flag.FlagSet) func() error {
			name, nameEN = fs.String("name", "", "new display name"), fs.String("name-en", "", "new English name")
			return func() error {
				if *name == "" {
					return errors.New("tenant rename: --name is required")
				}
				return nil
			}
		},
		apply: func(ctx context.Context, p *provision.Provisioner, t *tenancy.Tenant, c provision.Change) (*tenancy.Tenant, error) {
			patch := provision.ProfilePatch{Name: name, Reason: c.Reason}
			if *nameEN != "" {
				patch.NameEN = nameEN
			}
			return p.ApplyPatch(ctx, t.ID, c, patch)
		},
	}
}

func setSlugOp() lifecycleOp {
	var to *string
	return lifecycleOp{
		flags: func(fs *flag.FlagSet) func() error {
			to = fs.String("to", "", "the new slug")
			return func() error {
				if *to == "" {
					return errors.New("tenant set-slug: --to is required")
				}
				return nil
			}
		},
		apply: func(ctx context.Context, p *provision.Provisioner, t *tenancy.Tenant, c provision.Change) (*tenancy.Tenant, error) {
			return p.ApplyPatch(ctx, t.ID, c, provision.ProfilePatch{Slug: to, Reason: c.Reason})
		},
	}
}

// targetOp is a command naming a second tenant with a required flag.
func targetOp(flagName, usage string, fn func(*provision.Provisioner, context.Context, string, string, provision.Change) (*tenancy.Tenant, error)) lifecycleOp {
	var target *string
	return lifecycleOp{
		flags: func(fs *flag.FlagSet) func() error {
			target = fs.String(flagName, "", usage)
			return func() error {
				if *target == "" {
					return fmt.Errorf("%s: --%s is required", fs.Name(), flagName)
				}
				return nil
			}
		},
		apply: func(ctx context.Context, p *provision.Provisioner, t *tenancy.Tenant, c provision.Change) (*tenancy.Tenant, error) {
			return fn(p, ctx, t.ID, *target, c)
		},
	}
}

// tenantLifecycle runs one lifecycle command: --slug names the tenant,
// --reason says why (kept in the audit log and the tenant's history with
// the system user who ran it).
func tenantLifecycle(ctx context.Context, e env, name string, op lifecycleOp, args []string) error {
	fs, cf := newFlags("tenant "+name, e)
	slug := fs.String("slug", "", "the tenant's slug")
	reason := fs.String("reason", "", "why (kept in the audit log and the tenant's history)")
	check := func() error { return nil }
	if op.flags != nil {
		check = op.flags(fs)
	}
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("tenant %s: unexpected argument %q", name, fs.Arg(0))
	}
	if *slug == "" {
		return fmt.Errorf("tenant %s: --slug is required", name)
	}
	if err := check(); err != nil {
		return err
	}
	return withTenant(ctx, e, fs, cf, *slug, *reason, func(p *provision.Provisioner, t *tenancy.Tenant, c provision.Change) (*tenancy.Tenant, error) {
		return op.apply(ctx, p, t, c)
	})
}

// tenantDomain runs `trangtin tenant domain add|remove --slug S --domain D`.
func tenantDomain(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "add" && args[0] != "remove" {
		return errors.New("tenant domain: use add or remove (tenant domain add|remove --slug S --domain D)")
	}
	verb := args[0]
	fs, cf := newFlags("tenant domain "+verb, e)
	slug := fs.String("slug", "", "the tenant's slug")
	domain := fs.String("domain", "", "the domain")
	reason := fs.String("reason", "", "why (kept in the audit log and the tenant's history)")
	if err := parse(fs, args[1:]); err != nil {
		return ignoreHelp(err)
	}
	if *slug == "" || *domain == "" || fs.NArg() > 0 {
		return fmt.Errorf("tenant domain %s: --slug and --domain are required", verb)
	}
	return withTenant(ctx, e, fs, cf, *slug, *reason, func(p *provision.Provisioner, t *tenancy.Tenant, c provision.Change) (*tenancy.Tenant, error) {
		if verb == "add" {
			return p.AddDomain(ctx, t.ID, *domain, c)
		}
		return p.RemoveDomain(ctx, t.ID, *domain, c)
	})
}

// withTenant opens the database, finds the tenant and applies fn with the
// provisioner every other path uses, then prints the tenant as it is now.
func withTenant(ctx context.Context, e env, fs *flag.FlagSet, cf *config.Flags, slug, reason string,
	fn func(p *provision.Provisioner, t *tenancy.Tenant, c provision.Change) (*tenancy.Tenant, error)) error {
	cfg, err := loadConfig(e, fs, cf)
	if err != nil {
		return err
	}
	bdb, err := openDB(ctx, cfg, true, nil)
	if err != nil {
		return err
	}
	defer bdb.Close()
	t, err := tenancy.BySlug(ctx, bdb, slug)
	if errs.Is(err, errs.KindNotFound) {
		return fmt.Errorf("unknown tenant %q", slug)
	}
	if err != nil {
		return err
	}
	via := "cli"
	if u := e.getenv("USER"); u != "" {
		via += " (" + u + ")"
	}
	out, err := fn(app.NewProvisioner(cfg, bdb), t, provision.Change{Reason: reason, Via: via})
	if err != nil {
		return err
	}
	printTenant(e, cfg, out)
	return nil
}
