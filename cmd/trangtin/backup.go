package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/trangtin/trangtin/platform/backup"
)

func cmdBackup(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("backup", e)
	out := fs.String("out", "", "archive to write (e.g. trangtin-2026-11-27.tar.gz)")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	if *out == "" {
		return errors.New("backup: --out FILE is required")
	}
	cfg, err := loadConfig(e, fs, cf)
	if err != nil {
		return err
	}
	if cfg.UsesPostgres() || cfg.UsesS3() {
		return errors.New("backup: this command snapshots the embedded default; for PostgreSQL and MinIO use pg_dump and mc mirror (see the README)")
	}
	bdb, err := openDB(ctx, cfg, false, nil)
	if err != nil {
		return err
	}
	defer bdb.Close()
	m, err := backup.Create(ctx, bdb, cfg.MediaDir(), *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s: database and %d media files\n", *out, len(m.Files)-1)
	return nil
}

func cmdRestore(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("restore", e)
	in := fs.String("in", "", "archive made by trangtin backup")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	if *in == "" {
		return errors.New("restore: --in FILE is required")
	}
	cfg, err := loadConfig(e, fs, cf)
	if err != nil {
		return err
	}
	if cfg.UsesPostgres() {
		return errors.New("restore: this command restores the embedded default; for PostgreSQL use pg_restore (see the README)")
	}
	m, err := backup.Restore(*in, cfg.DataDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restored %d files into %s (backup of %s)\n", len(m.Files), cfg.DataDir, m.CreatedAt.Format("2006-01-02 15:04:05Z"))
	return nil
}
