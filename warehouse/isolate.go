package warehouse

import (
	"context"
	"fmt"
)

// LoadFailure is a load [DB.LoadEach] could not store.
type LoadFailure struct {
	Index  int   // position in the loads given
	PageID int64 // the load's page, 0 when it had none
	Source string
	Err    error
}

func (f LoadFailure) Error() string { return fmt.Sprintf("load %s: %v", f.Source, f.Err) }

// LoadEach stores loads like [DB.LoadReports], but one load that cannot be
// stored — whatever the reason — does not stop the others: every other load
// is stored, and the failed one's page keeps its error (pages.extract_error,
// with the load's extractor version, so the nightly extract does not retry
// it before a new extractor version). The returned stats count what was
// stored; ReportIDs is 0 for a failed load.
//
// The whole batch is tried in one transaction first (the common case, as
// fast as LoadReports); when it fails, each half is tried on its own, down
// to the single loads that fail: a few extra transactions per bad page.
// An error is returned only when nothing could be stored, which is a fault
// of the database rather than of a page (ctx cancelled, disk full, a
// closed file): then no page is marked, and all are retried next time.
func (db *DB) LoadEach(ctx context.Context, loads []Load) (LoadStats, []LoadFailure, error) {
	stats := LoadStats{ReportIDs: make([]int64, len(loads))}
	var failures []LoadFailure
	if err := db.loadSplitting(ctx, loads, 0, &stats, &failures); err != nil {
		return LoadStats{ReportIDs: make([]int64, len(loads))}, nil, err
	}
	if len(failures) == 0 {
		return stats, nil, nil
	}
	if len(failures) == len(loads) && len(loads) > 1 {
		// Every load failed on its own: the database, not the pages.
		return LoadStats{ReportIDs: make([]int64, len(loads))}, nil, failures[0].Err
	}
	for _, f := range failures {
		if f.PageID == 0 {
			continue
		}
		if err := db.SetPageFailure(ctx, f.PageID, loads[f.Index].ExtractorVersion, loads[f.Index].AttachmentSet, f.Error()); err != nil {
			return stats, failures, err
		}
	}
	return stats, failures, nil
}

// loadSplitting loads loads (which start at offset in LoadEach's input),
// halving the batch where a transaction fails; a single load that fails
// is a failure. It returns an error only when ctx ends.
func (db *DB) loadSplitting(ctx context.Context, loads []Load, offset int, stats *LoadStats, failures *[]LoadFailure) error {
	if len(loads) == 0 {
		return nil
	}
	st, err := db.LoadReports(ctx, loads)
	if err == nil {
		stats.Reports += st.Reports
		stats.Cells += st.Cells
		stats.Skipped += st.Skipped
		copy(stats.ReportIDs[offset:], st.ReportIDs)
		return nil
	}
	if ctx.Err() != nil {
		return err
	}
	if len(loads) == 1 {
		*failures = append(*failures, LoadFailure{Index: offset, PageID: loads[0].PageID, Source: loadSource(loads[0]), Err: err})
		return nil
	}
	half := len(loads) / 2
	if err := db.loadSplitting(ctx, loads[:half], offset, stats, failures); err != nil {
		return err
	}
	return db.loadSplitting(ctx, loads[half:], offset+half, stats, failures)
}

func loadSource(ld Load) string {
	if ld.Report != nil && ld.Report.Source != "" {
		return validText(ld.Report.Source)
	}
	return fmt.Sprintf("page %d", ld.PageID)
}
