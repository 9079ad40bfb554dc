package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Acknowledgement statuses of a flag (flag_acks.status).
const (
	AckConfirmed  = "confirmed"   // the government's error, checked by a person
	AckFalseAlarm = "false_alarm" // the page is right; the check or the reading is wrong
)

// AckStatuses lists the valid statuses.
var AckStatuses = []string{AckConfirmed, AckFalseAlarm}

// Ack records a person's verdict on the flag with the given fingerprint
// (check_results.fingerprint, printed by `nianbao check`), replacing an
// earlier one. It holds while the flag's fingerprint is the same: a
// re-extraction or new version printing the same cells keeps it.
func (db *DB) Ack(ctx context.Context, fingerprint, status, note string) error {
	if status != AckConfirmed && status != AckFalseAlarm {
		return fmt.Errorf("ack %s: status %q: want %s or %s", fingerprint, status, AckConfirmed, AckFalseAlarm)
	}
	var agency sql.NullString
	var year sql.NullInt64
	var rule string
	err := db.SQL.QueryRowContext(ctx, `select agency, year, rule from check_results
		where fingerprint = ? order by run_id desc limit 1`, fingerprint).Scan(&agency, &year, &rule)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("ack %s: no check result has this fingerprint (see the fingerprint column of nianbao check)", fingerprint)
	}
	if err != nil {
		return fmt.Errorf("ack %s: %w", fingerprint, err)
	}
	now := db.opts.Now().UTC().Truncate(time.Microsecond)
	if _, err := db.SQL.ExecContext(ctx, `insert or replace into flag_acks
		(fingerprint, status, note, acked_at, agency, year, rule) values (?, ?, ?, ?, ?, ?, ?)`,
		fingerprint, status, note, now, agency, year, rule); err != nil {
		return fmt.Errorf("ack %s: %w", fingerprint, err)
	}
	return nil
}
