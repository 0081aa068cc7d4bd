package transfer

import (
	"context"
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

	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/jobs"
	"github.com/trangtin/trangtin/tenants/post"
)

// Rows are inserted in statements of up to batchRows rows or about
// batchBytes of values, whichever comes first.
const (
	batchRows  = 100
	batchBytes = 4 << 20
)

// loadTable inserts the rows of data/<table>.jsonl, remapped for the new
// tenant, and returns how many were written.
func (ld *loader) loadTable(ctx context.Context, tx bun.Tx, tb table) (int, error) {
	if _, listed := ld.m.Rows[tb.name]; !listed {
		return 0, nil // an archive from before the table existed
	}
	cols, err := columns(ctx, tx, tb.name)
	if err != nil {
		return 0, err
	}
	kinds := make(map[string]kind, len(cols))
	for _, c := range cols {
		kinds[c.name] = c.kind
	}
	f, err := os.Open(filepath.Join(ld.dir, filepath.FromSlash(dataFile(tb.name))))
	if err != nil {
		return 0, damaged(ld.opts.In, "%s is missing", dataFile(tb.name))
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	dec.UseNumber()
	ins := &inserter{tx: tx, table: tb.name}
	read, written := 0, 0
	for {
		var row map[string]any
		err := dec.Decode(&row)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return 0, damaged(ld.opts.In, "%s line %d: %v", dataFile(tb.name), read+1, err)
		}
		read++
		keep, err := ld.fix(ctx, tx, tb, row)
		if err != nil {
			return 0, fmt.Errorf("%s row %d: %w", tb.name, read, err)
		}
		if !keep {
			continue
		}
		vals, err := ins.values(row, kinds)
		if err != nil {
			return 0, fmt.Errorf("%s row %d: %w", tb.name, read, err)
		}
		if err := ins.add(ctx, vals); err != nil {
			return 0, err
		}
		written++
	}
	if read != ld.m.Rows[tb.name] {
		return 0, damaged(ld.opts.In, "%s has %d rows, the manifest says %d", dataFile(tb.name), read, ld.m.Rows[tb.name])
	}
	return written, ins.flush(ctx)
}

// fix remaps one row for the new tenant and reports whether to write it.
func (ld *loader) fix(ctx context.Context, tx bun.Tx, tb table, row map[string]any) (bool, error) {
	if row[tb.owner] != ld.m.Tenant.ID {
		return false, errors.New("the row is not the exported tenant's")
	}
	row[tb.owner] = ld.newID
	switch tb.name {
	case "tenants":
		now := ld.now.Format(time.RFC3339Nano)
		row["slug"], row["onboarded_at"], row["created_at"], row["updated_at"] = ld.slug, now, now, now
		row["parent_id"] = nil
		if ld.parentID != nil {
			row["parent_id"] = *ld.parentID
		}
		if s, ok := row["logo_url"].(string); ok {
			row["logo_url"] = ld.links.apply(s)
		}
	case "tenant_domains":
		d, _ := row["domain"].(string)
		return ld.domains[d], nil
	case "media", "media_renditions":
		key, _ := row["object_key"].(string)
		if !ld.hasObject(key) {
			return false, fmt.Errorf("object %q is not in the archive", key)
		}
		row["object_key"] = ld.newKey(key)
	case "posts", "post_revisions", "post_editions":
		if s, ok := row["body"].(string); ok {
			row["body"] = ld.links.apply(s)
		}
		if tb.name == "posts" && row["status"] == string(post.StatusScheduled) {
			if s, ok := row["scheduled_at"].(string); ok {
				at, err := time.Parse(time.RFC3339Nano, s)
				if err != nil {
					return false, fmt.Errorf("scheduled_at: %w", err)
				}
				id, _ := row["id"].(string)
				ld.scheduled[id] = at
			}
		}
	case "board_members":
		// Accounts are not exported: a member stays linked only to an
		// account that exists on this platform.
		if acc, ok := row["account_id"].(string); ok {
			n, err := tx.NewSelect().Table("accounts").Where("id = ?", acc).Count(ctx)
			if err != nil {
				return false, fmt.Errorf("check account: %w", err)
			}
			if n == 0 {
				row["account_id"] = nil
			}
		}
	}
	return true, nil
}

func (ld *loader) hasObject(key string) bool {
	if ld.objects == nil {
		ld.objects = make(map[string]bool, len(ld.m.Objects))
		for _, o := range ld.m.Objects {
			ld.objects[o.Key] = true
		}
	}
	return ld.objects[key]
}

// schedule queues the publication of the items waiting for their time, as
// scheduling them in the workflow does (jobs are not exported).
func (ld *loader) schedule(ctx context.Context, tx bun.Tx) error {
	ids := make([]string, 0, len(ld.scheduled))
	for id := range ld.scheduled {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		at := ld.scheduled[id].UTC().Truncate(time.Microsecond)
		_, _, err := jobs.Enqueue(ctx, tx, jobs.Job{
			Kind: post.JobPublish, TenantID: ld.newID, RunAt: at,
			Payload:   map[string]string{"tenant_id": ld.newID, "post_id": id, "at": at.Format(time.RFC3339Nano)},
			UniqueKey: fmt.Sprintf("%s:%s:%d", post.JobPublish, id, at.UnixNano()),
		})
		if err != nil {
			return fmt.Errorf("schedule item %s: %w", id, err)
		}
	}
	return nil
}

// inserter writes rows of one table in multi-row INSERT statements.
type inserter struct {
	tx    bun.Tx
	table string
	cols  []string
	rows  [][]any
	size  int
}

// values orders a row's values by the table's columns (fixed by the first
// row) and turns them into what the database takes.
func (ins *inserter) values(row map[string]any, kinds map[string]kind) ([]any, error) {
	if ins.cols == nil {
		for c := range row {
			if _, ok := kinds[c]; !ok {
				return nil, errs.Invalid("", "archive_newer", fmt.Sprintf(
					"column %s.%s is unknown here: the archive comes from a newer platform (migrate this one first)", ins.table, c))
			}
			ins.cols = append(ins.cols, c)
		}
		sort.Strings(ins.cols)
	}
	if len(row) != len(ins.cols) {
		return nil, errors.New("the row's columns differ from the first row's")
	}
	vals := make([]any, len(ins.cols))
	for i, c := range ins.cols {
		v, ok := row[c]
		if !ok {
			return nil, fmt.Errorf("no column %s", c)
		}
		d, err := decode(kinds[c], v)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", c, err)
		}
		vals[i] = d
		if s, ok := d.(string); ok {
			ins.size += len(s)
		}
	}
	return vals, nil
}

func (ins *inserter) add(ctx context.Context, vals []any) error {
	ins.rows = append(ins.rows, vals)
	if len(ins.rows) >= batchRows || ins.size >= batchBytes {
		return ins.flush(ctx)
	}
	return nil
}

// flush writes the pending rows.
func (ins *inserter) flush(ctx context.Context) error {
	if len(ins.rows) == 0 {
		return nil
	}
	quoted := make([]string, len(ins.cols))
	for i, c := range ins.cols {
		quoted[i] = quote(c)
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ins.cols)), ", ") + ")"
	var q strings.Builder
	q.WriteString("INSERT INTO " + quote(ins.table) + " (" + strings.Join(quoted, ", ") + ") VALUES ")
	args := make([]any, 0, len(ins.rows)*len(ins.cols))
	for i, r := range ins.rows {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(one)
		args = append(args, r...)
	}
	if _, err := ins.tx.ExecContext(ctx, q.String(), args...); err != nil {
		return fmt.Errorf("write %s: %w", ins.table, err)
	}
	ins.rows, ins.size = ins.rows[:0], 0
	return nil
}
