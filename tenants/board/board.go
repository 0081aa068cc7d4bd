// Package board keeps each tenant's editorial board (Ban Biên tập) as an
// object: the decision that set it up (number, date, signer) and its members
// with their position, job title and written duties, including the sections
// of the site and the fields of the sector each member covers.
//
// Every function takes the tenant's id explicitly and every query filters on
// it, so nothing here can read or change another tenant's board. Every change
// writes a history row (who, when, before and after) in the same
// transaction as the change itself. PublicView returns only what the public
// "Ban Biên tập" page may show.
package board

import (
	"time"

	"github.com/uptrace/bun"
)

// Position is a member's place on the board. Its values are stable codes
// stored in the database; labels and display order come from Positions.
type Position string

// The positions on a board, from the editor-in-chief down.
const (
	PositionChief       Position = "truong-ban"
	PositionDeputy      Position = "pho-ban"
	PositionSecretary   Position = "thu-ky"
	PositionEditor      Position = "bien-tap-vien"
	PositionContributor Position = "cong-tac-vien"
)

// PositionInfo describes one position: its code, its Vietnamese label, its
// rank in display order (1 first) and the board role of the contract
// (`trangtin user grant --role`) that a member in this position usually holds.
type PositionInfo struct {
	Code  Position
	Label string
	Rank  int
	Role  string
}

// Positions lists every position in display order. It returns a new slice
// on each call, so callers may keep or change it freely.
func Positions() []PositionInfo {
	return []PositionInfo{
		{Code: PositionChief, Label: "Trưởng ban", Rank: 1, Role: "editor-in-chief"},
		{Code: PositionDeputy, Label: "Phó ban", Rank: 2, Role: "deputy-editor"},
		{Code: PositionSecretary, Label: "Thư ký", Rank: 3, Role: "secretary"},
		{Code: PositionEditor, Label: "Biên tập viên", Rank: 4, Role: "editor"},
		{Code: PositionContributor, Label: "Cộng tác viên", Rank: 5, Role: "contributor"},
	}
}

// Info returns the description of p and whether p is a known position.
func (p Position) Info() (PositionInfo, bool) {
	for _, x := range Positions() {
		if x.Code == p {
			return x, true
		}
	}
	return PositionInfo{}, false
}

// Valid reports whether p is a known position.
func (p Position) Valid() bool {
	_, ok := p.Info()
	return ok
}

// Label is the Vietnamese name of p (the code itself if p is unknown).
func (p Position) Label() string {
	if i, ok := p.Info(); ok {
		return i.Label
	}
	return string(p)
}

// Rank is p's place in display order; unknown positions sort last.
func (p Position) Rank() int {
	if i, ok := p.Info(); ok {
		return i.Rank
	}
	return 1 << 20
}

// Decision is the decision (quyết định) that set up a tenant's board.
type Decision struct {
	bun.BaseModel `bun:"table:board_decisions"`

	TenantID string `bun:"tenant_id,pk"`
	// Number is the decision's number and symbol, e.g. "125/QĐ-TTDVVL".
	Number string `bun:"decision_no"`
	// Date is the day the decision was signed, stored as midnight UTC of
	// that calendar day (vntext.Date shows it as dd/mm/yyyy).
	Date        time.Time `bun:"decision_date"`
	SignerName  string    `bun:"signer_name"`
	SignerTitle string    `bun:"signer_title"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
	// UpdatedBy is the account id of the last person who set the decision.
	UpdatedBy string `bun:"updated_by"`
}

// SectionRef names a section of the tenant's site a member covers.
type SectionRef struct {
	Slug string
	Name string
}

// FieldRef names a field of the sector (lĩnh vực) a member covers.
type FieldRef struct {
	Code string
	Name string
}

// Member is one person on a board.
type Member struct {
	bun.BaseModel `bun:"table:board_members"`

	TenantID string `bun:"tenant_id,pk"`
	ID       string `bun:"id,pk"`
	// Name is the display name, in NFC.
	Name string `bun:"name"`
	// AccountID links the member to a platform account, when it has one.
	AccountID *string  `bun:"account_id"`
	Position  Position `bun:"position"`
	// JobTitle is the member's post at the unit, e.g. "Giám đốc Trung tâm".
	JobTitle string `bun:"job_title"`
	// Duties is the member's written duties, free text.
	Duties string `bun:"duties"`
	Email  string `bun:"email"`
	Phone  string `bun:"phone"`
	// ContactPublic lets the public page show Email and Phone.
	ContactPublic bool `bun:"contact_public"`
	// Order places the member among those of the same position (1 first).
	Order     int       `bun:"sort_order"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`

	// Sections are the sections the member covers, in the site's order.
	Sections []SectionRef `bun:"-"`
	// Fields are the sector's fields the member covers, in their order.
	Fields []FieldRef `bun:"-"`
}

// SectionSlugs returns the slugs of the sections m covers.
func (m *Member) SectionSlugs() []string {
	out := make([]string, 0, len(m.Sections))
	for _, s := range m.Sections {
		out = append(out, s.Slug)
	}
	return out
}

// FieldCodes returns the codes of the fields m covers.
func (m *Member) FieldCodes() []string {
	out := make([]string, 0, len(m.Fields))
	for _, f := range m.Fields {
		out = append(out, f.Code)
	}
	return out
}

// Board is a tenant's editorial board as its managers see it.
type Board struct {
	TenantID string
	// Decision is nil until one has been set.
	Decision *Decision
	// Members are ordered by position, then order, then name.
	Members []Member
}

// Action names a kind of change in a board's history.
type Action string

// The changes a board's history records.
const (
	ActionSetDecision  Action = "decision.set"
	ActionAddMember    Action = "member.add"
	ActionUpdateMember Action = "member.update"
	ActionRemoveMember Action = "member.remove"
)

// Label is the Vietnamese name of the action.
func (a Action) Label() string {
	switch a {
	case ActionSetDecision:
		return "Cập nhật quyết định thành lập"
	case ActionAddMember:
		return "Thêm thành viên"
	case ActionUpdateMember:
		return "Sửa thông tin thành viên"
	case ActionRemoveMember:
		return "Xóa thành viên"
	}
	return string(a)
}
