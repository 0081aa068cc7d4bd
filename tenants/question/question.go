// Package question holds citizens' questions (hỏi đáp): a visitor asks on
// /hoi-dap with a plain form (no JavaScript, no outside service), the
// tenant's board answers or rejects in the console or the API, and an
// answer the board publishes is shown with its question. The asker's
// e-mail and phone are kept for the reply only: no public page or list
// ever reads them. Every query filters on the tenant's id.
package question

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/audit"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/tenancy"
	"github.com/trangtin/trangtin/platform/vntext"
)

// State is where a question stands.
type State string

// The states of the contract.
const (
	StateNew      State = "new"
	StateAnswered State = "answered"
	StateRejected State = "rejected"
)

// Question is one citizen's question.
type Question struct {
	bun.BaseModel `bun:"table:questions,alias:q"`

	TenantID  string     `bun:"tenant_id,pk"`
	ID        string     `bun:"id,pk"`
	Name      string     `bun:"name"`
	Email     string     `bun:"email"`
	Phone     string     `bun:"phone"`
	FieldCode string     `bun:"field_code"`
	Question  string     `bun:"question"`
	State     State      `bun:"state"`
	Answer    string     `bun:"answer"`
	Published bool       `bun:"published"`
	Reason    string     `bun:"reason"`
	IPHash    string     `bun:"ip_hash"`
	CreatedAt time.Time  `bun:"created_at"`
	DecidedAt *time.Time `bun:"decided_at"`
	DecidedBy string     `bun:"decided_by"`
	MailedAt  *time.Time `bun:"mailed_at"`
}

// Limits of the form.
const (
	MaxName     = 100
	MaxQuestion = 4000
	MaxAnswer   = 20000
	// PerHour is how many questions one address may send to one tenant in
	// an hour.
	PerHour = 20
)

// Ask is what the form sends.
type Ask struct {
	Name, Contact, Field, Question string
	// Trap is the hidden field people never fill.
	Trap string
	// IP is the sender's address (for the per-address limit).
	IP string
}

// Message is an e-mail to an asker.
type Message struct {
	To, ToName, Subject, Body string
}

// Service receives, lists and decides questions.
type Service struct {
	DB    *bun.DB
	Audit *audit.Log
	// Key makes the stored address hash unlinkable across installations.
	Key []byte
	// Send e-mails the asker the answer; nil when SMTP is not set.
	Send func(ctx context.Context, m Message) error
	Now  func() time.Time
	// PerHour overrides the per-address limit (0: PerHour).
	PerHour int
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// ErrTrap is returned when the hidden field was filled: the caller
// answers as if all went well and nothing is stored.
var ErrTrap = fmt.Errorf("question: hidden field filled")

// clean checks and normalises a question: NFC, no HTML, sizes, a valid
// e-mail or phone, a known field.
func (s *Service) clean(ctx context.Context, in Ask) (*Question, error) {
	norm := func(x string) string { return strings.TrimSpace(vntext.NFC(strings.ToValidUTF8(x, ""))) }
	q := &Question{Name: strings.Join(strings.Fields(norm(in.Name)), " "), FieldCode: norm(in.Field), Question: stripControls(norm(in.Question))}
	contact := norm(in.Contact)
	switch {
	case q.Name == "":
		return nil, errs.Invalid("name", "name_required", "Xin cho biết họ và tên")
	case utf8.RuneCountInString(q.Name) > MaxName:
		return nil, errs.Invalid("name", "name_too_long", fmt.Sprintf("Họ và tên dài quá %d ký tự", MaxName))
	case contact == "":
		return nil, errs.Invalid("contact", "contact_required", "Xin cho biết địa chỉ thư điện tử hoặc số điện thoại để nhận trả lời")
	case q.Question == "":
		return nil, errs.Invalid("question", "question_required", "Xin nhập nội dung câu hỏi")
	case utf8.RuneCountInString(q.Question) > MaxQuestion:
		return nil, errs.Invalid("question", "question_too_long", fmt.Sprintf("Câu hỏi dài quá %d ký tự", MaxQuestion))
	case hasHTML(q.Name) || hasHTML(q.Question):
		return nil, errs.Invalid("question", "question_html", "Câu hỏi không được chứa mã HTML (các thẻ như <script>, <a>); xin viết bằng chữ thường")
	}
	if strings.Contains(contact, "@") {
		a, err := mail.ParseAddress(contact)
		_, domain, _ := strings.Cut(contact, "@")
		if err != nil || a.Address != contact || len(contact) > 200 || !strings.Contains(strings.Trim(domain, "."), ".") {
			return nil, errs.Invalid("contact", "email_invalid", "Địa chỉ thư điện tử không hợp lệ")
		}
		q.Email = contact
	} else {
		p := strings.Map(func(r rune) rune {
			if r == ' ' || r == '.' || r == '-' {
				return -1
			}
			return r
		}, contact)
		if !phoneOK(p) {
			return nil, errs.Invalid("contact", "phone_invalid", "Số điện thoại không hợp lệ (9 đến 12 chữ số, có thể bắt đầu bằng +)")
		}
		q.Phone = p
	}
	if q.FieldCode != "" {
		n, err := s.DB.NewSelect().Table("sector_fields").Where("code = ?", q.FieldCode).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("check field: %w", err)
		}
		if n == 0 {
			return nil, errs.Invalid("field", "field_unknown", "Lĩnh vực không có trong danh mục")
		}
	}
	return q, nil
}

func phoneOK(p string) bool {
	p = strings.TrimPrefix(p, "+")
	if len(p) < 9 || len(p) > 12 {
		return false
	}
	for _, r := range p {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// hasHTML reports a tag or an entity: the form takes plain text only.
func hasHTML(s string) bool {
	for i := 0; i < len(s)-1; i++ {
		c := s[i+1]
		if s[i] == '<' && (c == '/' || c == '!' || c == '?' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return true
		}
	}
	return false
}

// stripControls drops control characters but line breaks and tabs.
func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) && !unicode.Is(unicode.Cf, r) {
			return r
		}
		return -1
	}, strings.ReplaceAll(s, "\r\n", "\n"))
}

func (s *Service) ipHash(tenantID, ip string) string {
	m := hmac.New(sha256.New, s.Key)
	m.Write([]byte(tenantID + "|" + ip))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// Receive stores a visitor's question in the board's queue after the
// checks: the hidden field (ErrTrap), the per-address limit (429), then
// the input.
func (s *Service) Receive(ctx context.Context, t *tenancy.Tenant, in Ask) (*Question, error) {
	if strings.TrimSpace(in.Trap) != "" {
		return nil, ErrTrap
	}
	if !t.HasSite {
		return nil, errs.NotFound("site_not_found", "Không tìm thấy trang")
	}
	now := s.now()
	hash := s.ipHash(t.ID, in.IP)
	limit := s.PerHour
	if limit <= 0 {
		limit = PerHour
	}
	n, err := s.DB.NewSelect().Model((*Question)(nil)).Where("tenant_id = ? AND ip_hash = ? AND created_at > ?", t.ID, hash, now.Add(-time.Hour)).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count questions: %w", err)
	}
	if int(n) >= limit {
		return nil, errLimit(limit)
	}
	q, err := s.clean(ctx, in)
	if err != nil {
		return nil, err
	}
	q.TenantID, q.ID, q.State, q.IPHash, q.CreatedAt = t.ID, db.NewID(), StateNew, hash, now
	if _, err := s.DB.NewInsert().Model(q).Exec(ctx); err != nil {
		return nil, fmt.Errorf("insert question: %w", err)
	}
	return q, nil
}

// List returns a tenant's questions in a state (all when empty), newest
// first, from offset.
func List(ctx context.Context, idb bun.IDB, tenantID string, state State, limit, offset int) ([]Question, error) {
	var qs []Question
	q := idb.NewSelect().Model(&qs).Where("tenant_id = ?", tenantID)
	if state != "" {
		q = q.Where("state = ?", state)
	}
	if err := q.OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Offset(int64(offset)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list questions: %w", err)
	}
	return qs, nil
}

// Published returns the answered questions a tenant's board published.
func Published(ctx context.Context, idb bun.IDB, tenantID string, limit, offset int) ([]Question, int, error) {
	var qs []Question
	q := idb.NewSelect().Model(&qs).Column("id", "name", "field_code", "question", "answer", "created_at", "decided_at").
		Where("tenant_id = ? AND state = ? AND published", tenantID, StateAnswered)
	n, err := q.OrderExpr("decided_at DESC, id DESC").Limit(int64(limit)).Offset(int64(offset)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("list answered questions: %w", err)
	}
	return qs, int(n), nil
}

// Get loads one question of a tenant.
func Get(ctx context.Context, idb bun.IDB, tenantID, id string) (*Question, error) {
	q := new(Question)
	if err := idb.NewSelect().Model(q).Where("tenant_id = ? AND id = ?", tenantID, id).Scan(ctx); err != nil {
		return nil, db.NotFound(err, "load question", "question_not_found", "Không tìm thấy câu hỏi")
	}
	return q, nil
}

// CountNew counts a tenant's questions waiting for an answer.
func CountNew(ctx context.Context, idb bun.IDB, tenantID string) (int, error) {
	n, err := idb.NewSelect().Model((*Question)(nil)).Where("q.tenant_id = ? AND q.state = ?", tenantID, StateNew).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count new questions: %w", err)
	}
	return int(n), nil
}
