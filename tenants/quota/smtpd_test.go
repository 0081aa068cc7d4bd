package quota_test

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
)

// smtpd is a small but real SMTP server on 127.0.0.1 for the tests: it
// speaks EHLO/HELO, STARTTLS (with a certificate), AUTH PLAIN (when a user
// is set), MAIL, RCPT, DATA, RSET, NOOP and QUIT, and records every
// message it accepts.
type smtpd struct {
	t    testing.TB
	ln   net.Listener
	port int
	// User and Pass, when set, are required with AUTH PLAIN.
	User, Pass string
	// TLS, when set, is offered with STARTTLS.
	TLS *tls.Config
	// Accepted, when set, is called after each message is accepted with
	// the count so far.
	Accepted func(n int)

	mu   sync.Mutex
	msgs []received
	wg   sync.WaitGroup
}

// received is one accepted message.
type received struct {
	From    string
	To      []string
	Subject string
	Body    string
	TLS     bool
	Authed  bool
}

func startSMTP(t testing.TB) *smtpd {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s := &smtpd{t: t, ln: ln, port: ln.Addr().(*net.TCPAddr).Port}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() { _ = ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpd) serve() {
	defer s.wg.Done()
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer conn.Close()
			s.session(conn)
		}()
	}
}

// messages returns a copy of what was accepted.
func (s *smtpd) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func (s *smtpd) session(conn net.Conn) {
	r, w := bufio.NewReader(conn), bufio.NewWriter(conn)
	reply := func(lines ...string) {
		for _, l := range lines {
			_, _ = w.WriteString(l + "\r\n")
		}
		_ = w.Flush()
	}
	reply("220 127.0.0.1 ESMTP kiem-thu")
	var cur received
	secure, authed := false, false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO":
			ext := []string{"250-127.0.0.1", "250-8BITMIME"}
			if s.TLS != nil && !secure {
				ext = append(ext, "250-STARTTLS")
			}
			if s.User != "" {
				ext = append(ext, "250-AUTH PLAIN")
			}
			reply(append(ext, "250 OK")...)
		case "HELO", "NOOP":
			reply("250 OK")
		case "RSET":
			cur = received{}
			reply("250 OK")
		case "STARTTLS":
			if s.TLS == nil || secure {
				reply("502 not offered")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(conn, s.TLS)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, r, w, secure = tc, bufio.NewReader(tc), bufio.NewWriter(tc), true
		case "AUTH":
			parts := strings.Fields(line)
			raw, err := base64.StdEncoding.DecodeString(parts[len(parts)-1])
			f := strings.Split(string(raw), "\x00")
			if len(parts) != 3 || !strings.EqualFold(parts[1], "PLAIN") || err != nil || len(f) != 3 || f[1] != s.User || f[2] != s.Pass {
				reply("535 authentication failed")
				continue
			}
			authed = true
			reply("235 authenticated")
		case "MAIL":
			if s.User != "" && !authed {
				reply("530 authentication required")
				continue
			}
			cur = received{From: addr(line), TLS: secure, Authed: authed}
			reply("250 OK")
		case "RCPT":
			cur.To = append(cur.To, addr(line))
			reply("250 OK")
		case "DATA":
			if cur.From == "" || len(cur.To) == 0 {
				reply("503 bad sequence")
				continue
			}
			reply("354 end with .")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			cur.Subject, cur.Body = parseMessage(data.String())
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			n := len(s.msgs)
			s.mu.Unlock()
			reply("250 queued")
			if s.Accepted != nil {
				s.Accepted(n)
			}
			cur = received{}
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 unknown command")
		}
	}
}

// addr is the address inside <...> of a MAIL or RCPT line.
func addr(line string) string {
	i, j := strings.Index(line, "<"), strings.LastIndex(line, ">")
	if i < 0 || j < i {
		return ""
	}
	return line[i+1 : j]
}

// parseMessage decodes the subject and the quoted-printable body.
func parseMessage(raw string) (subject, body string) {
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return "", raw
	}
	subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	b, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
	return subject, strings.ReplaceAll(string(b), "\r\n", "\n")
}
