package media

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// Metadata stripping. Every function here copies an image losslessly
// (the compressed pixel data is copied byte for byte, nothing is
// re-encoded) and leaves out what describes the picture rather than makes
// it: EXIF (GPS position, camera serial, time), XMP, comments, text chunks
// and thumbnails. Whatever follows the image's end marker (a polyglot's
// payload, a phone's second picture) is dropped too.

var errTruncated = errors.New("image data ends early")

// stripJPEG copies the JPEG in r to w without APP1…APP15 segments (EXIF,
// XMP, MPF, Photoshop IRB) and comments, keeping APP0 JFIF, an APP2 ICC
// profile (colours) and APP14 Adobe (which tells how to decode the colour
// channels). When the EXIF said the picture is rotated, a minimal EXIF
// segment holding only that orientation takes its place, so phones'
// portrait photos still show upright. It returns that orientation (1 when
// none).
func stripJPEG(r *bufio.Reader, w io.Writer) (orientation int, err error) {
	orientation = 1
	var soi [2]byte
	if _, err := io.ReadFull(r, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return 0, fmt.Errorf("jpeg: no start of image")
	}
	if _, err := w.Write(soi[:]); err != nil {
		return 0, err
	}
	marker, err := nextMarker(r)
	for err == nil {
		switch {
		case marker == 0xD9: // end of image: stop, dropping any trailer
			_, err = w.Write([]byte{0xFF, 0xD9})
			return orientation, err
		case marker >= 0xD0 && marker <= 0xD7 || marker == 0x01:
			_, err = w.Write([]byte{0xFF, marker})
		default:
			var o int
			o, err = copySegment(r, w, marker)
			if o > 1 && orientation == 1 {
				orientation = o
			}
			if err == nil && marker == 0xDA {
				marker, err = copyScan(r, w)
				continue
			}
		}
		if err == nil {
			marker, err = nextMarker(r)
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return 0, fmt.Errorf("jpeg: %w", errTruncated)
	}
	return 0, err
}

// nextMarker reads a marker outside scan data: 0xFF, any fill bytes, code.
func nextMarker(r *bufio.Reader) (byte, error) {
	b, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	if b != 0xFF {
		return 0, fmt.Errorf("jpeg: expected a marker, found %#x", b)
	}
	for b == 0xFF {
		if b, err = r.ReadByte(); err != nil {
			return 0, err
		}
	}
	return b, nil
}

// copySegment handles the segment of marker whose length comes next: it is
// copied, dropped, or (EXIF with a rotation) replaced. It returns the EXIF
// orientation when the segment carried one.
func copySegment(r *bufio.Reader, w io.Writer, marker byte) (int, error) {
	var lb [2]byte
	if _, err := io.ReadFull(r, lb[:]); err != nil {
		return 0, err
	}
	n := int(binary.BigEndian.Uint16(lb[:])) - 2
	if n < 0 {
		return 0, fmt.Errorf("jpeg: bad segment length")
	}
	if marker == 0xE1 || marker == 0xE0 || marker == 0xE2 || marker == 0xEE {
		payload := make([]byte, n)
		if _, err := io.ReadFull(r, payload); err != nil {
			return 0, err
		}
		keep := marker == 0xE0 && bytes.HasPrefix(payload, []byte("JFIF\x00")) ||
			marker == 0xE2 && bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00")) ||
			marker == 0xEE && bytes.HasPrefix(payload, []byte("Adobe"))
		if keep {
			_, err := w.Write(append([]byte{0xFF, marker, lb[0], lb[1]}, payload...))
			return 0, err
		}
		if marker == 0xE1 && bytes.HasPrefix(payload, []byte("Exif\x00\x00")) {
			o := exifOrientation(payload[6:])
			if o > 1 {
				_, err := w.Write(minimalExif(o))
				return o, err
			}
		}
		return 0, nil
	}
	if marker >= 0xE3 && marker <= 0xEF || marker == 0xFE {
		_, err := r.Discard(n)
		return 0, err
	}
	if _, err := w.Write([]byte{0xFF, marker, lb[0], lb[1]}); err != nil {
		return 0, err
	}
	_, err := io.CopyN(w, r, int64(n))
	return 0, err
}

// copyScan copies entropy-coded data after a start of scan, up to the next
// marker that is not a restart or a stuffed zero, and returns that marker.
// A file ending inside the scan gets its end of image marker (browsers show
// such files; the stored copy is then well formed).
func copyScan(r *bufio.Reader, w io.Writer) (byte, error) {
	for {
		chunk, err := r.ReadSlice(0xFF)
		switch {
		case err == bufio.ErrBufferFull:
			if _, err := w.Write(chunk); err != nil {
				return 0, err
			}
			continue
		case err == io.EOF:
			if _, err := w.Write(chunk); err != nil {
				return 0, err
			}
			return 0xD9, nil
		case err != nil:
			return 0, err
		}
		if _, err := w.Write(chunk[:len(chunk)-1]); err != nil {
			return 0, err
		}
		b, err := r.ReadByte()
		for err == nil && b == 0xFF {
			b, err = r.ReadByte()
		}
		if err == io.EOF {
			return 0xD9, nil
		}
		if err != nil {
			return 0, err
		}
		if b == 0x00 || b >= 0xD0 && b <= 0xD7 {
			if _, err := w.Write([]byte{0xFF, b}); err != nil {
				return 0, err
			}
			continue
		}
		return b, nil
	}
}

// exifOrientation reads tag 0x0112 of IFD0 from a TIFF structure; 0 when
// absent or malformed.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	off := int(bo.Uint32(tiff[4:8]))
	if off < 8 || off+2 > len(tiff) {
		return 0
	}
	count := int(bo.Uint16(tiff[off:]))
	for i := 0; i < count; i++ {
		e := off + 2 + 12*i
		if e+12 > len(tiff) {
			return 0
		}
		if bo.Uint16(tiff[e:]) == 0x0112 && bo.Uint16(tiff[e+2:]) == 3 {
			if v := int(bo.Uint16(tiff[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 0
		}
	}
	return 0
}

// minimalExif is an APP1 segment whose EXIF holds only the orientation.
func minimalExif(orientation int) []byte {
	b := []byte{0xFF, 0xE1, 0x00, 34}
	b = append(b, "Exif\x00\x00MM\x00\x2A\x00\x00\x00\x08"...)
	b = append(b, 0x00, 0x01) // one entry
	b = append(b, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, byte(orientation), 0x00, 0x00)
	return append(b, 0x00, 0x00, 0x00, 0x00) // no next IFD
}

// pngDropped reports whether a PNG chunk only describes: text, EXIF, time.
func pngDropped(typ string) bool {
	switch typ {
	case "tEXt", "zTXt", "iTXt", "eXIf", "tIME":
		return true
	}
	return false
}

// stripPNG copies the PNG in r to w without its text, EXIF and time
// chunks, and stops after IEND.
func stripPNG(r *bufio.Reader, w io.Writer) error {
	sig := make([]byte, 8)
	if _, err := io.ReadFull(r, sig); err != nil || string(sig) != "\x89PNG\r\n\x1a\n" {
		return fmt.Errorf("png: no signature")
	}
	if _, err := w.Write(sig); err != nil {
		return err
	}
	for {
		var h [8]byte
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return fmt.Errorf("png: %w", errTruncated)
		}
		n := int64(binary.BigEndian.Uint32(h[:4]))
		if n > 1<<31-1 {
			return fmt.Errorf("png: bad chunk length")
		}
		typ := string(h[4:8])
		if pngDropped(typ) {
			if _, err := io.CopyN(io.Discard, r, n+4); err != nil {
				return fmt.Errorf("png: %w", errTruncated)
			}
			continue
		}
		if _, err := w.Write(h[:]); err != nil {
			return err
		}
		if _, err := io.CopyN(w, r, n+4); err != nil {
			return fmt.Errorf("png: %w: %w", errTruncated, err)
		}
		if typ == "IEND" {
			return nil
		}
	}
}

// webpChunk is one chunk of a WebP file.
type webpChunk struct {
	fourCC string
	off    int64 // of the chunk header
	size   int64 // of the payload, without padding
}

// stripWebP copies the WebP in f to w without EXIF and XMP chunks,
// clearing their flags in VP8X and fixing the RIFF size.
func stripWebP(f *os.File, size int64, w io.Writer) error {
	var hdr [12]byte
	if _, err := f.ReadAt(hdr[:], 0); err != nil {
		return fmt.Errorf("webp: %w", errTruncated)
	}
	end := min(8+int64(binary.LittleEndian.Uint32(hdr[4:8])), size)
	var kept []webpChunk
	total := int64(4)
	for off := int64(12); off+8 <= end; {
		var ch [8]byte
		if _, err := f.ReadAt(ch[:], off); err != nil {
			return fmt.Errorf("webp: %w", errTruncated)
		}
		c := webpChunk{fourCC: string(ch[:4]), off: off, size: int64(binary.LittleEndian.Uint32(ch[4:]))}
		padded := c.size + c.size&1
		if off+8+c.size > end {
			return fmt.Errorf("webp: %w", errTruncated)
		}
		off += 8 + padded
		if c.fourCC == "EXIF" || c.fourCC == "XMP " {
			continue
		}
		kept = append(kept, c)
		total += 8 + padded
	}
	out := make([]byte, 0, 12)
	out = append(out, "RIFF"...)
	out = binary.LittleEndian.AppendUint32(out, uint32(total))
	out = append(out, "WEBP"...)
	if _, err := w.Write(out); err != nil {
		return err
	}
	for _, c := range kept {
		padded := c.size + c.size&1
		if c.fourCC == "VP8X" && c.size >= 10 && c.size <= 64 {
			body := make([]byte, 8+c.size, 8+padded)
			if _, err := f.ReadAt(body, c.off); err != nil {
				return fmt.Errorf("webp: %w", errTruncated)
			}
			body[8] &^= 0x08 | 0x04 // EXIF and XMP flags
			if _, err := w.Write(body[:8+padded]); err != nil {
				return err
			}
			continue
		}
		n := min(8+padded, size-c.off) // a final pad byte may be missing
		if _, err := io.Copy(w, io.NewSectionReader(f, c.off, n)); err != nil {
			return err
		}
		if n < 8+padded {
			if _, err := w.Write([]byte{0}); err != nil {
				return err
			}
		}
	}
	return nil
}
