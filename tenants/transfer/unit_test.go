package transfer

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestKindOf(t *testing.T) {
	for declared, want := range map[string]kind{
		"TEXT": kindText, "text": kindText, "character varying": kindText,
		"INTEGER": kindInt, "BIGINT": kindInt, "integer": kindInt, "bigint": kindInt,
		"BOOLEAN": kindBool, "boolean": kindBool,
		"TIMESTAMPTZ": kindTime, "timestamp with time zone": kindTime,
		"DATE": kindDate, "date": kindDate,
	} {
		if got := kindOf(declared); got != want {
			t.Errorf("kindOf(%q) = %v, want %v", declared, got, want)
		}
	}
}

// TestEncode covers what each driver hands back: SQLite's 0/1 booleans and
// text times, PostgreSQL's bool and time.Time.
func TestEncode(t *testing.T) {
	hcm := time.FixedZone("ICT", 7*3600)
	for _, c := range []struct {
		k    kind
		in   any
		want any
	}{
		{kindBool, int64(1), true},
		{kindBool, int64(0), false},
		{kindBool, true, true},
		{kindInt, int64(42), int64(42)},
		{kindText, []byte("chữ"), "chữ"},
		{kindText, "chữ", "chữ"},
		{kindTime, "2026-11-20 08:30:15.123456+00:00", "2026-11-20T08:30:15.123456Z"},
		{kindTime, "2026-11-20 15:30:15+07:00", "2026-11-20T08:30:15Z"},
		{kindTime, time.Date(2026, 11, 20, 15, 30, 15, 0, hcm), "2026-11-20T08:30:15Z"},
		{kindDate, time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), "2026-11-19"},
		{kindDate, "2026-11-19 00:00:00+00:00", "2026-11-19"},
		{kindDate, nil, nil},
	} {
		got, err := encode(c.k, c.in)
		if err != nil || got != c.want {
			t.Errorf("encode(%v, %#v) = %#v, %v; want %#v", c.k, c.in, got, err, c.want)
		}
	}
	if _, err := encode(kindTime, "not a time"); err == nil {
		t.Error("encode accepted a bad time")
	}
}

func TestDecode(t *testing.T) {
	at, err := decode(kindTime, "2026-11-20T08:30:15.123456Z")
	if err != nil || !at.(time.Time).Equal(time.Date(2026, 11, 20, 8, 30, 15, 123456000, time.UTC)) {
		t.Errorf("decode time: %v %v", at, err)
	}
	day, err := decode(kindDate, "2026-11-19")
	if err != nil || day.(time.Time) != time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC) {
		t.Errorf("decode date: %v %v", day, err)
	}
	if n, err := decode(kindInt, json.Number("7")); err != nil || n != int64(7) {
		t.Errorf("decode int: %v %v", n, err)
	}
	for _, c := range []struct {
		k kind
		v any
	}{{kindBool, "true"}, {kindInt, "7"}, {kindText, json.Number("1")}, {kindTime, "20/11/2026"}} {
		if _, err := decode(c.k, c.v); err == nil {
			t.Errorf("decode(%v, %#v) accepted a value of the wrong type", c.k, c.v)
		}
	}
}

func TestRewriter(t *testing.T) {
	r := newRewriter([]string{"alpha.localhost", "alpha.gov.vn", "www.alpha.gov.vn"}, "moi.tinh.vn")
	for in, want := range map[string]string{
		`<a href="https://alpha.localhost/bai-viet/a">`:         `<a href="https://moi.tinh.vn/bai-viet/a">`,
		`<a href="http://WWW.Alpha.gov.vn:8080/?q=1">`:          `<a href="http://moi.tinh.vn:8080/?q=1">`,
		`<a href='//alpha.gov.vn'>`:                             `<a href='//moi.tinh.vn'>`,
		`https://alpha.gov.vn#top https://alpha.gov.vn`:         `https://moi.tinh.vn#top https://moi.tinh.vn`,
		`<a href="https://alpha.gov.vn.evil.example/">`:         `<a href="https://alpha.gov.vn.evil.example/">`,
		`<a href="https://xalpha.gov.vn/">`:                     `<a href="https://xalpha.gov.vn/">`,
		`<a href="https://so.localhost/bai-viet/alpha.gov.vn">`: `<a href="https://so.localhost/bai-viet/alpha.gov.vn">`,
		`<img src="/media/0190/a.jpg">`:                         `<img src="/media/0190/a.jpg">`,
	} {
		if got := r.apply(in); got != want {
			t.Errorf("apply(%s) = %s, want %s", in, got, want)
		}
	}
	if newRewriter([]string{"moi.tinh.vn"}, "moi.tinh.vn") != nil {
		t.Error("a rewriter to the same host")
	}
	var none *rewriter
	if none.apply("x") != "x" {
		t.Error("nil rewriter changed its input")
	}
}

func TestManifestCheck(t *testing.T) {
	const sum = "0000000000000000000000000000000000000000000000000000000000000000"
	good := func() *Manifest {
		return &Manifest{Format: Format, Tenant: TenantView{ID: "t1", Slug: "alpha"}, Rows: map[string]int{"tenants": 1},
			Files:   []File{{Name: "data/tenants.jsonl", SHA256: sum}, {Name: "objects/ab.png", SHA256: sum}},
			Objects: []Object{{File: "objects/ab.png", Key: "t/t1/ab/ab.png"}}}
	}
	if err := good().check(); err != nil {
		t.Fatalf("good manifest: %v", err)
	}
	for name, spoil := range map[string]func(m *Manifest){
		"format":          func(m *Manifest) { m.Format = "trangtin-tenant/2" },
		"path traversal":  func(m *Manifest) { m.Files[1].Name = "objects/../../etc/passwd" },
		"hidden file":     func(m *Manifest) { m.Files[1].Name = "objects/.x" },
		"unknown table":   func(m *Manifest) { m.Files = append(m.Files, File{Name: "data/accounts.jsonl", SHA256: sum}) },
		"twice":           func(m *Manifest) { m.Files = append(m.Files, m.Files[0]) },
		"bad checksum":    func(m *Manifest) { m.Files[0].SHA256 = "abc" },
		"no tenants file": func(m *Manifest) { m.Files = m.Files[1:] },
		"foreign object":  func(m *Manifest) { m.Objects[0].Key = "t/t2/ab/ab.png" },
		"object w/o file": func(m *Manifest) { m.Objects[0].File = "objects/cd.png" },
		"rows w/o file":   func(m *Manifest) { m.Rows["posts"] = 3 },
	} {
		m := good()
		spoil(m)
		if err := m.check(); err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: check() = %v", name, err)
		}
	}
}
