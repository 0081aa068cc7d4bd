-- Editions and review rules of the workflow (issue 15).
--
-- The text of a published item no longer changes in place: an edit goes
-- into the item's pending edition (one at most), which goes through review
-- and replaces the live text only when published. Each review round starts
-- at a revision number (review_from): who saved a revision after it may not
-- approve. forced_by names who published a text unreviewed: they may not be
-- the one who marks it reviewed. Edition steps are recorded among the
-- item's transitions, marked edition.
ALTER TABLE posts ADD COLUMN review_from INTEGER NOT NULL DEFAULT 0;
--bun:split
ALTER TABLE posts ADD COLUMN forced_by TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE post_transitions ADD COLUMN edition BOOLEAN NOT NULL DEFAULT FALSE;
--bun:split
-- Who force-published the items still marked "not reviewed": the actor of
-- their last step to published.
UPDATE posts SET forced_by = COALESCE((
    SELECT t.actor_id FROM post_transitions t
    WHERE t.tenant_id = posts.tenant_id AND t.post_id = posts.id AND t.to_status = 'published'
    ORDER BY t.created_at DESC, t.id DESC LIMIT 1), '')
WHERE not_reviewed;
--bun:split
-- Items under review: the round began with their last submission.
UPDATE posts SET review_from = COALESCE((
    SELECT MAX(r.number) FROM post_revisions r
    WHERE r.tenant_id = posts.tenant_id AND r.post_id = posts.id
      AND r.created_at <= (SELECT MAX(t.created_at) FROM post_transitions t
                           WHERE t.tenant_id = posts.tenant_id AND t.post_id = posts.id AND t.to_status = 'submitted')), 0)
WHERE status IN ('submitted', 'approved', 'scheduled');
--bun:split
CREATE TABLE post_editions (
    tenant_id     TEXT NOT NULL,
    post_id       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'approved')),
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    type          TEXT NOT NULL,
    section_id    TEXT,
    fields        TEXT NOT NULL DEFAULT '',
    event_date    DATE,
    byline        TEXT NOT NULL DEFAULT '',
    based_on      INTEGER NOT NULL,
    review_from   INTEGER NOT NULL DEFAULT 0,
    lint_errors   INTEGER NOT NULL DEFAULT 0,
    lint_warnings INTEGER NOT NULL DEFAULT 0,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, post_id),
    FOREIGN KEY (tenant_id, post_id) REFERENCES posts (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, section_id) REFERENCES sections (tenant_id, id)
);
--bun:split
CREATE INDEX post_editions_tenant_status_idx ON post_editions (tenant_id, status, updated_at);
