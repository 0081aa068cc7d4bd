package transfer

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Format names the archive layout; an importer refuses any other.
const Format = "trangtin-tenant/1"

// ManifestName is the first entry of every archive.
const ManifestName = "manifest.json"

// Manifest describes an archive: where it comes from, what it holds and
// the SHA-256 of every other file in it.
type Manifest struct {
	Format     string    `json:"format"`
	ExportedAt time.Time `json:"exported_at"`
	// Platform is the exporting platform.
	Platform Platform `json:"platform"`
	// Tenant is the exported tenant as it was.
	Tenant TenantView `json:"tenant"`
	// Rows counts the rows of each data/<table>.jsonl.
	Rows map[string]int `json:"rows"`
	// Objects are the media objects and renditions, one file each.
	Objects []Object `json:"objects"`
	// Files lists every file after the manifest with its size and SHA-256.
	Files []File `json:"files"`
}

// Platform describes the exporting platform.
type Platform struct {
	// BaseDomain is TRANGTIN_BASE_DOMAIN there: the tenant answered at
	// <slug>.<base domain>, and links to that host are rewritten.
	BaseDomain string `json:"base_domain"`
	// Dialect is the database it was read from (sqlite or postgres).
	Dialect string `json:"dialect"`
}

// TenantView is the source tenant as the manifest records it.
type TenantView struct {
	ID           string   `json:"id"`
	Slug         string   `json:"slug"`
	Name         string   `json:"name"`
	Kind         string   `json:"kind"`
	Parent       string   `json:"parent"`
	Status       string   `json:"status"`
	HasSite      bool     `json:"has_site"`
	QuotaPerWeek int      `json:"quota_per_week"`
	Domains      []string `json:"domains"`
	Branding     Branding `json:"branding"`
}

// Branding is how the tenant presents itself on its site.
type Branding struct {
	ShortName   string `json:"short_name"`
	LogoURL     string `json:"logo_url"`
	Colour      string `json:"colour"`
	Address     string `json:"address"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	LicenceNo   string `json:"licence_no"`
	LicenceDate string `json:"licence_date,omitempty"`
}

// Object is one stored media object: its file in the archive and the key
// it had in the exporting platform's store (t/<tenant id>/...).
type Object struct {
	File        string `json:"file"`
	Key         string `json:"key"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// File is one file of the archive after the manifest.
type File struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// dataFile is the archive name of a table's rows.
func dataFile(table string) string { return "data/" + table + ".jsonl" }

// objectFile is the archive name of an object: the last segment of its key,
// "<sha256><suffix>", which the content hash makes unique.
func objectFile(key string) string { return "objects/" + key[strings.LastIndexByte(key, '/')+1:] }

var (
	dataName   = regexp.MustCompile(`^data/([a-z_]+)\.jsonl$`)
	objectName = regexp.MustCompile(`^objects/[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$`)
	sha256Hex  = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// check refuses a manifest an importer cannot trust: another format, file
// names that are not plain data/ or objects/ names, objects without a file.
func (m *Manifest) check() error {
	if m.Format != Format {
		return fmt.Errorf("format %q, want %q", m.Format, Format)
	}
	if m.Tenant.ID == "" || m.Tenant.Slug == "" {
		return fmt.Errorf("manifest names no tenant")
	}
	files := make(map[string]bool, len(m.Files))
	for _, f := range m.Files {
		if f.Size < 0 || !sha256Hex.MatchString(f.SHA256) {
			return fmt.Errorf("bad size or checksum for %q", f.Name)
		}
		if sm := dataName.FindStringSubmatch(f.Name); sm != nil {
			if !knownTable(sm[1]) {
				return fmt.Errorf("unknown table file %q (an archive from a newer platform?)", f.Name)
			}
		} else if !objectName.MatchString(f.Name) {
			return fmt.Errorf("unexpected file name %q", f.Name)
		}
		if files[f.Name] {
			return fmt.Errorf("file %q listed twice", f.Name)
		}
		files[f.Name] = true
	}
	if !files[dataFile("tenants")] || m.Rows["tenants"] != 1 {
		return fmt.Errorf("no %s with the tenant", dataFile("tenants"))
	}
	for tb, n := range m.Rows {
		if !files[dataFile(tb)] || n < 0 {
			return fmt.Errorf("rows of %s without their file", tb)
		}
	}
	prefix := "t/" + m.Tenant.ID + "/"
	for _, o := range m.Objects {
		if !files[o.File] || objectFile(o.Key) != o.File || !strings.HasPrefix(o.Key, prefix) {
			return fmt.Errorf("object %q: no file or not the tenant's", o.Key)
		}
	}
	return nil
}
