// Command filltenants adds many empty unit tenants (each with a site and
// its default sections) under the Department of a demo database, so the
// page benchmark can compare one served tenant among a few with one among
// ten thousand. It reads the same settings as trangtin (TRANGTIN_DATA_DIR,
// TRANGTIN_DATABASE_URL) and goes through the same provisioner as
// `trangtin tenant create`.
//
//	go run ./bench/filltenants -n 10000 -parent so-ldtbxh
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/provision"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "filltenants:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	n := flag.Int("n", 10000, "tenants to add")
	parent := flag.String("parent", "so-ldtbxh", "slug of their parent")
	flag.Parse()
	cfg, err := config.Load(os.Getenv, nil, nil)
	if err != nil {
		return err
	}
	bdb, err := db.Open(ctx, db.Options{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath()})
	if err != nil {
		return err
	}
	defer bdb.Close()
	p := app.NewProvisioner(cfg, bdb)
	start := time.Now()
	for i := range *n {
		in := provision.Input{Slug: fmt.Sprintf("bench-%05d", i), Name: fmt.Sprintf("Đơn vị thử tải %05d", i),
			Kind: tenancy.KindUnit, Parent: *parent}
		if _, err := p.Create(ctx, in); err != nil {
			return fmt.Errorf("tenant %d: %w", i, err)
		}
	}
	slog.Info("tenants added", "n", *n, "seconds", time.Since(start).Seconds())
	return nil
}
