package main

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

func cmdToken(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("token: use trangtin token create --email E [--name N]")
	}
	fs, cf := newFlags("token create", e)
	email := fs.String("email", "", "account e-mail")
	name := fs.String("name", "cli", "a name to recognise the token by")
	if err := parse(fs, args[1:]); err != nil {
		return ignoreHelp(err)
	}
	cfg, err := loadConfig(e, fs, cf)
	if err != nil {
		return err
	}
	if err := ensureSecret(&cfg); err != nil {
		return err
	}
	bdb, err := openDB(ctx, cfg, true, nil)
	if err != nil {
		return err
	}
	defer bdb.Close()
	svc := account.NewService(bdb, cfg.Secret, audit.New(nil), nil)
	var plain string
	err = db.InTx(ctx, bdb, func(ctx context.Context, tx bun.Tx) error {
		a, err := account.ByEmail(ctx, tx, *email)
		if errs.Is(err, errs.KindNotFound) {
			return fmt.Errorf("no account with e-mail %q", *email)
		}
		if err != nil {
			return err
		}
		plain, _, err = svc.CreateToken(ctx, tx, a.ID, *name)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, plain)
	return nil
}
