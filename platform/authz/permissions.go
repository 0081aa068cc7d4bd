package authz

// Permission names one thing an account may do. Every permission the
// platform checks is declared in this file and nowhere else; which roles
// hold it is data (the authz_rules table, seeded by migration), never code.
//
// Reading a tenant's ordinary objects (its items, media, sections, the
// agreement register) needs TenantView; the permissions below name the
// actions beyond reading.
type Permission string

// Post (item) permissions.
const (
	// PostCreate writes a new draft.
	PostCreate Permission = "post:create"
	// PostEditOwn edits drafts the account wrote.
	PostEditOwn Permission = "post:edit-own"
	// PostEditAny edits any item of the tenant.
	PostEditAny Permission = "post:edit-any"
	// PostSubmit sends a draft to the tenant's board for review.
	PostSubmit Permission = "post:submit"
	// PostReview returns a submitted item or approves it.
	PostReview Permission = "post:review"
	// PostPublish publishes an approved item.
	PostPublish Permission = "post:publish"
	// PostSchedule sets an approved item to publish at a later time.
	PostSchedule Permission = "post:schedule"
	// PostWithdraw takes a published item down.
	PostWithdraw Permission = "post:withdraw"
	// PostForcePublish publishes without review, with a stated reason.
	PostForcePublish Permission = "post:force-publish"
	// PostSubmitParent sends an item to the parent tenant's board (counts for the quota).
	PostSubmitParent Permission = "post:submit-parent"
)

// Media permissions.
const (
	// MediaUpload adds images and files to the tenant's library.
	MediaUpload Permission = "media:upload"
	// MediaManage edits and removes anything in the tenant's library.
	MediaManage Permission = "media:manage"
)

// Board, tenant, inbox and register permissions.
const (
	// BoardView shows the tenant's editorial board and its members.
	BoardView Permission = "board:view"
	// BoardManage changes the board: its decision, members, positions and roles.
	BoardManage Permission = "board:manage"
	// TenantView is seeing the tenant at all: its console pages and objects.
	// A platform role holding it sees every tenant.
	TenantView Permission = "tenant:view"
	// TenantSettings changes the tenant's site settings (name, logo, domains, sections).
	TenantSettings Permission = "tenant:settings"
	// InboxView lists items sent to the tenant by its children.
	InboxView Permission = "inbox:view"
	// InboxDecide accepts, returns or refuses an item in the inbox.
	InboxDecide Permission = "inbox:decide"
	// PullCreate pulls a published descendant item into the tenant.
	PullCreate Permission = "pull:create"
	// AgreementManage edits the register of reuse agreements with press agencies.
	AgreementManage Permission = "agreement:manage"
)

// Quota, report and audit permissions.
const (
	// QuotaViewOwn shows the tenant's own quota progress.
	QuotaViewOwn Permission = "quota:view-own"
	// QuotaViewAll shows every tenant's quota progress (a platform permission).
	QuotaViewAll Permission = "quota:view-all"
	// QuotaManage edits quotas and grants exemptions.
	QuotaManage Permission = "quota:manage"
	// ReportView reads reports (the monthly quota report on the platform domain).
	ReportView Permission = "report:view"
	// AuditView reads the tenant's audit log.
	AuditView Permission = "audit:view"
	// AuditViewAll reads the whole platform's audit log.
	AuditViewAll Permission = "audit:view-all"
)

// Platform permissions.
const (
	// TenantOnboard creates tenants.
	TenantOnboard Permission = "tenant:onboard"
	// TenantManage suspends, archives, re-parents, exports and imports tenants.
	TenantManage Permission = "tenant:manage"
	// AccountManage creates, disables and grants roles to accounts platform-wide.
	AccountManage Permission = "account:manage"
)

// Route markers: not permissions any role holds, but what a route declares
// when it needs none.
const (
	// Public marks a route anyone may call, signed in or not (/login, static files).
	Public Permission = "public"
	// Authenticated marks a route any signed-in account may call (/api/v1/me,
	// the dashboard, account settings); the handler itself limits what it shows.
	Authenticated Permission = "authenticated"
)

// All returns every permission a role can hold, in a stable order (not the
// route markers Public and Authenticated). Each call returns a new slice.
func All() []Permission {
	return []Permission{
		PostCreate, PostEditOwn, PostEditAny, PostSubmit, PostReview, PostPublish,
		PostSchedule, PostWithdraw, PostForcePublish, PostSubmitParent,
		MediaUpload, MediaManage,
		BoardView, BoardManage, TenantView, TenantSettings,
		InboxView, InboxDecide, PullCreate, AgreementManage,
		QuotaViewOwn, QuotaViewAll, QuotaManage, ReportView, AuditView, AuditViewAll,
		TenantOnboard, TenantManage, AccountManage,
	}
}

// Valid reports whether p is one of All.
func (p Permission) Valid() bool {
	for _, q := range All() {
		if p == q {
			return true
		}
	}
	return false
}

// Marker reports whether p is a route marker (Public or Authenticated)
// rather than a permission.
func (p Permission) Marker() bool { return p == Public || p == Authenticated }
