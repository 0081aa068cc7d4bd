package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// Columns lists a table's columns in their order, as the database has
// them (so columns added by later migrations are never forgotten).
func Columns(ctx context.Context, idb bun.IDB, table string) ([]string, error) {
	q := `SELECT name FROM pragma_table_info(?) ORDER BY cid`
	if IsPostgres(idb) {
		q = `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
	}
	var cols []string
	if err := idb.NewRaw(q, table).Scan(ctx, &cols); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("columns of %s: no such table", table)
	}
	return cols, nil
}

// Set replaces a column's value in CopyRows with an SQL expression.
type Set struct {
	Column string
	Expr   string
	Args   []any
}

// CopyRows inserts a copy of the rows of table matching where, every
// column as it is but those in sets. It moves rows whose primary key
// other rows refer to: copy under the new key, point the referring rows
// at the copy, then delete the originals — foreign keys hold at every
// step, on both dialects.
func CopyRows(ctx context.Context, idb bun.IDB, table string, sets []Set, where string, args ...any) (int64, error) {
	cols, err := Columns(ctx, idb, table)
	if err != nil {
		return 0, err
	}
	byCol := map[string]Set{}
	for _, s := range sets {
		byCol[s.Column] = s
	}
	names := make([]string, len(cols))
	exprs := make([]string, len(cols))
	var all []any
	for i, c := range cols {
		names[i] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"` // both dialects quote so
		exprs[i] = names[i]
		if s, ok := byCol[c]; ok {
			exprs[i] = s.Expr
			all = append(all, s.Args...)
		}
	}
	all = append(all, args...)
	q := "INSERT INTO " + table + " (" + strings.Join(names, ", ") + ") SELECT " + strings.Join(exprs, ", ") +
		" FROM " + table + " WHERE " + where
	res, err := idb.NewRaw(q, all...).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("copy rows of %s: %w", table, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
