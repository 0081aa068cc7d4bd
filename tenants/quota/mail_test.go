package quota_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/trangtin/trangtin/platform/config"
	"github.com/trangtin/trangtin/tenants/quota"
)

// testTLS is a certificate for 127.0.0.1 and a client config trusting it.
func testTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12},
		&tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func TestMailerModes(t *testing.T) {
	ctx := context.Background()
	serverTLS, clientTLS := testTLS(t)
	msg := quota.Message{To: "truongban@donvi.gov.vn", ToName: "Trưởng Ban Đơn Vị", Subject: "Nhắc gửi tin, bài tuần 48",
		Body: "Dòng một\n.dòng bắt đầu bằng dấu chấm\nTiếng Việt có dấu: ắ ằ ẳ ẵ ặ đ", MessageID: "abc@so.gov.vn"}

	t.Run("starttls with PLAIN auth", func(t *testing.T) {
		srv := startSMTP(t)
		srv.TLS, srv.User, srv.Pass = serverTLS, "guithu", "mat-khau-smtp"
		m := &quota.Mailer{Host: "127.0.0.1", Port: srv.port, TLS: "starttls", TLSConfig: clientTLS,
			User: "guithu", Password: "mat-khau-smtp", From: "no-reply@so.gov.vn"}
		if err := m.Send(ctx, msg); err != nil {
			t.Fatalf("send: %v", err)
		}
		got := srv.messages()
		if len(got) != 1 || !got[0].TLS || !got[0].Authed || got[0].Subject != msg.Subject || strings.TrimSpace(got[0].Body) != msg.Body {
			t.Errorf("received %+v", got)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		srv := startSMTP(t)
		srv.TLS, srv.User, srv.Pass = serverTLS, "guithu", "dung"
		m := &quota.Mailer{Host: "127.0.0.1", Port: srv.port, TLS: "starttls", TLSConfig: clientTLS, User: "guithu", Password: "sai", From: "no-reply@so.gov.vn"}
		if err := m.Send(ctx, msg); err == nil || len(srv.messages()) != 0 {
			t.Errorf("sent with a wrong password: %v", err)
		}
	})
	t.Run("starttls required but not offered", func(t *testing.T) {
		srv := startSMTP(t)
		m := &quota.Mailer{Host: "127.0.0.1", Port: srv.port, TLS: "starttls", TLSConfig: clientTLS, From: "no-reply@so.gov.vn"}
		if err := m.Send(ctx, msg); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
			t.Errorf("want a STARTTLS error, got %v", err)
		}
	})
	t.Run("implicit tls", func(t *testing.T) {
		ln, err := tls.Listen("tcp", "127.0.0.1:0", serverTLS)
		if err != nil {
			t.Fatal(err)
		}
		srv := &smtpd{t: t, ln: ln, port: ln.Addr().(*net.TCPAddr).Port}
		srv.wg.Add(1)
		go srv.serve()
		t.Cleanup(func() { _ = ln.Close(); srv.wg.Wait() })
		m := &quota.Mailer{Host: "127.0.0.1", Port: srv.port, TLS: "tls", TLSConfig: clientTLS, From: "Văn phòng <no-reply@so.gov.vn>"}
		if err := m.Send(ctx, msg); err != nil || len(srv.messages()) != 1 {
			t.Errorf("send over TLS: %v", err)
		}
	})
	t.Run("server down", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		port := ln.Addr().(*net.TCPAddr).Port
		_ = ln.Close()
		m := &quota.Mailer{Host: "127.0.0.1", Port: port, TLS: "none", From: "no-reply@so.gov.vn", Timeout: time.Second}
		if err := m.Send(ctx, msg); err == nil {
			t.Error("sent to a closed port")
		}
	})
}

func TestSMTPSettings(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	c, err := config.Load(env(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.UsesSMTP() || c.SMTPPort != 587 || c.SMTPTLS != "starttls" || c.SMTPFrom != "no-reply@localhost" ||
		config.FormatSchedule(c.ReminderSchedule) != "thu 09:00, sat 09:00" || quota.NewMailer(c) != nil {
		t.Errorf("defaults: %+v", c)
	}
	c, err = config.Load(env("TRANGTIN_SMTP_HOST", "mail.so.gov.vn", "TRANGTIN_SMTP_PORT", "465", "TRANGTIN_SMTP_TLS", "tls",
		"TRANGTIN_SMTP_USER", "u", "TRANGTIN_SMTP_PASSWORD", "bi-mat-smtp-123", "TRANGTIN_SMTP_FROM", "Văn phòng Sở <vp@so.gov.vn>",
		"TRANGTIN_REMINDER_SCHEDULE", "mon 08:30, fri 16:00"), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if m := quota.NewMailer(c); m == nil || m.Port != 465 || m.TLS != "tls" || m.From != "Văn phòng Sở <vp@so.gov.vn>" {
		t.Errorf("mailer %+v", m)
	}
	if got := config.FormatSchedule(c.ReminderSchedule); got != "mon 08:30, fri 16:00" {
		t.Errorf("schedule %q", got)
	}
	if c, err := config.Load(env("TRANGTIN_REMINDER_SCHEDULE", "off"), nil, nil); err != nil || len(c.ReminderSchedule) != 0 {
		t.Errorf("schedule off: %v %v", c.ReminderSchedule, err)
	}
	var buf strings.Builder
	slog.New(slog.NewTextHandler(&buf, nil)).Info("start", "config", c)
	if strings.Contains(buf.String(), "bi-mat-smtp-123") || !strings.Contains(buf.String(), "mail.so.gov.vn") {
		t.Errorf("log line: %s", buf.String())
	}
	for name, value := range map[string]string{
		"TRANGTIN_SMTP_PORT": "0", "TRANGTIN_SMTP_TLS": "ssl", "TRANGTIN_SMTP_FROM": "khong-phai-dia-chi",
		"TRANGTIN_SMTP_HOST": "mail so", "TRANGTIN_REMINDER_SCHEDULE": "thursday 9h",
	} {
		_, err := config.Load(env(name, value), nil, nil)
		if err == nil || !strings.HasPrefix(err.Error(), name+": ") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s=%q: want one line naming the variable, got %v", name, value, err)
		}
	}
}
