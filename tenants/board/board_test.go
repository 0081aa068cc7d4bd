package board_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uptrace/bun"
	"golang.org/x/text/unicode/norm"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/db/dbtest"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
	"github.com/trangtin/trangtin/tenants/board"
	"github.com/trangtin/trangtin/tenants/provision"
)

const actor = "acc-admin-1"

// fixture is a department with two units, A and B, each with a site and the
// default sections.
type fixture struct {
	db   *bun.DB
	svc  *board.Service
	so   *tenancy.Tenant
	a, b *tenancy.Tenant
}

func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	bdb := dbtest.New(t)
	p := &provision.Provisioner{DB: bdb, BaseDomain: "localhost", AdminHost: "admin.localhost"}
	create := func(in provision.Input) *tenancy.Tenant {
		tn, err := p.Create(ctx, in)
		if err != nil {
			t.Fatalf("create tenant %s: %v", in.Slug, err)
		}
		return tn
	}
	f := &fixture{db: bdb, svc: &board.Service{DB: bdb}}
	f.so = create(provision.Input{Slug: "so", Name: "Sở Lao động – Thương binh và Xã hội", Kind: tenancy.KindDepartment})
	f.a = create(provision.Input{Slug: "ttdvvl", Name: "Trung tâm Dịch vụ việc làm", Kind: tenancy.KindUnit, Parent: "so"})
	f.b = create(provision.Input{Slug: "ttbtxh", Name: "Trung tâm Bảo trợ xã hội", Kind: tenancy.KindUnit, Parent: "so"})
	return f
}

func editor(name string) board.MemberInput {
	return board.MemberInput{
		Name: name, Position: board.PositionEditor, JobTitle: "Chuyên viên",
		Duties:   "Biên tập tin hoạt động của Trung tâm",
		Sections: []string{"tin-tuc-su-kien"}, Fields: []string{"lao-dong-viec-lam"},
	}
}

func wantKind(t *testing.T, err error, kind errs.Kind, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error, got nil", code)
	}
	e := errs.As(err)
	if e == nil || e.Kind != kind || e.Code != code {
		t.Fatalf("want kind %d code %s, got %#v (%v)", kind, code, e, err)
	}
}

func historyActions(t *testing.T, bdb bun.IDB, tenantID string) []string {
	t.Helper()
	hs, err := board.History(context.Background(), bdb, tenantID, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{}
	for _, h := range hs {
		out = append(out, string(h.Action))
	}
	return out
}

func TestDecision(t *testing.T) {
	t.Logf("dialect: %s", dbtest.Dialect())
	ctx := context.Background()
	f := setup(t)

	b, err := f.svc.Get(ctx, f.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Decision != nil || len(b.Members) != 0 {
		t.Fatalf("new board not empty: %+v", b)
	}

	day, err := vntext.ParseDate("05/08/2024")
	if err != nil {
		t.Fatal(err)
	}
	in := board.DecisionInput{Number: " 125/QĐ-TTDVVL ", Date: day, SignerName: "Lê Văn  Bình", SignerTitle: "Giám đốc Trung tâm"}
	d, err := f.svc.SetDecision(ctx, f.a.ID, board.Actor{ID: actor}, in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Number != "125/QĐ-TTDVVL" || d.SignerName != "Lê Văn Bình" {
		t.Errorf("decision not cleaned: %+v", d)
	}
	b, err = f.svc.Get(ctx, f.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.Decision == nil {
		t.Fatal("decision not stored")
	}
	if got := vntext.Date(b.Decision.Date); got != "05/08/2024" {
		t.Errorf("decision date = %s, want 05/08/2024", got)
	}
	if b.Decision.UpdatedBy != actor {
		t.Errorf("updated_by = %q", b.Decision.UpdatedBy)
	}

	// The same decision again changes nothing and records nothing.
	if _, err := f.svc.SetDecision(ctx, f.a.ID, board.Actor{ID: actor}, in); err != nil {
		t.Fatal(err)
	}
	in.Number = "130/QĐ-TTDVVL"
	if _, err := f.svc.SetDecision(ctx, f.a.ID, board.Actor{ID: "acc-chief"}, in); err != nil {
		t.Fatal(err)
	}
	hs, err := f.svc.History(ctx, f.a.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 2 {
		t.Fatalf("history rows = %d, want 2: %+v", len(hs), hs)
	}
	latest := hs[0]
	if latest.Action != board.ActionSetDecision || latest.ActorID != "acc-chief" || latest.MemberID != "" {
		t.Errorf("latest change = %+v", latest)
	}
	var before, after map[string]any
	if err := json.Unmarshal(latest.Before, &before); err != nil {
		t.Fatalf("before: %v (%s)", err, latest.Before)
	}
	if err := json.Unmarshal(latest.After, &after); err != nil {
		t.Fatalf("after: %v (%s)", err, latest.After)
	}
	if before["decision_no"] != "125/QĐ-TTDVVL" || after["decision_no"] != "130/QĐ-TTDVVL" || after["decision_date"] != "2024-08-05" {
		t.Errorf("before %v after %v", before, after)
	}
	if hs[1].Before != nil || hs[1].ActorID != actor {
		t.Errorf("first change = %+v", hs[1])
	}
	if time.Since(latest.At) > time.Minute || latest.At.After(time.Now().Add(time.Second)) {
		t.Errorf("change time %v", latest.At)
	}
}

func TestDecisionValidation(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	day := time.Date(2024, 8, 5, 0, 0, 0, 0, vntext.Location())
	ok := board.DecisionInput{Number: "125/QĐ-TTDVVL", Date: day, SignerName: "Lê Văn Bình", SignerTitle: "Giám đốc"}
	cases := []struct {
		name        string
		edit        func(*board.DecisionInput)
		field, code string
	}{
		{"no number", func(in *board.DecisionInput) { in.Number = " " }, "number", "decision_no_required"},
		{"bad number", func(in *board.DecisionInput) { in.Number = "QĐ-TTDVVL" }, "number", "decision_no_format"},
		{"no date", func(in *board.DecisionInput) { in.Date = time.Time{} }, "date", "decision_date_required"},
		{"future date", func(in *board.DecisionInput) { in.Date = time.Now().AddDate(0, 0, 3) }, "date", "decision_date_future"},
		{"no signer", func(in *board.DecisionInput) { in.SignerName = "" }, "signer_name", "signer_name_required"},
		{"no signer title", func(in *board.DecisionInput) { in.SignerTitle = "" }, "signer_title", "signer_title_required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.edit(&in)
			_, err := f.svc.SetDecision(ctx, f.a.ID, board.Actor{ID: actor}, in)
			wantKind(t, err, errs.KindInvalid, c.code)
			if e := errs.As(err); e.Field != c.field || e.Message == "" {
				t.Errorf("field %q message %q", e.Field, e.Message)
			}
		})
	}
	_, err := f.svc.SetDecision(ctx, "no-such-tenant", board.Actor{ID: actor}, ok)
	wantKind(t, err, errs.KindNotFound, "tenant_not_found")
	_, err = f.svc.SetDecision(ctx, f.a.ID, board.Actor{ID: ""}, ok)
	wantKind(t, err, errs.KindInvalid, "actor_required")
	if got := historyActions(t, f.db, f.a.ID); len(got) != 0 {
		t.Errorf("failed changes recorded history: %v", got)
	}
}

func TestMemberCRUDWithHistory(t *testing.T) {
	t.Logf("dialect: %s", dbtest.Dialect())
	ctx := context.Background()
	f := setup(t)

	chief, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{
		Name: "Lê Văn Bình", AccountID: "acc-binh", Position: board.PositionChief,
		JobTitle: "Giám đốc Trung tâm", Duties: "Chịu trách nhiệm chung về nội dung\r\n\r\n\r\nDuyệt tin, bài trước khi đăng",
		Email: "Binh.LV@Example.gov.vn", Phone: "0237 3852 123", ContactPublic: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if chief.Duties != "Chịu trách nhiệm chung về nội dung\n\nDuyệt tin, bài trước khi đăng" {
		t.Errorf("duties = %q", chief.Duties)
	}
	if chief.Email != "binh.lv@example.gov.vn" || chief.AccountID == nil || *chief.AccountID != "acc-binh" {
		t.Errorf("chief = %+v", chief)
	}
	ed2, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{
		Name: "Trần Thị Hoa", Position: board.PositionEditor,
		Sections: []string{"thu-tuc-hanh-chinh", "tin-tuc-su-kien", "tin-tuc-su-kien"},
		Fields:   []string{"giao-duc-nghe-nghiep", "lao-dong-viec-lam"},
	})
	if err != nil {
		t.Fatal(err)
	}
	ed1, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, func() board.MemberInput {
		in := editor("Phạm Văn An")
		in.Order = 1
		return in
	}())
	if err != nil {
		t.Fatal(err)
	}
	deputy, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{Name: "Nguyễn Thị Lan", Position: board.PositionDeputy})
	if err != nil {
		t.Fatal(err)
	}
	contrib, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{Name: "Hoàng Minh", Position: board.PositionContributor})
	if err != nil {
		t.Fatal(err)
	}
	if ed2.Order != 1 || ed1.Order != 1 {
		t.Errorf("orders: ed2 %d ed1 %d", ed2.Order, ed1.Order)
	}

	b, err := f.svc.Get(ctx, f.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range b.Members {
		names = append(names, m.Name)
	}
	// Position first; among editors with the same order, by name.
	want := []string{"Lê Văn Bình", "Nguyễn Thị Lan", "Phạm Văn An", "Trần Thị Hoa", "Hoàng Minh"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("member order (-want +got):\n%s", diff)
	}
	hoa := b.Members[3]
	if diff := cmp.Diff([]string{"tin-tuc-su-kien", "thu-tuc-hanh-chinh"}, hoa.SectionSlugs()); diff != "" {
		t.Errorf("sections in site order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"lao-dong-viec-lam", "giao-duc-nghe-nghiep"}, hoa.FieldCodes()); diff != "" {
		t.Errorf("fields in field order (-want +got):\n%s", diff)
	}
	if hoa.Sections[0].Name != "Tin tức – Sự kiện" || hoa.Fields[0].Name != "Lao động – Việc làm" {
		t.Errorf("refs without names: %+v %+v", hoa.Sections, hoa.Fields)
	}

	// Update: Hoa becomes secretary, covers one field and no section.
	in := board.MemberInput{Name: "Trần Thị Hoa", Position: board.PositionSecretary,
		JobTitle: "Phó trưởng phòng Hành chính", Fields: []string{"an-toan-lao-dong"}}
	upd, err := f.svc.UpdateMember(ctx, f.a.ID, board.Actor{ID: "acc-binh"}, ed2.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if upd.Position != board.PositionSecretary || len(upd.Sections) != 0 || len(upd.Fields) != 1 || upd.Order != 1 {
		t.Errorf("updated = %+v", upd)
	}
	got, err := f.svc.Member(ctx, f.a.ID, ed2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.JobTitle != in.JobTitle || len(got.Sections) != 0 || cmp.Diff([]string{"an-toan-lao-dong"}, got.FieldCodes()) != "" {
		t.Errorf("stored after update = %+v", got)
	}
	if got.CreatedAt.Sub(ed2.CreatedAt).Abs() > time.Millisecond {
		t.Errorf("created_at changed: %v → %v", ed2.CreatedAt, got.CreatedAt)
	}
	// An update that changes nothing records nothing.
	if _, err := f.svc.UpdateMember(ctx, f.a.ID, board.Actor{ID: "acc-binh"}, ed2.ID, in); err != nil {
		t.Fatal(err)
	}

	if err := f.svc.RemoveMember(ctx, f.a.ID, board.Actor{ID: "acc-binh"}, contrib.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Member(ctx, f.a.ID, contrib.ID)
	wantKind(t, err, errs.KindNotFound, "board_member_not_found")
	err = f.svc.RemoveMember(ctx, f.a.ID, board.Actor{ID: "acc-binh"}, contrib.ID)
	wantKind(t, err, errs.KindNotFound, "board_member_not_found")

	acts := historyActions(t, f.db, f.a.ID)
	wantActs := []string{"member.remove", "member.update", "member.add", "member.add", "member.add", "member.add", "member.add"}
	if diff := cmp.Diff(wantActs, acts); diff != "" {
		t.Errorf("history actions (-want +got):\n%s", diff)
	}
	hs, err := f.svc.History(ctx, f.a.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 2 {
		t.Fatalf("limit 2 gave %d rows", len(hs))
	}
	rm, up := hs[0], hs[1]
	if rm.MemberID != contrib.ID || rm.ActorID != "acc-binh" || rm.After != nil || !strings.Contains(string(rm.Before), "Hoàng Minh") {
		t.Errorf("remove change = %+v (before %s)", rm, rm.Before)
	}
	if !strings.Contains(rm.Summary, "Hoàng Minh") {
		t.Errorf("summary = %q", rm.Summary)
	}
	var ub, ua struct {
		Position string   `json:"position"`
		Sections []string `json:"sections"`
		Fields   []string `json:"fields"`
	}
	if err := json.Unmarshal(up.Before, &ub); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(up.After, &ua); err != nil {
		t.Fatal(err)
	}
	if ub.Position != "bien-tap-vien" || ua.Position != "thu-ky" || len(ub.Sections) != 2 || len(ua.Sections) != 0 ||
		cmp.Diff([]string{"an-toan-lao-dong"}, ua.Fields) != "" {
		t.Errorf("update before %+v after %+v", ub, ua)
	}
	_ = deputy
}

func TestMemberValidation(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	// A section only tenant A has.
	extra := &tenancy.Section{TenantID: f.a.ID, ID: db.NewID(), Slug: "gioi-thieu-viec-lam", Name: "Giới thiệu việc làm",
		Position: 50, CreatedAt: time.Now().UTC()}
	if _, err := f.db.NewInsert().Model(extra).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{Name: "A", Position: board.PositionEditor,
		Sections: []string{"gioi-thieu-viec-lam"}}); err != nil {
		t.Fatalf("own section refused: %v", err)
	}

	cases := []struct {
		name        string
		edit        func(*board.MemberInput)
		field, code string
	}{
		{"empty name", func(in *board.MemberInput) { in.Name = " \t " }, "name", "name_required"},
		{"long name", func(in *board.MemberInput) { in.Name = strings.Repeat("ă", board.MaxNameLen+1) }, "name", "name_length"},
		{"unknown position", func(in *board.MemberInput) { in.Position = "tong-bien-tap" }, "position", "position_invalid"},
		{"no position", func(in *board.MemberInput) { in.Position = "" }, "position", "position_invalid"},
		{"unknown section", func(in *board.MemberInput) { in.Sections = []string{"tin-tuc-su-kien", "khong-co"} }, "sections", "section_unknown"},
		{"section of another tenant", func(in *board.MemberInput) { in.Sections = []string{"gioi-thieu-viec-lam"} }, "sections", "section_unknown"},
		{"unknown field", func(in *board.MemberInput) { in.Fields = []string{"lao-dong"} }, "fields", "field_unknown"},
		{"bad email", func(in *board.MemberInput) { in.Email = "an@" }, "email", "email_invalid"},
		{"email with name", func(in *board.MemberInput) { in.Email = "An <an@example.vn>" }, "email", "email_invalid"},
		{"bad phone", func(in *board.MemberInput) { in.Phone = "gọi tôi" }, "phone", "phone_invalid"},
		{"short phone", func(in *board.MemberInput) { in.Phone = "123" }, "phone", "phone_invalid"},
		{"negative order", func(in *board.MemberInput) { in.Order = -1 }, "order", "order_range"},
		{"long duties", func(in *board.MemberInput) { in.Duties = strings.Repeat("x", board.MaxDutiesLen+1) }, "duties", "duties_length"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := editor("Phạm Văn An")
			c.edit(&in)
			_, err := f.svc.AddMember(ctx, f.b.ID, board.Actor{ID: actor}, in)
			wantKind(t, err, errs.KindInvalid, c.code)
			e := errs.As(err)
			if e.Field != c.field {
				t.Errorf("field = %q, want %q", e.Field, c.field)
			}
			if e.Message == "" || e.Message == e.Code {
				t.Errorf("no Vietnamese message: %+v", e)
			}
		})
	}
	// Updates are validated the same way.
	m, err := f.svc.AddMember(ctx, f.b.ID, board.Actor{ID: actor}, editor("Phạm Văn An"))
	if err != nil {
		t.Fatal(err)
	}
	bad := editor("Phạm Văn An")
	bad.Fields = []string{"khong-co"}
	_, err = f.svc.UpdateMember(ctx, f.b.ID, board.Actor{ID: actor}, m.ID, bad)
	wantKind(t, err, errs.KindInvalid, "field_unknown")

	b, err := f.svc.Get(ctx, f.b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Members) != 1 {
		t.Errorf("refused inputs left members: %+v", b.Members)
	}
	if got := historyActions(t, f.db, f.b.ID); cmp.Diff([]string{"member.add"}, got) != "" {
		t.Errorf("refused inputs left history: %v", got)
	}
	_, err = f.svc.AddMember(ctx, "no-such-tenant", board.Actor{ID: actor}, editor("X"))
	wantKind(t, err, errs.KindNotFound, "tenant_not_found")
}

func TestConflicts(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	chief, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{Name: "Lê Văn Bình", Position: board.PositionChief, AccountID: "acc-1"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{Name: "Người thứ hai", Position: board.PositionChief})
	wantKind(t, err, errs.KindConflict, "board_chief_taken")
	_, err = f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{Name: "Trùng tài khoản", Position: board.PositionEditor, AccountID: "acc-1"})
	wantKind(t, err, errs.KindConflict, "account_already_member")
	// The same account and a chief on another tenant's board are fine.
	if _, err := f.svc.AddMember(ctx, f.b.ID, board.Actor{ID: actor}, board.MemberInput{Name: "Lê Văn Bình", Position: board.PositionChief, AccountID: "acc-1"}); err != nil {
		t.Fatal(err)
	}
	// Hand over: the old chief steps down, a new one takes the post.
	if _, err := f.svc.UpdateMember(ctx, f.a.ID, board.Actor{ID: actor}, chief.ID, board.MemberInput{Name: "Lê Văn Bình", Position: board.PositionDeputy, AccountID: "acc-1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, board.MemberInput{Name: "Người thứ hai", Position: board.PositionChief}); err != nil {
		t.Fatal(err)
	}
}

func TestIsolation(t *testing.T) {
	t.Logf("dialect: %s", dbtest.Dialect())
	ctx := context.Background()
	f := setup(t)
	in := editor("Phạm Văn An")
	in.Email, in.Phone, in.ContactPublic = "an@example.vn", "0912 345 678", true
	ma, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, in)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2024, 8, 5, 0, 0, 0, 0, vntext.Location())
	if _, err := f.svc.SetDecision(ctx, f.a.ID, board.Actor{ID: actor}, board.DecisionInput{Number: "125/QĐ-TTDVVL", Date: day, SignerName: "Lê Văn Bình", SignerTitle: "Giám đốc"}); err != nil {
		t.Fatal(err)
	}

	_, err = f.svc.Member(ctx, f.b.ID, ma.ID)
	wantKind(t, err, errs.KindNotFound, "board_member_not_found")
	_, err = board.GetMember(ctx, f.db, f.b.ID, ma.ID)
	wantKind(t, err, errs.KindNotFound, "board_member_not_found")
	_, err = f.svc.UpdateMember(ctx, f.b.ID, board.Actor{ID: "acc-b"}, ma.ID, editor("Tên bị sửa"))
	wantKind(t, err, errs.KindNotFound, "board_member_not_found")
	err = f.svc.RemoveMember(ctx, f.b.ID, board.Actor{ID: "acc-b"}, ma.ID)
	wantKind(t, err, errs.KindNotFound, "board_member_not_found")

	// A's member is untouched and A's history holds only A's own changes.
	got, err := f.svc.Member(ctx, f.a.ID, ma.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Phạm Văn An" {
		t.Errorf("A's member changed through B: %+v", got)
	}
	if acts := historyActions(t, f.db, f.a.ID); cmp.Diff([]string{"decision.set", "member.add"}, acts) != "" {
		t.Errorf("A's history = %v", acts)
	}

	// B sees nothing of A.
	if _, err := f.svc.AddMember(ctx, f.b.ID, board.Actor{ID: actor}, editor("Đỗ Thị Mai")); err != nil {
		t.Fatal(err)
	}
	bb, err := f.svc.Get(ctx, f.b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if bb.Decision != nil || len(bb.Members) != 1 || bb.Members[0].Name != "Đỗ Thị Mai" {
		t.Errorf("B's board = %+v", bb)
	}
	pb, err := f.svc.PublicView(ctx, f.b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pb.Decision != nil || len(pb.Members) != 1 || strings.Contains(fmt.Sprintf("%+v", pb), "Phạm Văn An") {
		t.Errorf("B's public board = %+v", pb)
	}
	if acts := historyActions(t, f.db, f.b.ID); cmp.Diff([]string{"member.add"}, acts) != "" {
		t.Errorf("B's history = %v", acts)
	}
	// The department's board is empty too.
	so, err := f.svc.Get(ctx, f.so.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(so.Members) != 0 || so.Decision != nil {
		t.Errorf("department board = %+v", so)
	}
}

func TestPublicViewHidesContacts(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	hidden := board.MemberInput{Name: "Lê Văn Bình", AccountID: "acc-secret-id", Position: board.PositionChief,
		JobTitle: "Giám đốc Trung tâm", Duties: "Phụ trách chung\nDuyệt tin bài",
		Email: "binh.private@example.vn", Phone: "0999 888 777"}
	if _, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, hidden); err != nil {
		t.Fatal(err)
	}
	shown := editor("Phạm Văn An")
	shown.Email, shown.Phone, shown.ContactPublic = "an@example.vn", "(0237) 3.852.123", true
	if _, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, shown); err != nil {
		t.Fatal(err)
	}
	p, err := f.svc.PublicView(ctx, f.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Members) != 2 {
		t.Fatalf("public members = %+v", p.Members)
	}
	chief, ed := p.Members[0], p.Members[1]
	if chief.Email != "" || chief.Phone != "" {
		t.Errorf("private contact shown: %+v", chief)
	}
	if chief.PositionLabel != "Trưởng ban" || chief.JobTitle != "Giám đốc Trung tâm" ||
		cmp.Diff([]string{"Phụ trách chung", "Duyệt tin bài"}, chief.DutyLines()) != "" {
		t.Errorf("chief = %+v", chief)
	}
	if ed.Email != "an@example.vn" || ed.Phone != "(0237) 3.852.123" || ed.TelURL() != "tel:02373852123" {
		t.Errorf("public contact missing: %+v (%s)", ed, ed.TelURL())
	}
	if ed.PositionLabel != "Biên tập viên" || len(ed.Sections) != 1 || len(ed.Fields) != 1 {
		t.Errorf("editor = %+v", ed)
	}
	dump := fmt.Sprintf("%+v", p)
	for _, secret := range []string{"binh.private", "0999", "acc-secret-id"} {
		if strings.Contains(dump, secret) {
			t.Errorf("public view leaks %q: %s", secret, dump)
		}
	}
	groups := p.Groups()
	if len(groups) != 2 || groups[0].Label != "Trưởng ban" || groups[1].Position != board.PositionEditor {
		t.Errorf("groups = %+v", groups)
	}
}

func TestNFCNames(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	nfd := norm.NFD.String("Nguyễn Thị  Hằng")
	if nfd == norm.NFC.String(nfd) {
		t.Fatal("test input is not decomposed")
	}
	in := editor("  " + nfd + " ")
	in.JobTitle = norm.NFD.String("Trưởng phòng Tư vấn")
	in.Duties = norm.NFD.String("Biên tập tin về việc làm")
	m, err := f.svc.AddMember(ctx, f.a.ID, board.Actor{ID: actor}, in)
	if err != nil {
		t.Fatal(err)
	}
	want := "Nguyễn Thị Hằng"
	if !norm.NFC.IsNormalString(want) {
		t.Fatal("want is not NFC")
	}
	got, err := f.svc.Member(ctx, f.a.ID, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != want {
		t.Errorf("name = %q (% x), want %q", got.Name, got.Name, want)
	}
	if !norm.NFC.IsNormalString(got.JobTitle) || !norm.NFC.IsNormalString(got.Duties) {
		t.Errorf("texts not NFC: %q %q", got.JobTitle, got.Duties)
	}
	day := time.Date(2024, 8, 5, 0, 0, 0, 0, vntext.Location())
	d, err := f.svc.SetDecision(ctx, f.a.ID, board.Actor{ID: actor}, board.DecisionInput{Number: norm.NFD.String("125/QĐ-TTDVVL"),
		Date: day, SignerName: norm.NFD.String("Lê Văn Bình"), SignerTitle: norm.NFD.String("Giám đốc")})
	if err != nil {
		t.Fatal(err)
	}
	if d.SignerName != "Lê Văn Bình" || d.SignerTitle != "Giám đốc" {
		t.Errorf("decision texts not NFC: %+v", d)
	}
}

// TestCallerTransaction checks the package functions join the caller's
// transaction: the change and its history commit or roll back with it, and
// a refused change leaves the caller's transaction usable.
func TestCallerTransaction(t *testing.T) {
	ctx := context.Background()
	f := setup(t)
	errAbort := errors.New("abort")
	err := db.InTx(ctx, f.db, func(ctx context.Context, tx bun.Tx) error {
		if _, err := board.AddMember(ctx, tx, f.a.ID, actor, editor("Rolled Back")); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("tx error = %v", err)
	}
	b, err := board.Get(ctx, f.db, f.a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Members) != 0 || len(historyActions(t, f.db, f.a.ID)) != 0 {
		t.Fatalf("rolled-back change persisted: %+v", b.Members)
	}

	err = db.InTx(ctx, f.db, func(ctx context.Context, tx bun.Tx) error {
		_, err := board.AddMember(ctx, tx, f.a.ID, actor, board.MemberInput{Name: "Lê Văn Bình", Position: board.PositionChief})
		if err != nil {
			return err
		}
		_, err = board.AddMember(ctx, tx, f.a.ID, actor, board.MemberInput{Name: "Hai", Position: board.PositionChief})
		if !errs.Is(err, errs.KindConflict) {
			return fmt.Errorf("second chief: %w", err)
		}
		_, err = board.AddMember(ctx, tx, f.a.ID, actor, editor("Phạm Văn An"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := historyActions(t, f.db, f.a.ID); len(got) != 2 {
		t.Errorf("history after committed tx = %v", got)
	}
}
