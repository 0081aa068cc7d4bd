package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
)

type row struct {
	bun.BaseModel `bun:"table:prepared_rows"`

	ID   int     `bun:"id,pk"`
	Name string  `bun:"name"`
	Note *string `bun:"note"`
}

type counter struct{ n atomic.Int64 }

func (c *counter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (c *counter) AfterQuery(context.Context, *bun.QueryEvent)                        { c.n.Add(1) }

// preparedRows makes the table of row with three rows, the one with id
// noted carrying note, and a Prepared database on it whose hook counts
// the statements run.
func preparedRows(t *testing.T, noted int, note string) (*bun.DB, *db.Prepared, *counter) {
	t.Helper()
	ctx := context.Background()
	bdb := dbtest.New(t)
	if _, err := bdb.NewCreateTable().Model((*row)(nil)).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Sở Lao động", "O'Brien ?", "ba"} {
		r := &row{ID: i + 1, Name: name}
		if r.ID == noted {
			r.Note = &note
		}
		if _, err := bdb.NewInsert().Model(r).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	p := db.NewPrepared(bdb)
	t.Cleanup(func() { _ = p.Close() })
	c := &counter{}
	p.AddQueryHook(c)
	return bdb, p, c
}

// TestSelectPreparedAndThroughBun runs the same statements through a
// Prepared database and through bun (a transaction), on the test dialect:
// same rows, values kept apart from the text (a quote in a value is data),
// one preparation per statement text, hooks told of each run.
func TestSelectPreparedAndThroughBun(t *testing.T) {
	ctx := context.Background()
	note := "it's ?"
	bdb, p, c := preparedRows(t, 2, note)

	const q = "SELECT id, name, note FROM prepared_rows WHERE name <> 'x' AND (name = ? OR id IN (?, ?)) ORDER BY id"
	want := []row{{ID: 1, Name: "Sở Lao động"}, {ID: 2, Name: "O'Brien ?", Note: &note}}
	var viaPrepared, viaBun []row
	if err := db.Select(ctx, p, &viaPrepared, q, "O'Brien ?", 1, 1); err != nil {
		t.Fatal(err)
	}
	err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return db.Select(ctx, tx, &viaBun, q, "O'Brien ?", 1, 1)
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]row{"prepared": viaPrepared, "bun": viaBun} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}
	if c.n.Load() < 1 {
		t.Error("the hook was not told of the prepared statement")
	}

	// Concurrent readers share the statement; scalars scan too.
	var wg sync.WaitGroup
	errc := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var names []string
			if err := db.Select(ctx, p, &names, "SELECT name FROM prepared_rows WHERE id <= ? ORDER BY id", 1+i%3); err != nil {
				errc <- err
				return
			}
			if len(names) != 1+i%3 {
				errc <- fmt.Errorf("%d names, want %d", len(names), 1+i%3)
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}

	// A statement that does not prepare is an error.
	if err := db.Select(ctx, p, &viaPrepared, "SELECT nope FROM prepared_rows WHERE id = ?", 1); err == nil {
		t.Error("a bad statement gave no error")
	}
}

func TestInListPadsToAPowerOfTwo(t *testing.T) {
	for _, c := range []struct {
		n, want int
	}{{1, 1}, {2, 2}, {3, 4}, {5, 8}, {33, 64}} {
		ids := make([]string, c.n)
		for i := range ids {
			ids[i] = fmt.Sprint("id", i)
		}
		in, args := db.InList(ids)
		if strings.Count(in, "?") != c.want || len(args) != c.want {
			t.Errorf("%d values: %q with %d args, want %d", c.n, in, len(args), c.want)
		}
		if args[len(args)-1] != ids[len(ids)-1] || args[0] != ids[0] {
			t.Errorf("%d values: args %v", c.n, args)
		}
	}
	if in, args := db.InList([]string{}); in != "NULL" || len(args) != 0 {
		t.Errorf("empty: %q %v", in, args)
	}
}

func TestModelColumnsFollowTheModel(t *testing.T) {
	bdb := dbtest.New(t)
	if got := db.ModelColumns(bdb, (*row)(nil), "r"); got != "r.id, r.name, r.note" {
		t.Errorf("ModelColumns = %q", got)
	}
}

// TestQueryScansEachRow runs a statement through Query on a Prepared
// database and in a transaction: the same rows in the statement's order,
// a NULL read as such, the hook told of the prepared run, and an error of
// the scan (or of the statement) returned, not swallowed.
func TestQueryScansEachRow(t *testing.T) {
	ctx := context.Background()
	note := "ghi chú"
	bdb, p, c := preparedRows(t, 1, note)

	const q = "SELECT id, name, note FROM prepared_rows WHERE id <= ? ORDER BY id DESC"
	read := func(idb bun.IDB) ([]row, error) {
		var rows []row
		err := db.Query(ctx, idb, q, func(rs db.Row) error {
			var r row
			var n sql.NullString
			if err := rs.Scan(&r.ID, &r.Name, &n); err != nil {
				return err
			}
			if n.Valid {
				r.Note = &n.String
			}
			rows = append(rows, r)
			return nil
		}, 2)
		return rows, err
	}
	want := []row{{ID: 2, Name: "O'Brien ?"}, {ID: 1, Name: "Sở Lao động", Note: &note}}
	viaPrepared, err := read(p)
	if err != nil {
		t.Fatal(err)
	}
	if c.n.Load() != 1 {
		t.Errorf("the hook was told of %d runs, want 1", c.n.Load())
	}
	var viaBun []row
	if err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		viaBun, err = read(tx)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]row{"prepared": viaPrepared, "bun": viaBun} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %+v, want %+v", name, got, want)
		}
	}

	stop := errors.New("stop")
	seen := 0
	err = db.Query(ctx, p, q, func(db.Row) error { seen++; return stop }, 3)
	if !errors.Is(err, stop) || seen != 1 {
		t.Errorf("a failing scan: %v after %d rows, want stop after 1", err, seen)
	}
	if err := db.Query(ctx, p, "SELECT nope FROM prepared_rows", func(db.Row) error { return nil }); err == nil {
		t.Error("a bad statement gave no error")
	}
}
