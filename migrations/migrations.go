// Package migrations embeds the platform's schema changes and applies them
// with bun's migrator under its lock. Each change is a timestamped SQL file in
// sql/: NAME.sql when one text serves both dialects, or NAME.pg.sql and
// NAME.sqlite.sql side by side where PostgreSQL and SQLite differ. Files are
// append-only once released.
package migrations

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing/fstest"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/migrate"
)

//go:embed sql/*.sql
var files embed.FS

// Status is one migration and whether it has been applied.
type Status struct {
	Name      string
	Applied   bool
	AppliedAt time.Time
}

// load builds the migration set for db's dialect.
func load(db *bun.DB) (*migrate.Migrations, error) {
	suffix := ".sqlite.sql"
	other := ".pg.sql"
	if db.Dialect().Name() == dialect.PG {
		suffix, other = ".pg.sql", ".sqlite.sql"
	}
	entries, err := fs.ReadDir(files, "sql")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	chosen := map[string]string{} // migration name → file
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, other):
			continue
		case strings.HasSuffix(name, suffix):
			chosen[strings.TrimSuffix(name, suffix)] = name
		default:
			base := strings.TrimSuffix(name, ".sql")
			if _, ok := chosen[base]; !ok {
				chosen[base] = name
			}
		}
	}
	names := make([]string, 0, len(chosen))
	for n := range chosen {
		names = append(names, n)
	}
	sort.Strings(names)
	// Present the chosen files to bun's discovery as transactional
	// up-migrations: each runs in one transaction, statements split by
	// "--bun:split" lines.
	mapped := fstest.MapFS{}
	for _, n := range names {
		if id, _, ok := strings.Cut(n, "_"); !ok || len(id) != 14 {
			return nil, fmt.Errorf("migration file %s: name must be YYYYMMDDHHMMSS_comment", n)
		}
		body, err := fs.ReadFile(files, path.Join("sql", chosen[n]))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", n, err)
		}
		mapped[n+".tx.up.sql"] = &fstest.MapFile{Data: body}
	}
	ms := migrate.NewMigrations()
	if err := ms.Discover(mapped); err != nil {
		return nil, fmt.Errorf("discover migrations: %w", err)
	}
	return ms, nil
}

// Up applies every pending migration under bun's migration lock, waiting up
// to lockWait for another process (a second replica, the Helm job) to finish.
// It returns the names applied.
func Up(ctx context.Context, db *bun.DB, lockWait time.Duration) ([]string, error) {
	ms, err := load(db)
	if err != nil {
		return nil, err
	}
	m := migrate.NewMigrator(db, ms, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migration tables: %w", err)
	}
	if err := lock(ctx, m, lockWait); err != nil {
		return nil, err
	}
	defer func() { _ = m.Unlock(context.WithoutCancel(ctx)) }()
	group, err := m.Migrate(ctx)
	if err != nil {
		return nil, fmt.Errorf("apply migrations: %w", err)
	}
	var applied []string
	for _, mg := range group.Migrations {
		applied = append(applied, mg.String())
	}
	return applied, nil
}

func lock(ctx context.Context, m *migrate.Migrator, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	for {
		err := m.Lock(ctx)
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("migrations are locked by another process (if none runs, delete the row in bun_migration_locks): %w", err)
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// List returns every known migration with its state.
func List(ctx context.Context, db *bun.DB) ([]Status, error) {
	ms, err := load(db)
	if err != nil {
		return nil, err
	}
	m := migrate.NewMigrator(db, ms)
	if err := m.Init(ctx); err != nil {
		return nil, fmt.Errorf("init migration tables: %w", err)
	}
	all, err := m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("read migration status: %w", err)
	}
	out := make([]Status, 0, len(all))
	for _, mg := range all {
		out = append(out, Status{Name: mg.String(), Applied: mg.IsApplied(), AppliedAt: mg.MigratedAt})
	}
	return out, nil
}

// Pending returns the names of migrations not yet applied.
func Pending(ctx context.Context, db *bun.DB) ([]string, error) {
	all, err := List(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range all {
		if !s.Applied {
			out = append(out, s.Name)
		}
	}
	return out, nil
}

// Fingerprint is a short hash of every embedded migration file, so tests
// can keep one migrated template database per schema version.
func Fingerprint() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(files, "sql", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("fingerprint migrations: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}
