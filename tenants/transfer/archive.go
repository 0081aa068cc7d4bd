package transfer

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/trangtin/trangtin/platform/errs"
)

// maxManifest bounds the manifest an importer reads into memory.
const maxManifest = 64 << 20

// damaged reports an archive that cannot be trusted.
func damaged(path, format string, args ...any) error {
	return errs.Invalid("", "archive_damaged", fmt.Sprintf("damaged archive %s: ", filepath.Base(path))+fmt.Sprintf(format, args...))
}

// stage collects the files of an archive in a directory while computing
// their checksums, so the manifest (which lists them) can be written first.
type stage struct {
	dir   string
	files []File
}

// hashWriter counts and hashes what passes through it.
type hashWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func newHashWriter(w io.Writer) *hashWriter { return &hashWriter{w: w, h: sha256.New()} }

func (hw *hashWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

func (hw *hashWriter) sum() string { return hex.EncodeToString(hw.h.Sum(nil)) }

// add writes the file name of the archive with fn and records its size and
// checksum.
func (s *stage) add(name string, fn func(w io.Writer) error) error {
	path := filepath.Join(s.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	hw := newHashWriter(bw)
	err = fn(hw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	s.files = append(s.files, File{Name: name, Size: hw.n, SHA256: hw.sum()})
	return nil
}

// pack writes the archive: manifest.json first, then every staged file,
// gzip'd, into a temporary file next to out that is renamed to out only
// once complete, so a failure never leaves a truncated archive.
func pack(m *Manifest, dir, out string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create archive: %w", err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 256<<10)
	gz := gzip.NewWriter(bw)
	tw := tar.NewWriter(gz)
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	if err := entry(tw, m, ManifestName, bytes.NewReader(mb), int64(len(mb))); err != nil {
		return err
	}
	for _, f := range m.Files {
		if err := packFile(tw, m, dir, f); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if err := gz.Close(); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	return nil
}

func packFile(tw *tar.Writer, m *Manifest, dir string, f File) error {
	src, err := os.Open(filepath.Join(dir, filepath.FromSlash(f.Name)))
	if err != nil {
		return fmt.Errorf("write archive: %w", err)
	}
	defer src.Close()
	return entry(tw, m, f.Name, src, f.Size)
}

// entry writes one regular file into the tar.
func entry(tw *tar.Writer, m *Manifest, name string, r io.Reader, size int64) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o644, ModTime: m.ExportedAt}
	if err := tw.WriteHeader(hdr); err != nil {
		return fmt.Errorf("write archive %s: %w", name, err)
	}
	if _, err := io.CopyN(tw, r, size); err != nil {
		return fmt.Errorf("write archive %s: %w", name, err)
	}
	return nil
}

// unpack reads the archive at path into dir, checking that manifest.json
// comes first and that every file it lists is there, once, with its size
// and SHA-256, and nothing else is. Nothing is trusted before it returns.
func unpack(ctx context.Context, path, dir string) (*Manifest, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errs.NotFound("archive_not_found", fmt.Sprintf("no file %s", path))
	}
	if err != nil {
		return nil, fmt.Errorf("open archive: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 256<<10))
	if err != nil {
		return nil, damaged(path, "not a gzip'd tar (%v)", err)
	}
	tr := tar.NewReader(gz)
	hdr, err := tr.Next()
	if err != nil {
		return nil, damaged(path, "no manifest (%v)", err)
	}
	if hdr.Name != ManifestName || hdr.Typeflag != tar.TypeReg || hdr.Size > maxManifest {
		return nil, damaged(path, "%s is not the first entry", ManifestName)
	}
	m := new(Manifest)
	if err := json.NewDecoder(io.LimitReader(tr, maxManifest)).Decode(m); err != nil {
		return nil, damaged(path, "unreadable manifest (%v)", err)
	}
	if err := m.check(); err != nil {
		return nil, damaged(path, "%v", err)
	}
	want := make(map[string]File, len(m.Files))
	for _, f := range m.Files {
		want[f.Name] = f
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, damaged(path, "%v", err)
		}
		exp, ok := want[hdr.Name]
		if !ok || hdr.Typeflag != tar.TypeReg {
			return nil, damaged(path, "unexpected entry %q", hdr.Name)
		}
		delete(want, hdr.Name)
		if hdr.Size != exp.Size {
			return nil, damaged(path, "%s has %d bytes, the manifest says %d", hdr.Name, hdr.Size, exp.Size)
		}
		if err := extract(tr, dir, exp); err != nil {
			return nil, damaged(path, "%v", err)
		}
	}
	// Read gzip's trailer too, so its CRC is checked.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return nil, damaged(path, "%v", err)
	}
	for _, f := range m.Files {
		if _, missing := want[f.Name]; missing {
			return nil, damaged(path, "%s is missing", f.Name)
		}
	}
	return m, nil
}

// extract copies one entry to dir and checks its checksum.
func extract(r io.Reader, dir string, f File) error {
	path := filepath.Join(dir, filepath.FromSlash(f.Name))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	hw := newHashWriter(out)
	_, err = io.CopyN(hw, r, f.Size)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	if hw.sum() != f.SHA256 {
		return fmt.Errorf("checksum mismatch for %s", f.Name)
	}
	return nil
}
