// Package backup makes and restores consistent snapshots of the embedded
// default: the SQLite database (copied with VACUUM INTO, which reads one
// consistent state while the platform keeps serving and writing) and the
// media folder, in one gzip-compressed tar file with a manifest of SHA-256
// checksums. A restore goes into an empty data dir only, and checks every
// checksum before anything is written in place.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Manifest describes an archive; it is the archive's first entry.
type Manifest struct {
	Format    string            `json:"format"`
	CreatedAt time.Time         `json:"created_at"`
	Files     map[string]string `json:"files"` // archive path → sha256
}

const formatName = "trangtin-backup/1"

// Create writes a snapshot of the database behind bdb (an open SQLite
// database) and the media under mediaDir to out.
func Create(ctx context.Context, bdb *bun.DB, mediaDir, out string) (*Manifest, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".backup-*")
	if err != nil {
		return nil, fmt.Errorf("backup: temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, "trangtin.db")
	if _, err := bdb.ExecContext(ctx, "VACUUM INTO ?", snap); err != nil {
		return nil, fmt.Errorf("backup: snapshot database: %w", err)
	}
	m := &Manifest{Format: formatName, CreatedAt: time.Now().UTC(), Files: map[string]string{}}
	files := []entry{{name: "trangtin.db", path: snap}}
	err = filepath.WalkDir(mediaDir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(mediaDir, p)
		if err != nil {
			return err
		}
		// Half-written uploads are not part of the state.
		if strings.HasPrefix(filepath.Base(p), ".tmp-") {
			return nil
		}
		files = append(files, entry{name: "media/" + filepath.ToSlash(rel), path: p})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("backup: list media: %w", err)
	}
	for _, f := range files {
		sum, err := fileSum(f.path)
		if err != nil {
			return nil, err
		}
		m.Files[f.name] = sum
	}
	if err := writeArchive(out, m, files); err != nil {
		return nil, err
	}
	return m, nil
}

type entry struct{ name, path string }

func fileSum(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("backup: read %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeArchive writes to a temp file and renames it, so a failed backup
// never leaves a truncated archive under the requested name.
func writeArchive(out string, m *Manifest, files []entry) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".trangtin-backup-*")
	if err != nil {
		return fmt.Errorf("backup: create %s: %w", out, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	gz := gzip.NewWriter(tmp)
	tw := tar.NewWriter(gz)
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: "manifest.json", Mode: 0o600, Size: int64(len(mb)), ModTime: m.CreatedAt}); err != nil {
		return err
	}
	if _, err := tw.Write(mb); err != nil {
		return err
	}
	for _, f := range files {
		if err := addFile(tw, f); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

func addFile(tw *tar.Writer, f entry) error {
	src, err := os.Open(f.path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
		return err
	}
	if _, err := io.Copy(tw, src); err != nil {
		return fmt.Errorf("backup: write %s: %w", f.name, err)
	}
	return nil
}

// ErrNotEmpty refuses a restore over existing data.
var ErrNotEmpty = errors.New("the data dir is not empty; restore only into an empty one")

// Restore unpacks an archive into dataDir, which must be empty or missing.
// Files are unpacked into a staging folder, checked against the manifest,
// then moved into place.
func Restore(in, dataDir string) (*Manifest, error) {
	if entries, err := os.ReadDir(dataDir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("restore into %s: %w", dataDir, ErrNotEmpty)
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	stage, err := os.MkdirTemp(dataDir, ".restore-*")
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(stage)
	m, err := unpack(in, stage)
	if err != nil {
		return nil, err
	}
	for name := range m.Files {
		top := strings.SplitN(name, "/", 2)[0]
		dst := filepath.Join(dataDir, top)
		if _, err := os.Stat(dst); err == nil {
			continue // already moved (media/)
		}
		if err := os.Rename(filepath.Join(stage, top), dst); err != nil {
			return nil, fmt.Errorf("restore: move %s: %w", top, err)
		}
	}
	return m, nil
}

func unpack(in, stage string) (*Manifest, error) {
	f, err := os.Open(in)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("restore: %s is not a Trangtin backup (gzip): %w", in, err)
	}
	tr := tar.NewReader(gz)
	var m *Manifest
	seen := map[string]string{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("restore: read archive: %w", err)
		}
		if h.Name == "manifest.json" {
			m = new(Manifest)
			if err := json.NewDecoder(io.LimitReader(tr, 64<<20)).Decode(m); err != nil || m.Format != formatName {
				return nil, fmt.Errorf("restore: %s has no valid manifest", in)
			}
			continue
		}
		name := path.Clean(h.Name)
		if h.Typeflag != tar.TypeReg || strings.HasPrefix(name, "..") || path.IsAbs(name) ||
			!(name == "trangtin.db" || strings.HasPrefix(name, "media/")) {
			return nil, fmt.Errorf("restore: unexpected entry %q in archive", h.Name)
		}
		dst := filepath.Join(stage, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return nil, err
		}
		sum, err := copySum(dst, tr)
		if err != nil {
			return nil, err
		}
		seen[name] = sum
	}
	if m == nil {
		return nil, fmt.Errorf("restore: %s has no manifest", in)
	}
	for name, want := range m.Files {
		if seen[name] != want {
			return nil, fmt.Errorf("restore: %s is missing or damaged (checksum mismatch)", name)
		}
	}
	if len(seen) != len(m.Files) {
		return nil, errors.New("restore: archive holds files the manifest does not list")
	}
	return m, nil
}

func copySum(dst string, r io.Reader) (string, error) {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("restore: %w", err)
	}
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(out, h), r); err != nil {
		_ = out.Close()
		return "", fmt.Errorf("restore: write %s: %w", dst, err)
	}
	if err := out.Close(); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
