package question

import (
	"context"
	"strings"
	"testing"

	"github.com/trangtin/trangtin/platform/errs"
)

func TestCleanNormalisesAndRefuses(t *testing.T) {
	s := &Service{}
	ctx := context.Background()
	// "Nguyễn" typed with combining marks (NFD), a control character and
	// a zero-width joiner in the question.
	q, err := s.clean(ctx, Ask{Name: "  Nguye\u0302\u0303n   Văn  A ", Contact: "0912 345 678", Question: "Lu\u031bo\u031bng\u0007 hưu\u200d?\r\nCảm ơn."})
	if err != nil {
		t.Fatal(err)
	}
	if q.Name != "Nguyễn Văn A" || q.Phone != "0912345678" || q.Email != "" || q.Question != "Lương hưu?\nCảm ơn." {
		t.Errorf("cleaned: %q %q %q %q", q.Name, q.Phone, q.Email, q.Question)
	}
	for _, c := range []struct {
		in    Ask
		field string
	}{
		{Ask{Name: "", Contact: "a@b.vn", Question: "x"}, "name"},
		{Ask{Name: "An", Contact: "", Question: "x"}, "contact"},
		{Ask{Name: "An", Contact: "a@b", Question: "x"}, "contact"},
		{Ask{Name: "An", Contact: "12345", Question: "x"}, "contact"},
		{Ask{Name: "An", Contact: "a@b.vn", Question: "<b>đậm</b>"}, "question"},
		{Ask{Name: "An", Contact: "a@b.vn", Question: "xem <a href=x>đây</a>"}, "question"},
		{Ask{Name: "<script>", Contact: "a@b.vn", Question: "x"}, "question"},
		{Ask{Name: "An", Contact: "a@b.vn", Question: strings.Repeat("ư", MaxQuestion+1)}, "question"},
	} {
		_, err := s.clean(ctx, c.in)
		if e := errs.As(err); e == nil || e.Field != c.field {
			t.Errorf("%+v: %v, want an error on %s", c.in, err, c.field)
		}
	}
	// Arithmetic is not HTML.
	if _, err := s.clean(ctx, Ask{Name: "An", Contact: "an@example.vn", Question: "Mức 3 < 5 triệu có được hỗ trợ?"}); err != nil {
		t.Errorf("a < in text: %v", err)
	}
}
