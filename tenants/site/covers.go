package site

import "sync"

// coverHintTenants bounds how many tenants' hints a process keeps (about
// 1 KB each); past it the hints start afresh.
const coverHintTenants = 2048

// coverHints keeps, per tenant, the ids of the pictures its home showed
// last, so that the next render reads them with its items, in the same
// round trip, instead of in a second one once the items have named them
// (on PostgreSQL that round trip was about a tenth of an uncached home's
// CPU). It is a guess, not a cache: the pictures are always read from the
// database with the page; a cover the guess missed (a new item, a changed
// picture) is read in a second query, and a picture the page no longer
// shows is read for nothing, once.
type coverHints struct {
	mu       sync.Mutex
	byTenant map[string][]string
}

// get is the tenant's last covers, nil when none are known.
func (c *coverHints) get(tenantID string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byTenant[tenantID]
}

// put records the covers a render of the tenant's home showed; ids is not
// changed afterwards.
func (c *coverHints) put(tenantID string, ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byTenant == nil || len(c.byTenant) >= coverHintTenants {
		c.byTenant = map[string][]string{}
	}
	c.byTenant[tenantID] = ids
}
