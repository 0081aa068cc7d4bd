// Package pagecache keeps whole public pages in memory and serves them
// before any per-request work beyond the request id, the security headers
// and the access log: a burst of readers on one page costs one render.
// Hits are answered by Front in the server's own handler, before the
// Fiber app; Handler, the outer app's first middleware, answers the rest
// and renders, once per key, what is missing.
//
// Decisions:
//   - Never stale. Each entry records the content generation of its tenant
//     and the tenant registry's generation read before the page was
//     rendered; a hit requires both to be unchanged. Content generations
//     are bumped by database triggers (migration 20261204500001) on every
//     table that feeds public pages, in the writing transaction, so no code
//     path can forget; TestTablesFeedingPagesBumpGenerations fails for a
//     new tenant table without its trigger. An entry is also never served
//     on a later Vietnam calendar day than it was rendered: a page can
//     change with the date alone (a document past its expiry day is
//     marked "Hết hiệu lực" without any write).
//   - Seen at once by the writing process, within a poll by the others.
//     Generations hooks the bun database: a write (or a COMMIT) marks the
//     in-memory generations dirty, and the next lookup reloads them first;
//     other replicas notice through Run's poll (count and sum of the rows,
//     one indexed scan, reloaded only when they moved).
//   - Bounded. Entries live in shards, each a least-recently-used list with
//     a byte budget (body, compressed body and key counted); an entry over
//     1/16 of a shard's budget is never stored. Keys are capped in length,
//     query parameters outside a known list make a request uncacheable
//     (tracking parameters are dropped from the key), and only 200 answers
//     are stored: random paths (404) and long queries cannot push pages out.
//   - One render per key: concurrent misses wait for the first one.
//   - Never for the admin host, a request with a session cookie or an
//     Authorization header, anything but GET/HEAD, a response that sets a
//     cookie or streams its body, or a non-200 answer.
package pagecache
