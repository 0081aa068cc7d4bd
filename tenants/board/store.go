package board

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
)

// Get returns a tenant's board: its decision (nil if none yet) and its
// members ordered by position, then order, then name. A tenant without a
// board gets an empty one.
func Get(ctx context.Context, idb bun.IDB, tenantID string) (*Board, error) {
	b := &Board{TenantID: tenantID, Members: []Member{}}
	d, err := loadDecision(ctx, idb, tenantID)
	if err != nil {
		return nil, err
	}
	b.Decision = d
	var ms []Member
	if err := idb.NewSelect().Model(&ms).Where("tenant_id = ?", tenantID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list board members: %w", err)
	}
	if err := fillRefs(ctx, idb, tenantID, ms); err != nil {
		return nil, err
	}
	sortMembers(ms)
	if ms != nil {
		b.Members = ms
	}
	return b, nil
}

// GetMember returns one member of a tenant's board, or errs.NotFound when
// the tenant has no such member (including a member of another tenant).
func GetMember(ctx context.Context, idb bun.IDB, tenantID, memberID string) (*Member, error) {
	m, err := loadMember(ctx, idb, tenantID, memberID)
	if err != nil {
		return nil, err
	}
	ms := []Member{*m}
	if err := fillRefs(ctx, idb, tenantID, ms); err != nil {
		return nil, err
	}
	return &ms[0], nil
}

// SetDecision records (or replaces) the decision that set up a tenant's
// board, and its history row, in one transaction: idb's own when it is a
// bun.Tx (inside a savepoint), else a new one. actorID is the account
// making the change.
func SetDecision(ctx context.Context, idb bun.IDB, tenantID, actorID string, in DecisionInput) (*Decision, error) {
	now := time.Now().UTC()
	in, err := in.normalize(now)
	if err != nil {
		return nil, err
	}
	if err := checkActor(actorID); err != nil {
		return nil, err
	}
	var out *Decision
	err = idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkTenant(ctx, tx, tenantID); err != nil {
			return err
		}
		before, err := loadDecision(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		d := &Decision{
			TenantID: tenantID, Number: in.Number, Date: in.Date,
			SignerName: in.SignerName, SignerTitle: in.SignerTitle,
			CreatedAt: now, UpdatedAt: now, UpdatedBy: actorID,
		}
		var beforeJSON []byte
		if before != nil {
			d.CreatedAt = before.CreatedAt
			beforeJSON = mustJSON(decisionSnap(before))
			if string(beforeJSON) == string(mustJSON(decisionSnap(d))) {
				out = before
				return nil // nothing changed, nothing to record
			}
			if _, err := tx.NewUpdate().Model(d).WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("update board decision: %w", err)
			}
		} else if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
			return fmt.Errorf("insert board decision: %w", err)
		}
		summary := fmt.Sprintf("Quyết định thành lập Ban Biên tập số %s", d.Number)
		if err := record(ctx, tx, tenantID, actorID, ActionSetDecision, "", summary, beforeJSON, mustJSON(decisionSnap(d)), now); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AddMember adds a member to a tenant's board and records it in the
// history, in one transaction (see SetDecision).
func AddMember(ctx context.Context, idb bun.IDB, tenantID, actorID string, in MemberInput) (*Member, error) {
	in, err := in.normalize()
	if err != nil {
		return nil, err
	}
	if err := checkActor(actorID); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	var out *Member
	err = idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkTenant(ctx, tx, tenantID); err != nil {
			return err
		}
		m := &Member{TenantID: tenantID, ID: db.NewID(), CreatedAt: now}
		if err := apply(ctx, tx, m, in, nil, now); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return memberWriteErr(err, "insert board member")
		}
		if err := writeRefs(ctx, tx, m); err != nil {
			return err
		}
		summary := fmt.Sprintf("Thêm %s (%s)", m.Name, m.Position.Label())
		if err := record(ctx, tx, tenantID, actorID, ActionAddMember, m.ID, summary, nil, mustJSON(memberSnap(m)), now); err != nil {
			return err
		}
		out = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateMember replaces every detail of one member of a tenant's board with
// in, and records before and after in the history, in one transaction (see
// SetDecision). A member the tenant does not have is errs.NotFound. An
// update that changes nothing records nothing.
func UpdateMember(ctx context.Context, idb bun.IDB, tenantID, actorID, memberID string, in MemberInput) (*Member, error) {
	in, err := in.normalize()
	if err != nil {
		return nil, err
	}
	if err := checkActor(actorID); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	var out *Member
	err = idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := GetMember(ctx, tx, tenantID, memberID)
		if err != nil {
			return err
		}
		m := *before
		if err := apply(ctx, tx, &m, in, before, now); err != nil {
			return err
		}
		beforeJSON, afterJSON := mustJSON(memberSnap(before)), mustJSON(memberSnap(&m))
		if string(beforeJSON) == string(afterJSON) {
			out = before
			return nil
		}
		if _, err := tx.NewUpdate().Model(&m).WherePK().ExcludeColumn("created_at").Exec(ctx); err != nil {
			return memberWriteErr(err, "update board member")
		}
		if err := deleteRefs(ctx, tx, tenantID, m.ID); err != nil {
			return err
		}
		if err := writeRefs(ctx, tx, &m); err != nil {
			return err
		}
		summary := fmt.Sprintf("Sửa thông tin %s (%s)", m.Name, m.Position.Label())
		if err := record(ctx, tx, tenantID, actorID, ActionUpdateMember, m.ID, summary, beforeJSON, afterJSON, now); err != nil {
			return err
		}
		out = &m
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RemoveMember takes one member off a tenant's board and records what was
// removed in the history, in one transaction (see SetDecision). A member
// the tenant does not have is errs.NotFound.
func RemoveMember(ctx context.Context, idb bun.IDB, tenantID, actorID, memberID string) error {
	if err := checkActor(actorID); err != nil {
		return err
	}
	now := time.Now().UTC()
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := GetMember(ctx, tx, tenantID, memberID)
		if err != nil {
			return err
		}
		if err := deleteRefs(ctx, tx, tenantID, memberID); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*Member)(nil)).
			Where("tenant_id = ? AND id = ?", tenantID, memberID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete board member: %w", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return memberNotFound()
		}
		summary := fmt.Sprintf("Xóa %s (%s)", before.Name, before.Position.Label())
		return record(ctx, tx, tenantID, actorID, ActionRemoveMember, memberID, summary, mustJSON(memberSnap(before)), nil, now)
	})
}

// Change is one row of a board's history.
type Change struct {
	ID       string
	TenantID string
	Action   Action
	// MemberID is the member changed; "" for the decision.
	MemberID string
	// ActorID is the account that made the change.
	ActorID string
	// Summary says in Vietnamese what changed, for lists.
	Summary string
	// Before and After are the object as JSON; nil where it did not exist.
	Before json.RawMessage
	After  json.RawMessage
	At     time.Time
}

// historyRow is a Change as stored.
type historyRow struct {
	bun.BaseModel `bun:"table:board_history"`

	TenantID  string    `bun:"tenant_id,pk"`
	ID        string    `bun:"id,pk"`
	Action    Action    `bun:"action"`
	MemberID  *string   `bun:"member_id"`
	ActorID   string    `bun:"actor_id"`
	Summary   string    `bun:"summary"`
	Before    *string   `bun:"before_json"`
	After     *string   `bun:"after_json"`
	CreatedAt time.Time `bun:"created_at"`
}

// History returns the latest changes to a tenant's board, newest first. A
// limit of 0 or less means 50; at most 500 rows are returned.
func History(ctx context.Context, idb bun.IDB, tenantID string, limit int) ([]Change, error) {
	if limit <= 0 {
		limit = 50
	}
	if limit > maxHistoryRows {
		limit = maxHistoryRows
	}
	var rows []historyRow
	err := idb.NewSelect().Model(&rows).Where("tenant_id = ?", tenantID).
		OrderExpr("created_at DESC, id DESC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list board history: %w", err)
	}
	out := make([]Change, 0, len(rows))
	for _, r := range rows {
		c := Change{ID: r.ID, TenantID: r.TenantID, Action: r.Action, ActorID: r.ActorID,
			Summary: r.Summary, At: r.CreatedAt}
		if r.MemberID != nil {
			c.MemberID = *r.MemberID
		}
		if r.Before != nil {
			c.Before = json.RawMessage(*r.Before)
		}
		if r.After != nil {
			c.After = json.RawMessage(*r.After)
		}
		out = append(out, c)
	}
	return out, nil
}

// record writes one history row inside tx.
func record(ctx context.Context, tx bun.IDB, tenantID, actorID string, action Action, memberID, summary string, before, after []byte, now time.Time) error {
	r := &historyRow{TenantID: tenantID, ID: db.NewID(), Action: action, ActorID: actorID,
		Summary: summary, CreatedAt: now}
	if memberID != "" {
		r.MemberID = &memberID
	}
	if before != nil {
		s := string(before)
		r.Before = &s
	}
	if after != nil {
		s := string(after)
		r.After = &s
	}
	if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
		return fmt.Errorf("record board change: %w", err)
	}
	return nil
}

// apply copies a normalized input onto m after the checks that need the
// database: sections and fields exist for this tenant, the account is not
// on the board already, and only one member is editor-in-chief. before is
// the member's current state on update, nil on add.
func apply(ctx context.Context, tx bun.IDB, m *Member, in MemberInput, before *Member, now time.Time) error {
	sections, err := resolveSections(ctx, tx, m.TenantID, in.Sections)
	if err != nil {
		return err
	}
	fields, err := resolveFields(ctx, tx, in.Fields)
	if err != nil {
		return err
	}
	m.Name, m.Position, m.JobTitle, m.Duties = in.Name, in.Position, in.JobTitle, in.Duties
	m.Email, m.Phone, m.ContactPublic = in.Email, in.Phone, in.ContactPublic
	m.Sections, m.Fields = sections, fields
	m.AccountID = nil
	if in.AccountID != "" {
		acc := in.AccountID
		m.AccountID = &acc
		q := tx.NewSelect().Model((*Member)(nil)).
			Where("tenant_id = ? AND account_id = ? AND id <> ?", m.TenantID, acc, m.ID)
		n, err := q.Count(ctx)
		if err != nil {
			return fmt.Errorf("check board account: %w", err)
		}
		if n > 0 {
			return errs.Conflict("account_already_member", "Tài khoản này đã là thành viên Ban Biên tập của đơn vị")
		}
	}
	if m.Position == PositionChief {
		n, err := tx.NewSelect().Model((*Member)(nil)).
			Where("tenant_id = ? AND position = ? AND id <> ?", m.TenantID, PositionChief, m.ID).Count(ctx)
		if err != nil {
			return fmt.Errorf("check board chief: %w", err)
		}
		if n > 0 {
			return chiefTaken()
		}
	}
	switch {
	case in.Order > 0:
		m.Order = in.Order
	case before != nil && before.Position == in.Position:
		m.Order = before.Order
	default:
		var last int
		err := tx.NewSelect().Model((*Member)(nil)).ColumnExpr("COALESCE(MAX(sort_order), 0)").
			Where("tenant_id = ? AND position = ? AND id <> ?", m.TenantID, m.Position, m.ID).Scan(ctx, &last)
		if err != nil {
			return fmt.Errorf("find last board order: %w", err)
		}
		m.Order = last + 1
	}
	m.UpdatedAt = now
	return nil
}

// resolveSections maps section slugs to the tenant's sections, refusing any
// slug the tenant does not have. The result is in the site's section order.
func resolveSections(ctx context.Context, idb bun.IDB, tenantID string, slugs []string) ([]SectionRef, error) {
	out := make([]SectionRef, 0, len(slugs))
	if len(slugs) == 0 {
		return out, nil
	}
	var rows []struct {
		Slug string `bun:"slug"`
		Name string `bun:"name"`
	}
	err := idb.NewSelect().Table("sections").Column("slug", "name").
		Where("tenant_id = ? AND slug IN (?)", tenantID, bun.List(slugs)).
		OrderExpr("position, slug").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("check board sections: %w", err)
	}
	known := make(map[string]bool, len(rows))
	for _, r := range rows {
		known[r.Slug] = true
		out = append(out, SectionRef{Slug: r.Slug, Name: r.Name})
	}
	for _, s := range slugs {
		if !known[s] {
			return nil, errs.Invalid("sections", "section_unknown", fmt.Sprintf("Đơn vị không có chuyên mục %q", s))
		}
	}
	return out, nil
}

// resolveFields maps field codes to the sector's fields, refusing unknown
// codes. The result is in the fields' order.
func resolveFields(ctx context.Context, idb bun.IDB, codes []string) ([]FieldRef, error) {
	out := make([]FieldRef, 0, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	var rows []struct {
		Code string `bun:"code"`
		Name string `bun:"name"`
	}
	err := idb.NewSelect().Table("sector_fields").Column("code", "name").
		Where("code IN (?)", bun.List(codes)).OrderExpr("position").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("check board fields: %w", err)
	}
	known := make(map[string]bool, len(rows))
	for _, r := range rows {
		known[r.Code] = true
		out = append(out, FieldRef{Code: r.Code, Name: r.Name})
	}
	for _, c := range codes {
		if !known[c] {
			return nil, errs.Invalid("fields", "field_unknown", fmt.Sprintf("Không có lĩnh vực %q", c))
		}
	}
	return out, nil
}

// writeRefs stores the sections and fields m covers.
func writeRefs(ctx context.Context, tx bun.IDB, m *Member) error {
	if len(m.Sections) > 0 {
		slugs := m.SectionSlugs()
		_, err := tx.NewRaw(`INSERT INTO board_member_sections (tenant_id, member_id, section_id)
			SELECT tenant_id, ?, id FROM sections WHERE tenant_id = ? AND slug IN (?)`,
			m.ID, m.TenantID, bun.List(slugs)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("insert board member sections: %w", err)
		}
	}
	if len(m.Fields) > 0 {
		rows := make([]memberField, 0, len(m.Fields))
		for _, f := range m.Fields {
			rows = append(rows, memberField{TenantID: m.TenantID, MemberID: m.ID, FieldCode: f.Code})
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return fmt.Errorf("insert board member fields: %w", err)
		}
	}
	return nil
}

// deleteRefs removes the sections and fields a member covers.
func deleteRefs(ctx context.Context, tx bun.IDB, tenantID, memberID string) error {
	if _, err := tx.NewDelete().Table("board_member_sections").
		Where("tenant_id = ? AND member_id = ?", tenantID, memberID).Exec(ctx); err != nil {
		return fmt.Errorf("delete board member sections: %w", err)
	}
	if _, err := tx.NewDelete().Model((*memberField)(nil)).
		Where("tenant_id = ? AND member_id = ?", tenantID, memberID).Exec(ctx); err != nil {
		return fmt.Errorf("delete board member fields: %w", err)
	}
	return nil
}

// memberField is one field a member covers, as stored.
type memberField struct {
	bun.BaseModel `bun:"table:board_member_fields"`

	TenantID  string `bun:"tenant_id,pk"`
	MemberID  string `bun:"member_id,pk"`
	FieldCode string `bun:"field_code,pk"`
}

// fillRefs loads the sections and fields of the tenant's members ms.
func fillRefs(ctx context.Context, idb bun.IDB, tenantID string, ms []Member) error {
	if len(ms) == 0 {
		return nil
	}
	idx := make(map[string]int, len(ms))
	ids := make([]string, 0, len(ms))
	for i := range ms {
		idx[ms[i].ID] = i
		ids = append(ids, ms[i].ID)
		ms[i].Sections = []SectionRef{}
		ms[i].Fields = []FieldRef{}
	}
	var srows []struct {
		MemberID string `bun:"member_id"`
		Slug     string `bun:"slug"`
		Name     string `bun:"name"`
	}
	err := idb.NewSelect().TableExpr("board_member_sections AS ms").
		Join("JOIN sections AS s ON s.tenant_id = ms.tenant_id AND s.id = ms.section_id").
		ColumnExpr("ms.member_id, s.slug, s.name").
		Where("ms.tenant_id = ? AND ms.member_id IN (?)", tenantID, bun.List(ids)).
		OrderExpr("s.position, s.slug").Scan(ctx, &srows)
	if err != nil {
		return fmt.Errorf("load board member sections: %w", err)
	}
	for _, r := range srows {
		if i, ok := idx[r.MemberID]; ok {
			ms[i].Sections = append(ms[i].Sections, SectionRef{Slug: r.Slug, Name: r.Name})
		}
	}
	var frows []struct {
		MemberID string `bun:"member_id"`
		Code     string `bun:"code"`
		Name     string `bun:"name"`
	}
	err = idb.NewSelect().TableExpr("board_member_fields AS mf").
		Join("JOIN sector_fields AS f ON f.code = mf.field_code").
		ColumnExpr("mf.member_id, f.code, f.name").
		Where("mf.tenant_id = ? AND mf.member_id IN (?)", tenantID, bun.List(ids)).
		OrderExpr("f.position").Scan(ctx, &frows)
	if err != nil {
		return fmt.Errorf("load board member fields: %w", err)
	}
	for _, r := range frows {
		if i, ok := idx[r.MemberID]; ok {
			ms[i].Fields = append(ms[i].Fields, FieldRef{Code: r.Code, Name: r.Name})
		}
	}
	return nil
}

// sortMembers orders ms by position, then order, then name, then id.
func sortMembers(ms []Member) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := &ms[i], &ms[j]
		if ra, rb := a.Position.Rank(), b.Position.Rank(); ra != rb {
			return ra < rb
		}
		if a.Order != b.Order {
			return a.Order < b.Order
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
}

func loadDecision(ctx context.Context, idb bun.IDB, tenantID string) (*Decision, error) {
	d := new(Decision)
	err := idb.NewSelect().Model(d).Where("tenant_id = ?", tenantID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load board decision: %w", err)
	}
	return d, nil
}

func loadMember(ctx context.Context, idb bun.IDB, tenantID, memberID string) (*Member, error) {
	m := new(Member)
	err := idb.NewSelect().Model(m).Where("tenant_id = ? AND id = ?", tenantID, memberID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, memberNotFound()
	}
	if err != nil {
		return nil, fmt.Errorf("load board member: %w", err)
	}
	return m, nil
}

// checkTenant refuses a tenant id that does not exist.
func checkTenant(ctx context.Context, idb bun.IDB, tenantID string) error {
	n, err := idb.NewSelect().Table("tenants").Where("id = ?", tenantID).Count(ctx)
	if err != nil {
		return fmt.Errorf("check tenant: %w", err)
	}
	if n == 0 {
		return errs.NotFound("tenant_not_found", "Không tìm thấy đơn vị")
	}
	return nil
}

func checkActor(actorID string) error {
	if strings.TrimSpace(actorID) == "" {
		return errs.Invalid("actor", "actor_required", "Không xác định được người thực hiện thay đổi")
	}
	return nil
}

func memberNotFound() error {
	return errs.NotFound("board_member_not_found", "Không tìm thấy thành viên Ban Biên tập")
}

func chiefTaken() error {
	return errs.Conflict("board_chief_taken", "Ban Biên tập đã có Trưởng ban; hãy chuyển Trưởng ban hiện tại sang vị trí khác trước")
}

// memberWriteErr maps a unique violation on a member write (a race the
// checks in apply did not see) to a Conflict.
func memberWriteErr(err error, op string) error {
	if db.IsUniqueViolation(err) {
		if strings.Contains(err.Error(), "one_chief") || strings.Contains(err.Error(), "board_members.tenant_id") && !strings.Contains(err.Error(), "account_id") {
			return chiefTaken()
		}
		return errs.Conflict("account_already_member", "Tài khoản này đã là thành viên Ban Biên tập của đơn vị")
	}
	return fmt.Errorf("%s: %w", op, err)
}

// decisionSnapshot is a decision as its history records it.
type decisionSnapshot struct {
	Number      string `json:"decision_no"`
	Date        string `json:"decision_date"`
	SignerName  string `json:"signer_name"`
	SignerTitle string `json:"signer_title"`
}

func decisionSnap(d *Decision) decisionSnapshot {
	return decisionSnapshot{Number: d.Number, Date: d.Date.UTC().Format(time.DateOnly),
		SignerName: d.SignerName, SignerTitle: d.SignerTitle}
}

// memberSnapshot is a member as its history records it.
type memberSnapshot struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	AccountID     *string  `json:"account_id"`
	Position      Position `json:"position"`
	JobTitle      string   `json:"job_title"`
	Duties        string   `json:"duties"`
	Sections      []string `json:"sections"`
	Fields        []string `json:"fields"`
	Email         string   `json:"email"`
	Phone         string   `json:"phone"`
	ContactPublic bool     `json:"contact_public"`
	Order         int      `json:"order"`
}

func memberSnap(m *Member) memberSnapshot {
	return memberSnapshot{ID: m.ID, Name: m.Name, AccountID: m.AccountID, Position: m.Position,
		JobTitle: m.JobTitle, Duties: m.Duties, Sections: m.SectionSlugs(), Fields: m.FieldCodes(),
		Email: m.Email, Phone: m.Phone, ContactPublic: m.ContactPublic, Order: m.Order}
}

// mustJSON encodes a snapshot; snapshots hold only strings, numbers and
// booleans, so encoding cannot fail.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("board: encode snapshot: %v", err))
	}
	return b
}

// MergeHistory carries tenant from's board history to tenant into, inside
// a merge's transaction (tenants/provision): who sat on the merged
// tenant's board, and when, stays on record with the content it made.
// The members themselves stay with from: into's board is its own.
func MergeHistory(ctx context.Context, tx bun.Tx, from, into string) error {
	if _, err := tx.NewRaw("UPDATE board_history SET tenant_id = ? WHERE tenant_id = ?", into, from).Exec(ctx); err != nil {
		return fmt.Errorf("merge board history: %w", err)
	}
	return nil
}
