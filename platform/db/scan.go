package db

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/uptrace/bun"
)

// NullString is a nullable text column as a scan destination for reads
// that run on both drivers (Query, QueryAll): pgx fills it directly, as it
// fills a string, where a sql.NullString made it box each value in an
// interface and convert it by reflection; database/sql (SQLite) scans it
// as a sql.NullString.
type NullString = pgtype.Text

// NullTime is a nullable time column as a scan destination for reads that
// run on both drivers: pgx hands it the time it decoded, where a
// bun.NullTime made it box each value in an interface first; database/sql
// (SQLite, whose times are text) scans it as bun does.
type NullTime struct {
	bun.NullTime
}

// ScanTimestamptz is pgx's scan of a timestamptz column.
func (t *NullTime) ScanTimestamptz(v pgtype.Timestamptz) error {
	t.Time = time.Time{}
	if v.Valid && v.InfinityModifier == pgtype.Finite {
		t.Time = v.Time
	}
	return nil
}

// ScanTimestamp is pgx's scan of a timestamp column (without time zone).
func (t *NullTime) ScanTimestamp(v pgtype.Timestamp) error {
	t.Time = time.Time{}
	if v.Valid && v.InfinityModifier == pgtype.Finite {
		t.Time = v.Time
	}
	return nil
}

// Ptr is the time, nil when the column was NULL.
func (t *NullTime) Ptr() *time.Time {
	if t.IsZero() {
		return nil
	}
	v := t.Time
	return &v
}
