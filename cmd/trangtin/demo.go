package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/trangtin/trangtin/platform/account"

	"github.com/trangtin/trangtin/tenants/app"
)

func cmdDemo(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("demo", e)
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
	if err := ensureSecret(&cfg); err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, bdb, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	s := app.NewDemoSeederFor(a, account.DefaultParams())
	res, err := s.Run(ctx)
	if err != nil {
		return err
	}
	port := portOf(cfg.Addr)
	fmt.Fprintf(e.stdout, "Demo organisation created: %d tenants.\n\n", len(res.Tenants))
	fmt.Fprintln(e.stdout, "Public sites (after `trangtin serve`):")
	for _, t := range res.Tenants {
		if t.HasSite {
			fmt.Fprintf(e.stdout, "  http://%s.%s%s/  %s\n", t.Slug, cfg.BaseDomain, port, t.Name)
		}
	}
	fmt.Fprintf(e.stdout, "\nConsole: http://%s%s/\n", cfg.AdminHost, port)
	for _, line := range s.Notes {
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}

func portOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			if addr[i:] == ":80" {
				return ""
			}
			return addr[i:]
		}
	}
	return ""
}
