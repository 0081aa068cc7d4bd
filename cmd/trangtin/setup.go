package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/migrations"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

// newFlags returns a flag set that reports errors instead of exiting and
// carries the settings' flags.
func newFlags(name string, e env) (*flag.FlagSet, *config.Flags) {
	fs := flag.NewFlagSet("trangtin "+name, flag.ContinueOnError)
	// The flag package would print the error and every flag to stderr;
	// keep mistakes to the one line main prints, and show usage on --help.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "usage of %s:\n", fs.Name())
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs, config.RegisterFlags(fs)
}

// parse parses args; --help is not an error.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Name(), err)
	}
	return nil
}

var errHelp = errors.New("help shown")

func loadConfig(e env, fs *flag.FlagSet, cf *config.Flags) (config.Config, error) {
	cfg, err := config.Load(e.getenv, cf, fs)
	if err != nil {
		return cfg, fmt.Errorf("bad setting %w", err)
	}
	return cfg, nil
}

// openDB opens the configured database and, unless migrate is false,
// applies pending migrations.
func openDB(ctx context.Context, cfg config.Config, migrate bool, log *slog.Logger) (*bun.DB, error) {
	bdb, err := db.Open(ctx, db.Options{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath()})
	if err != nil {
		return nil, errs.Unavailable("database_unavailable", "cannot open the database", err)
	}
	if !migrate {
		return bdb, nil
	}
	applied, err := migrations.Up(ctx, bdb, 2*time.Minute)
	if err != nil {
		_ = bdb.Close()
		return nil, err
	}
	if len(applied) > 0 && log != nil {
		log.Info("migrations applied", "count", len(applied), "names", applied)
	}
	return bdb, nil
}
