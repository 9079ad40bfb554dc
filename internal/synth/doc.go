// Package synth generates synthetic annual reports for tests and the scale
// benchmark (never for the demo): N agencies × Years years of
// extract.Report values in the two national formats (2019 format for years
// up to 2020, 2021 format after), with realistic, heavy-tailed request
// counts, results that balance, carry-over and stock roll-forward that hold
// across years, blanks printed for zeros in a share of reports, and a
// known share of deliberately unbalanced reports whose flaw is returned.
//
// It is deterministic: the same Options give the same reports, and agency i
// does not depend on how many agencies are generated.
//
//	for g := range synth.Reports(synth.Options{Agencies: 1000}) {
//		loads = append(loads, warehouse.Load{Report: g.Report, PageSHA256: g.SHA256,
//			RegionCode: g.RegionCode, Portal: g.Portal, ExtractorVersion: "synth"})
//	}
package synth
