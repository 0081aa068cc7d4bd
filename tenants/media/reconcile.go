package media

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/jobs"
)

// OrphanAge is how old an object without a row must be before the
// reconciler removes it: an upload writes its object before its row, and
// must not lose it in between.
const OrphanAge = time.Hour

// Report is what one reconciliation found.
type Report struct {
	// Removed are the keys of orphan objects deleted.
	Removed []string
	// Missing are the keys rows refer to that the store does not hold.
	Missing []string
}

// Reconcile compares, tenant by tenant, the objects under the tenant's
// prefix with the keys its media and rendition rows refer to. Objects no
// row refers to, older than OrphanAge, are deleted (the check is repeated
// under the tenant's media lock just before); rows whose object is missing
// are logged, for an operator to restore from backup.
//
// The tenants, their merges and which of them have media rows are read in
// two queries up front: among 10,000 tenants, two queries per tenant made
// a run at start 15 s of a core. A tenant without rows needs only its
// listing; an object it gains meanwhile is younger than OrphanAge, and
// the check under the lock reads the rows again anyway.
func (s *Service) Reconcile(ctx context.Context) (Report, error) {
	var tenants []struct {
		ID           string  `bun:"id"`
		MergedIntoID *string `bun:"merged_into_id"`
	}
	if err := s.db.NewRaw("SELECT id, merged_into_id FROM tenants ORDER BY id").Scan(ctx, &tenants); err != nil {
		return Report{}, fmt.Errorf("reconcile media: list tenants: %w", err)
	}
	mergedInto := map[string]string{}
	for _, t := range tenants {
		if t.MergedIntoID != nil {
			mergedInto[t.ID] = *t.MergedIntoID
		}
	}
	var owning []string
	if err := s.db.NewRaw("SELECT tenant_id FROM media UNION SELECT tenant_id FROM media_renditions").Scan(ctx, &owning); err != nil {
		return Report{}, fmt.Errorf("reconcile media: tenants with media: %w", err)
	}
	hasRows := make(map[string]bool, len(owning))
	for _, id := range owning {
		hasRows[id] = true
	}
	var rep Report
	for _, t := range tenants {
		if err := s.reconcileTenant(ctx, t.ID, mergedChain(mergedInto, t.ID), hasRows, &rep); err != nil {
			return rep, err
		}
	}
	if len(rep.Removed) > 0 || len(rep.Missing) > 0 {
		s.log.Info("media reconciled", "removed", len(rep.Removed), "missing", len(rep.Missing))
	}
	return rep, nil
}

func (s *Service) reconcileTenant(ctx context.Context, tenantID string, owners []string, hasRows map[string]bool, rep *Report) error {
	keys := map[string]bool{}
	for _, id := range owners {
		if !hasRows[id] {
			continue
		}
		ks, err := objectKeys(ctx, s.db, id)
		if err != nil {
			return err
		}
		for k := range ks {
			if strings.HasPrefix(k, blob.TenantPrefix(tenantID)) {
				keys[k] = true
			}
		}
	}
	cutoff := s.now().Add(-OrphanAge)
	seen := map[string]bool{}
	var orphans []string
	err := s.store.List(ctx, blob.TenantPrefix(tenantID), func(in blob.Info) error {
		seen[in.Key] = true
		if !keys[in.Key] && in.ModTime.Before(cutoff) {
			orphans = append(orphans, in.Key)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reconcile media of %s: %w", tenantID, err)
	}
	for _, k := range orphans {
		removed := false
		err := db.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
			if err := lockTenant(ctx, tx, tenantID); err != nil {
				return err
			}
			for _, id := range owners {
				used, err := keyInUse(ctx, tx, id, k)
				if err != nil || used {
					return err
				}
			}
			removed = true
			return s.store.Delete(ctx, k)
		})
		if err != nil {
			return fmt.Errorf("reconcile media of %s: %w", tenantID, err)
		}
		if removed {
			rep.Removed = append(rep.Removed, k)
			s.log.Info("orphan media object removed", "tenant", tenantID, "key", k)
		}
	}
	for k := range keys {
		if !seen[k] {
			rep.Missing = append(rep.Missing, k)
			s.log.Warn("media object missing from the store", "tenant", tenantID, "key", k)
		}
	}
	return nil
}

// ReconcileJob schedules the next run, at the start of the next hour, and
// runs Reconcile. Scheduling first keeps the chain going when this run
// fails for good.
func (s *Service) ReconcileJob(ctx context.Context, _ *jobs.Job) error {
	if err := s.ScheduleReconcile(ctx, s.now().Truncate(time.Hour).Add(time.Hour)); err != nil {
		return err
	}
	_, err := s.Reconcile(ctx)
	return err
}

// ScheduleReconcile enqueues the reconciliation of the hour of at (due
// then); one job per hour exists, however many processes ask.
func (s *Service) ScheduleReconcile(ctx context.Context, at time.Time) error {
	hour := at.UTC().Truncate(time.Hour)
	_, _, err := jobs.Enqueue(ctx, s.db, jobs.Job{
		Kind: JobReconcile, UniqueKey: "media.reconcile:" + hour.Format("2006-01-02T15"), RunAt: at, MaxAttempts: 3,
	})
	if err != nil {
		return fmt.Errorf("schedule media reconciliation: %w", err)
	}
	return nil
}

// mergedChain is the tenant and every tenant it was merged into, in turn:
// a merge moves media rows but leaves their objects under the merged
// tenant's prefix, so those objects are still in use by the rows of the
// tenants down the chain. mergedInto maps a merged tenant to the tenant
// it was merged into.
func mergedChain(mergedInto map[string]string, tenantID string) []string {
	out := []string{tenantID}
	for cur := tenantID; len(out) < 16; {
		next, ok := mergedInto[cur]
		if !ok {
			break
		}
		cur = next
		out = append(out, cur)
	}
	return out
}

// MergeRows moves tenant from's media library to tenant into, inside a
// merge's transaction: rows keep their ids (so /media/<id>/… addresses
// work on the new host) and their object keys (the objects stay where
// they are; the reconciler follows the merge, see mergedChain).
func MergeRows(ctx context.Context, tx bun.Tx, from, into string) error {
	if _, err := db.CopyRows(ctx, tx, "media", []db.Set{{Column: "tenant_id", Expr: "?", Args: []any{into}}}, "tenant_id = ?", from); err != nil {
		return err
	}
	if _, err := tx.NewRaw("UPDATE media_renditions SET tenant_id = ? WHERE tenant_id = ?", into, from).Exec(ctx); err != nil {
		return fmt.Errorf("merge media: renditions: %w", err)
	}
	if _, err := tx.NewRaw("DELETE FROM media WHERE tenant_id = ?", from).Exec(ctx); err != nil {
		return fmt.Errorf("merge media: drop originals: %w", err)
	}
	return nil
}
