package media

import (
	"context"
	"fmt"
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
func (s *Service) Reconcile(ctx context.Context) (Report, error) {
	var tenantIDs []string
	if err := s.db.NewRaw("SELECT id FROM tenants ORDER BY id").Scan(ctx, &tenantIDs); err != nil {
		return Report{}, fmt.Errorf("reconcile media: list tenants: %w", err)
	}
	var rep Report
	for _, id := range tenantIDs {
		if err := s.reconcileTenant(ctx, id, &rep); err != nil {
			return rep, err
		}
	}
	if len(rep.Removed) > 0 || len(rep.Missing) > 0 {
		s.log.Info("media reconciled", "removed", len(rep.Removed), "missing", len(rep.Missing))
	}
	return rep, nil
}

func (s *Service) reconcileTenant(ctx context.Context, tenantID string, rep *Report) error {
	keys, err := objectKeys(ctx, s.db, tenantID)
	if err != nil {
		return err
	}
	cutoff := s.now().Add(-OrphanAge)
	seen := map[string]bool{}
	var orphans []string
	err = s.store.List(ctx, blob.TenantPrefix(tenantID), func(in blob.Info) error {
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
			used, err := keyInUse(ctx, tx, tenantID, k)
			if err != nil || used {
				return err
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
