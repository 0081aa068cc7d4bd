package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/quota"
)

// cmdReport is `trangtin report quota --month YYYY-MM [--format F] [--out FILE]
// [--parent SLUG] [--live] [--snapshot REASON]`: the monthly quota report
// (a closed month from its latest snapshot unless --live), or, with
// --snapshot, a new snapshot of a closed month.
func cmdReport(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "quota" {
		return errors.New("report: use trangtin report quota --month YYYY-MM [--format json|csv|xlsx|html] [--out FILE]")
	}
	fs, cf := newFlags("report quota", e)
	month := fs.String("month", "", "the month, YYYY-MM (required)")
	format := fs.String("format", "json", "json, csv, xlsx or html (a printable A4 page)")
	out := fs.String("out", "", "write to FILE instead of standard output")
	parent := fs.String("parent", "", "the parent tenant's slug (default: the top department)")
	live := fs.Bool("live", false, "compute a closed month again instead of serving its snapshot")
	snapshot := fs.String("snapshot", "", "store a new snapshot of the (closed) month with this reason, then print it")
	number := fs.String("number", "", "the letter's number for --format html (default …/BC-VP)")
	signer := fs.String("signer", "", "the signer's name for --format html")
	if err := parse(fs, args[1:]); err != nil {
		return ignoreHelp(err)
	}
	if *month == "" {
		return errors.New("report quota: --month YYYY-MM is required")
	}
	p, err := quota.ParseMonth(*month)
	if err != nil {
		return userError(err)
	}
	f, err := quota.ParseFormat(*format)
	if err != nil {
		return userError(err)
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
	pt, err := reportParent(ctx, bdb, *parent)
	if err != nil {
		return err
	}
	now := time.Now()
	var r *quota.Report
	if *snapshot != "" {
		if r, err = quota.Build(ctx, bdb, pt.ID, p, now); err != nil {
			return err
		}
		s, err := quota.SaveSnapshot(ctx, bdb, pt.ID, r, *snapshot, "", now)
		if err != nil {
			return userError(err)
		}
		if r, err = s.Report(); err != nil {
			return err
		}
	} else if r, err = quota.Get(ctx, bdb, pt.ID, p, *live, now); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := quota.Write(&buf, r, f, quota.LetterOptions{Number: *number, SignerName: *signer}); err != nil {
		return err
	}
	if *out == "" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	return writeFileAtomic(*out, buf.Bytes())
}

// reportParent is the tenant named by slug, or the top department.
func reportParent(ctx context.Context, idb bun.IDB, slug string) (*tenancy.Tenant, error) {
	if slug != "" {
		t, err := tenancy.BySlug(ctx, idb, slug)
		if errs.Is(err, errs.KindNotFound) {
			return nil, fmt.Errorf("report quota: no tenant %q", slug)
		}
		return t, err
	}
	t := new(tenancy.Tenant)
	err := idb.NewSelect().Model(t).Where("kind = ? AND parent_id IS NULL", tenancy.KindDepartment).Limit(1).Scan(ctx)
	if err != nil {
		return nil, errors.New("report quota: there is no department yet (trangtin tenant create --kind department)")
	}
	return t, nil
}

// userError keeps a bad-input error to its message.
func userError(err error) error {
	if _, msg, _ := errs.Public(err); msg != "" && errs.KindOf(err) != errs.KindInternal {
		return errors.New("report quota: " + msg)
	}
	return err
}

// writeFileAtomic writes b to path through a temporary file in the same
// directory, so a reader never sees half a report.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*")
	if err != nil {
		return fmt.Errorf("report quota: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(b); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("report quota: write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report quota: write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("report quota: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("report quota: write %s: %w", path, err)
	}
	return nil
}
