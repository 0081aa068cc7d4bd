package pagecache

import (
	"container/list"
	"hash/maphash"
	"sync"

	"github.com/valyala/fasthttp"
)

// entry is one cached page.
type entry struct {
	key      string
	tenantID string
	version  // when rendering began
	body     []byte
	gz       []byte // gzip variant, nil when not worth it
	etag     []byte
	// header is what a hit answers with, the render's headers (the
	// security headers among them) with the cache's; gzHeader is the
	// same for gz. A hit copies one whole (CopyTo), which costs a tenth
	// of setting its dozen headers one by one.
	header, gzHeader fasthttp.ResponseHeader
	headerBytes      int // both headers, as written
}

// size is what an entry counts against the budget: its bytes plus a fixed
// overhead for the struct, the list element and the map slot.
func (e *entry) size() int64 {
	return int64(len(e.key)+len(e.tenantID)+len(e.body)+len(e.gz)+len(e.etag)+e.headerBytes) + 512
}

const shardCount = 16

// store is a set of shards, each a least-recently-used list under its own
// byte budget, so a hit locks one shard only.
type store struct {
	seed   maphash.Seed
	shards [shardCount]shard
}

type shard struct {
	mu     sync.Mutex
	budget int64
	used   int64
	lru    list.List // front: most recently used; values *entry
	byKey  map[string]*list.Element
}

func newStore(budget int64) *store {
	s := &store{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].budget = budget / shardCount
		s.shards[i].byKey = map[string]*list.Element{}
	}
	return s
}

func (s *store) shard(key string) *shard {
	return &s.shards[maphash.String(s.seed, key)%shardCount]
}

// shardOf is shard for a key as bytes (maphash hashes both alike).
func (s *store) shardOf(key []byte) *shard {
	return &s.shards[maphash.Bytes(s.seed, key)%shardCount]
}

// get returns the entry of key, marking it recently used.
func (s *store) get(key []byte) *entry {
	sh := s.shardOf(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	el, ok := sh.byKey[string(key)]
	if !ok {
		return nil
	}
	sh.lru.MoveToFront(el)
	return el.Value.(*entry)
}

// put stores e, evicting the least recently used entries of its shard
// until it fits. An entry over 1/16 of a shard's budget is not stored: a
// few huge pages must not wipe out everything else.
func (s *store) put(e *entry) bool {
	sh := s.shard(e.key)
	n := e.size()
	if n > sh.budget/16 {
		return false
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if el, ok := sh.byKey[e.key]; ok {
		sh.used -= el.Value.(*entry).size()
		sh.lru.Remove(el)
		delete(sh.byKey, e.key)
	}
	for sh.used+n > sh.budget {
		last := sh.lru.Back()
		old := last.Value.(*entry)
		sh.used -= old.size()
		sh.lru.Remove(last)
		delete(sh.byKey, old.key)
	}
	sh.byKey[e.key] = sh.lru.PushFront(e)
	sh.used += n
	return true
}

// remove drops key (a stale entry found by a lookup).
func (s *store) remove(key []byte) {
	sh := s.shardOf(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if el, ok := sh.byKey[string(key)]; ok {
		sh.used -= el.Value.(*entry).size()
		sh.lru.Remove(el)
		delete(sh.byKey, el.Value.(*entry).key)
	}
}

// usage is the bytes and entries held.
func (s *store) usage() (bytes, entries int64) {
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		bytes += sh.used
		entries += int64(len(sh.byKey))
		sh.mu.Unlock()
	}
	return bytes, entries
}
