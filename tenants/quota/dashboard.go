package quota

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/templates"
)

// DashboardStandings is the running week's standing of each tenant that has
// a parent, for a console dashboard listing those tenants.
func DashboardStandings(ctx context.Context, idb bun.IDB, ts []*tenancy.Tenant, now time.Time) ([]*Current, error) {
	var out []*Current
	for _, t := range ts {
		c, err := CurrentStanding(ctx, idb, t, now)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// StandingHTML renders the dashboard line of c ("quota-standing" in
// templates/console/quota_standing.html): the tenant's name linking to its
// quota page and "Tuần này: đã gửi 0/1 — còn 2 ngày" in the state's colour.
func StandingHTML(c *Current) (template.HTML, error) {
	if c == nil {
		return "", nil
	}
	tpl, err := template.ParseFS(templates.FS, "console/quota_standing.html")
	if err != nil {
		return "", fmt.Errorf("parse quota standing: %w", err)
	}
	var b bytes.Buffer
	err = tpl.ExecuteTemplate(&b, "quota-standing", map[string]string{
		"Slug": c.TenantSlug, "Name": c.TenantName, "State": string(c.State), "Text": c.Text()})
	if err != nil {
		return "", fmt.Errorf("render quota standing: %w", err)
	}
	return template.HTML(b.String()), nil
}
