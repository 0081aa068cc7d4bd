package pagecache

import (
	"net/url"
	"sort"
	"strings"

	"github.com/valyala/fasthttp"

	"github.com/trangtin/trangtin/platform/web"
)

// MaxKey bounds a cache key; a longer URL is rendered and never stored.
const MaxKey = 1024

// DefaultParams are the query parameters public pages read. A request with
// any other parameter (except the tracking ones) is not cached, so random
// parameters cannot fill the cache with copies of one page.
var DefaultParams = []string{"trang", "q", "in", "lang", "loai", "nam", "linh-vuc", "co-quan"}

// tracking parameters never change a page: they are left out of the key,
// so a link shared with them is the page everybody else reads.
func tracking(name string) bool {
	switch name {
	case "fbclid", "gclid", "zarsrc", "zalo_source", "mc_cid", "mc_eid":
		return true
	}
	return strings.HasPrefix(name, "utm_")
}

// appendKey appends the key of a request to dst: scheme, host with port
// (pages carry absolute links built from it), language, path and the known
// query parameters sorted; ok is false when the request must not be
// cached. A lookup builds it in a buffer of its own and needs no string.
func appendKey(dst []byte, fctx *fasthttp.RequestCtx, seen web.Seen, params map[string]bool) ([]byte, bool) {
	b := dst
	if seen.Secure {
		b = append(b, "https://"...)
	} else {
		b = append(b, "http://"...)
	}
	b = append(b, seen.HostPort...)
	b = append(b, fctx.URI().PathOriginal()...)
	b = append(b, '\x00')
	b = append(b, seen.Lang...)
	args := fctx.QueryArgs()
	if args.Len() > 0 {
		type kv struct{ k, v string }
		var kvs []kv
		bad := false
		for k, v := range args.All() {
			name := string(k)
			switch {
			case tracking(name):
			case params[name]:
				kvs = append(kvs, kv{name, string(v)})
			default:
				bad = true
			}
		}
		if bad || len(kvs) > 8 {
			return dst, false
		}
		sort.Slice(kvs, func(i, j int) bool {
			if kvs[i].k != kvs[j].k {
				return kvs[i].k < kvs[j].k
			}
			return kvs[i].v < kvs[j].v
		})
		for i, p := range kvs {
			if i == 0 {
				b = append(b, '?')
			} else {
				b = append(b, '&')
			}
			b = append(b, url.QueryEscape(p.k)...)
			b = append(b, '=')
			b = append(b, url.QueryEscape(p.v)...)
		}
	}
	if len(b)-len(dst) > MaxKey {
		return dst, false
	}
	return b, true
}
