package site

import (
	"context"

	"github.com/uptrace/bun"
)

// LoadItem is loadItem for the external tests and benchmarks.
func LoadItem(ctx context.Context, idb bun.IDB, tenantID, slug string) error {
	_, err := loadItem(ctx, idb, tenantID, slug)
	return err
}
