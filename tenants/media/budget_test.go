package media

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/trangtin/trangtin/platform/blob"
	"github.com/trangtin/trangtin/platform/jobs"
	"github.com/trangtin/trangtin/platform/memtest"
)

// flatPNG is a w×h PNG of one colour: a few kilobytes on disk, w×h×4
// bytes once decoded (the attack report's 105 KB pictures of 6000×6000).
func flatPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	c := color.NRGBA{30, 120, 200, 255}
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestRenditionsShareOnePixelBudget makes the renditions of eight large
// pictures at once, as a worker with eight slots would: their decodes take
// turns under the budget, so the heap holds about one of them, not eight.
func TestRenditionsShareOnePixelBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes eight 9-megapixel pictures")
	}
	const side, n = 3000, 8
	const budget = side * side // one picture at a time
	// Stated bound: four decoded pictures' worth (4 bytes a pixel each):
	// the one in flight, its resizing intermediates, and the previous one
	// not yet collected. Without the budget the eight are decoded together
	// (about 520 MB on the CI machine).
	const bound = 4*4*budget + 16<<20
	store, err := blob.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, store, Options{DecodeBudget: budget})
	pic := flatPNG(t, side, side)
	for i := range n {
		// Distinct bytes per upload (a different last pixel row would do;
		// a text chunk is simpler): the library keeps one object per file.
		if _, err := e.upload("anh-lon.png", append(bytes.Clone(pic[:len(pic)-12]), append(pngChunk("tEXt", []byte{'k', 0, byte('a' + i)}), pic[len(pic)-12:]...)...), "Ảnh lớn"); err != nil {
			t.Fatalf("upload %d: %v", i, err)
		}
	}
	w := jobs.NewWorker(e.db, quiet(), jobs.Options{Concurrency: n})
	e.svc.Register(w)
	grew := memtest.PeakGrowth(func() {
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Errorf("run jobs: %v", err)
		}
	})
	t.Logf("%d pictures of %d×%d at once: peak heap growth %.0f MB (bound %.0f MB)", n, side, side, memtest.MB(grew), memtest.MB(bound))
	if grew > bound {
		t.Errorf("heap grew by %.0f MB, want under %.0f MB", memtest.MB(grew), memtest.MB(bound))
	}
	var made int
	if err := e.db.NewSelect().Table("media_renditions").ColumnExpr("count(*)").Scan(context.Background(), &made); err != nil {
		t.Fatal(err)
	}
	if made != n*3 {
		t.Errorf("%d renditions made, want %d", made, n*3)
	}
}
