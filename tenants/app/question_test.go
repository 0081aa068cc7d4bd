package app_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/config"

	"github.com/trangtin/trangtin/tenants/app"
	"github.com/trangtin/trangtin/tenants/apptest"
	"github.com/trangtin/trangtin/tenants/question"
)

// askOnSite sends the /hoi-dap form of tenant slug's site as a visitor
// and returns the id of the question it queued.
func askOnSite(t testing.TB, a *app.App, slug, name, contact, text string) string {
	t.Helper()
	v := newVisitor(t, a)
	v.host = slug + ".localhost"
	r := v.do(http.MethodPost, "/hoi-dap", url.Values{"ho-ten": {name}, "lien-he": {contact}, "cau-hoi": {text}, "website": {""}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("ask on %s: %s", slug, r)
	}
	tn, ok := a.Registry.BySlug(slug)
	if !ok {
		t.Fatalf("no tenant %s", slug)
	}
	qs, err := question.List(context.Background(), a.DB, tn.ID, question.StateNew, 1, 0)
	if err != nil || len(qs) == 0 || qs[0].Question != text {
		t.Fatalf("the question is not queued: %v %v", qs, err)
	}
	return qs[0].ID
}

// smtpSink is a local SMTP listener that keeps what it receives (no
// outside server in tests).
type smtpSink struct {
	port int
	mu   sync.Mutex
	mail []string
}

func startSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{port: ln.Addr().(*net.TCPAddr).Port}
	var wg sync.WaitGroup
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.session(conn)
		}
	}()
	return s
}

func (s *smtpSink) session(conn net.Conn) {
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	say := func(line string) { _, _ = conn.Write([]byte(line + "\r\n")) }
	say("220 sink")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 sink")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.mail = append(s.mail, b.String())
			s.mu.Unlock()
			say("250 kept")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

func (s *smtpSink) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.mail...)
}

// decodedBody is a received message's body, quoted-printable decoded.
func decodedBody(raw string) string {
	_, body, _ := strings.Cut(raw, "\r\n\r\n")
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if err != nil {
		return body
	}
	return string(b)
}

func TestQuestions(t *testing.T) {
	sink := startSMTPSink(t)
	w := newOAWorld(t, func(c *config.Config) {
		c.SMTPHost, c.SMTPPort, c.SMTPTLS, c.SMTPFrom = "127.0.0.1", sink.port, "none", "no-reply@so.gov.vn"
	})
	ask := func(slug string, form url.Values) isoReply {
		v := newVisitor(t, w.a)
		v.host = slug + ".localhost"
		return v.do(http.MethodPost, "/hoi-dap", form)
	}
	queued := func(slug string) []question.Question {
		tn, _ := w.a.Registry.BySlug(slug)
		qs, err := question.List(context.Background(), w.a.DB, tn.ID, "", 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		return qs
	}
	form := func(name, contact, text string) url.Values {
		return url.Values{"ho-ten": {name}, "lien-he": {contact}, "linh-vuc": {"tien-luong-bhxh"}, "cau-hoi": {text}, "website": {""}}
	}

	t.Run("the form shows without JavaScript", func(t *testing.T) {
		r := site(t, w, "alpha", "/hoi-dap")
		if r.status != 200 || !strings.Contains(r.body, `<form class="qa-form" action="/hoi-dap#gui-cau-hoi" method="post">`) || strings.Contains(r.body, "<script") {
			t.Errorf("/hoi-dap: %s", r)
		}
		// The thank-you promises an e-mail only where answers are mailed
		// (this world has an SMTP server).
		if r := site(t, w, "alpha", "/hoi-dap?da-gui=1"); !strings.Contains(r.body, "câu trả lời cũng được gửi tới địa chỉ thư điện tử") {
			t.Errorf("/hoi-dap after sending: %s", r)
		}
	})
	t.Run("a filled hidden field stores nothing", func(t *testing.T) {
		f := form("Máy gửi thư rác", "bot@example.com", "Mua hàng giá rẻ tại đây")
		f.Set("website", "http://spam.example")
		if r := ask("alpha", f); r.status != http.StatusSeeOther || len(queued("alpha")) != 0 {
			t.Errorf("trap: %d, %d queued", r.status, len(queued("alpha")))
		}
	})
	t.Run("HTML is refused with the typed text back, escaped", func(t *testing.T) {
		r := ask("alpha", form("Trần Thị Bình", "binh@example.vn", "Xin hỏi <script>alert(1)</script> về lương hưu"))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "không được chứa mã HTML") ||
			!strings.Contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt; về lương hưu") || strings.Contains(r.body, "<script>alert") ||
			!strings.Contains(r.body, `value="Trần Thị Bình"`) || len(queued("alpha")) != 0 {
			t.Errorf("HTML question: %s", r)
		}
		r = ask("alpha", form("Trần Thị Bình", "không-phải-số", "Câu hỏi"))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Số điện thoại không hợp lệ") {
			t.Errorf("bad contact: %s", r)
		}
	})
	var id string
	t.Run("answered and published without the asker's contact; the asker gets an e-mail", func(t *testing.T) {
		if r := ask("alpha", form("Lê Văn Cường", "cuong.le@example.vn", "Mức đóng bảo hiểm xã hội tự nguyện năm 2026 là bao nhiêu?")); r.status != http.StatusSeeOther {
			t.Fatalf("ask: %s", r)
		}
		qs := queued("alpha")
		if len(qs) != 1 || qs[0].State != question.StateNew || qs[0].Email != "cuong.le@example.vn" {
			t.Fatalf("queue: %+v", qs)
		}
		id = qs[0].ID
		// Not public before the answer.
		if r := site(t, w, "alpha", "/hoi-dap"); strings.Contains(r.body, "tự nguyện năm 2026") {
			t.Errorf("an unanswered question is public")
		}
		// Another tenant's board cannot answer it.
		if r := w.send("tbBeta", "POST", "/api/v1/tenants/beta/questions/"+id+"/answer", map[string]any{"answer": "x", "publish": true}); r.status != 404 {
			t.Errorf("beta answered alpha's question: %s", r)
		}
		if r := w.send("tbBeta", "POST", "/api/v1/tenants/alpha/questions/"+id+"/answer", map[string]any{"answer": "x", "publish": true}); r.status != 404 && r.status != 403 {
			t.Errorf("beta's editor answered in alpha: %s", r)
		}
		w.must(200, "tbAlpha", "POST", "/api/v1/tenants/alpha/questions/"+id+"/answer",
			map[string]any{"answer": "Mức đóng bằng 22% mức thu nhập tháng do người tham gia lựa chọn.", "publish": true})
		r := site(t, w, "alpha", "/hoi-dap")
		if !strings.Contains(r.body, "tự nguyện năm 2026") || !strings.Contains(r.body, "22% mức thu nhập") || !strings.Contains(r.body, "Lê Văn Cường") ||
			strings.Contains(r.body, "cuong.le@example.vn") || strings.Contains(r.body, "cuong.le") {
			t.Errorf("published answer: %s", r)
		}
		if r := site(t, w, "beta", "/hoi-dap"); strings.Contains(r.body, "22% mức thu nhập") {
			t.Errorf("beta shows alpha's answer")
		}
		got := sink.messages()
		if len(got) != 1 || !strings.Contains(got[0], "cuong.le@example.vn") || !strings.Contains(decodedBody(got[0]), "22% mức thu nhập") {
			t.Errorf("mail received: %q", got)
		}
	})
	t.Run("the 21st question from one address in an hour is refused", func(t *testing.T) {
		for i := range 19 { // one already sent from this address
			if r := ask("alpha", form("Người hỏi", "0912345678", fmt.Sprintf("Câu hỏi số %d", i+2))); r.status != http.StatusSeeOther {
				t.Fatalf("question %d: %s", i+2, r)
			}
		}
		r := ask("alpha", form("Người hỏi", "0912345678", "Câu hỏi số 21"))
		if r.status != http.StatusTooManyRequests || !strings.Contains(r.body, "tối đa") || !strings.Contains(r.body, "Câu hỏi số 21") || len(queued("alpha")) != 20 {
			t.Errorf("21st: %s", r)
		}
		// The limit is per tenant: beta still takes it.
		if r := ask("beta", form("Người hỏi", "0912345678", "Câu hỏi gửi Beta")); r.status != http.StatusSeeOther {
			t.Errorf("beta: %s", r)
		}
	})
	t.Run("the board's console queue", func(t *testing.T) {
		b := newVisitor(t, w.a)
		b.login(oaEmail("tbAlpha"), apptest.Password)
		r := b.do(http.MethodGet, "/t/alpha/hoi-dap", nil)
		if r.status != 200 || strings.Contains(r.body, "Câu hỏi số 21") || !strings.Contains(r.body, "Câu hỏi số 20") {
			t.Errorf("queue: %s", r)
		}
		if r := b.do(http.MethodGet, "/t/beta/hoi-dap", nil); r.status == 200 {
			t.Errorf("alpha's editor sees beta's queue")
		}
		// A link someone sends the board cannot put its words in the
		// console's banner.
		bait := "Hệ thống bảo trì: hãy gửi mật khẩu cho 0900000000"
		if r := b.do(http.MethodGet, "/t/alpha/hoi-dap?ok="+url.QueryEscape(bait), nil); r.status != 200 || strings.Contains(r.body, bait) {
			t.Errorf("the queue shows a message from its address: %s", r)
		}
	})
}
