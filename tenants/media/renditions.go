package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"strconv"

	"github.com/disintegration/imaging"
	"github.com/uptrace/bun"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/db"
	"github.com/trangtin/trangtin/platform/errs"
	"github.com/trangtin/trangtin/platform/jobs"
)

// renditionsPayload is the input of a JobRenditions job.
type renditionsPayload struct {
	MediaID string `json:"media_id"`
}

// jpegQuality is the quality of JPEG renditions.
const jpegQuality = 82

// RenditionsJob makes the missing renditions of one image: every width of
// Options.Widths narrower than the image (never upscaled), in the
// original's format (JPEG, PNG, GIF from its first frame). WebP cannot be
// written in pure Go, so a WebP original gets JPEG renditions (PNG when it
// has transparency); an animated GIF gets none, so it keeps moving. It is
// idempotent: objects and rows that exist are kept.
func (s *Service) RenditionsJob(ctx context.Context, j *jobs.Job) error {
	var p renditionsPayload
	if err := j.Decode(&p); err != nil {
		return jobs.Permanent(err)
	}
	m, err := Get(ctx, s.db, j.TenantID, p.MediaID)
	if errs.Is(err, errs.KindNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	made, err := s.render(ctx, m)
	if err != nil {
		return err
	}
	return db.InTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		if err := lockTenant(ctx, tx, m.TenantID); err != nil {
			return err
		}
		if _, err := Get(ctx, tx, m.TenantID, m.ID); err != nil {
			if errs.Is(err, errs.KindNotFound) {
				return j.CompleteTx(ctx, tx) // deleted while resizing: the reconciler takes the objects
			}
			return err
		}
		for i := range made {
			r := &made[i]
			if _, err := s.store.Stat(ctx, r.ObjectKey); err != nil {
				return fmt.Errorf("rendition %d of media %s: %w", r.Width, m.ID, err)
			}
			if _, err := tx.NewInsert().Model(r).On("CONFLICT (tenant_id, media_id, width) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("insert rendition: %w", err)
			}
		}
		return j.CompleteTx(ctx, tx)
	})
}

// render resizes m into the widths it lacks and stores the objects.
func (s *Service) render(ctx context.Context, m *Media) ([]Rendition, error) {
	var widths []int
	have := map[int]bool{}
	for _, r := range m.Renditions {
		have[r.Width] = true
	}
	for _, w := range s.opts.Widths {
		if w < m.Width && !have[w] {
			widths = append(widths, w)
		}
	}
	if m.Kind != KindImage || len(widths) == 0 {
		return nil, nil
	}
	img, format, err := s.decode(ctx, m)
	if err != nil || img == nil {
		return nil, err
	}
	var out []Rendition
	for _, w := range widths {
		small := imaging.Resize(img, w, 0, imaging.Lanczos)
		var buf bytes.Buffer
		if err := imaging.Encode(&buf, small, format, imaging.JPEGQuality(jpegQuality)); err != nil {
			return nil, fmt.Errorf("encode rendition: %w", err)
		}
		ext := map[imaging.Format]string{imaging.JPEG: "jpg", imaging.PNG: "png", imaging.GIF: "gif"}[format]
		r := Rendition{
			TenantID: m.TenantID, MediaID: m.ID, Width: w, Height: small.Bounds().Dy(), Format: ext,
			ObjectKey: blob.Key(m.TenantID, m.SHA256, "-"+strconv.Itoa(w)+"."+ext),
			Size:      int64(buf.Len()), CreatedAt: s.now(),
		}
		if _, err := s.store.Put(ctx, r.ObjectKey, &buf, r.Size, extType(ext)); err != nil {
			return nil, fmt.Errorf("store rendition: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// decode reads the original of m upright (EXIF orientation applied) and
// picks the renditions' format; a nil image means none are to be made.
// One decode runs at a time per process.
func (s *Service) decode(ctx context.Context, m *Media) (image.Image, imaging.Format, error) {
	select {
	case s.decoding <- struct{}{}:
		defer func() { <-s.decoding }()
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	obj, err := s.store.Open(ctx, m.ObjectKey)
	if err != nil {
		return nil, 0, fmt.Errorf("open media %s: %w", m.ID, err)
	}
	defer obj.Close()
	// The header is checked again: a row written by older code, or an
	// object replaced behind our back, must not get a big decode.
	cfg, _, err := image.DecodeConfig(obj)
	if err != nil || int64(cfg.Width)*int64(cfg.Height) > s.opts.MaxPixels {
		return nil, 0, jobs.Permanent(fmt.Errorf("media %s: image header unreadable or too large", m.ID))
	}
	if _, err := obj.Seek(0, io.SeekStart); err != nil {
		return nil, 0, err
	}
	format := imaging.JPEG
	switch m.ContentType {
	case typePNG.ContentType:
		format = imaging.PNG
	case typeGIF.ContentType:
		format = imaging.GIF
		if n, err := gifFrames(obj); err != nil || n > 1 {
			return nil, 0, nil
		}
		if _, err := obj.Seek(0, io.SeekStart); err != nil {
			return nil, 0, err
		}
	}
	img, err := imaging.Decode(obj, imaging.AutoOrientation(true))
	if err != nil {
		return nil, 0, jobs.Permanent(fmt.Errorf("decode media %s: %w", m.ID, err))
	}
	if o, ok := img.(interface{ Opaque() bool }); m.ContentType == typeWebP.ContentType && ok && !o.Opaque() {
		format = imaging.PNG
	}
	return img, format, nil
}
