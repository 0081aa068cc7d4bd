package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/provision"
)

// listFlag collects a repeatable string flag (--domain a --domain b).
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// tenantSubcommands names the subcommands of `trangtin tenant` for errors.
const tenantSubcommands = "create, list, rename, set-slug, domain, move, merge, suspend, resume or archive"

func cmdTenant(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return errors.New("tenant: missing subcommand (" + tenantSubcommands + ")")
	}
	switch args[0] {
	case "create":
		return tenantCreate(ctx, e, args[1:])
	case "list":
		return tenantList(ctx, e, args[1:])
	}
	if op, ok := lifecycleOps()[args[0]]; ok {
		return tenantLifecycle(ctx, e, args[0], op, args[1:])
	}
	if args[0] == "domain" {
		return tenantDomain(ctx, e, args[1:])
	}
	return fmt.Errorf("tenant: unknown subcommand %q (%s)", args[0], tenantSubcommands)
}

func tenantCreate(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("tenant create", e)
	var in provision.Input
	var domains listFlag
	var kind, licenceDate string
	quota := fs.Int("quota", -1, "weekly quota (default: 1 for offices and units, 0 otherwise)")
	fs.StringVar(&in.Slug, "slug", "", "tenant slug: lower-case letters, digits, hyphens")
	fs.StringVar(&in.Name, "name", "", "full name")
	fs.StringVar(&kind, "kind", "", "department, unit, office or union")
	fs.StringVar(&in.Parent, "parent", "", "slug of the parent tenant")
	fs.Var(&domains, "domain", "a domain the site answers on (repeatable)")
	fs.BoolVar(&in.NoSite, "no-site", false, "the tenant has no public site (contributes only)")
	fs.StringVar(&in.ShortName, "short-name", "", "short name for the masthead")
	fs.StringVar(&in.LicenceNo, "licence-no", "", "number of the site's licence")
	fs.StringVar(&licenceDate, "licence-date", "", "date of the licence (dd/mm/yyyy)")
	fs.StringVar(&in.Address, "address", "", "postal address")
	fs.StringVar(&in.Phone, "phone", "", "phone number")
	fs.StringVar(&in.Email, "email", "", "contact e-mail")
	fs.StringVar(&in.Colour, "colour", "", "brand colour #RRGGBB")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("tenant create: unexpected argument %q", fs.Arg(0))
	}
	in.Kind = tenancy.Kind(kind)
	in.Domains = domains
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "quota" {
			in.Quota = quota
		}
	})
	if licenceDate != "" {
		d, err := vntext.ParseDate(licenceDate)
		if err != nil {
			return fmt.Errorf("tenant create: --licence-date %q is not a date (dd/mm/yyyy)", licenceDate)
		}
		in.LicenceDate = &d
	}
	cfg, err := loadConfig(e, fs, cf)
	if err != nil {
		return err
	}
	bdb, err := openDB(ctx, cfg, true, nil)
	if err != nil {
		return err
	}
	defer bdb.Close()
	p := app.NewProvisioner(cfg, bdb)
	t, err := p.Create(ctx, in)
	if err != nil {
		return err
	}
	printTenant(e, cfg, t)
	return nil
}

func printTenant(e env, cfg config.Config, t *tenancy.Tenant) {
	w := tabwriter.NewWriter(e.stdout, 0, 4, 1, ' ', 0)
	fmt.Fprintf(w, "slug:\t%s\nname:\t%s\nkind:\t%s\nparent:\t%s\nstatus:\t%s\nhas site:\t%v\nquota per week:\t%d\n",
		t.Slug, t.Name, t.Kind, t.ParentSlug, t.Status, t.HasSite, t.QuotaPerWeek)
	if t.MergedIntoSlug != "" {
		fmt.Fprintf(w, "merged into:\t%s\n", t.MergedIntoSlug)
	}
	hosts := append([]string{t.Slug + "." + cfg.BaseDomain}, t.Domains...)
	fmt.Fprintf(w, "hosts:\t%s\n", strings.Join(hosts, ", "))
	_ = w.Flush()
}

func tenantList(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("tenant list", e)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	cfg, err := loadConfig(e, fs, cf)
	if err != nil {
		return err
	}
	bdb, err := openDB(ctx, cfg, true, nil)
	if err != nil {
		return err
	}
	defer bdb.Close()
	ts, err := tenancy.List(ctx, bdb)
	if err != nil {
		return err
	}
	if *asJSON {
		views := make([]tenancy.View, 0, len(ts))
		for _, t := range ts {
			views = append(views, t.View())
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(views)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SLUG\tKIND\tPARENT\tSTATUS\tSITE\tQUOTA\tDOMAINS\tNAME")
	for _, t := range ts {
		site := "yes"
		if !t.HasSite {
			site = "no"
		}
		parent := t.ParentSlug
		if parent == "" {
			parent = "-"
		}
		doms := append([]string{t.Slug + "." + cfg.BaseDomain}, t.Domains...)
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", t.Slug, t.Kind, parent, t.Status, site, t.QuotaPerWeek, strings.Join(doms, ","), t.Name)
	}
	return w.Flush()
}
