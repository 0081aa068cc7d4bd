package media

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// ImageRow is an image with its renditions in one column, "WIDTH FORMAT"
// pairs joined by commas, smallest first ("" when it has none): the
// columns a page shows. A statement that reads a picture with something
// else (an item with its featured picture) selects ImageColumns into it.
type ImageRow struct {
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

// ImageColumns is ImageRow's select list on media aliased alias, each
// column named with prefix (a struct field tagged bun:"embed:PREFIX").
func ImageColumns(alias, prefix string) string {
	cols := []string{"id", "object_key", "name", "width", "height", "alt", "caption", "credit", "rendition_list"}
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		name := c
		if c == "rendition_list" {
			name = "renditions"
		}
		b.WriteString(alias + "." + c + " AS " + prefix + name)
	}
	return b.String()
}

// Image is the row as a page's image, nil when the row is empty (a left
// join that found no picture).
func (r *ImageRow) Image(tenantID string) *Image {
	if r.ID == "" {
		return nil
	}
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
	return NewImage(m)
}

// imagesSQL is Images' statement for a padded list of in placeholders.
// A picture's renditions come with it, in its rendition_list column
// (migration 20261207100000): aggregating them per picture in this
// statement cost as much on SQLite as reading the pictures.
func imagesSQL(in string) string {
	return "SELECT " + ImageColumns("m", "") + " FROM media m WHERE m.tenant_id = ? AND m.id IN (" + in + ") AND m.kind = ?"
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
	if err := db.QueryAll(ctx, idb, ImagesRead(tenantID, ids, out)); err != nil {
		return nil, fmt.Errorf("load images: %w", err)
	}
	return out, nil
}

// ImagesRead is Images' statement as one read of a batch (db.QueryAll),
// which puts the images among ids into out as they come. ids must not be
// empty.
func ImagesRead(tenantID string, ids []string, out map[string]*Image) db.Read {
	in, idArgs := db.InList(ids)
	var r ImageRow
	return db.Read{
		Query: imagesSQL(in),
		Args:  append(append([]any{tenantID}, idArgs...), KindImage),
		Scan: func(rows db.Row) error {
			if err := rows.Scan(&r.ID, &r.ObjectKey, &r.Name, &r.Width, &r.Height, &r.Alt, &r.Caption, &r.Credit, &r.Renditions); err != nil {
				return fmt.Errorf("read an image: %w", err)
			}
			out[r.ID] = r.Image(tenantID)
			return nil
		},
	}
}
