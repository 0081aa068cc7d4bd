package board

import (
	"context"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/provision"
)

// TestMemberWriteErr checks that the unique indexes, which catch what the
// checks in apply miss under concurrency, map to the right Conflict on the
// dialect under test.
func TestMemberWriteErr(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.New(t)
	p := &provision.Provisioner{DB: bdb, BaseDomain: "localhost", AdminHost: "admin.localhost"}
	tn, err := p.Create(ctx, provision.Input{Slug: "so", Name: "Sở", Kind: tenancy.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	acc := "acc-1"
	insert := func(pos Position, account *string) error {
		m := &Member{TenantID: tn.ID, ID: db.NewID(), Name: "X", Position: pos, AccountID: account, CreatedAt: now, UpdatedAt: now}
		_, err := bdb.NewInsert().Model(m).Exec(ctx)
		return err
	}
	if err := insert(PositionChief, &acc); err != nil {
		t.Fatal(err)
	}
	err = memberWriteErr(insert(PositionChief, nil), "insert")
	if e := errs.As(err); e == nil || e.Code != "board_chief_taken" {
		t.Errorf("second chief: %v", err)
	}
	err = memberWriteErr(insert(PositionEditor, &acc), "insert")
	if e := errs.As(err); e == nil || e.Code != "account_already_member" {
		t.Errorf("same account: %v", err)
	}
}
