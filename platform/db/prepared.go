package db

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
)

// Prepared is the database with the public pages' fixed read statements
// prepared once and reused. bun writes every value into the SQL text, so
// each query is a new statement to the database: SQLite parses and plans
// it anew on every page (a fifth of an uncached item page's time), and
// PostgreSQL's per-connection statement cache fills with one entry per
// tenant and slug. A statement run through Select is written with ?
// placeholders and prepared once per process; the values travel apart.
//
// Prepared is a bun.IDB (it embeds the *bun.DB), so the stores take it
// where they take any database; Select falls back to bun for a
// transaction or a plain *bun.DB, with the same statement text.
type Prepared struct {
	*bun.DB
	pg    bool
	mu    sync.Mutex
	stmts atomic.Pointer[map[string]*sql.Stmt]
	hooks atomic.Pointer[[]bun.QueryHook]
	texts sync.Map // query text → its numbered form (numbered)
}

// NewPrepared wraps bdb. Its statements live on bdb's connections and go
// when bdb closes; Close releases them sooner.
func NewPrepared(bdb *bun.DB) *Prepared {
	p := &Prepared{DB: bdb, pg: IsPostgres(bdb)}
	p.stmts.Store(&map[string]*sql.Stmt{})
	p.hooks.Store(&[]bun.QueryHook{})
	return p
}

// AddQueryHook adds h to the database's hooks and to those Select calls
// around its prepared statements (bun's own hooks are not reachable from
// outside a bun query).
func (p *Prepared) AddQueryHook(h bun.QueryHook) {
	//lint:ignore SA1019 the hook must see every user of the shared *bun.DB, as the caller asked
	p.DB.AddQueryHook(h)
	p.mu.Lock()
	defer p.mu.Unlock()
	hs := append(append([]bun.QueryHook{}, *p.hooks.Load()...), h)
	p.hooks.Store(&hs)
}

// Close releases the prepared statements.
func (p *Prepared) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, s := range *p.stmts.Load() {
		_ = s.Close()
	}
	p.stmts.Store(&map[string]*sql.Stmt{})
	return nil
}

// Select runs a read statement written with ? placeholders and scans its
// rows into dest as bun would (a model, a slice of models or of values).
// The text holds no ? but placeholders (bun would take one in a quoted
// literal for a placeholder too), and its values are scalars; on SQLite a
// time value is compared as text, so pass times through bun instead.
// On a *Prepared the statement is prepared once and reused; on any other
// bun.IDB (a transaction) bun writes the values into the text.
func Select(ctx context.Context, idb bun.IDB, dest any, query string, args ...any) error {
	p, ok := idb.(*Prepared)
	if !ok {
		return idb.NewRaw(query, args...).Scan(ctx, dest)
	}
	return p.run(ctx, query, args, func(rows *sql.Rows) error { return p.ScanRows(ctx, rows, dest) })
}

// Row is a row of a Query's result, read with Scan in the statement's
// column order: *sql.Rows, or pgx's rows on PostgreSQL.
type Row interface {
	Scan(dest ...any) error
}

// Query runs a read statement as Select does and hands each row to scan,
// which reads it with rows.Scan. It is for the few statements every
// uncached page runs: a hand-written scan costs a fraction of bun's, which
// looks up each column's field by name and sets it by reflection, row
// after row. scan must read the columns in the statement's order.
func Query(ctx context.Context, idb bun.IDB, query string, scan func(Row) error, args ...any) error {
	return QueryAll(ctx, idb, Read{Query: query, Args: args, Scan: scan})
}

// Read is one statement of QueryAll: its text with ? placeholders, its
// values, and the scan of each of its rows.
type Read struct {
	Query string
	Args  []any
	Scan  func(Row) error
}

// QueryAll runs reads one after the other as Query does, and stops at the
// first error. On PostgreSQL, through a *Prepared, they go to the server
// together and come back in one round trip (queryPgx).
func QueryAll(ctx context.Context, idb bun.IDB, reads ...Read) error {
	p, ok := idb.(*Prepared)
	if ok && p.pg {
		return p.queryPgx(ctx, reads)
	}
	for _, r := range reads {
		each := func(rows *sql.Rows) error {
			defer rows.Close()
			for rows.Next() {
				if err := r.Scan(rows); err != nil {
					return err
				}
			}
			return rows.Err()
		}
		var err error
		if ok {
			err = p.run(ctx, r.Query, r.Args, each)
		} else {
			var rows *sql.Rows
			if rows, err = idb.QueryContext(ctx, r.Query, r.Args...); err == nil {
				err = each(rows)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// queryPgx runs reads on one of the pool's connections through pgx itself
// rather than database/sql. database/sql turned every value of every row
// into an interface value and then copied it into its destination: about
// a seventh of an uncached home page's time on PostgreSQL, with the round
// trips (bench/README.md, stop 29). pgx prepares each text once per
// connection (its statement cache, as for bun's own queries) and sends
// the reads as one batch: one write and one wait for the lot.
func (p *Prepared) queryPgx(ctx context.Context, reads []Read) error {
	hooks := *p.hooks.Load()
	events := make([]*bun.QueryEvent, 0, len(reads)*min(len(hooks), 1))
	batch := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(reads))}
	for _, r := range reads {
		if len(hooks) > 0 {
			ev := &bun.QueryEvent{DB: p.DB, Query: r.Query, QueryTemplate: r.Query, QueryArgs: r.Args, StartTime: time.Now()}
			for _, h := range hooks {
				ctx = h.BeforeQuery(ctx, ev)
			}
			events = append(events, ev)
		}
		batch.Queue(p.numbered(r.Query), r.Args...).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := r.Scan(rows); err != nil {
					return err
				}
			}
			return rows.Err()
		})
	}
	conn, err := p.DB.DB.Conn(ctx)
	if err == nil {
		err = conn.Raw(func(dc any) error {
			sc, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("query: a %T is not a pgx connection", dc)
			}
			return sc.Conn().SendBatch(ctx, batch).Close()
		})
		_ = conn.Close()
	}
	for _, ev := range events {
		ev.Err = err
		for i := len(hooks) - 1; i >= 0; i-- {
			hooks[i].AfterQuery(ctx, ev)
		}
	}
	return err
}

// numbered is query with PostgreSQL's numbered placeholders, worked out
// once per text.
func (p *Prepared) numbered(query string) string {
	if t, ok := p.texts.Load(query); ok {
		return t.(string)
	}
	t := NumberPlaceholders(query)
	p.texts.Store(query, t)
	return t
}

// run runs the prepared statement for query with args, around the query
// hooks, and hands its rows to consume, which closes them.
func (p *Prepared) run(ctx context.Context, query string, args []any, consume func(*sql.Rows) error) error {
	stmt, err := p.statement(ctx, query)
	if err != nil {
		return err
	}
	hooks := *p.hooks.Load()
	var ev *bun.QueryEvent
	if len(hooks) > 0 {
		ev = &bun.QueryEvent{DB: p.DB, Query: query, QueryTemplate: query, QueryArgs: args, StartTime: time.Now()}
		for _, h := range hooks {
			ctx = h.BeforeQuery(ctx, ev)
		}
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err == nil {
		err = consume(rows)
	}
	if ev != nil {
		ev.Err = err
		for i := len(hooks) - 1; i >= 0; i-- {
			hooks[i].AfterQuery(ctx, ev)
		}
	}
	return err
}

// Unprepared is idb with its statements written by bun, for a statement
// whose values bun must write (a time on SQLite).
func Unprepared(idb bun.IDB) bun.IDB {
	if p, ok := idb.(*Prepared); ok {
		return p.DB
	}
	return idb
}

// statement returns query prepared, preparing it on first use. A failed
// preparation is not remembered: the next call tries again.
func (p *Prepared) statement(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := (*p.stmts.Load())[query]; ok {
		return s, nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	cur := *p.stmts.Load()
	if s, ok := cur[query]; ok {
		return s, nil
	}
	text := query
	if p.pg {
		text = NumberPlaceholders(query)
	}
	s, err := p.DB.DB.PrepareContext(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("prepare statement: %w", err)
	}
	// Copy on write: the statements are a few dozen, fixed in the code,
	// and read on every page without a lock.
	next := make(map[string]*sql.Stmt, len(cur)+1)
	for k, v := range cur {
		next[k] = v
	}
	next[query] = s
	p.stmts.Store(&next)
	return s, nil
}

// NumberPlaceholders turns ? placeholders into PostgreSQL's $1, $2, …,
// leaving quoted text and identifiers alone.
func NumberPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quote := 0, byte(0)
	for i := 0; i < len(query); i++ {
		ch := query[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// ModelColumns lists the columns of model (a pointer to a bun model) as
// alias.column, in the model's order: a fixed statement's select list,
// kept in step with the model.
func ModelColumns(idb bun.IDB, model any, alias string) string {
	t := idb.Dialect().Tables().Get(reflect.TypeOf(model).Elem())
	var b strings.Builder
	for i, f := range t.Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(alias)
		b.WriteByte('.')
		b.WriteString(f.Name)
	}
	return b.String()
}

// InList is an IN list's placeholders for values and its arguments. The
// list is padded to a power of two by repeating the last value (which
// changes nothing in an IN), so a statement prepared for lists of any
// length has a handful of texts, not one per length.
func InList[T any](values []T) (string, []any) {
	if len(values) == 0 {
		return "NULL", nil
	}
	n := 1
	for n < len(values) {
		n *= 2
	}
	args := make([]any, n)
	for i := range args {
		args[i] = values[min(i, len(values)-1)]
	}
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", "), args
}
