// Package metrics holds the platform's Prometheus metrics in a registry of
// its own (no global default registry), the Fiber middleware that counts
// requests by route pattern, and the server for TRANGTIN_METRICS_ADDR, kept
// off the public port. Request metrics carry no tenant label: with 10,000
// tenants that label would explode the series count; per-tenant activity
// is what the quota report is for.
package metrics

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the platform's set of metrics.
type Metrics struct {
	Registry         *prometheus.Registry
	Requests         *prometheus.CounterVec
	Duration         *prometheus.HistogramVec
	JobResults       *prometheus.CounterVec
	MediaStoreErrors prometheus.Counter
	RemindersSent    prometheus.Counter
}

// New registers every metric on a fresh registry, plus Go runtime,
// process and database pool collectors.
func New(db *sql.DB) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trangtin_http_requests_total", Help: "HTTP requests by app, route pattern, method and status.",
		}, []string{"app", "route", "method", "status"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "trangtin_http_request_duration_seconds", Help: "HTTP request latency by app and route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"app", "route"}),
		JobResults: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "trangtin_jobs_total", Help: "Background jobs run, by kind and result (ok or error).",
		}, []string{"kind", "result"}),
		MediaStoreErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trangtin_media_store_errors_total", Help: "Media store operations that failed.",
		}),
		RemindersSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "trangtin_quota_reminders_sent_total", Help: "Quota reminder e-mails sent.",
		}),
	}
	m.Registry.MustRegister(m.Requests, m.Duration, m.JobResults, m.MediaStoreErrors, m.RemindersSent,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if db != nil {
		m.Registry.MustRegister(collectors.NewDBStatsCollector(db, "trangtin"))
	}
	return m
}

// QueueDepth registers a gauge of jobs per state, read from stats at scrape time.
func (m *Metrics) QueueDepth(stats func(ctx context.Context) (map[string]int64, error)) {
	m.Registry.MustRegister(&queueCollector{stats: stats, desc: prometheus.NewDesc(
		"trangtin_jobs_queue", "Background jobs by state.", []string{"state"}, nil)})
}

type queueCollector struct {
	stats func(ctx context.Context) (map[string]int64, error)
	desc  *prometheus.Desc
}

func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- q.desc }

func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := q.stats(ctx)
	if err != nil {
		return
	}
	for state, n := range st {
		ch <- prometheus.MustNewConstMetric(q.desc, prometheus.GaugeValue, float64(n), state)
	}
}

// JobResult records the outcome of one job run.
func (m *Metrics) JobResult(kind string, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.JobResults.WithLabelValues(kind, result).Inc()
}

// Middleware counts requests of one app by their route pattern (never the
// raw path, whose values are unbounded).
func (m *Metrics) Middleware(app string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		if err := c.Next(); err != nil {
			// Let the app's error handler answer now, so the status counted
			// is the one the client gets.
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		route := "unmatched"
		if r := c.Route(); r != nil && r.Path != "" && r.Path != "/*" && r.Path != "*" {
			route = r.Path
		}
		status := c.Response().StatusCode()
		m.Requests.WithLabelValues(app, route, c.Method(), strconv.Itoa(status)).Inc()
		m.Duration.WithLabelValues(app, route).Observe(time.Since(start).Seconds())
		return nil
	}
}

// Serve answers /metrics on ln until ctx ends.
func (m *Metrics) Serve(ctx context.Context, ln net.Listener, log *slog.Logger) error {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	log.Info("metrics listening", "addr", ln.Addr().String())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// PageCacheStats are the page cache's counters at scrape time.
type PageCacheStats struct{ Hits, Misses, Bypass, Bytes, Entries int64 }

// PageCache registers the page cache's hits, misses and bypasses
// (requests it may not answer: signed in, unknown parameters) as counters,
// its bytes and entries as gauges, all read from stats at scrape time.
func (m *Metrics) PageCache(stats func() PageCacheStats) {
	counter := func(name, help string, v func(PageCacheStats) int64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help},
			func() float64 { return float64(v(stats())) })
	}
	gauge := func(name, help string, v func(PageCacheStats) int64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help},
			func() float64 { return float64(v(stats())) })
	}
	m.Registry.MustRegister(
		counter("trangtin_page_cache_hits_total", "Public pages served from the page cache.", func(s PageCacheStats) int64 { return s.Hits }),
		counter("trangtin_page_cache_misses_total", "Public pages rendered for the page cache.", func(s PageCacheStats) int64 { return s.Misses }),
		counter("trangtin_page_cache_bypass_total", "Public page requests the cache may not answer (signed in, unknown parameters, long URL).", func(s PageCacheStats) int64 { return s.Bypass }),
		gauge("trangtin_page_cache_bytes", "Memory held by cached pages.", func(s PageCacheStats) int64 { return s.Bytes }),
		gauge("trangtin_page_cache_entries", "Cached pages.", func(s PageCacheStats) int64 { return s.Entries }),
	)
}
