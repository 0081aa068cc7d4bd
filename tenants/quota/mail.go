package quota

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"github.com/trangtin/trangtin/platform/config"
)

// Mailer sends e-mail through an SMTP server with net/smtp: PLAIN auth when
// a user is set (net/smtp refuses it over an unencrypted connection except
// to localhost), STARTTLS or implicit TLS as configured.
type Mailer struct {
	Host     string
	Port     int
	User     string
	Password string
	// From is the sender, "Name <address>" or an address.
	From string
	// TLS is "none", "starttls" or "tls".
	TLS string
	// TLSConfig verifies the server (nil: the system's roots and Host).
	TLSConfig *tls.Config
	// Timeout bounds one delivery (default 30s).
	Timeout time.Duration
}

// NewMailer is the mailer of the settings, nil when TRANGTIN_SMTP_HOST is empty.
func NewMailer(cfg config.Config) *Mailer {
	if !cfg.UsesSMTP() {
		return nil
	}
	return &Mailer{Host: cfg.SMTPHost, Port: cfg.SMTPPort, User: cfg.SMTPUser, Password: cfg.SMTPPassword,
		From: cfg.SMTPFrom, TLS: cfg.SMTPTLS}
}

// Message is one plain-text e-mail to one recipient.
type Message struct {
	To        string `json:"to"`
	ToName    string `json:"to_name"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	MessageID string `json:"message_id"`
}

// Send delivers msg. It gives up when ctx ends or the timeout passes.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return fmt.Errorf("smtp: sender %q: %w", m.From, err)
	}
	to, err := mail.ParseAddress(msg.To)
	if err != nil {
		return fmt.Errorf("smtp: recipient %q: %w", msg.To, err)
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := m.dial(ctx)
	if err != nil {
		return err
	}
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Now()) })
	defer stop()
	c, err := smtp.NewClient(conn, m.Host)
	if err != nil {
		_ = conn.Close()
		return fmt.Errorf("smtp: greeting: %w", err)
	}
	defer func() { _ = c.Close() }()
	if err := m.deliver(c, from, to, msg, func() { stop() }); err != nil {
		return errors.Join(err, ctx.Err())
	}
	return nil
}

func (m *Mailer) dial(ctx context.Context) (net.Conn, error) {
	addr := net.JoinHostPort(m.Host, strconv.Itoa(m.Port))
	var d net.Dialer
	if m.TLS == "tls" {
		td := tls.Dialer{NetDialer: &d, Config: m.tlsConfig()}
		conn, err := td.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("smtp: connect %s (tls): %w", addr, err)
		}
		return conn, nil
	}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtp: connect %s: %w", addr, err)
	}
	return conn, nil
}

func (m *Mailer) tlsConfig() *tls.Config {
	if m.TLSConfig != nil {
		c := m.TLSConfig.Clone()
		if c.ServerName == "" {
			c.ServerName = m.Host
		}
		return c
	}
	return &tls.Config{ServerName: m.Host, MinVersion: tls.VersionTLS12}
}

// deliver runs the SMTP exchange. Before the end of data it calls commit,
// which stops ctx from cutting the connection: once the whole message is
// written, the server's answer is awaited (within the timeout) even during
// a shutdown, so a message the server accepts is not sent again.
func (m *Mailer) deliver(c *smtp.Client, from, to *mail.Address, msg Message, commit func()) error {
	host := "localhost"
	if _, domain, ok := strings.Cut(from.Address, "@"); ok {
		host = domain
	}
	if err := c.Hello(host); err != nil {
		return fmt.Errorf("smtp: hello: %w", err)
	}
	if m.TLS == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp: the server does not offer STARTTLS (set TRANGTIN_SMTP_TLS=none to send without it)")
		}
		if err := c.StartTLS(m.tlsConfig()); err != nil {
			return fmt.Errorf("smtp: starttls: %w", err)
		}
	}
	if m.User != "" {
		if err := c.Auth(smtp.PlainAuth("", m.User, m.Password, m.Host)); err != nil {
			return fmt.Errorf("smtp: auth: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("smtp: mail from: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("smtp: rcpt to: %w", err)
	}
	wc, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp: data: %w", err)
	}
	if _, err := wc.Write(compose(from, &mail.Address{Name: msg.ToName, Address: to.Address}, msg)); err != nil {
		return fmt.Errorf("smtp: write message: %w", err)
	}
	commit()
	if err := wc.Close(); err != nil {
		return fmt.Errorf("smtp: end of data: %w", err)
	}
	// The server accepted the message with the end of data: a failed QUIT
	// must not make the job send it again.
	_ = c.Quit()
	return nil
}

// compose writes the message: UTF-8 headers encoded per RFC 2047, the body
// as quoted-printable text.
func compose(from, to *mail.Address, msg Message) []byte {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", from.String())
	h("To", to.String())
	h("Subject", mime.QEncoding.Encode("utf-8", msg.Subject))
	h("Date", time.Now().Format(time.RFC1123Z))
	if msg.MessageID != "" {
		h("Message-ID", "<"+msg.MessageID+">")
	}
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(msg.Body, "\n", "\r\n")))
	_ = qp.Close()
	return b.Bytes()
}
