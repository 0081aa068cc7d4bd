package app

import (
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/tenants/demo"
)

// DemoSeeder wraps demo.Seeder with the notes (logins) to print afterwards.
type DemoSeeder struct {
	*demo.Seeder
	Notes []string
}

// NewDemoSeeder attaches every feature's demo step.
func NewDemoSeeder(cfg config.Config, bdb *bun.DB) *DemoSeeder {
	return &DemoSeeder{Seeder: &demo.Seeder{DB: bdb, Provisioner: NewProvisioner(cfg, bdb)}}
}
