package media

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Images loads the images among ids of a tenant with their renditions, in
// two queries whatever the number of ids (a home page's covers and
// thumbnails). Ids that name no image of the tenant are left out.
func Images(ctx context.Context, idb bun.IDB, tenantID string, ids []string) (map[string]*Image, error) {
	out := map[string]*Image{}
	if len(ids) == 0 {
		return out, nil
	}
	var ms []*Media
	err := idb.NewSelect().Model(&ms).Where("m.tenant_id = ? AND m.id IN (?) AND m.kind = ?", tenantID, bun.List(ids), KindImage).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load images: %w", err)
	}
	if err := fillRenditions(ctx, idb, tenantID, ms); err != nil {
		return nil, err
	}
	for _, m := range ms {
		out[m.ID] = NewImage(m)
	}
	return out, nil
}
