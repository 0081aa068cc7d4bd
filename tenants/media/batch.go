package media

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// imageRow is an image with one of its renditions (none: zero width), as
// Images reads them in one join.
type imageRow struct {
	ID        string  `bun:"id"`
	ObjectKey string  `bun:"object_key"`
	Name      string  `bun:"name"`
	Width     int     `bun:"width"`
	Height    int     `bun:"height"`
	Alt       string  `bun:"alt"`
	Caption   string  `bun:"caption"`
	Credit    string  `bun:"credit"`
	RWidth    *int    `bun:"r_width"`
	RFormat   *string `bun:"r_format"`
}

// Images loads the images among ids of a tenant with their renditions, in
// one query whatever the number of ids (a home page's covers and
// thumbnails): only the columns a page shows, renditions joined, smallest
// first. Ids that name no image of the tenant are left out.
func Images(ctx context.Context, idb bun.IDB, tenantID string, ids []string) (map[string]*Image, error) {
	out := map[string]*Image{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []imageRow
	in, idArgs := db.InList(ids)
	args := append(append([]any{tenantID}, idArgs...), KindImage)
	err := db.Select(ctx, idb, &rows, `SELECT m.id, m.object_key, m.name, m.width, m.height, m.alt, m.caption, m.credit,
  r.width AS r_width, r.format AS r_format
FROM media m LEFT JOIN media_renditions r ON r.tenant_id = m.tenant_id AND r.media_id = m.id
WHERE m.tenant_id = ? AND m.id IN (`+in+`) AND m.kind = ?
ORDER BY m.id, r.width`, args...)
	if err != nil {
		return nil, fmt.Errorf("load images: %w", err)
	}
	var ms []*Media
	for _, r := range rows {
		if len(ms) == 0 || ms[len(ms)-1].ID != r.ID {
			ms = append(ms, &Media{TenantID: tenantID, ID: r.ID, Kind: KindImage, ObjectKey: r.ObjectKey, Name: r.Name,
				Width: r.Width, Height: r.Height, Alt: r.Alt, Caption: r.Caption, Credit: r.Credit})
		}
		if r.RWidth != nil && r.RFormat != nil {
			m := ms[len(ms)-1]
			m.Renditions = append(m.Renditions, Rendition{TenantID: tenantID, MediaID: r.ID, Width: *r.RWidth, Format: *r.RFormat})
		}
	}
	for _, m := range ms {
		out[m.ID] = NewImage(m)
	}
	return out, nil
}
