package media

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"io"
	"testing"

	"golang.org/x/image/webp"
)

// mustNotLeak fails when b still holds any of the test metadata.
func mustNotLeak(t *testing.T, b []byte) {
	t.Helper()
	for _, s := range []string{secretGPS, "SECRETCAM", "Exif\x00\x00MM\x00\x2A\x00\x00\x00\x08\x00\x03", "xmpmeta", "<?php", "comment"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("stripped file still contains %q", s)
		}
	}
}

func TestStripJPEG(t *testing.T) {
	plain := plainJPEG(t, 64, 48)
	t.Run("upright photo loses every metadata segment and the trailer", func(t *testing.T) {
		var out bytes.Buffer
		o, err := stripJPEG(bufio.NewReader(bytes.NewReader(jpegWithGPS(t, 64, 48, 1))), &out)
		if err != nil {
			t.Fatal(err)
		}
		if o != 1 {
			t.Errorf("orientation %d, want 1", o)
		}
		mustNotLeak(t, out.Bytes())
		if !bytes.Equal(out.Bytes(), plain) {
			t.Errorf("stripped JPEG (%d bytes) differs from the original encoding (%d bytes): not lossless", out.Len(), len(plain))
		}
	})
	t.Run("rotated photo keeps only its orientation", func(t *testing.T) {
		var out bytes.Buffer
		o, err := stripJPEG(bufio.NewReader(bytes.NewReader(jpegWithGPS(t, 64, 48, 6))), &out)
		if err != nil {
			t.Fatal(err)
		}
		if o != 6 {
			t.Errorf("orientation %d, want 6", o)
		}
		mustNotLeak(t, out.Bytes())
		b := out.Bytes()
		if !bytes.Equal(b[2:2+36], minimalExif(6)) {
			t.Errorf("no minimal EXIF after SOI: % x", b[:40])
		}
		if got := exifOrientation(minimalExif(6)[10:]); got != 6 {
			t.Errorf("minimal EXIF reads back as %d", got)
		}
		if !bytes.Equal(b[38:], plain[2:]) {
			t.Error("image data changed")
		}
	})
	t.Run("JFIF, ICC and Adobe segments are kept", func(t *testing.T) {
		seg := func(m byte, payload string) []byte {
			s := []byte{0xFF, m, 0, 0}
			binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
			return append(s, payload...)
		}
		keep := append(append(seg(0xE0, "JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"), seg(0xE2, "ICC_PROFILE\x00\x01\x01abc")...), seg(0xEE, "Adobe\x00\x64\x00\x00\x00\x00\x01")...)
		drop := append(seg(0xE0, "JFXX\x00thumb"), seg(0xED, "Photoshop 3.0\x00"+secretGPS)...)
		in := append(append(append([]byte{0xFF, 0xD8}, keep...), drop...), plain[2:]...)
		var out bytes.Buffer
		if _, err := stripJPEG(bufio.NewReader(bytes.NewReader(in)), &out); err != nil {
			t.Fatal(err)
		}
		want := append(append([]byte{0xFF, 0xD8}, keep...), plain[2:]...)
		if !bytes.Equal(out.Bytes(), want) {
			t.Error("kept segments or image data differ")
		}
	})
	t.Run("broken files", func(t *testing.T) {
		for name, in := range map[string][]byte{
			"not a jpeg":       []byte("GIF89a"),
			"cut in a segment": plain[:30],
			"garbage marker":   {0xFF, 0xD8, 0x12, 0x34},
		} {
			if _, err := stripJPEG(bufio.NewReader(bytes.NewReader(in)), io.Discard); err == nil {
				t.Errorf("%s: accepted", name)
			}
		}
	})
}

func TestStripPNG(t *testing.T) {
	in := pngWithText(t, 32, 16)
	var out bytes.Buffer
	if err := stripPNG(bufio.NewReader(bytes.NewReader(append(in, "trailing"...))), &out); err != nil {
		t.Fatal(err)
	}
	mustNotLeak(t, out.Bytes())
	if bytes.Contains(out.Bytes(), []byte("tIME")) || bytes.Contains(out.Bytes(), []byte("trailing")) {
		t.Error("tIME chunk or trailer kept")
	}
	img, err := png.Decode(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("stripped PNG does not decode: %v", err)
	}
	if img.Bounds() != image.Rect(0, 0, 32, 16) {
		t.Errorf("bounds %v", img.Bounds())
	}
}

func TestStripWebP(t *testing.T) {
	in := webpWithExif(t)
	var out bytes.Buffer
	if err := stripWebP(tempFile(t, in), int64(len(in)), &out); err != nil {
		t.Fatal(err)
	}
	b := out.Bytes()
	mustNotLeak(t, b)
	if got := int(binary.LittleEndian.Uint32(b[4:8])); got != len(b)-8 {
		t.Errorf("RIFF size %d, file %d", got, len(b))
	}
	if flags := b[20]; flags&(0x08|0x04) != 0 || flags&0x10 == 0 {
		t.Errorf("VP8X flags %#x: want EXIF and XMP cleared, alpha kept", flags)
	}
	if _, err := webp.Decode(bytes.NewReader(b)); err != nil {
		t.Errorf("stripped WebP does not decode: %v", err)
	}
	if _, err := webp.Decode(bytes.NewReader(tinyWebP(t))); err != nil {
		t.Fatalf("fixture does not decode: %v", err)
	}
}

// FuzzStripJPEG feeds arbitrary bytes to the JPEG stripper: it must never
// panic nor grow a file by more than the minimal EXIF and an end marker.
func FuzzStripJPEG(f *testing.F) {
	f.Add(jpegWithGPS(f, 16, 16, 6))
	f.Add(plainJPEG(f, 8, 8))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0x00, 0xFF})
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		if _, err := stripJPEG(bufio.NewReader(bytes.NewReader(in)), &out); err == nil && out.Len() > len(in)+36+2 {
			t.Errorf("output %d bytes from %d", out.Len(), len(in))
		}
	})
}

// FuzzStripPNG feeds arbitrary bytes to the PNG stripper.
func FuzzStripPNG(f *testing.F) {
	f.Add(pngWithText(f, 4, 4))
	f.Add(pixelFloodPNG())
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		if err := stripPNG(bufio.NewReader(bytes.NewReader(in)), &out); err == nil && out.Len() > len(in) {
			t.Errorf("output %d bytes from %d", out.Len(), len(in))
		}
	})
}
