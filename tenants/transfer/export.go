package transfer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// ExportOptions say what to export and where.
type ExportOptions struct {
	// Slug names the tenant.
	Slug string
	// Out is the archive to write; it is replaced only once complete.
	Out string
	// BaseDomain is this platform's TRANGTIN_BASE_DOMAIN, recorded so an
	// importer can rewrite links to <slug>.<base domain>.
	BaseDomain string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Export writes one tenant's content to an archive: every row of its
// tables read in one read-only transaction (a consistent view while the
// platform keeps serving), and every media object and rendition streamed
// from store. It returns the manifest written.
func Export(ctx context.Context, bdb *bun.DB, store blob.Store, opts ExportOptions) (*Manifest, error) {
	if opts.Out == "" {
		return nil, errs.Invalid("out", "out_required", "no output file")
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	dir, err := os.MkdirTemp(filepath.Dir(opts.Out), ".trangtin-export-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write next to %s: %w", opts.Out, err)
	}
	defer os.RemoveAll(dir)

	m := &Manifest{Format: Format, ExportedAt: now().UTC().Truncate(time.Second), Rows: map[string]int{},
		Platform: Platform{BaseDomain: opts.BaseDomain, Dialect: dialectName(bdb)}}
	st := &stage{dir: dir}
	txOpts := &sql.TxOptions{ReadOnly: true}
	if db.IsPostgres(bdb) {
		txOpts.Isolation = sql.LevelRepeatableRead
	}
	err = bdb.RunInTx(ctx, txOpts, func(ctx context.Context, tx bun.Tx) error {
		t, err := tenancy.BySlug(ctx, tx, opts.Slug)
		if errs.Is(err, errs.KindNotFound) {
			return errs.NotFound("tenant_not_found", fmt.Sprintf("no tenant %q", opts.Slug))
		}
		if err != nil {
			return err
		}
		m.Tenant = view(t)
		keys := map[string]bool{}
		for _, tb := range tables() {
			n, err := exportTable(ctx, tx, st, tb, t.ID, keys)
			if err != nil {
				return err
			}
			m.Rows[tb.name] = n
		}
		// Objects are read inside the transaction too: a media row deleted
		// meanwhile cannot take its object away before it is copied.
		return exportObjects(ctx, store, st, m, keys)
	})
	if err != nil {
		return nil, err
	}
	m.Files = st.files
	if err := pack(m, dir, opts.Out); err != nil {
		return nil, err
	}
	return m, nil
}

func dialectName(idb bun.IDB) string {
	if db.IsPostgres(idb) {
		return "postgres"
	}
	return "sqlite"
}

// view is the manifest's record of the source tenant.
func view(t *tenancy.Tenant) TenantView {
	v := TenantView{ID: t.ID, Slug: t.Slug, Name: t.Name, Kind: string(t.Kind), Parent: t.ParentSlug,
		Status: string(t.Status), HasSite: t.HasSite, QuotaPerWeek: t.QuotaPerWeek, Domains: t.Domains,
		Branding: Branding{ShortName: t.ShortName, LogoURL: t.LogoURL, Colour: t.Colour, Address: t.Address,
			Phone: t.Phone, Email: t.Email, LicenceNo: t.LicenceNo}}
	if v.Domains == nil {
		v.Domains = []string{}
	}
	if t.LicenceDate != nil {
		v.Branding.LicenceDate = t.LicenceDate.In(vntext.Location()).Format(time.DateOnly)
	}
	return v
}

// exportTable writes the tenant's rows of one table to data/<table>.jsonl,
// one JSON object per line, and collects the object keys media rows name.
func exportTable(ctx context.Context, tx bun.Tx, st *stage, tb table, tenantID string, keys map[string]bool) (int, error) {
	n := 0
	err := st.add(dataFile(tb.name), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return readRows(ctx, tx, tb, tenantID, func(row map[string]any) error {
			if k, ok := row["object_key"].(string); ok && (tb.name == "media" || tb.name == "media_renditions") {
				keys[k] = true
			}
			n++
			return enc.Encode(row)
		})
	})
	if err != nil {
		return 0, fmt.Errorf("%s: %w", tb.name, err)
	}
	return n, nil
}

// readRows calls fn with every row of the tenant in one table, in key
// order, each value in its archive form (see encode).
func readRows(ctx context.Context, idb bun.IDB, tb table, tenantID string, fn func(row map[string]any) error) error {
	cols, err := columns(ctx, idb, tb.name)
	if err != nil {
		return err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quote(c.name)
	}
	q := fmt.Sprintf("SELECT %s FROM %s WHERE %s = ? ORDER BY %s",
		strings.Join(names, ", "), quote(tb.name), quote(tb.owner), tb.order)
	rows, err := idb.QueryContext(ctx, q, tenantID)
	if err != nil {
		return fmt.Errorf("read %s: %w", tb.name, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for n := 1; rows.Next(); n++ {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", tb.name, err)
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			v, err := encode(c.kind, vals[i])
			if err != nil {
				return fmt.Errorf("read %s row %d column %s: %w", tb.name, n, c.name, err)
			}
			row[c.name] = v
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", tb.name, err)
	}
	return nil
}

// exportObjects copies every object a media row names into objects/,
// once per key, checking it is the tenant's and complete.
func exportObjects(ctx context.Context, store blob.Store, st *stage, m *Manifest, keys map[string]bool) error {
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	prefix := blob.TenantPrefix(m.Tenant.ID)
	files := map[string]string{}
	for _, key := range sorted {
		if !strings.HasPrefix(key, prefix) {
			return fmt.Errorf("media object %q is not under the tenant's prefix %s", key, prefix)
		}
		name := objectFile(key)
		if other, dup := files[name]; dup {
			return fmt.Errorf("media objects %q and %q share the file name %s", other, key, name)
		}
		files[name] = key
		o, err := exportObject(ctx, store, st, key, name)
		if err != nil {
			return err
		}
		m.Objects = append(m.Objects, o)
	}
	return nil
}

func exportObject(ctx context.Context, store blob.Store, st *stage, key, name string) (Object, error) {
	obj, err := store.Open(ctx, key)
	if blob.IsNotFound(err) {
		return Object{}, fmt.Errorf("media object %s is missing from the media store", key)
	}
	if err != nil {
		return Object{}, fmt.Errorf("media object %s: %w", key, err)
	}
	defer obj.Close()
	info := obj.Info()
	var n int64
	err = st.add(name, func(w io.Writer) error {
		var err error
		n, err = io.Copy(w, obj)
		return err
	})
	if err != nil {
		return Object{}, fmt.Errorf("media object %s: %w", key, err)
	}
	if n != info.Size {
		return Object{}, errors.New("media object " + key + " changed while read")
	}
	return Object{File: name, Key: key, Size: n, ContentType: info.ContentType}, nil
}
