package media

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want fileType
		ok   bool
	}{
		{"jpeg", plainJPEG(t, 8, 8), typeJPEG, true},
		{"png", pngWithText(t, 8, 8), typePNG, true},
		{"gif", gifFile(t, 4, 4, 1), typeGIF, true},
		{"webp", tinyWebP(t), typeWebP, true},
		{"extended webp", webpWithExif(t), typeWebP, true},
		{"pdf", pdfFile(), typePDF, true},
		{"zip (looked into later)", officeZip(t, docxMain), typeDOCX, true},
		{"mp4", mp4File("mp42", 64), typeMP4, true},
		{"mp4 isom", mp4File("isom", 64), typeMP4, true},
		{"quicktime brand only", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  "), fileType{}, false},
		{"php renamed .jpg", []byte(phpAsJPEG), fileType{}, false},
		{"svg with script", []byte(svgScript), fileType{}, false},
		{"bare svg", []byte(`<svg onload="alert(1)"/>`), fileType{}, false},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script>"), fileType{}, false},
		{"text", []byte("hello"), fileType{}, false},
		{"riff wave", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), fileType{}, false},
		{"bmp", []byte("BM\x00\x00\x00\x00\x00\x00\x00\x00"), fileType{}, false},
		{"elf", []byte("\x7fELF\x02\x01\x01\x00"), fileType{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := sniff(head(tt.data))
			if ok != tt.ok || got != tt.want {
				t.Errorf("sniff = %v, %v; want %v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func head(b []byte) []byte { return b[:min(len(b), sniffLen)] }

func TestCheckOOXML(t *testing.T) {
	tests := []struct {
		name  string
		data  []byte
		want  fileType
		valid bool
	}{
		{"docx", officeZip(t, docxMain), typeDOCX, true},
		{"xlsx", officeZip(t, xlsxMain), typeXLSX, true},
		{"macro-enabled docm", officeZip(t, "application/vnd.ms-word.document.macroEnabled.main+xml"), fileType{}, false},
		{"docx with vbaProject.bin", officeZip(t, docxMain, "word/vbaProject.bin"), fileType{}, false},
		{"plain zip", officeZip(t, ""), fileType{}, false},
		{"odt-like zip", officeZip(t, "application/vnd.oasis.opendocument.text"), fileType{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tempFile(t, tt.data)
			got, err := checkOOXML(f, int64(len(tt.data)))
			if (err == nil) != tt.valid || got != tt.want {
				t.Errorf("checkOOXML = %v, %v; want %v, valid %v", got, err, tt.want, tt.valid)
			}
		})
	}
}

func tempFile(t *testing.T, data []byte) *os.File {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestGIFFrames(t *testing.T) {
	for _, n := range []int{1, 2, 5} {
		got, err := gifFrames(bytes.NewReader(gifFile(t, 16, 8, n)))
		if err != nil {
			t.Fatalf("%d frames: %v", n, err)
		}
		if want := min(n, 2); got != want {
			t.Errorf("%d frames: counted %d, want %d", n, got, want)
		}
	}
	if _, err := gifFrames(bytes.NewReader([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00\x99"))); err == nil {
		t.Error("unknown block accepted")
	}
}

func TestCleanName(t *testing.T) {
	tests := map[string]string{
		"../../etc/passwd":           "passwd",
		`..\..\windows\system32.dll`: "system32.dll",
		"Ảnh hội nghị.JPG":           "Ảnh hội nghị.JPG",
		"a\x00b\u202Ec.jpg":          "abc.jpg",
		"":                           "tep-tai-len",
		"..":                         "tep-tai-len",
		"/":                          "tep-tai-len",
		"  báo cáo quý 3 .pdf  ":     "báo cáo quý 3 .pdf",
		"A\u0301nh.png":              "Ánh.png",
		"photo.jpg\r\nX-Injected: 1": "photo.jpgX-Injected: 1",
	}
	for in, want := range tests {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
	m := &Media{ID: "x", Name: "../../etc/passwd", Kind: KindImage, ObjectKey: "t/a/bb/cc.jpg"}
	if got := m.FileName(); got != "passwd.jpg" {
		t.Errorf("FileName = %q", got)
	}
	m.Name = "Báo cáo tháng 3.php"
	if got, want := m.DownloadName(), "Báo cáo tháng 3.jpg"; got != want {
		t.Errorf("DownloadName = %q, want %q", got, want)
	}
}
