package app

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/demo"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/post/sanitize"
	"github.com/trangtin/trangtin/tenants/site"
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
	// The agency pages: Decree 42 profiles, functions and duties, leaders.
	s.Steps = append(s.Steps, func(ctx context.Context, ts map[string]*tenancy.Tenant) error {
		return demo.SeedAgency(ctx, NewProvisioner(cfg, bdb), &site.Agency{DB: bdb}, ts)
	})
	s.Steps = append(s.Steps, func(ctx context.Context, ts map[string]*tenancy.Tenant) error {
		svc := &post.Service{DB: bdb, Sanitizer: sanitize.New([]string{"/media/"})}
		n, err := demo.SeedItems(ctx, svc, ts, time.Now().UTC())
		if err != nil {
			return err
		}
		s.Notes = append(s.Notes, "", fmt.Sprintf("Demo items: %d, published across the last eight weeks (a few drafts and returned items).", n))
		return nil
	})
	return s
}

// NewDemoSeederFor is the full demo on an assembled platform: besides the
// organisation, accounts, boards and items, contributors' sends to the
// Department over eight weeks (for the quota report) and generated
// pictures.
func NewDemoSeederFor(a *App, params account.Params) *DemoSeeder {
	s := NewDemoSeederWith(a.Config, a.DB, params)
	ex := &demo.Exchange{DB: a.DB, Posts: a.Posts, Crosspost: a.Crosspost, Media: a.Media}
	s.Steps = append(s.Steps, func(ctx context.Context, ts map[string]*tenancy.Tenant) error {
		n, err := ex.SeedExchange(ctx, ts, time.Now().UTC())
		if err != nil {
			return err
		}
		pics, err := ex.SeedPictures(ctx, ts)
		if err != nil {
			return err
		}
		docs, err := demo.SeedDocuments(ctx, a.Posts, a.Media, ts)
		if err != nil {
			return err
		}
		qs, err := demo.SeedQuestions(ctx, a.DB, ts)
		if err != nil {
			return err
		}
		covers, err := ex.SeedCovers(ctx, ts)
		if err != nil {
			return err
		}
		pics += covers
		s.Notes = append(s.Notes, fmt.Sprintf("Items sent to the Department's board over eight weeks: %d; generated pictures: %d.", n, pics),
			fmt.Sprintf("Documents with PDF files: %d (/van-ban); citizens' questions: %d (/hoi-dap).", docs, qs),
			"Quota report: trangtin report quota --month "+time.Now().Format("2006-01")+" --format html --out bao-cao.html")
		return a.Registry.Refresh(ctx)
	})
	return s
}
