// Package media is each tenant's library of images, documents and videos:
// safe uploads, renditions made off the request path, serving on the
// tenant's own hosts, and a reconciler that keeps the object store and the
// database in agreement.
//
// # Uploads
//
// An upload (console form, POST /api/v1/tenants/{slug}/media, or
// [Service.Upload] without HTTP) is streamed: the multipart body is read
// part by part from the connection and the file part is copied into a
// temporary file while it is hashed (SHA-256), so memory stays at a few
// buffers whatever the size. It is refused, leaving no object and no row:
//
//   - when its content is not on the allow-list — JPEG, PNG, WebP, GIF,
//     PDF, DOCX, XLSX, ODT, MP4 — judged from the bytes, never from the name or
//     the client's Content-Type: http.DetectContentType for the classic
//     signatures, and our own checks for WebP (RIFF/WEBP/VP8*), MP4 (a
//     leading ftyp box with an MP4 brand), DOCX/XLSX (a zip whose
//     [Content_Types].xml declares the Word or Excel main part, without
//     macros) and ODT (a zip whose mimetype part names an OpenDocument
//     text, without Basic macros). SVG, HTML, PHP, scripts and everything else: 415
//     media_type_unsupported, decided from the first 512 bytes before the
//     rest is read;
//   - when it is larger than TRANGTIN_MEDIA_MAX_SIZE: 413 media_too_large,
//     as soon as the limit is passed;
//   - when it would take the tenant past TRANGTIN_MEDIA_QUOTA (0 =
//     unlimited; originals and renditions, each stored object counted
//     once): 422 media_quota_exceeded;
//   - for an image: without alt text (400 media_alt_required), with a
//     header that does not parse (422 media_image_invalid), or with more
//     than 40 megapixels (422 media_image_too_large). The pixel count comes
//     from image.DecodeConfig, which reads the header only: a 1 KB "pixel
//     flood" PNG claiming 50,000 × 50,000 is refused without one pixel
//     being decoded.
//
// Images are then stripped of metadata, losslessly (no re-encoding): JPEG
// loses APP1–APP15 except an ICC profile (APP2) and Adobe's colour
// transform (APP14), and its comments; when the EXIF said the photo is
// rotated, a minimal EXIF segment holding only the orientation replaces it, so
// phone photos stay upright. PNG loses tEXt, zTXt, iTXt, eXIf and tIME;
// WebP loses its EXIF and XMP chunks. Anything after the image's end
// marker (a polyglot's payload) is dropped. The stored bytes are hashed
// again and named blob.Key(tenant, sha256, ext).
//
// The client's file name is kept, cleaned, as a display name only: a
// name like "../../etc/passwd" is shown as "passwd" and never reaches a
// path or a key.
//
// # Consistency
//
// Upload writes the object first, then commits the row (and its
// renditions job) in one transaction; if the transaction fails the object
// is deleted again unless another row uses it. The same content uploaded
// twice in a tenant gets two rows (each with its own alt text and
// caption) sharing one object. Deletion removes rows and then the objects
// no other row uses, inside the same transaction. Commit, deletion and the
// reconciler decide "is this object still used" under a per-tenant lock (a
// transaction-scoped advisory lock on PostgreSQL, SQLite's write lock),
// and a commit re-checks under that lock that its object exists, writing
// it again if a concurrent deletion took it. A store outage fails the
// upload with 503 media_store_unavailable and no row.
//
// The reconciler (job media.reconcile, one per hour, each run scheduling
// the next) lists every tenant's prefix, deletes objects that no row
// refers to and that are older than an hour (the window an upload needs
// between its object and its row), and logs rows whose object is missing.
//
// Deleting a media used by an item that is published, withdrawn (still
// public, with its notice) or scheduled is refused with 409 media_in_use
// naming those items. Usage is not stored: it is read from posts (body
// containing "/media/<id>" or featured_media_id = id), see [Usage].
//
// # Renditions
//
// The durable job media.renditions (unique key per media) makes widths
// 320, 640 and 1280 — never wider than the original — in the original's
// format: JPEG, PNG, and GIF from its first frame; an animated GIF gets
// none, so pages keep the animation. Pure Go (disintegration/imaging and
// golang.org/x/image), so the binary stays cgo-free; the EXIF orientation
// is applied. WebP renditions are not made: golang.org/x/image has a WebP
// decoder but no encoder, and no pure-Go encoder is mature, so a WebP
// original gets JPEG renditions (PNG when it has transparency). At most
// one image is decoded at a time per process (a 40-megapixel image takes
// 160 MB decoded).
//
// # Serving
//
// A tenant's site serves its media, and only its own, at
//
//	/media/<media-id>/<file-name>       the original
//	/media/<media-id>/r/<width>.<ext>   a rendition
//
// looked up by (tenant of the host, media id): another tenant's host
// answers 404 for any id or name. The answer carries the detected
// Content-Type, X-Content-Type-Options: nosniff, Content-Disposition
// (attachment for PDF, DOCX, XLSX and ODT), Cache-Control: public,
// max-age=31536000, immutable (an address never changes content), a
// strong ETag from the content hash (If-None-Match → 304), Accept-Ranges
// and single byte ranges (206, 416) for video. Media are served whatever
// the state of the items using them: a draft's image can be fetched by
// anyone who knows its id, a UUIDv7 with 74 random bits, which is as
// unguessable as a session token; checking item states on every image
// request would cost a query per image and break images shared by a draft
// and a published item.
//
// In the console, /t/<slug>/thu-vien is the library (grid, search,
// filters, usage, upload) and previews are served on the admin host under
// /t/<slug>/thu-vien/<id>/tep/…, so tenants without a site see them too.
//
// # Streaming and fasthttp
//
// Fiber is configured with StreamRequestBody, but fasthttp still parses a
// multipart body of known length before any handler runs, keeping files up
// to 16 MB in memory, unless the server's DisablePreParseMultipartForm is
// set. With it set, an upload goes from the socket to the temporary file
// through a 64 KB buffer; without it the handler falls back to the form
// fasthttp parsed. The console's CSRF check reads the token from the form
// action's query string (?_csrf=), so it never parses the body either.
package media
