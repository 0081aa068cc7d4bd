package app_test

// The dashboard leads to the inbox: the Department's editor-in-chief sees
// how many sends wait for a decision, with the link; the unit's
// editor-in-chief sees what the Department returned, with its note, until
// it is sent again; an editor who decides nothing is not counted in.

import (
	"strings"
	"testing"
)

func TestDashboardInboxWork(t *testing.T) {
	w := newXPWorld(t)
	alpha, so, btv := w.browser("tbAlpha"), w.browser("tbSo"), w.browser("btvSo")
	first := w.publishedItem("tbAlpha", "alpha", "Hội thảo nghề nghiệp cho thanh niên")
	second := w.publishedItem("tbAlpha", "alpha", "Tập huấn an toàn vệ sinh lao động")
	var s1, s2 xpSub
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+first.ID+"/send", nil, &s1)
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+second.ID+"/send", nil, &s2)

	dash := so.get("/").body
	if !strings.Contains(dash, nameDept+": 2 bài các đơn vị gửi lên chờ quyết định") || !strings.Contains(dash, `href="/t/so/hop-thu">Mở hộp thư đến</a>`) {
		t.Errorf("the Department's editor-in-chief does not see the inbox count:\n%s", dash)
	}
	if strings.Contains(btv.get("/").body, "chờ quyết định") {
		t.Error("an editor who decides nothing is shown the inbox count")
	}

	w.must(200, "tbSo", "POST", "/tenants/so/inbox/"+s2.ID+"/return", map[string]string{"note": "Bổ sung số người tham dự"}, nil)
	dash = so.get("/").body
	if !strings.Contains(dash, nameDept+": 1 bài các đơn vị gửi lên chờ quyết định") {
		t.Errorf("after a return the count is not 1:\n%s", dash)
	}
	mine := alpha.get("/").body
	for _, want := range []string{nameDept + " trả lại bài “Tập huấn an toàn vệ sinh lao động” của " + nameAlpha,
		"Ghi chú: Bổ sung số người tham dự", `href="/t/alpha/bai-viet/` + second.ID + `">Xem bài</a>`} {
		if !strings.Contains(mine, want) {
			t.Errorf("the unit's dashboard does not show %q:\n%s", want, mine)
		}
	}
	if strings.Contains(w.browser("tbBeta").get("/").body, "Bổ sung số người tham dự") {
		t.Error("another unit sees alpha's returned item")
	}
	w.must(201, "tbAlpha", "POST", "/tenants/alpha/posts/"+second.ID+"/send", map[string]string{"note": "Đã bổ sung"}, nil)
	if strings.Contains(alpha.get("/").body, "Bổ sung số người tham dự") {
		t.Error("a send made again still shows as returned")
	}
}
