package media

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // DecodeConfig of GIF
	_ "image/jpeg" // DecodeConfig of JPEG
	_ "image/png"  // DecodeConfig of PNG
	"io"
	"os"

	_ "golang.org/x/image/webp" // DecodeConfig of WebP

	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/jobs"
)

// Input is one upload.
type Input struct {
	TenantID string
	ActorID  string
	// Name is the client's file name, kept for display only.
	Name string
	// Alt is required for images.
	Alt, Caption, Credit string
	// File is the content.
	File io.Reader
}

// Upload adds a file to a tenant's library without HTTP (demo data,
// imports): see Add.
func (s *Service) Upload(ctx context.Context, tenantID, actorID, name string, r io.Reader, alt, caption string) (*Media, error) {
	return s.Add(ctx, Input{TenantID: tenantID, ActorID: actorID, Name: name, Alt: alt, Caption: caption, File: r})
}

// Add checks and stores one upload: the type is detected from the content
// against the allow-list, the size and the tenant's quota are enforced, an
// image's pixel count is checked before anything decodes it and its
// metadata is stripped; then the object is written and the row committed.
// Any refusal leaves neither object nor row.
func (s *Service) Add(ctx context.Context, in Input) (*Media, error) {
	sp, err := s.receive(ctx, in.TenantID, in.File)
	if err != nil {
		return nil, err
	}
	defer sp.remove()
	return s.commit(ctx, sp, in)
}

// spool is an upload written to a temporary file, hashed on the way.
type spool struct {
	f    *os.File
	size int64
	sha  string
	head []byte
	ft   fileType
}

func (sp *spool) remove() {
	if sp != nil && sp.f != nil {
		_ = sp.f.Close()
		_ = os.Remove(sp.f.Name())
	}
}

// receive streams r into a temporary file, hashing it, and stops as soon as
// the first bytes are not of an allowed type, the file grows past the size
// limit, or the tenant's library is already full. Memory use is a few
// buffers whatever the size.
func (s *Service) receive(ctx context.Context, tenantID string, r io.Reader) (*spool, error) {
	if r == nil {
		return nil, errFileRequired()
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(head) == 0 {
		return nil, errEmpty()
	}
	ft, ok := sniff(head)
	if !ok {
		return nil, errUnsupported()
	}
	if q := s.opts.Quota; q > 0 {
		used, err := usedBytes(ctx, s.db, tenantID)
		if err != nil {
			return nil, err
		}
		if used >= q {
			return nil, errQuota(used, q)
		}
	}
	f, err := os.CreateTemp(s.opts.TempDir, "trangtin-upload-*")
	if err != nil {
		return nil, fmt.Errorf("upload temp file: %w", err)
	}
	sp := &spool{f: f, head: append([]byte(nil), head...), ft: ft}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(br, s.opts.MaxBytes+1))
	switch {
	case err != nil:
		sp.remove()
		return nil, fmt.Errorf("receive upload: %w", err)
	case n > s.opts.MaxBytes:
		sp.remove()
		return nil, errTooLarge(s.opts.MaxBytes)
	}
	sp.size, sp.sha = n, hex.EncodeToString(h.Sum(nil))
	return sp, nil
}

// prepared is an upload that passed every check: the file to store (the
// spool itself, or its copy without metadata) and what to record.
type prepared struct {
	f      *os.File
	size   int64
	sha    string
	ft     fileType
	width  int
	height int
	own    bool // f is a copy to remove
}

func (p *prepared) remove() {
	if p.own {
		_ = p.f.Close()
		_ = os.Remove(p.f.Name())
	}
}

// prepare runs the checks that need the whole file and strips images.
func (s *Service) prepare(sp *spool, alt string) (*prepared, error) {
	ft := sp.ft
	if ft == typeDOCX { // any zip: look inside
		var err error
		if ft, err = checkOOXML(sp.f, sp.size); err != nil {
			s.log.Info("media upload refused", "reason", err.Error())
			return nil, errUnsupported()
		}
	}
	if ft.Kind != KindImage {
		return &prepared{f: sp.f, size: sp.size, sha: sp.sha, ft: ft}, nil
	}
	if alt == "" {
		return nil, errAltRequired()
	}
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("rewind upload: %w", err)
	}
	// DecodeConfig reads the header only: no pixel is decoded here.
	cfg, format, err := image.DecodeConfig(bufio.NewReader(sp.f))
	if err != nil || format != map[string]string{"jpg": "jpeg", "png": "png", "gif": "gif", "webp": "webp"}[ft.Ext] {
		return nil, errImageInvalid()
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > s.opts.MaxPixels {
		return nil, errPixels(cfg.Width, cfg.Height, s.opts.MaxPixels)
	}
	p, orientation, err := s.strip(sp, ft)
	if err != nil {
		return nil, err
	}
	p.width, p.height = cfg.Width, cfg.Height
	if orientation >= 5 { // rotated by a quarter turn: shown the other way round
		p.width, p.height = cfg.Height, cfg.Width
	}
	return p, nil
}

// strip copies the spooled image without its metadata into a new
// temporary file, hashing the copy (the stored bytes).
func (s *Service) strip(sp *spool, ft fileType) (*prepared, int, error) {
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return nil, 0, fmt.Errorf("rewind upload: %w", err)
	}
	if ft == typeGIF { // GIF metadata is comments and application blocks: harmless, kept
		return &prepared{f: sp.f, size: sp.size, sha: sp.sha, ft: ft}, 1, nil
	}
	out, err := os.CreateTemp(s.opts.TempDir, "trangtin-clean-*")
	if err != nil {
		return nil, 0, fmt.Errorf("upload temp file: %w", err)
	}
	p := &prepared{f: out, ft: ft, own: true}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(out, h)}
	bw := bufio.NewWriterSize(cw, 64<<10)
	orientation := 1
	switch ft {
	case typeJPEG:
		orientation, err = stripJPEG(bufio.NewReaderSize(sp.f, 64<<10), bw)
	case typePNG:
		err = stripPNG(bufio.NewReaderSize(sp.f, 64<<10), bw)
	case typeWebP:
		err = stripWebP(sp.f, sp.size, bw)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		p.remove()
		if errors.Is(err, errTruncated) || !isIOError(err) {
			return nil, 0, errImageInvalid()
		}
		return nil, 0, fmt.Errorf("strip metadata: %w", err)
	}
	p.size, p.sha = cw.n, hex.EncodeToString(h.Sum(nil))
	return p, orientation, nil
}

// isIOError tells a failure of the temporary files from bad image data.
func isIOError(err error) bool {
	var pe *os.PathError
	return errors.As(err, &pe)
}

// countWriter counts what passes through.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// commit stores the prepared upload: the object first, then the row (with
// the renditions job) in one transaction. When the transaction fails the
// object is removed again unless another row uses it.
func (s *Service) commit(ctx context.Context, sp *spool, in Input) (*Media, error) {
	alt, caption, credit := cleanText(in.Alt, 500), cleanText(in.Caption, 2000), cleanText(in.Credit, 200)
	p, err := s.prepare(sp, alt)
	if err != nil {
		return nil, err
	}
	defer p.remove()
	now := s.now()
	m := &Media{
		TenantID: in.TenantID, ID: db.NewID(), Kind: p.ft.Kind, ContentType: p.ft.ContentType,
		Size: p.size, SHA256: p.sha, ObjectKey: blob.Key(in.TenantID, p.sha, "."+p.ft.Ext),
		Name: cleanName(in.Name), Width: p.width, Height: p.height,
		Alt: alt, Caption: caption, Credit: credit, CreatedBy: in.ActorID, CreatedAt: now, UpdatedAt: now,
	}
	same, err := sameContent(ctx, s.db, m.TenantID, m.SHA256, m.ObjectKey)
	if err != nil {
		return nil, err
	}
	if err := s.checkQuota(ctx, s.db, m, same != nil); err != nil {
		return nil, err
	}
	wrote := false
	if same == nil { // new content: write the object before the row exists
		if err := s.put(ctx, p, m); err != nil {
			return nil, err
		}
		wrote = true
	}
	err = db.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockTenant(ctx, tx, m.TenantID); err != nil {
			return err
		}
		if err := s.checkQuota(ctx, tx, m, same != nil); err != nil {
			return err
		}
		// A deletion or the reconciler may have removed a shared object
		// since it was checked: under the lock, make sure it is there.
		if _, err := s.store.Stat(ctx, m.ObjectKey); blob.IsNotFound(err) {
			if err := s.put(ctx, p, m); err != nil {
				return err
			}
			wrote = true
		} else if err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return fmt.Errorf("insert media: %w", err)
		}
		return s.enqueueRenditions(ctx, tx, m)
	})
	if err != nil {
		if wrote {
			s.removeIfUnused(context.WithoutCancel(ctx), m.TenantID, m.ObjectKey)
		}
		return nil, err
	}
	s.opts.Notify()
	return Get(ctx, s.db, m.TenantID, m.ID)
}

// put writes the prepared file under the media's key.
func (s *Service) put(ctx context.Context, p *prepared, m *Media) error {
	if _, err := p.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("rewind upload: %w", err)
	}
	if _, err := s.store.Put(ctx, m.ObjectKey, p.f, p.size, m.ContentType); err != nil {
		return fmt.Errorf("store media: %w", err)
	}
	return nil
}

// checkQuota refuses an upload that would take the tenant's library past
// its quota; content the library already holds costs nothing.
func (s *Service) checkQuota(ctx context.Context, idb bun.IDB, m *Media, stored bool) error {
	q := s.opts.Quota
	if q <= 0 || stored {
		return nil
	}
	used, err := usedBytes(ctx, idb, m.TenantID)
	if err != nil {
		return err
	}
	if used+m.Size > q {
		return errQuota(used, q)
	}
	return nil
}

// enqueueRenditions adds the renditions job of an image wider than the
// smallest rendition, in the transaction that adds its row.
func (s *Service) enqueueRenditions(ctx context.Context, tx bun.Tx, m *Media) error {
	if m.Kind != KindImage || m.Width <= s.opts.Widths[0] {
		return nil
	}
	_, _, err := jobs.Enqueue(ctx, tx, jobs.Job{
		Kind: JobRenditions, TenantID: m.TenantID, UniqueKey: "media.renditions:" + m.ID,
		Payload: renditionsPayload{MediaID: m.ID}, MaxAttempts: 5,
	})
	return err
}

// removeIfUnused deletes an object unless a row of the tenant refers to it,
// deciding under the tenant's media lock. Failures are logged: the object
// is then an orphan the reconciler removes.
func (s *Service) removeIfUnused(ctx context.Context, tenantID, key string) {
	err := db.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockTenant(ctx, tx, tenantID); err != nil {
			return err
		}
		used, err := keyInUse(ctx, tx, tenantID, key)
		if err != nil || used {
			return err
		}
		return s.store.Delete(ctx, key)
	})
	if err != nil {
		s.log.Warn("media object left for the reconciler", "tenant", tenantID, "key", key, "err", err)
	}
}
