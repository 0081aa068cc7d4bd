// Package quota follows every contributor's weekly quota of items sent to
// its parent's editorial board, reminds those behind (đôn đốc), and makes
// the monthly report the Department Office (Văn phòng Sở) sends to the
// Director. Everything is computed with SQL from the cross-posting tables
// (submissions, posts, post_fields) and the tables of this package; nothing
// here depends on the cross-posting code.
//
// # Rules
//
//   - Week: the ISO week, Monday 00:00 to Sunday 24:00 Vietnam time
//     (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), written "2026-W45".
//     A month's report covers the weeks whose Thursday falls in that month
//     and lists them; its period is those weeks' span (for November 2026,
//     02/11 to 29/11), so every item falls in exactly one monthly report.
//     A quarter likewise covers the weeks whose Thursday falls in it.
//   - Contributors of a parent: its child tenants (offices, units, unions;
//     archived ones only when they sent something in the period).
//   - Quota: the contributor's quota per week (default 1 for offices and
//     units, 0 for unions), changed by office staff and platform admins with
//     SetQuota, which keeps its history (quota_history): a change applies
//     from a chosen week on, and every week is judged against the quota in
//     force that week.
//   - Counting: an item counts for the week in which it was first sent
//     (submissions.first_sent_at); a re-send after "returned" continues the
//     same submission and does not count again. Refused items count as sent
//     and are shown as refused. Items with counts = false (republished press
//     items) never count. Items the parent pulled (origin = pulled) do not
//     count; they are listed as "pulled by the Department". A withdrawn
//     submission does not count (a later re-send is a new submission that
//     counts in its own week).
//   - Exempt weeks: marked by office staff for every contributor (Tết,
//     national holidays) or for one contributor, always with a reason
//     (quota_exemptions); weeks that began before the contributor was
//     onboarded (onboarded_at after the week's Monday 00:00); weeks during
//     any part of which the contributor was suspended or archived
//     (tenant_status_history, written by RecordStatus; a tenant that is not
//     active and has no history counts as inactive since its updated_at);
//     and weeks whose quota is 0 (the contributor is not held to a quota).
//     Exempt weeks are neither met nor missed; their items are still shown.
//   - A week is met when its counted items reach the quota (even before it
//     ends), missed when it is over and they do not, open while it runs
//     (and before it starts). Compliance is met ÷ (met + missed).
//   - Report figures per contributor, over the period: sent (counted items),
//     and by their state now: accepted, returned (waiting for a re-send),
//     refused, pending; published = accepted and the parent's copy was
//     published; in-depth items; items per field of the sector; timeliness
//     (median and worst of event→sent and event→published on the parent in
//     calendar days, sent→decision in hours); presentation findings
//     (lint_errors, lint_warnings of the item as it stands). The
//     Department's own activity counts the parent's items first published
//     in the period by type, field and source (own, accepted, pulled,
//     republished). A field no contributor covered is listed as uncovered.
//   - Snapshots: when a month closes (its last week ends) its report is
//     stored as JSON in quota_snapshots and never changed; a new snapshot
//     can be made with a reason. The report of a closed month is served from
//     its latest snapshot when there is one (live on request); the current
//     month is always live.
//   - Reminders: at each slot of TRANGTIN_REMINDER_SCHEDULE (default
//     Thursday and Saturday 09:00, Vietnam time) every contributor whose
//     current week is open (below quota, not exempt) gets an in-console
//     notification and an e-mail to each of its editors-in-chief and
//     site-admins. One job per (contributor, week, slot) and one job per
//     e-mail, each with a unique key, so a restart neither loses nor repeats
//     a reminder. Every Monday 08:00 office staff get a digest of who missed
//     the week before.
package quota
