-- 004_cell_codes: cells' table, row and column codes become ENUMs over the
-- codebook's codes. They still read and compare as text ('t3', 'granted'),
-- but the Appender writes them without copying a string per cell, which
-- roughly halves the cost of loading, and they take a byte or two each.
-- The lists are the codebook's (extract/codebook.tsv) in print order, so
-- `order by row_code` sorts rows as the report prints them; a test keeps the
-- lists in step, and a new codebook code needs a migration widening the type.

create type cell_table_code as enum (
    't2', 't3', 't4'
);

create type cell_row_code as enum (
    'new', 'carried_in', 'granted', 'partial', 'denied.state_secret',
    'denied.law_prohibited', 'denied.three_safety', 'denied.third_party',
    'denied.internal', 'denied.process', 'denied.enforcement', 'denied.query',
    'unable.no_info', 'unable.need_creation', 'unable.unclear',
    'rejected.complaint', 'rejected.duplicate', 'rejected.publication',
    'rejected.excessive', 'rejected.confirm', 'other', 'other.no_correction',
    'other.no_fee', 'other.other', 'result_total', 'carried_out', 'all',
    'rules', 'normative', 'licensing', 'other_services', 'penalty',
    'coercion', 'fees', 'procurement'
);

create type cell_col_code as enum (
    'natural', 'commercial', 'research', 'social', 'legal', 'other', 'total',
    'legal_subtotal', 'review.upheld', 'review.corrected', 'review.other',
    'review.pending', 'review.total', 'suit_direct.upheld',
    'suit_direct.corrected', 'suit_direct.other', 'suit_direct.pending',
    'suit_direct.total', 'suit_after_review.upheld',
    'suit_after_review.corrected', 'suit_after_review.other',
    'suit_after_review.pending', 'suit_after_review.total', 'made',
    'repealed', 'in_force', 'decisions', 'amount_wan_yuan', 'new_made',
    'new_published', 'total_published', 'prev_items', 'change', 'items',
    'amount_yuan'
);

alter table cells alter table_code type cell_table_code;
alter table cells alter row_code type cell_row_code;
alter table cells alter col_code type cell_col_code;
