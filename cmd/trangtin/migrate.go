package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/trangtin/trangtin/migrations"
)

func cmdMigrate(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("migrate", e)
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	cfg, err := loadConfig(e, fs, cf)
	if err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) > 1 || (len(rest) == 1 && rest[0] != "status") {
		return fmt.Errorf("migrate: unknown argument %q (use: trangtin migrate [status])", rest[len(rest)-1])
	}
	bdb, err := openDB(ctx, cfg, false, nil)
	if err != nil {
		return err
	}
	defer bdb.Close()
	if len(rest) == 1 {
		list, err := migrations.List(ctx, bdb)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "MIGRATION\tSTATE\tAPPLIED AT")
		for _, m := range list {
			state, at := "pending", ""
			if m.Applied {
				state, at = "applied", m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", m.Name, state, at)
		}
		return w.Flush()
	}
	applied, err := migrations.Up(ctx, bdb, 2*time.Minute)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, "database is up to date")
		return nil
	}
	for _, n := range applied {
		fmt.Fprintln(e.stdout, "applied", n)
	}
	return nil
}
