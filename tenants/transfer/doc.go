// Package transfer moves one tenant between platforms, or copies it within
// one under a new slug: Export writes its content to a portable archive and
// Import loads such an archive as a new tenant (`trangtin export` and
// `trangtin import`).
//
// # Archive
//
// A gzip'd tar whose first entry is manifest.json (format
// "trangtin-tenant/1": the source tenant with its slug, name, kind, parent
// slug, site, quota and branding; when it was exported; the exporting
// platform's base domain and database; the row count of every table; the
// media objects with their original keys; and the size and SHA-256 of every
// other file), then data/<table>.jsonl, one JSON object per row, and
// objects/<sha256><suffix>, each media object and rendition once.
//
// Rows are written the same way whichever database they come from: times
// as RFC 3339 in UTC, dates as YYYY-MM-DD, booleans as JSON booleans,
// integers as numbers, NULL as null. The columns are read from the
// database's own schema, so a column added by a later migration travels
// without a change here; an importer refuses a column it does not have.
//
// The tables: tenants (the one row), tenant_domains, tenant_settings,
// sections, agreements, media, media_renditions, posts, post_fields,
// post_revisions, post_transitions, post_editions, post_documents,
// post_attachments, board_decisions, board_members,
// board_member_sections, board_member_fields, board_history, and the
// agency pages' site_settings and site_leaders. Not
// exported: accounts and board roles (authz_assignments), audit events,
// jobs, notifications, submissions between tenants, citizens' questions
// (they carry the askers' contacts) and the quota tables
// (a quota is the parent's business, and the parent may change).
//
// Export reads every row in one read-only transaction (repeatable read on
// PostgreSQL; a WAL snapshot on SQLite, which does not block writers) and
// streams the objects from the media store inside it. Files are staged next
// to the output and the archive is written to a temporary file renamed
// into place, so a failure never leaves a truncated archive. The archive is
// created with mode 0600: it holds board members' contact details.
//
// # Import decisions
//
//   - Ids: the tenant gets a new id; every other id (items, revisions,
//     sections, media, board members, agreements) is kept. Every key leads
//     with tenant_id, so the copy cannot clash with the original on the
//     same platform, and links inside the content (/media/<id>/...,
//     featured_media_id, section_id, agreement_id) stay valid as they are.
//   - Media: objects are re-stored under the new tenant's prefix,
//     t/<old id>/... becoming t/<new id>/..., and object_key follows.
//     The new tenant shares no object with the original: deleting either's
//     media leaves the other's intact.
//   - Links: absolute links in item bodies (and revisions, and the logo)
//     that point at the old tenant's hosts (<old slug>.<old base domain>
//     and its registered domains) are rewritten to <new slug>.<base
//     domain>. Relative links need nothing.
//   - Domains belong to the old site and are not registered by default;
//     with WithDomains, those free here are.
//   - Provenance (posts.origin_tenant_id, origin_post_id, source_*) keeps
//     its values: it names another tenant, possibly on another platform,
//     and records where a copy came from, which the move does not change.
//     Author and actor ids (author_id, updated_by, actor_id, created_by)
//     likewise keep naming the accounts that did the work. A board member
//     stays linked to its account only if that account exists here.
//   - The tenant keeps its name, kind, status, quota and branding; it is
//     onboarded (onboarded_at, created_at) at the time of the import, so no
//     quota week before it counts against it under its new parent.
//   - Items scheduled for publication get their publication job again.
//   - Everything is checked before anything is written: checksums, slug,
//     parent. Objects are stored first, then every row in one transaction;
//     if it fails, the objects are deleted again: a failed import leaves no
//     tenant, no rows and no objects, and can simply be run again.
package transfer
