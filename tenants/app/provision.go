package app

import (
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/tenants/provision"
)

// NewProvisioner is the one place the onboarding steps of every feature are
// attached, so the command line, the API and the demo onboard tenants
// identically.
func NewProvisioner(cfg config.Config, bdb *bun.DB) *provision.Provisioner {
	return &provision.Provisioner{DB: bdb, BaseDomain: cfg.BaseDomain, AdminHost: cfg.AdminHost}
}
