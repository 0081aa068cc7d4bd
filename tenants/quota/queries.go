package quota

import (
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/db"
)

// dialectSQL is a query written for each database. SQLite plans every
// join below as index lookups. PostgreSQL would rather hash-join the
// period's submissions against every post and field row ever written, work
// that grows with the years of history; LATERAL subqueries (kept from being
// flattened by LIMIT 1 or OFFSET 0) make it probe the indexes once per
// submission instead, so the report costs what the month holds.
type dialectSQL struct{ pg, sqlite string }

// For is the text for idb's database.
func (q dialectSQL) For(idb bun.IDB) string {
	if db.IsPostgres(idb) {
		return q.pg
	}
	return q.sqlite
}

// itemsSQL is the report's main query: every submission to the parent first
// sent in the period (a range of submissions_parent_first_sent_idx), with
// the item's event date and findings and the parent copy's first
// publication (index-only probes of posts_report_idx). Arguments: parent,
// from, to.
func itemsSQL() dialectSQL {
	return dialectSQL{
		pg: `SELECT s.id, COALESCE(s.contributor_id, s.child_tenant_id) AS child_tenant_id, s.origin, s.state, s.post_type, s.counts, s.first_sent_at, s.sent_at,
       s.decided_at, p.event_date, p.lint_errors, p.lint_warnings, c.first_published_at AS copy_published_at
FROM submissions AS s
CROSS JOIN LATERAL (SELECT p.event_date, p.lint_errors, p.lint_warnings FROM posts AS p
     WHERE p.tenant_id = s.child_tenant_id AND p.id = s.post_id LIMIT 1) AS p
LEFT JOIN LATERAL (SELECT c.first_published_at FROM posts AS c
     WHERE c.tenant_id = s.parent_tenant_id AND c.id = s.accepted_post_id LIMIT 1) AS c ON TRUE
WHERE s.parent_tenant_id = ? AND s.first_sent_at >= ? AND s.first_sent_at < ?`,
		sqlite: `SELECT s.id, COALESCE(s.contributor_id, s.child_tenant_id) AS child_tenant_id, s.origin, s.state, s.post_type, s.counts, s.first_sent_at, s.sent_at,
       s.decided_at, p.event_date, p.lint_errors, p.lint_warnings, c.first_published_at AS copy_published_at
FROM submissions AS s
JOIN posts AS p ON p.tenant_id = s.child_tenant_id AND p.id = s.post_id
LEFT JOIN posts AS c ON c.tenant_id = s.parent_tenant_id AND c.id = s.accepted_post_id
WHERE s.parent_tenant_id = ? AND s.first_sent_at >= ? AND s.first_sent_at < ?`,
	}
}

// fieldsSQL counts the counted items per child and field, probing the
// primary key of post_fields once per submission. Arguments: parent, from,
// to.
func fieldsSQL() dialectSQL {
	return dialectSQL{
		pg: `SELECT COALESCE(s.contributor_id, s.child_tenant_id) AS child_tenant_id, f.field_code, COUNT(*) AS n
FROM submissions AS s
CROSS JOIN LATERAL (SELECT f.field_code FROM post_fields AS f
     WHERE f.tenant_id = s.child_tenant_id AND f.post_id = s.post_id OFFSET 0) AS f
WHERE s.parent_tenant_id = ? AND s.first_sent_at >= ? AND s.first_sent_at < ?
  AND s.origin = 'sent' AND s.counts AND s.state <> 'withdrawn'
GROUP BY COALESCE(s.contributor_id, s.child_tenant_id), f.field_code`,
		sqlite: `SELECT COALESCE(s.contributor_id, s.child_tenant_id) AS child_tenant_id, f.field_code, COUNT(*) AS n
FROM submissions AS s
JOIN post_fields AS f ON f.tenant_id = s.child_tenant_id AND f.post_id = s.post_id
WHERE s.parent_tenant_id = ? AND s.first_sent_at >= ? AND s.first_sent_at < ?
  AND s.origin = 'sent' AND s.counts AND s.state <> 'withdrawn'
GROUP BY COALESCE(s.contributor_id, s.child_tenant_id), f.field_code`,
	}
}

// departmentSQL counts the parent's items first published in the period
// (posts_tenant_first_published_idx) by type and by the origin of the
// submission they are the copy of (submissions_parent_accepted_idx).
// Arguments: parent, from, to.
func departmentSQL() dialectSQL {
	return dialectSQL{
		pg: `SELECT p.type, COALESCE(s.origin, '') AS origin, COUNT(*) AS n
FROM posts AS p
LEFT JOIN LATERAL (SELECT s.origin FROM submissions AS s
     WHERE s.parent_tenant_id = p.tenant_id AND s.accepted_post_id = p.id LIMIT 1) AS s ON TRUE
WHERE p.tenant_id = ? AND p.first_published_at >= ? AND p.first_published_at < ?
GROUP BY p.type, COALESCE(s.origin, '')`,
		sqlite: `SELECT p.type, COALESCE((SELECT s.origin FROM submissions AS s
     WHERE s.parent_tenant_id = p.tenant_id AND s.accepted_post_id = p.id LIMIT 1), '') AS origin, COUNT(*) AS n
FROM posts AS p
WHERE p.tenant_id = ? AND p.first_published_at >= ? AND p.first_published_at < ?
GROUP BY 1, 2`,
	}
}
