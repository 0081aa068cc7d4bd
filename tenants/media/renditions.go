package media

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"sort"
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

// render resizes m into the widths it lacks and stores the objects. The
// image's pixels are taken from the process's budget before it is decoded
// and given back once its renditions are stored, so images wait for each
// other rather than being decoded all at once.
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
	obj, err := s.store.Open(ctx, m.ObjectKey)
	if err != nil {
		return nil, fmt.Errorf("open media %s: %w", m.ID, err)
	}
	defer obj.Close()
	// The header is checked again: a row written by older code, or an
	// object replaced behind our back, must not get a big decode.
	cfg, _, err := image.DecodeConfig(obj)
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if err != nil || pixels > s.opts.MaxPixels {
		return nil, jobs.Permanent(fmt.Errorf("media %s: image header unreadable or too large", m.ID))
	}
	weight := min(max(pixels, 1), s.opts.DecodeBudget)
	if err := s.pixels.Acquire(ctx, weight); err != nil {
		return nil, err
	}
	defer s.pixels.Release(weight)
	img, format, err := s.decode(m, obj)
	if err != nil || img == nil {
		return nil, err
	}
	return s.resize(ctx, m, img, format, widths)
}

// resize makes and stores one rendition per width, widest first, each from
// the one before (the full image is read once).
func (s *Service) resize(ctx context.Context, m *Media, img image.Image, format imaging.Format, widths []int) ([]Rendition, error) {
	sort.Sort(sort.Reverse(sort.IntSlice(widths)))
	var out []Rendition
	for _, w := range widths {
		small := imaging.Resize(img, w, 0, imaging.Lanczos)
		img = small
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

// decode reads the original of m from obj (its header already read)
// upright (EXIF orientation applied) and picks the renditions' format; a
// nil image means none are to be made.
func (s *Service) decode(m *Media, obj blob.Object) (image.Image, imaging.Format, error) {
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
