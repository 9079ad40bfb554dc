package warehouse

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/nianbao/nianbao/regions"
)

// Agency levels, inferred from the name's suffix and the region code. The
// three government levels are the regions package's words.
const (
	LevelProvince   = regions.LevelProvince
	LevelCity       = regions.LevelCity
	LevelCounty     = regions.LevelCounty
	LevelTownship   = "township"
	LevelDepartment = "department"
)

// NormalizeAgency returns the key under which differently printed names of
// one agency meet: NFKC, without whitespace, middle dots and brackets (the
// brackets' content is kept: "(县)" and "县" name the same body).
func NormalizeAgency(name string) string {
	name = norm.NFKC.String(name)
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsSpace(r), r == '(', r == ')', r == '（', r == '）', r == '·', r == '•':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// townshipSuffixes end the names of township-level governments, also as
// reports print them short: a report's title often names the body by its
// place alone (衡东县杨林镇, 东干道街道), and the place is the government.
var townshipSuffixes = []string{
	"乡人民政府", "镇人民政府", "街道办事处", "苏木人民政府", "民族乡人民政府",
	"镇政府", "乡政府", "街道办", "镇", "乡", "街道", "苏木",
}

// governmentSuffixes end the names of the governments of a region: a
// people's government, or the 管理委员会 that governs a zone in its place
// (平潭综合实验区管委会).
var governmentSuffixes = []string{"人民政府", "管理委员会", "管委会"}

// IsGovernment reports whether the agency is a government (of a province,
// city, county or township) rather than one of its departments. A
// government's general office (上海市人民政府办公厅, 延津县人民政府办公室) is
// a department: when it publishes a report, the report is its own.
func IsGovernment(name string) bool {
	return AgencyLevel(name, "") != LevelDepartment
}

// AgencyLevel infers the administrative level of an agency from its name and,
// when known, its GB/T 2260 region code. A name not ending in 人民政府 (or
// 管委会, 街道办事处, or a township's place name: …镇, …乡, …街道) is a
// department. It is the one rule of government vs department: the loader
// stores it in agencies.level, which the peers of the indicators, the
// deadline check and the freshness report read (macro is_government,
// migration 019). Without a code, the region the name
// begins with decides (辉县市 is a county-level city); failing that, its
// suffix.
func AgencyLevel(name, regionCode string) string {
	n := NormalizeAgency(name)
	for _, s := range townshipSuffixes {
		if strings.HasSuffix(n, s) {
			return LevelTownship
		}
	}
	place, gov := "", false
	for _, s := range governmentSuffixes {
		if strings.HasSuffix(n, s) {
			place, gov = strings.TrimSuffix(n, s), true
			break
		}
	}
	if !gov {
		return LevelDepartment
	}
	if lvl := regions.Level(regionCode); lvl != "" {
		return lvl
	}
	if r, err := regions.Lookup(place); err == nil {
		return r.Level
	}
	switch {
	case strings.HasSuffix(place, "省"), strings.HasSuffix(place, "自治区"),
		place == "北京市", place == "天津市", place == "上海市", place == "重庆市":
		return LevelProvince
	case strings.HasSuffix(place, "自治州"), strings.HasSuffix(place, "地区"), strings.HasSuffix(place, "盟"):
		return LevelCity
	case strings.HasSuffix(place, "区"), strings.HasSuffix(place, "县"), strings.HasSuffix(place, "旗"):
		return LevelCounty
	case strings.HasSuffix(place, "市"):
		// A county-level city cannot be told from a prefecture by name alone;
		// without a region code the more common reading wins.
		return LevelCity
	}
	// A zone's 管委会 (开发区, 实验区) governs at county level.
	return LevelCounty
}

// canonAgencies gives agencies made before migration 017 their canonical
// name, and merges the agencies that then name one body (a 环境保护局 and a
// 生态环境局 of one region) into the oldest: reports and children point to
// it, the others are deleted. It costs one query when there is nothing to do.
func (db *DB) canonAgencies(ctx context.Context) error {
	rows, err := db.SQL.QueryContext(ctx, `select id, name from agencies where canon_name is null`)
	if err != nil {
		return fmt.Errorf("canonical agency names of %s: %w", db.Path, err)
	}
	var ids []int64
	var canons, merged []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return fmt.Errorf("canonical agency names of %s: %w", db.Path, err)
		}
		ids, canons, merged = append(ids, id), append(canons, CanonicalAgency(name)), append(merged, MergedInto(name))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("canonical agency names of %s: %w", db.Path, err)
	}
	if len(ids) == 0 {
		return nil
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("canonical agency names of %s: %w", db.Path, err)
	}
	defer tx.Rollback()
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"list", `create or replace temp table agency_canon as
			select unnest(?::bigint[]) as id, unnest(?::varchar[]) as canon_name, nullif(unnest(?::varchar[]), '') as merged_into`,
			[]any{ids, canons, merged}},
		{"set", `update agencies set canon_name = c.canon_name, merged_into = c.merged_into
			from agency_canon as c where agencies.id = c.id`, nil},
		{"pair", `create or replace temp table agency_dups as
			select id, min(id) over (partition by canon_name, region_code) as keep
			from agencies qualify id <> keep`, nil},
		{"move reports", `update reports set agency_id = d.keep from agency_dups as d where reports.agency_id = d.id`, nil},
		{"move children", `update agencies set parent_id = d.keep from agency_dups as d where agencies.parent_id = d.id`, nil},
		{"drop merged", `delete from agencies where id in (select id from agency_dups)`, nil},
		{"drop lists", `drop table agency_canon; drop table agency_dups`, nil},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("canonical agency names of %s: %s: %w", db.Path, st.what, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("canonical agency names of %s: %w", db.Path, err)
	}
	return nil
}

// levelAgencies sets the level of the agencies that have none: those of
// plain SQL, and every agency once after migration 019, which cleared the
// levels an older AgencyLevel gave. It costs one query when there is
// nothing to do.
func (db *DB) levelAgencies(ctx context.Context) error {
	rows, err := db.SQL.QueryContext(ctx, `select id, name, region_code from agencies where level is null`)
	if err != nil {
		return fmt.Errorf("agency levels of %s: %w", db.Path, err)
	}
	var ids []int64
	var levels []string
	for rows.Next() {
		var id int64
		var name, region string
		if err := rows.Scan(&id, &name, &region); err != nil {
			rows.Close()
			return fmt.Errorf("agency levels of %s: %w", db.Path, err)
		}
		ids, levels = append(ids, id), append(levels, AgencyLevel(name, region))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("agency levels of %s: %w", db.Path, err)
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := db.SQL.ExecContext(ctx, `update agencies set level = l.level
		from (select unnest(?::bigint[]) as id, unnest(?::varchar[]) as level) as l
		where agencies.id = l.id`, ids, levels); err != nil {
		return fmt.Errorf("agency levels of %s: %w", db.Path, err)
	}
	return nil
}

// backfillAgencies gives reports loaded before the agencies dimension
// existed (schema 001), or written with plain SQL, their agency_id,
// creating the agencies, and levels agencies that have none. RefreshFacts
// runs it (every read-write open, Run, Check and correction); it costs
// three queries when there is nothing to do. The work is set-based — names are
// normalised in Go, then one INSERT and one UPDATE — so upgrading a file of
// 300,000 reports takes seconds, not a query per agency.
func (db *DB) backfillAgencies(ctx context.Context) error {
	if err := db.canonAgencies(ctx); err != nil {
		return err
	}
	if err := db.levelAgencies(ctx); err != nil {
		return err
	}
	rows, err := db.SQL.QueryContext(ctx, `select agency, coalesce(region_code, ''), min(id)
		from reports where agency_id is null and coalesce(agency, '') <> ''
		group by all order by 3`)
	if err != nil {
		return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
	}
	var names, regionCodes, norms, canons, merged, levels []string
	var firsts []int64
	for rows.Next() {
		var name, region string
		var first int64
		if err := rows.Scan(&name, &region, &first); err != nil {
			rows.Close()
			return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
		}
		names, regionCodes, firsts = append(names, name), append(regionCodes, region), append(firsts, first)
		norms, levels = append(norms, NormalizeAgency(name)), append(levels, AgencyLevel(name, region))
		canons, merged = append(canons, CanonicalAgency(name)), append(merged, MergedInto(name))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
	}
	if len(names) == 0 {
		return nil
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
	}
	defer tx.Rollback()
	steps := []struct {
		what string
		sql  string
		args []any
	}{
		{"list names", `create or replace temp table agency_todo as
			select unnest(?::varchar[]) as name, unnest(?::varchar[]) as region_code,
				unnest(?::varchar[]) as norm_name, unnest(?::varchar[]) as level, unnest(?::bigint[]) as first_report,
				unnest(?::varchar[]) as canon_name, nullif(unnest(?::varchar[]), '') as merged_into`,
			[]any{names, regionCodes, norms, levels, firsts, canons, merged}},
		// The name as first printed: that of the agency's oldest report.
		// One agency per canonical name and region (a body across its
		// renames).
		{"add agencies", `insert into agencies (name, norm_name, region_code, level, created_at, canon_name, merged_into)
			select arg_min(t.name, t.first_report), arg_min(t.norm_name, t.first_report), t.region_code,
				arg_min(t.level, t.first_report), ?, t.canon_name, any_value(t.merged_into)
			from agency_todo as t
			where not exists (select 1 from agencies as a
				where coalesce(a.canon_name, a.norm_name) = t.canon_name and a.region_code = t.region_code)
			group by t.canon_name, t.region_code
			order by min(t.first_report)`, []any{db.opts.Now()}},
		{"link reports", `update reports set agency_id = a.id
			from agency_todo as t
			join agencies as a on coalesce(a.canon_name, a.norm_name) = t.canon_name and a.region_code = t.region_code
			where reports.agency_id is null and reports.agency = t.name
				and coalesce(reports.region_code, '') = t.region_code`, nil},
		{"link parents", setAgencyParents, nil},
		{"drop the list", `drop table agency_todo`, nil},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return fmt.Errorf("backfill agencies of %s: %s: %w", db.Path, st.what, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
	}
	return nil
}
