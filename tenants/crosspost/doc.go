// Package crosspost moves items up the organisation: a child tenant
// (office, unit, union) sends an item to its parent's editorial board, the
// board accepts, returns or refuses it from its inbox, and the parent's
// editors pull published items of any descendant themselves. An accepted
// or pulled item becomes a new item of the parent, with its media copied
// into the parent's storage and a provenance link (origin tenant, item and
// revision) that keeps the copy honest.
//
// # Decisions
//
//   - Sending: approved, scheduled and published items; a tenant without a
//     site (offices, unions, units waiting for a licence) also sends
//     drafts, by their author or an editor. The item needs a field of the
//     sector and no presentation errors. One live submission per item; a
//     re-send after "returned" continues it (first_sent_at never moves).
//     counts is false for republished press items and for copies of other
//     tenants' items.
//   - Accepting copies the revision that was sent (origin_revision); if the
//     original moved on since, the copy starts marked "source changed".
//     Publishing at once needs post:publish and a site; the copy goes
//     through the same checks as any publication.
//   - Inbox: only what direct children sent (and what the tenant pulled).
//     A grandparent does not see its grandchildren's submissions.
//   - Pulling reaches every descendant (the brief's "published items of all
//     descendants"), recorded as origin "pulled", accepted at once, never
//     counted. An item has one live submission at a time, so an item sent
//     to its own parent is taken from that parent's copy instead.
//   - Staying in step: an edit of the original's title, summary or body
//     marks the copy (never updates it); the editor compares and updates
//     with one click, as a new revision of the copy. Withdrawing or
//     unpublishing the original withdraws the submission and, in the same
//     transaction, the copy: a public copy shows the notice WithdrawNotice,
//     one not yet public is unpublished; copies of copies follow.
//   - Republished press items stay republished and locked in the copy,
//     which must cite a valid agreement of the receiving tenant's own
//     register with the same outlet (reuse rights are the publisher's).
//   - Media: CopyMedia copies every picture into the receiving tenant's
//     storage; without it an item with pictures is refused (503), never
//     hot-linked.
//
// Lock order: an item, then its submission, then the copy. Every query
// names its tenant: submissions by parent (inbox) or by child (outbox,
// the item's own), items by their tenant.
package crosspost
