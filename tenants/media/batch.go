package media

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// imageRow is an image with its renditions in one column, "WIDTH FORMAT"
// pairs joined by commas, smallest first ("" when it has none).
type imageRow struct {
	ID         string `bun:"id"`
	ObjectKey  string `bun:"object_key"`
	Name       string `bun:"name"`
	Width      int    `bun:"width"`
	Height     int    `bun:"height"`
	Alt        string `bun:"alt"`
	Caption    string `bun:"caption"`
	Credit     string `bun:"credit"`
	Renditions string `bun:"renditions"`
}

// imagesSQL is Images' statement for the dialect (pg) and a padded list
// of in placeholders. The renditions are aggregated per image: a page's
// pictures were a row per rendition, and on SQLite each row read cost
// more than the aggregation does.
func imagesSQL(pg bool, in string) string {
	agg := "group_concat(r.width || ' ' || r.format, ',' ORDER BY r.width, r.format)"
	if pg {
		agg = "string_agg(r.width || ' ' || r.format, ',' ORDER BY r.width, r.format)"
	}
	return "SELECT m.id, m.object_key, m.name, m.width, m.height, m.alt, m.caption, m.credit," +
		" COALESCE((SELECT " + agg + " FROM media_renditions r WHERE r.tenant_id = m.tenant_id AND r.media_id = m.id), '') AS renditions" +
		" FROM media m WHERE m.tenant_id = ? AND m.id IN (" + in + ") AND m.kind = ?"
}

// Images loads the images among ids of a tenant with their renditions, in
// one query whatever the number of ids (a home page's covers and
// thumbnails): only the columns a page shows, one row per image. Ids that
// name no image of the tenant are left out.
func Images(ctx context.Context, idb bun.IDB, tenantID string, ids []string) (map[string]*Image, error) {
	out := map[string]*Image{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []imageRow
	in, idArgs := db.InList(ids)
	args := append(append([]any{tenantID}, idArgs...), KindImage)
	if err := db.Select(ctx, idb, &rows, imagesSQL(db.IsPostgres(idb), in), args...); err != nil {
		return nil, fmt.Errorf("load images: %w", err)
	}
	ms := make([]*Media, 0, len(rows))
	for _, r := range rows {
		m := &Media{TenantID: tenantID, ID: r.ID, Kind: KindImage, ObjectKey: r.ObjectKey, Name: r.Name,
			Width: r.Width, Height: r.Height, Alt: r.Alt, Caption: r.Caption, Credit: r.Credit}
		for pair := range strings.SplitSeq(r.Renditions, ",") {
			w, format, ok := strings.Cut(pair, " ")
			width, err := strconv.Atoi(w)
			if !ok || err != nil {
				continue
			}
			m.Renditions = append(m.Renditions, Rendition{TenantID: tenantID, MediaID: r.ID, Width: width, Format: format})
		}
		ms = append(ms, m)
	}
	for _, m := range ms {
		out[m.ID] = NewImage(m)
	}
	return out, nil
}
