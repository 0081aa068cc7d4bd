package web

import (
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/trangtin/trangtin/platform/tenancy"
)

func TestSiteURL(t *testing.T) {
	unit := &tenancy.Tenant{Slug: "ttdvvl", HasSite: true}
	domain := &tenancy.Tenant{Slug: "so", HasSite: true, Domains: []string{"sldtbxh.thanhhoa.gov.vn"}}
	office := &tenancy.Tenant{Slug: "van-phong", HasSite: false}
	tests := []struct {
		name, hostPort string
		secure         bool
		t              *tenancy.Tenant
		want           string
	}{
		{"demo on :8080", "admin.localhost:8080", false, unit, "http://ttdvvl.localhost:8080"},
		{"registered domain keeps the port in the demo", "admin.localhost:8080", false, domain, "http://sldtbxh.thanhhoa.gov.vn:8080"},
		{"production behind TLS", "admin.thanhhoa.gov.vn", true, domain, "https://sldtbxh.thanhhoa.gov.vn"},
		{"explicit default port", "admin.localhost:443", true, unit, "https://ttdvvl.localhost"},
		{"port 80", "admin.localhost:80", false, unit, "http://ttdvvl.localhost"},
		{"IPv6 host without port", "[::1]", false, unit, "http://ttdvvl.localhost"},
		{"no site", "admin.localhost:8080", false, office, ""},
		{"no tenant", "admin.localhost:8080", false, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := fiber.New()
			var got string
			app.Get("/", func(c *fiber.Ctx) error {
				info(c).hostPort, info(c).secure = tt.hostPort, tt.secure
				got = SiteURL(c, tt.t, "localhost")
				return nil
			})
			if _, err := app.Test(httptest.NewRequest("GET", "/", nil)); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("SiteURL = %q, want %q", got, tt.want)
			}
		})
	}
}
