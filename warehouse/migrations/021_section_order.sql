-- 021_section_order: where each section stands in the report (1 = first
-- printed), so the report_structure check can tell a section printed out
-- of order. The extractor now keeps a numbered heading wherever it stands
-- (before, a heading out of order was read as prose). NULL for sections
-- loaded before: their order is their number.
alter table sections add column position integer;
