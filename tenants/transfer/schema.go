package transfer

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// table is one table of a tenant's content, in the order rows are inserted
// (parents before the rows that refer to them).
type table struct {
	// name is the table's name, and data/<name>.jsonl its file.
	name string
	// owner is the column holding the tenant id (id for tenants itself).
	owner string
	// order lists the key columns after the owner, for a stable file.
	order string
}

// tables is every table an archive carries. Accounts, board roles
// (authz_assignments), audit events, jobs, notifications, submissions and
// the quota tables are not tenant content and stay behind.
func tables() []table {
	return []table{
		{name: "tenants", owner: "id", order: "id"},
		{name: "tenant_domains", owner: "tenant_id", order: "domain"},
		{name: "tenant_settings", owner: "tenant_id", order: "tenant_id"},
		{name: "sections", owner: "tenant_id", order: "id"},
		{name: "section_redirects", owner: "tenant_id", order: "slug"},
		{name: "agreements", owner: "tenant_id", order: "id"},
		{name: "media", owner: "tenant_id", order: "id"},
		{name: "media_renditions", owner: "tenant_id", order: "media_id, width"},
		{name: "posts", owner: "tenant_id", order: "id"},
		{name: "post_fields", owner: "tenant_id", order: "post_id, field_code"},
		{name: "post_revisions", owner: "tenant_id", order: "post_id, number"},
		{name: "post_transitions", owner: "tenant_id", order: "id"},
		{name: "post_editions", owner: "tenant_id", order: "post_id"},
		{name: "post_documents", owner: "tenant_id", order: "post_id"},
		{name: "post_attachments", owner: "tenant_id", order: "post_id, media_id"},
		{name: "board_decisions", owner: "tenant_id", order: "tenant_id"},
		{name: "board_members", owner: "tenant_id", order: "id"},
		{name: "board_member_sections", owner: "tenant_id", order: "member_id, section_id"},
		{name: "board_member_fields", owner: "tenant_id", order: "member_id, field_code"},
		{name: "board_history", owner: "tenant_id", order: "id"},
		{name: "site_settings", owner: "tenant_id", order: "tenant_id"},
		{name: "site_leaders", owner: "tenant_id", order: "id"},
	}
}

// knownTable reports whether name is a table an archive may carry.
func knownTable(name string) bool {
	for _, t := range tables() {
		if t.name == name {
			return true
		}
	}
	return false
}

// quote quotes an identifier read from the schema (the same on both
// dialects).
func quote(ident string) string { return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"` }

// kind is how a column's values are written in an archive.
type kind int

const (
	kindText kind = iota // JSON string
	kindInt              // JSON number
	kindBool             // JSON boolean
	kindTime             // RFC 3339 string in UTC, nanoseconds when present
	kindDate             // "YYYY-MM-DD"
)

// column is one column of a table as the database declares it.
type column struct {
	name string
	kind kind
}

// kindOf maps a declared type (SQLite's as written in the migration,
// PostgreSQL's information_schema data_type) to a kind.
func kindOf(declared string) kind {
	d := strings.ToLower(declared)
	switch {
	case strings.Contains(d, "bool"):
		return kindBool
	case strings.Contains(d, "timestamp") || strings.Contains(d, "datetime"):
		return kindTime
	case d == "date":
		return kindDate
	case strings.Contains(d, "int"):
		return kindInt
	}
	return kindText
}

// columns reads the columns of a table from the database, in declaration
// order, so that a column added by a later migration travels without this
// package knowing it.
func columns(ctx context.Context, idb bun.IDB, name string) ([]column, error) {
	var q string
	if db.IsPostgres(idb) {
		q = `SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
	} else {
		q = `SELECT name, type FROM pragma_table_info(?) ORDER BY cid`
	}
	rows, err := idb.QueryContext(ctx, q, name)
	if err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", name, err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var n, typ string
		if err := rows.Scan(&n, &typ); err != nil {
			return nil, fmt.Errorf("read columns of %s: %w", name, err)
		}
		cols = append(cols, column{name: n, kind: kindOf(typ)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read columns of %s: %w", name, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("read columns of %s: no such table", name)
	}
	return cols, nil
}

// timeLayouts are the forms a time may take when SQLite hands back text:
// what bun writes, and the forms SQLite's own date functions use.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
}

func parseTime(s string) (time.Time, error) {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time", s)
}

// encode turns a value read from either driver into its archive form:
// SQLite's 0/1 booleans become JSON booleans, times read as text or as
// time.Time become RFC 3339 in UTC, dates "YYYY-MM-DD", NULL null.
func encode(k kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch k {
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		case string:
			return strconv.ParseBool(x)
		}
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case kindTime, kindDate:
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case string:
			var err error
			if t, err = parseTime(x); err != nil {
				return nil, err
			}
		default:
			return nil, fmt.Errorf("unexpected %T for a time", v)
		}
		if k == kindDate {
			return t.Format(time.DateOnly), nil
		}
		return t.UTC().Format(time.RFC3339Nano), nil
	default:
		switch x := v.(type) {
		case string:
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		}
	}
	return nil, fmt.Errorf("unexpected %T", v)
}

// decode turns an archive value back into what bun writes for the column's
// kind on either dialect (time.Time for times and dates, as the models do).
func decode(k kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindBool:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case kindInt:
		if n, ok := v.(json.Number); ok {
			return n.Int64()
		}
	case kindTime:
		if s, ok := v.(string); ok {
			t, err := time.Parse(time.RFC3339Nano, s)
			return t.UTC(), err
		}
	case kindDate:
		if s, ok := v.(string); ok {
			return time.Parse(time.DateOnly, s)
		}
	default:
		if s, ok := v.(string); ok {
			return s, nil
		}
	}
	return nil, fmt.Errorf("unexpected %T %v", v, v)
}
