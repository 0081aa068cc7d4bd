package blob

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Disk is a Store in a directory of the local file system, the embedded
// default ($TRANGTIN_DATA_DIR/media). An object with key "t/x/ab/abc.jpg" is
// the file <dir>/t/x/ab/abc.jpg; its content type and ETag are kept next to
// it in the hidden sidecar <dir>/t/x/ab/.abc.jpg.meta (JSON). Names starting
// with a dot are never keys (see ValidKey), so the sidecars and the temporary
// files of unfinished writes (".tmp-*") cannot clash with objects and are not
// listed.
//
// Writes are atomic: Put writes a temporary file in the object's directory,
// syncs it and renames it into place, so readers see the old object or the
// whole new one, never a part; the temporary file is removed on any failure.
// Every access goes through an os.Root, so no key, and no symbolic link
// planted in the directory, reaches a file outside it; Stat, Open and List
// also ignore symbolic links inside it.
type Disk struct {
	dir string
}

// diskMeta is the sidecar of a Disk object.
type diskMeta struct {
	ContentType string `json:"content_type"`
	ETag        string `json:"etag"`
	Size        int64  `json:"size"`
}

// NewDisk returns a Disk store in dir, creating the directory if needed.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("blob: empty media directory")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("blob: media directory %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("blob: media directory: %w", err)
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, fmt.Errorf("blob: media directory: %w", err)
	}
	_ = root.Close()
	return &Disk{dir: abs}, nil
}

// Dir returns the absolute directory of the store.
func (d *Disk) Dir() string { return d.dir }

// openRoot opens the store's directory for one operation. Opening it each
// time (instead of holding it) keeps the store working when the directory is
// replaced, for example by remounting a volume, and needs no Close.
func (d *Disk) openRoot(ctx context.Context, op, key string) (*os.Root, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("blob %s %q: %w", op, key, err)
	}
	root, err := os.OpenRoot(d.dir)
	if err != nil {
		return nil, unavailable(op, key, err)
	}
	return root, nil
}

// fail classifies a file system error met during op on key.
func (d *Disk) fail(op, key string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		return notFound(op, key)
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT),
		errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EIO):
		return unavailable(op, key, err)
	}
	return fmt.Errorf("blob %s %q: %w", op, key, err)
}

// names returns the paths, relative to the root, of key's file, of its
// directory and of its sidecar.
func names(key string) (file, dir, meta string) {
	file = filepath.FromSlash(key)
	dir, base := filepath.Split(file)
	if dir == "" {
		dir = "."
	}
	return file, dir, filepath.Join(dir, "."+base+".meta")
}

// Put implements Store.
func (d *Disk) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) (Info, error) {
	ct, err := checkPut(key, size, contentType)
	if err != nil {
		return Info{}, err
	}
	root, err := d.openRoot(ctx, "put", key)
	if err != nil {
		return Info{}, err
	}
	defer root.Close()
	file, dir, meta := names(key)
	if err := root.MkdirAll(dir, 0o750); err != nil {
		return Info{}, d.failWrite("put", key, err)
	}

	src := newExactReader(ctx, r, size)
	sum := md5.New()
	tmp, err := writeTemp(root, dir, filepath.Base(file), io.TeeReader(src, sum))
	if err != nil {
		if ferr := src.failed("put", key); ferr != nil {
			return Info{}, ferr
		}
		return Info{}, d.failWrite("put", key, err)
	}
	if ferr := src.finish("put", key); ferr != nil {
		_ = root.Remove(tmp)
		return Info{}, ferr
	}
	committed := false
	defer func() {
		if !committed {
			_ = root.Remove(tmp)
		}
	}()

	m := diskMeta{ContentType: ct, ETag: hex.EncodeToString(sum.Sum(nil)), Size: size}
	body, err := json.Marshal(m)
	if err != nil {
		return Info{}, fmt.Errorf("blob put %q: %w", key, err)
	}
	metaTmp, err := writeTemp(root, dir, filepath.Base(meta), strings.NewReader(string(body)))
	if err != nil {
		return Info{}, d.failWrite("put", key, err)
	}
	if err := root.Rename(metaTmp, meta); err != nil {
		_ = root.Remove(metaTmp)
		return Info{}, d.failWrite("put", key, err)
	}
	if err := root.Rename(tmp, file); err != nil {
		return Info{}, d.failWrite("put", key, err)
	}
	committed = true
	if err := syncDir(root, dir); err != nil {
		return Info{}, d.failWrite("put", key, err)
	}
	fi, err := root.Lstat(file)
	if err != nil {
		return Info{}, d.failWrite("put", key, err)
	}
	return Info{Key: key, Size: fi.Size(), ContentType: m.ContentType, ETag: m.ETag, ModTime: fi.ModTime()}, nil
}

// failWrite classifies an error of a write, where a missing path is not a
// missing object.
func (d *Disk) failWrite(op, key string, err error) error {
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("blob %s %q: %w", op, key, err)
	}
	return d.fail(op, key, err)
}

// writeTemp copies src into a new temporary file in dir, syncs and closes it,
// and returns its name; on failure it removes the file.
func writeTemp(root *os.Root, dir, base string, src io.Reader) (string, error) {
	name := filepath.Join(dir, ".tmp-"+base+"-"+rand.Text())
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(f, src)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = root.Remove(name)
		return "", err
	}
	return name, nil
}

// syncDir makes a rename in dir durable.
func syncDir(root *os.Root, dir string) error {
	f, err := root.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, errors.ErrUnsupported) {
		return nil // some file systems cannot sync a directory
	}
	return err
}

// describe builds the Info of key's file fi, from its sidecar when the
// sidecar matches the file, else from the file alone.
func describe(root *os.Root, key string, fi fs.FileInfo) Info {
	info := Info{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}
	_, _, meta := names(key)
	var m diskMeta
	if b, err := root.ReadFile(meta); err == nil && json.Unmarshal(b, &m) == nil && m.Size == fi.Size() {
		info.ContentType, info.ETag = m.ContentType, m.ETag
		return info
	}
	// No usable sidecar: the file was placed by hand or a crash came between
	// the two renames of Put.
	info.ContentType = mime.TypeByExtension(path.Ext(key))
	if info.ContentType == "" {
		info.ContentType = DefaultContentType
	}
	info.ETag = strconv.FormatInt(fi.ModTime().UnixNano(), 16) + "-" + strconv.FormatInt(fi.Size(), 16)
	return info
}

// Stat implements Store.
func (d *Disk) Stat(ctx context.Context, key string) (Info, error) {
	if err := ValidKey(key); err != nil {
		return Info{}, err
	}
	root, err := d.openRoot(ctx, "stat", key)
	if err != nil {
		return Info{}, err
	}
	defer root.Close()
	file, _, _ := names(key)
	fi, err := root.Lstat(file)
	if err != nil {
		return Info{}, d.fail("stat", key, err)
	}
	if !fi.Mode().IsRegular() {
		return Info{}, notFound("stat", key)
	}
	return describe(root, key, fi), nil
}

// diskObject is an open Disk object.
type diskObject struct {
	f    *os.File
	info Info
}

func (o *diskObject) Read(p []byte) (int, error)                   { return o.f.Read(p) }
func (o *diskObject) ReadAt(p []byte, off int64) (int, error)      { return o.f.ReadAt(p, off) }
func (o *diskObject) Seek(offset int64, whence int) (int64, error) { return o.f.Seek(offset, whence) }
func (o *diskObject) Close() error                                 { return o.f.Close() }
func (o *diskObject) Info() Info                                   { return o.info }

// Open implements Store.
func (d *Disk) Open(ctx context.Context, key string) (Object, error) {
	if err := ValidKey(key); err != nil {
		return nil, err
	}
	root, err := d.openRoot(ctx, "open", key)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	file, _, _ := names(key)
	// Lstat refuses a symbolic link at the key; comparing it with the opened
	// file catches one swapped in between. A concurrent Put of the same key
	// may also swap the file: try again then.
	for range 3 {
		fi, err := root.Lstat(file)
		if err != nil {
			return nil, d.fail("open", key, err)
		}
		if !fi.Mode().IsRegular() {
			return nil, notFound("open", key)
		}
		f, err := root.Open(file)
		if err != nil {
			return nil, d.fail("open", key, err)
		}
		ffi, err := f.Stat()
		if err != nil {
			_ = f.Close()
			return nil, d.fail("open", key, err)
		}
		if ffi.Mode().IsRegular() && os.SameFile(fi, ffi) {
			return &diskObject{f: f, info: describe(root, key, ffi)}, nil
		}
		_ = f.Close()
	}
	return nil, fmt.Errorf("blob open %q: the file keeps changing", key)
}

// Delete implements Store.
func (d *Disk) Delete(ctx context.Context, key string) error {
	if err := ValidKey(key); err != nil {
		return err
	}
	root, err := d.openRoot(ctx, "delete", key)
	if err != nil {
		return err
	}
	defer root.Close()
	file, _, meta := names(key)
	fi, err := root.Lstat(file)
	switch {
	case err == nil && fi.IsDir():
		// A directory of other keys, not an object.
	case err == nil:
		if err := root.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return d.failWrite("delete", key, err)
		}
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
	default:
		return d.failWrite("delete", key, err)
	}
	if err := root.Remove(meta); err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		return d.failWrite("delete", key, err)
	}
	return nil
}

// stopList carries an error of List's callback through fs.WalkDir.
type stopList struct{ err error }

func (s stopList) Error() string { return s.err.Error() }

// List implements Store.
func (d *Disk) List(ctx context.Context, prefix string, fn func(Info) error) error {
	if err := validPrefix(prefix); err != nil {
		return err
	}
	root, err := d.openRoot(ctx, "list", prefix)
	if err != nil {
		return err
	}
	defer root.Close()
	start := "."
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		start = prefix[:i]
	}
	err = fs.WalkDir(root.FS(), start, func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
				return nil // nothing under the prefix, or removed meanwhile
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p == "." {
			return nil
		}
		name := de.Name()
		if de.IsDir() {
			if name[0] == '.' || !strings.HasPrefix(p+"/", prefix) && !strings.HasPrefix(prefix, p+"/") {
				return fs.SkipDir
			}
			return nil
		}
		if name[0] == '.' || !de.Type().IsRegular() || !strings.HasPrefix(p, prefix) {
			return nil
		}
		fi, err := de.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		info := describe(root, p, fi)
		info.ContentType = ""
		if err := fn(info); err != nil {
			return stopList{err}
		}
		return nil
	})
	var stop stopList
	if errors.As(err, &stop) {
		return stop.err
	}
	if err != nil {
		return d.fail("list", prefix, err)
	}
	return nil
}

// Ready implements Store: the directory can be opened.
func (d *Disk) Ready(ctx context.Context) error {
	root, err := d.openRoot(ctx, "ready", "")
	if err != nil {
		return err
	}
	return root.Close()
}
