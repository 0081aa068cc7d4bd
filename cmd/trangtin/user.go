package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/authz"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
)

func cmdUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return errors.New("user: missing subcommand (create or grant)")
	}
	switch args[0] {
	case "create":
		return userCreate(ctx, e, args[1:])
	case "grant":
		return userGrant(ctx, e, args[1:])
	}
	return fmt.Errorf("user: unknown subcommand %q (create or grant)", args[0])
}

func userCreate(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("user create", e)
	email := fs.String("email", "", "e-mail address (the login)")
	name := fs.String("name", "", "full name")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	if !*stdin {
		return errors.New("user create: --password-stdin is required (the password is read from standard input, never from the command line)")
	}
	password, err := readPassword(e)
	if err != nil {
		return err
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
	var a *account.Account
	err = db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if a, err = account.Create(ctx, tx, *email, *name, password); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{ActorID: "", Action: audit.ActionAccountCreated, Subject: a.Email, Detail: map[string]any{"via": "cli"}})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created account %s (%s) id %s\n", a.Email, a.Name, a.ID)
	return nil
}

func readPassword(e env) (string, error) {
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("user create: no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func userGrant(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("user grant", e)
	email := fs.String("email", "", "account e-mail")
	tenantSlug := fs.String("tenant", "", "tenant slug, with --role")
	role := fs.String("role", "", "board role: "+strings.Join(authz.BoardRoles(), ", "))
	platformRole := fs.String("platform-role", "", "platform role: "+strings.Join(authz.PlatformRoles(), ", "))
	revoke := fs.Bool("revoke", false, "take the role away instead")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	domain, r, err := grantTarget(*tenantSlug, *role, *platformRole)
	if err != nil {
		return err
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
	if err := grant(ctx, bdb, *email, domain, r, *revoke); err != nil {
		return err
	}
	verb := "granted"
	if *revoke {
		verb = "revoked"
	}
	where := "the platform"
	if domain != authz.PlatformDomain {
		where = "tenant " + *tenantSlug
	}
	fmt.Fprintf(e.stdout, "%s %s to %s on %s\n", verb, r, *email, where)
	return nil
}

// grantTarget checks the flag combination: a board role on a tenant, or a
// platform role. It returns the domain as a tenant slug or PlatformDomain.
func grantTarget(tenantSlug, role, platformRole string) (string, string, error) {
	switch {
	case platformRole != "" && (role != "" || tenantSlug != ""):
		return "", "", errors.New("user grant: use either --tenant S --role R or --platform-role R, not both")
	case platformRole != "":
		if !authz.IsPlatformRole(platformRole) {
			return "", "", fmt.Errorf("user grant: unknown platform role %q (use %s)", platformRole, strings.Join(authz.PlatformRoles(), " or "))
		}
		return authz.PlatformDomain, platformRole, nil
	case role == "" || tenantSlug == "":
		return "", "", errors.New("user grant: --tenant and --role are required (or --platform-role)")
	case !authz.IsBoardRole(role) && !authz.IsOrganisationRole(role):
		return "", "", fmt.Errorf("user grant: unknown role %q (use %s, or %s on an organisation)", role, strings.Join(authz.BoardRoles(), ", "), authz.RoleOfficeStaff)
	}
	return tenantSlug, role, nil
}

func grant(ctx context.Context, bdb *bun.DB, email, domain, role string, revoke bool) error {
	return db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		a, err := account.ByEmail(ctx, tx, email)
		if errs.Is(err, errs.KindNotFound) {
			return fmt.Errorf("no account with e-mail %q (create it with trangtin user create)", email)
		}
		if err != nil {
			return err
		}
		tenantID := authz.PlatformDomain
		if domain != authz.PlatformDomain {
			t, err := tenancy.BySlug(ctx, tx, domain)
			if errs.Is(err, errs.KindNotFound) {
				return fmt.Errorf("unknown tenant %q", domain)
			}
			if err != nil {
				return err
			}
			tenantID = t.ID
		}
		action := audit.ActionRoleGranted
		if revoke {
			action = audit.ActionRoleRevoked
			err = authz.RevokeRole(ctx, tx, a.ID, tenantID, role)
		} else {
			err = authz.GrantRole(ctx, tx, a.ID, tenantID, role)
		}
		if err != nil {
			return err
		}
		ev := audit.Event{Action: action, Subject: a.Email + " " + role, Detail: map[string]any{"via": "cli"}}
		if tenantID != authz.PlatformDomain {
			ev.TenantID = tenantID
		}
		return audit.Record(ctx, tx, ev)
	})
}
