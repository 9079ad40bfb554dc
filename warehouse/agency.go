package warehouse

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Agency levels, inferred from the name's suffix and the region code.
const (
	LevelProvince   = "province"
	LevelCity       = "city"
	LevelCounty     = "county"
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

// townshipSuffixes end the names of township-level governments.
var townshipSuffixes = []string{"乡人民政府", "镇人民政府", "街道办事处", "苏木人民政府", "民族乡人民政府"}

// AgencyLevel infers the administrative level of an agency from its name and,
// when known, its GB/T 2260 region code (XX0000 province, XXXX00 city, other
// county). A name not ending in 人民政府 (or 街道办事处) is a department.
func AgencyLevel(name, regionCode string) string {
	n := NormalizeAgency(name)
	for _, s := range townshipSuffixes {
		if strings.HasSuffix(n, s) {
			return LevelTownship
		}
	}
	// A government's general office publishes the government's own report.
	n = strings.TrimSuffix(n, "办公厅")
	n = strings.TrimSuffix(n, "办公室")
	if !strings.HasSuffix(n, "人民政府") {
		return LevelDepartment
	}
	if lvl := regionLevel(regionCode); lvl != "" {
		return lvl
	}
	place := strings.TrimSuffix(n, "人民政府")
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
	return LevelDepartment
}

// regionLevel reads the level of a six-digit GB/T 2260 code.
func regionLevel(code string) string {
	if len(code) != 6 {
		return ""
	}
	switch {
	case strings.HasSuffix(code, "0000"):
		return LevelProvince
	case strings.HasSuffix(code, "00"):
		return LevelCity
	}
	return LevelCounty
}

// backfillAgencies gives reports loaded before the agencies dimension
// existed (schema 001) their agency_id, creating the agencies. It runs at
// every read-write open and costs one query when there is nothing to do.
func (db *DB) backfillAgencies(ctx context.Context) error {
	rows, err := db.SQL.QueryContext(ctx, `select distinct agency, coalesce(region_code, '')
		from reports where agency_id is null and coalesce(agency, '') <> ''`)
	if err != nil {
		return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
	}
	type key struct{ name, region string }
	var todo []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.name, &k.region); err != nil {
			rows.Close()
			return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
		}
		todo = append(todo, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
	}
	if len(todo) == 0 {
		return nil
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
	}
	defer tx.Rollback()
	for _, k := range todo {
		norm := NormalizeAgency(k.name)
		var id int64
		err := tx.QueryRowContext(ctx, `select id from agencies where norm_name = ? and region_code = ?`, norm, k.region).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, `insert into agencies (name, norm_name, region_code, level, created_at)
				values (?, ?, ?, ?, ?) returning id`, k.name, norm, k.region, AgencyLevel(k.name, k.region), db.opts.Now()).Scan(&id)
		}
		if err != nil {
			return fmt.Errorf("backfill agency %s of %s: %w", k.name, db.Path, err)
		}
		if _, err := tx.ExecContext(ctx, `update reports set agency_id = ?
			where agency_id is null and agency = ? and coalesce(region_code, '') = ?`, id, k.name, k.region); err != nil {
			return fmt.Errorf("backfill agency %s of %s: %w", k.name, db.Path, err)
		}
	}
	if _, err := tx.ExecContext(ctx, setAgencyParents); err != nil {
		return fmt.Errorf("backfill agencies of %s: link parents: %w", db.Path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("backfill agencies of %s: %w", db.Path, err)
	}
	return nil
}
