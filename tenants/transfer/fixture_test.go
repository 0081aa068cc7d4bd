package transfer

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/migrations"
	"github.com/trangtin/trangtin/platform/account"
	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/provision"
)

// The base domain and admin host of every test platform.
const (
	baseDomain = "localhost"
	adminHost  = "admin.localhost"
)

// fixture is a unit "alpha" under the department "so" with a bit of
// everything an archive carries.
type fixture struct {
	alpha     *tenancy.Tenant
	accountID string
	mediaID   string
	// objects maps each stored key of alpha to its bytes.
	objects   map[string][]byte
	published []string // titles of the public items, newest first
	draft     string
	itemSlug  string // slug of the item with the picture
	imagePath string // its picture's address on the site
}

// dangling is an account id of another platform, named by a board member.
const dangling = "0190aaaa-0000-7000-8000-00000000acc0"

// base is the time of the fixture's events (microseconds: what both
// dialects keep).
var base = time.Date(2026, 11, 20, 8, 30, 15, 123456000, time.UTC)

func provisioner(bdb *bun.DB) *provision.Provisioner {
	return &provision.Provisioner{DB: bdb, BaseDomain: baseDomain, AdminHost: adminHost}
}

// seedParent onboards the department "so".
func seedParent(t *testing.T, bdb *bun.DB) *tenancy.Tenant {
	t.Helper()
	so, err := provisioner(bdb).Create(context.Background(), provision.Input{Slug: "so", Name: "Sở Lao động – Thương binh và Xã hội", Kind: tenancy.KindDepartment})
	if err != nil {
		t.Fatal(err)
	}
	return so
}

// insert writes one row with bun, as the feature packages do.
func insert(t *testing.T, idb bun.IDB, table string, row map[string]any) {
	t.Helper()
	if _, err := idb.NewInsert().Model(&row).TableExpr(table).Exec(context.Background()); err != nil {
		t.Fatalf("insert into %s: %v", table, err)
	}
}

// seed builds the fixture in bdb and store.
func seed(t *testing.T, bdb *bun.DB, store blob.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	seedParent(t, bdb)
	alpha, err := provisioner(bdb).Create(ctx, provision.Input{Slug: "alpha", Name: "Trung tâm Dịch vụ việc làm Alpha", Kind: tenancy.KindUnit,
		Parent: "so", Domains: []string{"alpha.gov.vn"}, ShortName: "TTDVVL Alpha", Colour: "#0055aa"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bdb.NewUpdate().Table("tenants").Set("logo_url = ?", "https://alpha.gov.vn/static/logo.png").Where("id = ?", alpha.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	acc, err := account.CreateWithParams(ctx, bdb, account.TestParams(), "bientap@alpha.gov.vn", "Nguyễn Thị Biên", "mat-khau-du-dai-2026")
	if err != nil {
		t.Fatal(err)
	}
	sec, err := tenancy.SectionBySlug(ctx, bdb, alpha.ID, "tin-tuc-su-kien")
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{alpha: alpha, accountID: acc.ID, objects: map[string][]byte{}, mediaID: db.NewID()}
	tid := alpha.ID

	// Media: a picture and its rendition, and a second row sharing the
	// picture's object (one object in the archive, not two).
	pic := []byte("\x89PNG\r\n\x1a\nảnh hội nghị tổng kết")
	sum := sha256.Sum256(pic)
	sha := hex.EncodeToString(sum[:])
	key, rkey := blob.Key(tid, sha, ".png"), blob.Key(tid, sha, "-320.png")
	small := []byte("\x89PNG\r\n\x1a\nbản thu nhỏ")
	for k, b := range map[string][]byte{key: pic, rkey: small} {
		if _, err := store.Put(ctx, k, bytes.NewReader(b), int64(len(b)), "image/png"); err != nil {
			t.Fatal(err)
		}
		f.objects[k] = b
	}
	for i, id := range []string{f.mediaID, db.NewID()} {
		insert(t, bdb, "media", map[string]any{"tenant_id": tid, "id": id, "kind": "image", "content_type": "image/png",
			"size": len(pic), "sha256": sha, "object_key": key, "name": "hoi-nghi.png", "width": 800, "height": 600,
			"alt": "Toàn cảnh hội nghị", "caption": "Hội nghị tổng kết", "credit": "Ảnh: Trung tâm", "created_by": acc.ID,
			"created_at": base.Add(time.Duration(i) * time.Minute), "updated_at": base})
	}
	insert(t, bdb, "media_renditions", map[string]any{"tenant_id": tid, "media_id": f.mediaID, "width": 320, "height": 240,
		"format": "png", "object_key": rkey, "size": len(small), "created_at": base})
	f.imagePath = "/media/" + f.mediaID + "/hoi-nghi.png"

	agreementID := db.NewID()
	insert(t, bdb, "agreements", map[string]any{"tenant_id": tid, "id": agreementID, "outlet": "Báo Lao động",
		"reference": "HĐ-12/2026", "signed_on": time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), "expires_on": nil,
		"scope": "Tin về việc làm", "created_at": base, "created_by": acc.ID})
	insert(t, bdb, "tenant_settings", map[string]any{"tenant_id": tid, "always_second_reviewer": true,
		"mfa_required": false, "republish_delay_min": 30, "updated_at": base})

	f.itemSlug = "hoi-nghi-tong-ket-viec-lam-2026"
	body := `<p>Sáng 19/11, Trung tâm tổ chức hội nghị. Xem <a href="https://alpha.localhost/bai-viet/phien-giao-dich">phiên giao dịch</a>, ` +
		`<a href="http://ALPHA.gov.vn:8080/chuyen-muc/tin-tuc-su-kien?trang=2#dau">tin tức</a>, ` +
		`<a href="https://so.localhost/bai-viet/chi-dao">chỉ đạo của Sở</a> và <a href="https://alpha.localhost.example.com/x">trang khác</a>.</p>` +
		`<figure><img src="` + f.imagePath + `" alt="Toàn cảnh hội nghị"><figcaption>Toàn cảnh hội nghị</figcaption></figure>`
	eventDate := time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := base.Add(d); return &x }
	mk := func(p *post.Post) *post.Post {
		p.TenantID, p.ID, p.SectionID, p.AuthorID, p.UpdatedBy, p.Byline = tid, db.NewID(), &sec.ID, acc.ID, acc.ID, "Nguyễn Thị Biên"
		p.CreatedAt, p.UpdatedAt = base.Add(-2*time.Hour), base
		if p.Version == 0 {
			p.Version = 1
		}
		if _, err := bdb.NewInsert().Model(p).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p1 := mk(&post.Post{Slug: f.itemSlug, Title: "Hội nghị tổng kết công tác giải quyết việc làm năm 2026",
		Summary: "Trung tâm tổng kết một năm kết nối việc làm.", Body: body, Type: post.TypeNews, Status: post.StatusPublished,
		Version: 2, EventDate: &eventDate, FeaturedMediaID: &f.mediaID, PublishedAt: at(0), FirstPublishedAt: at(0), LintWarnings: 1})
	mk(&post.Post{Slug: "phien-giao-dich", Title: "Phiên giao dịch việc làm lưu động tại huyện Như Thanh",
		Body: "<p>Hơn 300 lao động tham gia.</p>", Type: post.TypeArticle, Status: post.StatusPublished, PublishedAt: at(time.Hour), FirstPublishedAt: at(time.Hour)})
	f.draft = "Bản nháp: kế hoạch tuyển sinh học nghề"
	mk(&post.Post{Slug: "ke-hoach-tuyen-sinh", Title: f.draft, Body: "<p>Chưa xong.</p>", Type: post.TypeNews, Status: post.StatusDraft})
	later := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Microsecond)
	mk(&post.Post{Slug: "lich-tu-van", Title: "Thông báo lịch tư vấn việc làm tháng 12", Body: "<p>Lịch.</p>",
		Type: post.TypeNews, Status: post.StatusScheduled, ScheduledAt: &later})
	origin, originPost := "0190cccc-0000-7000-8000-0000000000aa", "0190cccc-0000-7000-8000-0000000000bb"
	mk(&post.Post{Slug: "tang-luong-huu", Title: "Tăng lương hưu từ tháng 7", Body: "<p>Theo Báo Lao động.</p>", Type: post.TypeRepublished,
		Status: post.StatusPublished, PublishedAt: at(-24 * time.Hour), FirstPublishedAt: at(-24 * time.Hour),
		OriginTenantID: &origin, OriginPostID: &originPost, OriginRevision: 3, SourceChanged: true,
		SourceOutlet: "Báo Lao động", SourceURL: "https://laodong.vn/tang-luong-huu", SourceAuthor: "Minh Anh",
		SourcePublishedAt: at(-30 * time.Hour), AgreementID: &agreementID, ContentFingerprint: "f1ng3r"})
	f.published = []string{"Phiên giao dịch việc làm lưu động tại huyện Như Thanh", p1.Title, "Tăng lương hưu từ tháng 7"}

	for _, code := range []string{"lao-dong-viec-lam", "giao-duc-nghe-nghiep"} {
		insert(t, bdb, "post_fields", map[string]any{"tenant_id": tid, "post_id": p1.ID, "field_code": code})
	}
	for n, title := range []string{"Hội nghị tổng kết (bản đầu)", p1.Title} {
		insert(t, bdb, "post_revisions", map[string]any{"tenant_id": tid, "post_id": p1.ID, "number": n + 1,
			"kind": []string{"create", "save"}[n], "title": title, "summary": p1.Summary, "body": body, "type": "news",
			"section_id": sec.ID, "fields": "lao-dong-viec-lam,giao-duc-nghe-nghiep", "event_date": eventDate,
			"byline": p1.Byline, "based_on": n, "note": "", "actor_id": acc.ID, "created_at": base.Add(time.Duration(n-2) * time.Hour)})
	}
	for i, step := range [][2]string{{"draft", "submitted"}, {"submitted", "approved"}, {"approved", "published"}} {
		insert(t, bdb, "post_transitions", map[string]any{"tenant_id": tid, "id": db.NewID(), "post_id": p1.ID,
			"from_status": step[0], "to_status": step[1], "actor_id": acc.ID, "note": "", "created_at": base.Add(time.Duration(i-3) * time.Minute)})
	}

	insert(t, bdb, "board_decisions", map[string]any{"tenant_id": tid, "decision_no": "15/QĐ-TTDVVL",
		"decision_date": time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), "signer_name": "Lê Văn Giám", "signer_title": "Giám đốc",
		"created_at": base, "updated_at": base, "updated_by": acc.ID})
	chief, editor := db.NewID(), db.NewID()
	insert(t, bdb, "board_members", map[string]any{"tenant_id": tid, "id": chief, "name": "Nguyễn Thị Biên", "account_id": acc.ID,
		"position": "truong-ban", "job_title": "Phó Giám đốc", "duties": "Phụ trách chung", "email": "bien@alpha.gov.vn",
		"phone": "0237 3 123 456", "contact_public": true, "sort_order": 1, "created_at": base, "updated_at": base})
	insert(t, bdb, "board_members", map[string]any{"tenant_id": tid, "id": editor, "name": "Trần Văn Tập", "account_id": dangling,
		"position": "bien-tap-vien", "job_title": "Chuyên viên", "duties": "", "email": "", "phone": "",
		"contact_public": false, "sort_order": 2, "created_at": base, "updated_at": base})
	insert(t, bdb, "board_member_sections", map[string]any{"tenant_id": tid, "member_id": chief, "section_id": sec.ID})
	insert(t, bdb, "board_member_fields", map[string]any{"tenant_id": tid, "member_id": editor, "field_code": "tre-em"})
	insert(t, bdb, "board_history", map[string]any{"tenant_id": tid, "id": db.NewID(), "action": "member.add", "member_id": chief,
		"actor_id": acc.ID, "summary": "Thêm Trưởng ban", "before_json": nil, "after_json": `{"id":"` + chief + `"}`, "created_at": base})
	return f
}

// sqliteDB opens a migrated embedded database of its own.
func sqliteDB(t *testing.T) *bun.DB {
	t.Helper()
	ctx := context.Background()
	bdb, err := db.Open(ctx, db.Options{SQLitePath: filepath.Join(t.TempDir(), "trangtin.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = bdb.Close() })
	if _, err := migrations.Up(ctx, bdb, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	return bdb
}

// postgresDB opens a fresh PostgreSQL database, or skips without one.
func postgresDB(t *testing.T) *bun.DB {
	t.Helper()
	if os.Getenv(dbtest.EnvURL) == "" {
		t.Skipf("set %s to run across dialects", dbtest.EnvURL)
	}
	return dbtest.New(t)
}

func diskStore(t *testing.T) *blob.Disk {
	t.Helper()
	d, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// dump reads every exported table of a tenant in its archive form.
func dump(t *testing.T, idb bun.IDB, tenantID string) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, tb := range tables() {
		err := readRows(context.Background(), idb, tb, tenantID, func(row map[string]any) error {
			out[tb.name] = append(out[tb.name], row)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// keys lists the store's keys under prefix.
func keys(t *testing.T, store blob.Store, prefix string) []string {
	t.Helper()
	var ks []string
	if err := store.List(context.Background(), prefix, func(i blob.Info) error { ks = append(ks, i.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	return ks
}

// entries reads an archive's entries in order.
func entries(t *testing.T, path string) ([]string, map[string][]byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	data := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, hdr.Name)
		data[hdr.Name] = b
	}
	return names, data
}

// tamper rewrites an archive, changing its files with fn and its manifest
// with mfn (when not nil) and, when resum is true, recomputing the
// manifest's checksums so that the change passes them.
func tamper(t *testing.T, in, out string, resum bool, fn func(name string, b []byte) []byte, mfn func(m *Manifest)) {
	t.Helper()
	names, data := entries(t, in)
	var m Manifest
	if err := json.Unmarshal(data[ManifestName], &m); err != nil {
		t.Fatal(err)
	}
	for _, n := range names[1:] {
		data[n] = fn(n, data[n])
	}
	if mfn != nil {
		mfn(&m)
	}
	if resum {
		for i, f := range m.Files {
			sum := sha256.Sum256(data[f.Name])
			m.Files[i].Size, m.Files[i].SHA256 = int64(len(data[f.Name])), hex.EncodeToString(sum[:])
		}
	}
	mb, _ := json.Marshal(&m)
	data[ManifestName] = mb
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: n, Size: int64(len(data[n])), Mode: 0o644}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// rewriteLinks is what import does to alpha's links when it becomes
// alpha-moi on localhost without its domain.
func rewriteLinks(s string) string {
	return strings.NewReplacer("https://alpha.localhost/", "https://alpha-moi.localhost/",
		"http://ALPHA.gov.vn:8080/", "http://alpha-moi.localhost:8080/",
		"https://alpha.gov.vn/", "https://alpha-moi.localhost/").Replace(s)
}
