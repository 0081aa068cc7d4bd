package quota_test

import (
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/tenants/post"
	"github.com/trangtin/trangtin/tenants/quota"
)

// The scripted history of November 2026. Its report covers the ISO weeks
// whose Thursday falls in November: W45 (02/11–08/11) to W48 (23/11–29/11).
// W44 (26/10–01/11) belongs to October and W49 (30/11–06/12) to December:
// the month boundary runs through both.
//
//	alpha   unit, quota 1: on time every week; a returned item re-sent
//	        (counts once), a refused one, an in-depth one, a republished
//	        one (never counts), and one sent on Sunday 01/11 23:00 (W44).
//	beta    unit, quota 1, raised to 2 from W47; an item pulled by the
//	        Department (does not count); one sent Monday 30/11 (W49).
//	gamma   office, quota 1: exempt in W46 ("Cán bộ đi tập huấn"); its W45
//	        item went at 06:00 Monday 02/11 Vietnam time (Sunday in UTC).
//	delta   unit onboarded Wednesday 11/11: W45 and W46 exempt.
//	epsilon office suspended 18/11 10:00, resumed 25/11 10:00: W47, W48 exempt.
//	congdoan union, quota 0: exempt every week, its item still shown.
//
// The Department publishes two items of its own, a republished press item,
// and the copies of what it accepted or pulled. The field
// "phong-chong-te-nan" is covered by no contributor.
var orgNovember = []orgSpec{
	{"so", "Sở Lao động Thử nghiệm", tenancy.KindDepartment, "", vn(2026, 9, 1, 8, 0)},
	{"alpha", "Trung tâm Dịch vụ việc làm", tenancy.KindUnit, "so", vn(2026, 9, 1, 8, 0)},
	{"beta", "Trường Trung cấp nghề", tenancy.KindUnit, "so", vn(2026, 9, 1, 8, 0)},
	{"gamma", "Phòng Lao động – Việc làm", tenancy.KindOffice, "so", vn(2026, 9, 1, 8, 0)},
	{"delta", "Trung tâm Điều dưỡng người có công", tenancy.KindUnit, "so", vn(2026, 11, 11, 9, 0)},
	{"epsilon", "Phòng Người có công", tenancy.KindOffice, "so", vn(2026, 9, 1, 8, 0)},
	{"congdoan", "Công đoàn Sở", tenancy.KindUnion, "so", vn(2026, 9, 1, 8, 0)},
}

// nowNovember is Friday of W48, 10:00: W48 is running.
var nowNovember = vn(2026, 11, 27, 10, 0)

func novemberWorld(t testing.TB) *world {
	t.Helper()
	w := newWorld(t, orgNovember)
	N := time.November
	news, article, inDepth, photo, repub := post.TypeNews, post.TypeArticle, post.TypeInDepth, post.TypePhoto, post.TypeRepublished

	// alpha
	w.post(postSpec{tenant: "alpha", id: "a0", title: "Tin gửi Chủ nhật", typ: news, event: day(10, 31), fields: []string{"lao-dong-viec-lam"}})
	w.post(postSpec{tenant: "so", id: "a0c", title: "Tin gửi Chủ nhật", typ: news, published: at(vn(2026, N, 2, 8, 0)), fields: []string{"lao-dong-viec-lam"}})
	w.send("so", sendSpec{id: "s-a0", child: "alpha", postID: "a0", state: "accepted", typ: news, first: vn(2026, N, 1, 23, 0),
		decided: at(vn(2026, N, 2, 7, 0)), copyID: "a0c"})
	w.post(postSpec{tenant: "alpha", id: "a1", title: "Phiên giao dịch việc làm tháng 11", typ: news, event: day(N, 2), fields: []string{"lao-dong-viec-lam"}})
	w.post(postSpec{tenant: "so", id: "a1c", title: "Phiên giao dịch việc làm tháng 11", typ: news, published: at(vn(2026, N, 4, 8, 0)), fields: []string{"lao-dong-viec-lam"}})
	w.send("so", sendSpec{id: "s-a1", child: "alpha", postID: "a1", state: "accepted", typ: news, first: vn(2026, N, 3, 9, 0),
		decided: at(vn(2026, N, 3, 15, 0)), copyID: "a1c"})
	w.post(postSpec{tenant: "alpha", id: "a2", title: "Đào tạo nghề cho thanh niên", typ: article, event: day(N, 8), lintW: 2,
		fields: []string{"giao-duc-nghe-nghiep", "tre-em"}})
	w.post(postSpec{tenant: "so", id: "a2c", title: "Đào tạo nghề cho thanh niên", typ: article, published: at(vn(2026, N, 11, 8, 0)),
		fields: []string{"giao-duc-nghe-nghiep", "tre-em"}})
	w.send("so", sendSpec{id: "s-a2", child: "alpha", postID: "a2", state: "accepted", typ: article, first: vn(2026, N, 9, 10, 0),
		sent: vn(2026, N, 10, 9, 0), decided: at(vn(2026, N, 10, 11, 0)), copyID: "a2c"}) // returned 09/11 16:00, re-sent 10/11
	w.post(postSpec{tenant: "alpha", id: "a3", title: "Bài đăng lại từ báo", typ: repub})
	w.send("so", sendSpec{id: "s-a3", child: "alpha", postID: "a3", state: "sent", typ: repub, first: vn(2026, N, 12, 9, 0)})
	w.post(postSpec{tenant: "alpha", id: "a4", title: "Chính sách ưu đãi người có công", typ: inDepth, event: day(N, 16), lintE: 1,
		fields: []string{"nguoi-co-cong"}})
	w.post(postSpec{tenant: "so", id: "a4c", title: "Chính sách ưu đãi người có công", typ: inDepth, fields: []string{"nguoi-co-cong"}})
	w.send("so", sendSpec{id: "s-a4", child: "alpha", postID: "a4", state: "accepted", typ: inDepth, first: vn(2026, N, 18, 14, 0),
		decided: at(vn(2026, N, 19, 14, 0)), copyID: "a4c"})
	w.post(postSpec{tenant: "alpha", id: "a5", title: "Tin trùng lặp", typ: news, event: day(N, 19), fields: []string{"lao-dong-viec-lam"}})
	w.send("so", sendSpec{id: "s-a5", child: "alpha", postID: "a5", state: "refused", typ: news, first: vn(2026, N, 19, 8, 0),
		decided: at(vn(2026, N, 19, 20, 0)), refuse: "duplicate"})
	w.post(postSpec{tenant: "alpha", id: "a6", title: "Ảnh thăm hỏi đối tượng bảo trợ", typ: photo, event: day(N, 21), fields: []string{"bao-tro-xa-hoi"}})
	w.send("so", sendSpec{id: "s-a6", child: "alpha", postID: "a6", state: "sent", typ: photo, first: vn(2026, N, 23, 9, 0)})

	// beta
	w.post(postSpec{tenant: "beta", id: "b1", title: "Giảm nghèo bền vững", typ: news, fields: []string{"giam-ngheo"}})
	w.post(postSpec{tenant: "so", id: "b1c", title: "Giảm nghèo bền vững", typ: news, published: at(vn(2026, N, 10, 13, 0)), fields: []string{"giam-ngheo"}})
	w.send("so", sendSpec{id: "s-b1", child: "beta", postID: "b1", state: "accepted", typ: news, first: vn(2026, N, 10, 10, 0),
		decided: at(vn(2026, N, 10, 12, 0)), copyID: "b1c"})
	w.post(postSpec{tenant: "beta", id: "b2", title: "Hộ nghèo thoát nghèo", typ: article, event: day(N, 20), fields: []string{"giam-ngheo"}})
	w.send("so", sendSpec{id: "s-b2", child: "beta", postID: "b2", state: "returned", typ: article, first: vn(2026, N, 20, 10, 0),
		decided: at(vn(2026, N, 20, 18, 0))})
	w.post(postSpec{tenant: "beta", id: "bp", title: "Tin Sở lấy về", typ: news, published: at(vn(2026, N, 11, 8, 0)), fields: []string{"nguoi-co-cong"}})
	w.post(postSpec{tenant: "so", id: "bpc", title: "Tin Sở lấy về", typ: news, published: at(vn(2026, N, 12, 10, 0)), fields: []string{"nguoi-co-cong"}})
	w.send("so", sendSpec{id: "s-bp", child: "beta", postID: "bp", origin: "pulled", state: "accepted", typ: news, first: vn(2026, N, 12, 10, 0),
		decided: at(vn(2026, N, 12, 10, 0)), copyID: "bpc"})
	w.post(postSpec{tenant: "beta", id: "b9", title: "Tin tuần sau", typ: news, fields: []string{"phong-chong-te-nan"}})
	w.send("so", sendSpec{id: "s-b9", child: "beta", postID: "b9", state: "sent", typ: news, first: vn(2026, N, 30, 8, 0)})

	// gamma
	w.post(postSpec{tenant: "gamma", id: "g1", title: "Kiểm tra an toàn lao động", typ: news, event: day(N, 1), lintE: 2, lintW: 1,
		fields: []string{"an-toan-lao-dong"}})
	w.post(postSpec{tenant: "so", id: "g1c", title: "Kiểm tra an toàn lao động", typ: news, fields: []string{"an-toan-lao-dong"}})
	w.send("so", sendSpec{id: "s-g1", child: "gamma", postID: "g1", state: "accepted", typ: news, first: vn(2026, N, 2, 6, 0),
		decided: at(vn(2026, N, 2, 10, 0)), copyID: "g1c"})
	w.post(postSpec{tenant: "gamma", id: "g2", title: "Điều chỉnh lương tối thiểu", typ: news, event: day(N, 24), fields: []string{"tien-luong-bhxh"}})
	w.send("so", sendSpec{id: "s-g2", child: "gamma", postID: "g2", state: "returned", typ: news, first: vn(2026, N, 24, 9, 0),
		decided: at(vn(2026, N, 24, 11, 0))})

	// delta
	w.post(postSpec{tenant: "delta", id: "d1", title: "Đón đoàn người có công", typ: news, event: day(N, 13), fields: []string{"lao-dong-viec-lam"}})
	w.post(postSpec{tenant: "so", id: "d1c", title: "Đón đoàn người có công", typ: news, published: at(vn(2026, N, 17, 10, 0)), fields: []string{"lao-dong-viec-lam"}})
	w.send("so", sendSpec{id: "s-d1", child: "delta", postID: "d1", state: "accepted", typ: news, first: vn(2026, N, 16, 9, 0),
		decided: at(vn(2026, N, 17, 9, 0)), copyID: "d1c"})

	// epsilon
	w.post(postSpec{tenant: "epsilon", id: "e1", title: "Tin chờ duyệt", typ: news})
	w.send("so", sendSpec{id: "s-e1", child: "epsilon", postID: "e1", state: "sent", typ: news, first: vn(2026, N, 4, 9, 0)})

	// congdoan
	w.post(postSpec{tenant: "congdoan", id: "c1", title: "Hội thao Công đoàn", typ: photo, event: day(N, 20), fields: []string{"binh-dang-gioi"}})
	w.post(postSpec{tenant: "so", id: "c1c", title: "Hội thao Công đoàn", typ: photo, published: at(vn(2026, N, 23, 10, 0)), fields: []string{"binh-dang-gioi"}})
	w.send("so", sendSpec{id: "s-c1", child: "congdoan", postID: "c1", state: "accepted", typ: photo, first: vn(2026, N, 21, 9, 0),
		decided: at(vn(2026, N, 23, 9, 0)), copyID: "c1c"})

	// The Department's own items.
	w.post(postSpec{tenant: "so", id: "o1", title: "Hội nghị giao ban", typ: news, published: at(vn(2026, N, 5, 9, 0)), fields: []string{"lao-dong-viec-lam"}})
	w.post(postSpec{tenant: "so", id: "o2", title: "Phòng chống ma túy", typ: inDepth, published: at(vn(2026, N, 20, 9, 0)), fields: []string{"phong-chong-te-nan"}})
	w.post(postSpec{tenant: "so", id: "o3", title: "Bản nháp", typ: news})
	w.post(postSpec{tenant: "so", id: "o4", title: "Tin tháng sau", typ: news, published: at(vn(2026, N, 30, 8, 0))})
	w.post(postSpec{tenant: "so", id: "r1", title: "Đăng lại từ báo Thanh Hóa", typ: repub, published: at(vn(2026, N, 15, 9, 0))})

	// Rules: beta's quota raised from W47, gamma exempt in W46, epsilon suspended.
	ctx, so := w.ctx, w.id("so")
	if err := quota.SetQuota(ctx, w.db, so, quota.QuotaInput{TenantID: w.id("beta"), Quota: 2, From: quota.Week{Year: 2026, Num: 47},
		Reason: "Đơn vị lớn", ActorID: "van-phong"}, vn(2026, N, 14, 9, 0)); err != nil {
		t.Fatalf("set quota: %v", err)
	}
	if _, err := quota.AddExemption(ctx, w.db, so, quota.ExemptionInput{TenantID: w.id("gamma"), Week: quota.Week{Year: 2026, Num: 46},
		Reason: "Cán bộ đi tập huấn", ActorID: "van-phong"}, vn(2026, N, 6, 9, 0)); err != nil {
		t.Fatalf("exempt: %v", err)
	}
	for _, s := range []struct {
		status tenancy.Status
		at     time.Time
	}{{tenancy.StatusSuspended, vn(2026, N, 18, 10, 0)}, {tenancy.StatusActive, vn(2026, N, 25, 10, 0)}} {
		if err := quota.RecordStatus(ctx, w.db, w.id("epsilon"), s.status, s.at, "quan-tri", ""); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// The report pages offer months by name, newest first, the chosen one
// selected even when it is older than the list.
func TestMonthOptions(t *testing.T) {
	opts := quota.MonthOptions(vn(2026, time.December, 6, 9, 0), "2026-11")
	if len(opts) != 26 || opts[0].Key != "2027-01" || opts[0].Label != "Tháng 01/2027" || opts[1].Key != "2026-12" {
		t.Fatalf("options: %+v", opts[:2])
	}
	var chosen []string
	for _, o := range opts {
		if o.Selected {
			chosen = append(chosen, o.Key+" "+o.Label)
		}
	}
	if len(chosen) != 1 || chosen[0] != "2026-11 Tháng 11/2026" {
		t.Errorf("selected %q", chosen)
	}
	old := quota.MonthOptions(vn(2026, time.December, 6, 9, 0), "2019-05")
	if last := old[len(old)-1]; len(old) != 27 || last.Key != "2019-05" || !last.Selected || last.Label != "Tháng 05/2019" {
		t.Errorf("an older month: %+v", last)
	}
	later := quota.MonthOptions(vn(2026, time.December, 6, 9, 0), "2030-02")
	if first := later[0]; len(later) != 27 || first.Key != "2030-02" || !first.Selected || later[1].Key != "2027-01" {
		t.Errorf("a later month: %+v, then %+v", first, later[1])
	}
}
