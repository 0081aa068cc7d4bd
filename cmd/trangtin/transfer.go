package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/tenants/transfer"
)

// cmdExport writes one tenant's content to a portable archive.
func cmdExport(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("export", e)
	slug := fs.String("tenant", "", "slug of the tenant to export")
	out := fs.String("out", "", "archive to write (e.g. trung-tam.tar.gz)")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("export: unexpected argument %q", fs.Arg(0))
	case *slug == "":
		return errors.New("export: --tenant S is required")
	case *out == "":
		return errors.New("export: --out FILE is required")
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
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	m, err := transfer.Export(ctx, bdb, store, transfer.ExportOptions{Slug: *slug, Out: *out, BaseDomain: cfg.BaseDomain})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(e.stdout, "exported %s to %s: %d items, %d revisions, %d media files\n",
		m.Tenant.Slug, *out, m.Rows["posts"], m.Rows["post_revisions"], len(m.Objects))
	return nil
}

// cmdImport loads an archive made by export as a new tenant.
func cmdImport(ctx context.Context, e env, args []string) error {
	fs, cf := newFlags("import", e)
	in := fs.String("in", "", "archive made by trangtin export")
	as := fs.String("as", "", "slug of the new tenant (default: the archive's)")
	parent := fs.String("parent", "", "slug of the parent (default: the archive's, when it exists here)")
	withDomains := fs.Bool("with-domains", false, "also register the archive's domains that are free here")
	if err := parse(fs, args); err != nil {
		return ignoreHelp(err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("import: unexpected argument %q", fs.Arg(0))
	case *in == "":
		return errors.New("import: --in FILE is required")
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
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	res, err := transfer.Import(ctx, bdb, store, transfer.ImportOptions{
		In: *in, As: *as, Parent: *parent, WithDomains: *withDomains,
		BaseDomain: cfg.BaseDomain, AdminHost: cfg.AdminHost,
	})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	printTenant(e, cfg, res.Tenant)
	fmt.Fprintf(e.stdout, "imported from %s (%s): %d items, %d revisions, %d media files\n",
		res.Source.Tenant.Slug, *in, res.Rows["posts"], res.Rows["post_revisions"], res.Objects)
	if len(res.SkippedDomains) > 0 {
		fmt.Fprintf(e.stdout, "domains not registered: %s\n", strings.Join(res.SkippedDomains, ", "))
	}
	return nil
}

// openStore opens the configured media store: MinIO (or any S3) when
// TRANGTIN_S3_ENDPOINT is set, else the media folder of the data dir.
func openStore(ctx context.Context, cfg config.Config) (blob.Store, error) {
	if !cfg.UsesS3() {
		d, err := blob.NewDisk(cfg.MediaDir())
		if err != nil {
			return nil, fmt.Errorf("media store: %w", err)
		}
		return d, nil
	}
	s, err := blob.NewS3(ctx, blob.S3Options{Endpoint: cfg.S3Endpoint, AccessKey: cfg.S3AccessKey,
		SecretKey: cfg.S3SecretKey, Bucket: cfg.S3Bucket, Secure: cfg.S3Secure})
	if err != nil {
		return nil, fmt.Errorf("media store (TRANGTIN_S3_ENDPOINT): %w", err)
	}
	return s, nil
}
