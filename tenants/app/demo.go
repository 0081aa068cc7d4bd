package app

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/demo"
)

// DemoSeeder wraps demo.Seeder with the notes (logins) to print afterwards.
type DemoSeeder struct {
	*demo.Seeder
	Notes []string
}

// NewDemoSeeder attaches every feature's demo step.
func NewDemoSeeder(cfg config.Config, bdb *bun.DB) *DemoSeeder {
	return NewDemoSeederWith(cfg, bdb, account.DefaultParams())
}

// NewDemoSeederWith is NewDemoSeeder with the password hashing cost given
// (tests use a cheap one).
func NewDemoSeederWith(cfg config.Config, bdb *bun.DB, params account.Params) *DemoSeeder {
	s := &DemoSeeder{Seeder: &demo.Seeder{DB: bdb, Provisioner: NewProvisioner(cfg, bdb)}}
	s.Steps = append(s.Steps, func(ctx context.Context, ts map[string]*tenancy.Tenant) error {
		logins, err := demo.SeedAccounts(ctx, bdb, ts, params)
		if err != nil {
			return err
		}
		s.Notes = append(s.Notes, "", "Demo accounts (password for all: "+demo.Password+"):")
		for _, l := range logins {
			s.Notes = append(s.Notes, fmt.Sprintf("  %-36s %-16s %s", l.Email, l.Role, l.Tenant))
		}
		return nil
	})
	return s
}
