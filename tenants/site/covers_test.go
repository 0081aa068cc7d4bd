package site_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestHomeCoversFollowTheItems: a home reads the pictures it showed last
// time with its items (coverHints). The guess never shows what the
// database no longer says: a picture's changed description shows at once,
// a new item's picture is read in one more statement, and a deleted
// picture is not shown.
func TestHomeCoversFollowTheItems(t *testing.T) {
	f := newFixture(t)
	f.picture(f.alpha, "anh-mot")
	f.picture(f.alpha, "anh-hai")
	withPicture := func(title, id string) {
		in := input(title, "tin-tuc-su-kien")
		in.Body = `<p>Nội dung.</p><figure><img src="/media/` + id + `/anh.jpg" alt="x" width="1600" height="1000"></figure>`
		f.publish(f.alpha, in)
	}
	withPicture("Bài có ảnh một", "anh-mot")
	qc := &queryCounter{}
	f.a.Prepared.AddQueryHook(qc)
	// home renders the home (signed in: never from the page cache) and
	// counts the statements that read pictures.
	home := func() (string, int) {
		t.Helper()
		qc.reset()
		pg := f.do(http.MethodGet, "alpha.localhost", "/", map[string]string{"Authorization": "Bearer x"})
		if pg.status != http.StatusOK {
			t.Fatalf("home: %d", pg.status)
		}
		return pg.body, strings.Count(qc.String(), "FROM media m")
	}
	shows := func(body, id string) bool { return strings.Contains(body, `src="/media/`+id+`/`) }

	body, reads := home()
	if !shows(body, "anh-mot") || reads != 1 {
		t.Fatalf("first render: picture shown %v, %d picture reads, want true and 1", shows(body, "anh-mot"), reads)
	}
	body, reads = home()
	if !shows(body, "anh-mot") || reads != 1 {
		t.Errorf("second render: picture shown %v, %d picture reads, want true and 1", shows(body, "anh-mot"), reads)
	}

	if _, err := f.a.DB.NewRaw("UPDATE media SET alt = ? WHERE tenant_id = ? AND id = ?", "Mô tả đã sửa", f.alpha.ID, "anh-mot").Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	if body, _ = home(); !strings.Contains(body, `alt="Mô tả đã sửa"`) {
		t.Error("the changed description is not shown")
	}

	withPicture("Bài có ảnh hai", "anh-hai")
	body, reads = home()
	if !shows(body, "anh-mot") || !shows(body, "anh-hai") || reads != 2 {
		t.Errorf("after a new item: pictures shown %v and %v, %d picture reads, want true, true and 2 (the guess, then the new one)",
			shows(body, "anh-mot"), shows(body, "anh-hai"), reads)
	}
	body, reads = home()
	if !shows(body, "anh-hai") || reads != 1 {
		t.Errorf("then: new picture shown %v, %d picture reads, want true and 1", shows(body, "anh-hai"), reads)
	}

	if _, err := f.a.DB.NewRaw("DELETE FROM media WHERE tenant_id = ? AND id = ?", f.alpha.ID, "anh-hai").Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		body, reads = home()
		if shows(body, "anh-hai") || !shows(body, "anh-mot") || reads != 1 {
			t.Errorf("after the picture's deletion: deleted shown %v, other shown %v, %d picture reads, want false, true and 1",
				shows(body, "anh-hai"), shows(body, "anh-mot"), reads)
		}
	}
}
