package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/logging"
	"github.com/trangtin/trangtin/tenants/app"
)

// serveGCPercent is the garbage collector's target when GOGC is unset. A
// page rendered without the page cache allocates about 400 KB that die
// with the request, so at Go's default of 100 the collector ran every few
// dozen pages and took an eighth of the CPU. At 200 the uncached home
// served 11 to 18 % more pages and an item 9 %, for about 40 MB more
// resident memory (bench/README.md). GOGC set by the operator wins, and
// GOMEMLIMIT (the Helm chart sets it from the memory limit) still bounds
// the heap: near it the collector runs as often as it must.
const serveGCPercent = 200

func cmdServe(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("serve", e)
	noMigrate := fs.Bool("no-migrate", false, "do not apply pending migrations (replicas behind a migration job)")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	cfg, err := loadConfig(e, fs, cf)
	if err != nil {
		return err
	}
	if err := ensureSecret(&cfg); err != nil {
		return err
	}
	logOut := logging.NewWriter(e.stderr, logging.DefaultInterval)
	defer logOut.Close()
	log := logging.New(cfg.LogFormat, logOut)
	log.Info("starting trangtin", "config", cfg)
	if e.getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
		log.Info("garbage collector", "gogc", serveGCPercent, "gomemlimit", e.getenv("GOMEMLIMIT"))
	}
	bdb, err := openServingDB(ctx, cfg, !*noMigrate, log)
	if err != nil {
		return err
	}
	defer bdb.Close()
	a, err := app.New(ctx, cfg, bdb, log, app.WithAccessLog(logging.NewAccess(log, cfg.LogFormat, logOut)))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (TRANGTIN_ADDR): %w", cfg.Addr, err)
	}
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			_ = ln.Close()
			return fmt.Errorf("listen on %s (TRANGTIN_METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
	}
	workers, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { a.RunWorkers(workers); close(done) }()

	if mln != nil {
		go func() {
			if err := a.Metrics.Serve(workers, mln, log); err != nil {
				log.Error("metrics server", "err", err)
			}
		}()
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- a.HTTP.Listener(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "admin_host", cfg.AdminHost, "base_domain", cfg.BaseDomain)

	select {
	case err = <-serveErr:
	case <-ctx.Done():
		log.Info("shutting down")
		err = a.HTTP.ShutdownWithTimeout(20 * time.Second)
	}
	stopWorkers()
	<-done
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// openServingDB applies pending migrations (unless migrate is false) on a
// pool of their own, without the serving limits (a migration may hold a
// lock or run a statement longer than a request should), then opens the
// pool the server uses with TRANGTIN_DB_* limits on every session.
func openServingDB(ctx context.Context, cfg config.Config, migrate bool, log *slog.Logger) (*bun.DB, error) {
	if migrate {
		mdb, err := openDB(ctx, cfg, true, log)
		if err != nil {
			return nil, err
		}
		_ = mdb.Close()
	}
	bdb, err := db.Open(ctx, db.Options{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath(), Limits: db.Limits{
		StatementTimeout: cfg.DBStatementTimeout, LockTimeout: cfg.DBLockTimeout, IdleInTxTimeout: cfg.DBIdleTxTimeout,
	}})
	if err != nil {
		return nil, errs.Unavailable("database_unavailable", "cannot open the database", err)
	}
	return bdb, nil
}

// ensureSecret loads or generates the signing secret of the embedded default.
func ensureSecret(cfg *config.Config) error { return config.EnsureSecret(cfg) }

// ignoreHelp turns "--help was asked" into success.
func ignoreHelp(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}
