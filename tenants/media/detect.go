package media

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// fileType is what the content of an upload turned out to be.
type fileType struct {
	ContentType string
	Ext         string
	Kind        Kind
}

// The allow-list: the only types an upload may have.
var (
	typeJPEG = fileType{"image/jpeg", "jpg", KindImage}
	typePNG  = fileType{"image/png", "png", KindImage}
	typeGIF  = fileType{"image/gif", "gif", KindImage}
	typeWebP = fileType{"image/webp", "webp", KindImage}
	typePDF  = fileType{"application/pdf", "pdf", KindDocument}
	typeDOCX = fileType{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", KindDocument}
	typeXLSX = fileType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", KindDocument}
	typeODT  = fileType{"application/vnd.oasis.opendocument.text", "odt", KindDocument}
	typeMP4  = fileType{"video/mp4", "mp4", KindVideo}
)

// extType is the content type of a stored extension.
func extType(ext string) string {
	for _, t := range []fileType{typeJPEG, typePNG, typeGIF, typeWebP, typePDF, typeDOCX, typeXLSX, typeODT, typeMP4} {
		if t.Ext == ext {
			return t.ContentType
		}
	}
	return "application/octet-stream"
}

// sniffLen is how much of the start of a file detection reads.
const sniffLen = 512

// sniff classifies a file by its first bytes only: the allow-listed type
// they announce, or ok=false. A zip is reported as DOCX until checkOOXML
// has looked inside. http.DetectContentType does the well-known
// signatures; WebP and MP4 get the stricter checks here.
func sniff(head []byte) (fileType, bool) {
	switch {
	case isWebP(head):
		return typeWebP, true
	case isMP4(head):
		return typeMP4, true
	}
	switch http.DetectContentType(head) {
	case "image/jpeg":
		return typeJPEG, true
	case "image/png":
		return typePNG, true
	case "image/gif":
		return typeGIF, true
	case "application/pdf":
		return typePDF, true
	case "application/zip":
		return typeDOCX, true
	}
	return fileType{}, false
}

// isWebP checks the RIFF container and the first chunk of a WebP file.
func isWebP(b []byte) bool {
	if len(b) < 16 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WEBP" {
		return false
	}
	switch string(b[12:16]) {
	case "VP8 ", "VP8L", "VP8X":
		return true
	}
	return false
}

// mp4Brand reports whether b is an ISO base media brand accepted as MP4
// video.
func mp4Brand(b []byte) bool {
	switch string(b) {
	case "isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "mmp4", "MSNV":
		return true
	}
	return false
}

// isMP4 checks for a leading ftyp box of sane size whose major or a
// compatible brand is an MP4 brand.
func isMP4(b []byte) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	size := int(binary.BigEndian.Uint32(b[0:4]))
	if size < 16 || size > 256 || size%4 != 0 {
		return false
	}
	if mp4Brand(b[8:12]) {
		return true
	}
	for i := 16; i+4 <= size && i+4 <= len(b); i += 4 {
		if mp4Brand(b[i : i+4]) {
			return true
		}
	}
	return false
}

// OOXML main-part content types, as [Content_Types].xml declares them.
const (
	docxMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	xlsxMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)

// maxContentTypesXML bounds the part read from a zip (a zip bomb cannot
// make it bigger).
const maxContentTypesXML = 1 << 20

// checkOOXML decides whether the zip in f is a DOCX, an XLSX or an ODT:
// a [Content_Types].xml part declaring the document's main part, and no
// macros (vbaProject.bin), or an OpenDocument "mimetype" part naming a
// text document, and no Basic macros. Any other zip is refused, whatever
// the file is called.
func checkOOXML(f *os.File, size int64) (fileType, error) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return fileType{}, fmt.Errorf("read zip: %w", err)
	}
	var ct, odf *zip.File
	for _, zf := range zr.File {
		switch {
		case zf.Name == "[Content_Types].xml":
			ct = zf
		case zf.Name == "mimetype":
			odf = zf
		case strings.HasSuffix(strings.ToLower(zf.Name), "vbaproject.bin"), strings.HasPrefix(zf.Name, "Basic/"):
			return fileType{}, fmt.Errorf("zip holds macros (%s)", zf.Name)
		}
	}
	if ct == nil && odf != nil {
		return checkODT(odf)
	}
	if ct == nil {
		return fileType{}, fmt.Errorf("zip without [Content_Types].xml")
	}
	rc, err := ct.Open()
	if err != nil {
		return fileType{}, fmt.Errorf("open [Content_Types].xml: %w", err)
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, maxContentTypesXML))
	if err != nil {
		return fileType{}, fmt.Errorf("read [Content_Types].xml: %w", err)
	}
	hasDoc, hasXls := bytes.Contains(body, []byte(`"`+docxMain+`"`)), bytes.Contains(body, []byte(`"`+xlsxMain+`"`))
	switch {
	case hasDoc && !hasXls:
		return typeDOCX, nil
	case hasXls && !hasDoc:
		return typeXLSX, nil
	}
	return fileType{}, fmt.Errorf("zip is neither a Word nor an Excel document")
}

// odtMime is what the "mimetype" part of an OpenDocument text holds.
const odtMime = "application/vnd.oasis.opendocument.text"

// checkODT accepts an OpenDocument whose mimetype part names a text.
func checkODT(zf *zip.File) (fileType, error) {
	rc, err := zf.Open()
	if err != nil {
		return fileType{}, fmt.Errorf("open mimetype: %w", err)
	}
	defer rc.Close()
	body, err := io.ReadAll(io.LimitReader(rc, 256))
	if err != nil {
		return fileType{}, fmt.Errorf("read mimetype: %w", err)
	}
	if strings.TrimSpace(string(body)) != odtMime {
		return fileType{}, fmt.Errorf("OpenDocument of type %q is not a text", body)
	}
	return typeODT, nil
}

// gifFrames counts the images of a GIF by walking its blocks without
// decoding any pixels; it stops counting at 2 (animated).
func gifFrames(r io.Reader) (int, error) {
	br := &byteReader{r: r}
	hdr := br.next(13)
	if br.err != nil {
		return 0, br.err
	}
	if hdr[10]&0x80 != 0 {
		br.skip(3 << (int(hdr[10]&7) + 1)) // global colour table
	}
	frames := 0
	for br.err == nil && frames < 2 {
		switch b := br.next(1); {
		case br.err != nil:
		case b[0] == 0x3B: // trailer
			return frames, nil
		case b[0] == 0x21: // extension: label, then sub-blocks
			br.skip(1)
			br.subBlocks()
		case b[0] == 0x2C: // image descriptor
			d := br.next(9)
			if br.err == nil && d[8]&0x80 != 0 {
				br.skip(3 << (int(d[8]&7) + 1)) // local colour table
			}
			br.skip(1) // LZW minimum code size
			br.subBlocks()
			frames++
		default:
			return frames, fmt.Errorf("gif: unknown block %#x", b[0])
		}
	}
	if br.err == io.EOF || br.err == io.ErrUnexpectedEOF {
		return frames, nil // truncated after the frames we saw
	}
	return frames, br.err
}

// byteReader reads fixed-size pieces and remembers the first error.
type byteReader struct {
	r   io.Reader
	buf [256]byte
	err error
}

func (b *byteReader) next(n int) []byte {
	if b.err != nil {
		return nil
	}
	_, b.err = io.ReadFull(b.r, b.buf[:n])
	return b.buf[:n]
}

func (b *byteReader) skip(n int) {
	if b.err == nil {
		_, b.err = io.CopyN(io.Discard, b.r, int64(n))
	}
}

func (b *byteReader) subBlocks() {
	for b.err == nil {
		n := b.next(1)
		if b.err != nil || n[0] == 0 {
			return
		}
		b.skip(int(n[0]))
	}
}
