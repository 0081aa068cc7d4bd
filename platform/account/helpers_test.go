package account_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
)

const (
	testSecret   = "test-secret-0123456789abcdef0123456789abcdef"
	testPassword = "Ngựa-ô-chạy-1975"
)

// clock is a settable time source for the Service under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type fixture struct {
	db    *bun.DB
	svc   *account.Service
	clock *clock
}

func setup(t *testing.T) *fixture {
	t.Helper()
	bdb := dbtest.New(t)
	clk := newClock()
	svc := account.NewService(bdb, testSecret, audit.New(clk.Now), clk.Now, account.WithParams(account.TestParams()))
	return &fixture{db: bdb, svc: svc, clock: clk}
}

func (f *fixture) account(t *testing.T, email string) *account.Account {
	t.Helper()
	a, err := account.CreateWithParams(context.Background(), f.db, account.TestParams(), email, "Nguyễn Văn An", testPassword)
	if err != nil {
		t.Fatalf("create account %s: %v", email, err)
	}
	return a
}

func (f *fixture) login(t *testing.T, email string) string {
	t.Helper()
	tok, needsMFA, err := f.svc.Login(context.Background(), email, testPassword, "192.0.2.1", "test")
	if err != nil || needsMFA {
		t.Fatalf("login %s: needsMFA=%v err=%v", email, needsMFA, err)
	}
	return tok
}

// wantCode fails unless err is classified with kind and code.
func wantCode(t *testing.T, err error, kind errs.Kind, code string) {
	t.Helper()
	e := errs.As(err)
	if e == nil || e.Kind != kind || e.Code != code {
		t.Fatalf("err = %v, want kind %d code %q", err, kind, code)
	}
}

func events(t *testing.T, idb bun.IDB, action string) []audit.Event {
	t.Helper()
	page, err := audit.List(context.Background(), idb, audit.Filter{Action: action, Limit: audit.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}
