-- 005_page_versions: what the crawler knows about each fetch, so versions of
-- one report can be grouped and re-delivered journal pages are not doubled.

-- 304 Not Modified (or unchanged bytes): archived as a WARC revisit record.
-- (No default: DuckDB refuses to commit a defaulted column added to a
-- non-empty table alongside other alters in one transaction.)
alter table pages add column not_modified boolean;
-- The report's title without （更正版）-style suffixes: one key per report,
-- shared by its versions, its _wap twin and its copies on other columns.
alter table pages add column report_key varchar;
-- URL of an earlier page of the same run with the same bytes.
alter table pages add column duplicate_of varchar;
