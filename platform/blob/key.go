package blob

import (
	"fmt"
	"strings"
)

// MaxKeyLen is the longest key a Store accepts, in bytes.
const MaxKeyLen = 512

// maxSegmentLen is the longest path segment of a key, in bytes: Disk adds a
// few characters to a segment for its own files and most file systems stop at
// 255.
const maxSegmentLen = 200

// Key returns the key of a tenant's object with the given content hash (lower
// case hex SHA-256) and suffix (such as ".jpg" or "-640.webp"):
//
//	t/<tenant-id>/<first two hex digits>/<sha256hex><suffix>
//
// The two-digit level keeps directories small on Disk. Key does not validate;
// every Store method does (see ValidKey).
func Key(tenantID, sha256hex, suffix string) string {
	shard := sha256hex
	if len(shard) > 2 {
		shard = shard[:2]
	}
	return TenantPrefix(tenantID) + shard + "/" + sha256hex + suffix
}

// TenantPrefix returns the prefix of every key of the tenant, "t/<tenant-id>/",
// for List and for checking that a key belongs to a tenant.
func TenantPrefix(tenantID string) string { return "t/" + tenantID + "/" }

// ValidKey returns an error (errs.KindInvalid, wrapping ErrInvalidKey) unless
// key is a relative slash-separated path of at most MaxKeyLen bytes made of
// the characters a-z, A-Z, 0-9, '.', '_', '-' and '/', whose segments are
// neither empty nor start with a dot nor are longer than 200 bytes. That refuses "..", ".", absolute paths,
// backslashes, NUL and any other byte outside the set, so a valid key is a
// safe path under any directory; names starting with a dot are kept for the
// stores' own files.
func ValidKey(key string) error {
	bad := func(reason string) error {
		return fmt.Errorf("%w: %q: %s", ErrInvalidKey, key, reason)
	}
	switch {
	case key == "":
		return bad("empty")
	case len(key) > MaxKeyLen:
		return bad(fmt.Sprintf("longer than %d bytes", MaxKeyLen))
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '.' || c == '_' || c == '-' || c == '/') {
			return bad(fmt.Sprintf("byte %#02x at %d is not allowed", c, i))
		}
	}
	if key[0] == '/' {
		return bad("absolute path")
	}
	for seg := range strings.SplitSeq(key, "/") {
		switch {
		case seg == "":
			return bad("empty path segment")
		case seg == "." || seg == "..":
			return bad("dot segment")
		case seg[0] == '.':
			return bad("segment starts with a dot")
		case len(seg) > maxSegmentLen:
			return bad(fmt.Sprintf("path segment longer than %d bytes", maxSegmentLen))
		}
	}
	return nil
}

// validPrefix checks a List prefix: empty, or a valid key optionally followed
// by a slash.
func validPrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return ValidKey(strings.TrimSuffix(prefix, "/"))
}
