package media

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

// Test files, all made here: nothing is downloaded.

// secretGPS is what the test EXIF carries as GPS data; no stored object
// may contain it.
const secretGPS = "GPS-SECRET-21.0285N-105.8542E"

// gradient is a w×h test picture.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), 120, 255})
		}
	}
	return img
}

// plainJPEG encodes a w×h gradient.
func plainJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, gradient(w, h), &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exifSegment builds an APP1 Exif segment (big-endian TIFF) with IFD0
// holding the orientation, a camera make and a pointer to a GPS IFD whose
// latitude reference tag carries secretGPS.
func exifSegment(orientation int) []byte {
	var t bytes.Buffer
	be := binary.BigEndian
	t.WriteString("MM\x00\x2A")
	_ = binary.Write(&t, be, uint32(8))
	// IFD0 at 8: 3 entries.
	camera := "SECRETCAM\x00"
	ifd0End := 8 + 2 + 3*12 + 4
	makeOff := ifd0End
	gpsOff := makeOff + len(camera)
	_ = binary.Write(&t, be, uint16(3))
	entry := func(tag, typ uint16, count, value uint32) {
		_ = binary.Write(&t, be, tag)
		_ = binary.Write(&t, be, typ)
		_ = binary.Write(&t, be, count)
		_ = binary.Write(&t, be, value)
	}
	entry(0x010F, 2, uint32(len(camera)), uint32(makeOff)) // Make
	entry(0x0112, 3, 1, uint32(orientation)<<16)           // Orientation (SHORT, left-justified)
	entry(0x8825, 4, 1, uint32(gpsOff))                    // GPS IFD pointer
	_ = binary.Write(&t, be, uint32(0))                    // no next IFD
	t.WriteString(camera)
	// GPS IFD: one ASCII entry pointing at the secret.
	gps := secretGPS + "\x00"
	_ = binary.Write(&t, be, uint16(1))
	entry(0x0002, 2, uint32(len(gps)), uint32(gpsOff+2+12+4))
	_ = binary.Write(&t, be, uint32(0))
	t.WriteString(gps)

	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	be.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// jpegWithGPS is a JPEG with an EXIF segment (GPS, camera) spliced right
// after its start marker, an XMP segment, a comment, and a trailer after
// its end marker.
func jpegWithGPS(t testing.TB, w, h, orientation int) []byte {
	t.Helper()
	plain := plainJPEG(t, w, h)
	xmp := append([]byte{0xFF, 0xE1, 0, 0}, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>"+secretGPS+"</x:xmpmeta>")...)
	binary.BigEndian.PutUint16(xmp[2:], uint16(len(xmp)-2))
	com := append([]byte{0xFF, 0xFE, 0, 0}, []byte("comment "+secretGPS)...)
	binary.BigEndian.PutUint16(com[2:], uint16(len(com)-2))
	var out []byte
	out = append(out, plain[:2]...)
	out = append(out, exifSegment(orientation)...)
	out = append(out, xmp...)
	out = append(out, com...)
	out = append(out, plain[2:]...)
	return append(out, []byte("<?php echo 'polyglot'; ?>")...)
}

// pngChunk frames one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pixelFloodPNG is a ~1 KB PNG whose IHDR (with a correct CRC) claims
// 50,000 × 50,000 RGB pixels.
func pixelFloodPNG() []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, 50000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 50000)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8 bits, RGB, deflate, no filter, no interlace
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, pngChunk("IHDR", ihdr)...)
	// A zlib stream start and filler: a decoder would allocate 7.5 GB.
	out = append(out, pngChunk("IDAT", append([]byte{0x78, 0x9C}, bytes.Repeat([]byte{0}, 950)...))...)
	return append(out, pngChunk("IEND", nil)...)
}

// pngWithText is a PNG with text and time chunks inserted after IHDR.
func pngWithText(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, gradient(w, h)); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	const ihdrEnd = 8 + 8 + 13 + 4
	var out []byte
	out = append(out, raw[:ihdrEnd]...)
	out = append(out, pngChunk("tEXt", []byte("Comment\x00"+secretGPS))...)
	out = append(out, pngChunk("tIME", []byte{0x07, 0xE8, 1, 2, 3, 4, 5})...)
	return append(out, raw[ihdrEnd:]...)
}

// tinyWebP is a 1×1 lossless WebP.
func tinyWebP(t testing.TB) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// webpWithExif is tinyWebP in the extended format with EXIF and XMP chunks.
func webpWithExif(t testing.TB) []byte {
	t.Helper()
	simple := tinyWebP(t)
	vp8l := simple[12:] // the VP8L chunk, header included
	chunk := func(fourCC string, data []byte) []byte {
		out := append([]byte(fourCC), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		out = append(out, data...)
		if len(data)%2 == 1 {
			out = append(out, 0)
		}
		return out
	}
	vp8x := []byte{0x08 | 0x04 | 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0} // EXIF, XMP, alpha; canvas 1×1 (stored minus one)
	var body []byte
	body = append(body, "WEBP"...)
	body = append(body, chunk("VP8X", vp8x)...)
	body = append(body, vp8l...)
	body = append(body, chunk("EXIF", []byte("MM\x00\x2A"+secretGPS))...)
	body = append(body, chunk("XMP ", []byte("<x:xmpmeta>"+secretGPS+"</x:xmpmeta>"))...)
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(out, body...)
}

// gifFile encodes a GIF with frames frames.
func gifFile(t testing.TB, w, h, frames int) []byte {
	t.Helper()
	pal := color.Palette{color.Black, color.White, color.RGBA{200, 0, 0, 255}}
	g := &gif.GIF{}
	for i := range frames {
		img := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for x := range w {
			img.SetColorIndex(x, (x+i)%h, uint8(1+i%2))
		}
		g.Image = append(g.Image, img)
		g.Delay = append(g.Delay, 10)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// officeZip builds a zip with the given [Content_Types].xml main part
// content type (empty: no [Content_Types].xml) and extra entries.
func officeZip(t testing.TB, mainType string, extra ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	if mainType != "" {
		f, _ := zw.Create("[Content_Types].xml")
		_, _ = f.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="` + mainType + `"/></Types>`))
	}
	for _, name := range append([]string{"word/document.xml"}, extra...) {
		f, _ := zw.Create(name)
		_, _ = f.Write([]byte("<w:document/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// mp4File is an ftyp box followed by an (empty) mdat box.
func mp4File(brand string, payload int) []byte {
	out := []byte{0, 0, 0, 24}
	out = append(out, "ftyp"+brand+"\x00\x00\x02\x00"+brand+"isom"...)
	out = binary.BigEndian.AppendUint32(out, uint32(8+payload))
	out = append(out, "mdat"...)
	for i := range payload {
		out = append(out, byte(i*7))
	}
	return out
}

// pdfFile is a minimal PDF.
func pdfFile() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// svgScript is an SVG with a script.
const svgScript = `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>`

// phpAsJPEG is a PHP file someone renamed to .jpg.
const phpAsJPEG = "<?php system($_GET['cmd']); ?>\n"
