-- 010_decimal_overflow: prepares 011_exact_decimals, which narrows the
-- integer part of every value from fourteen digits to twelve (DuckDB does
-- not alter a table in the transaction that updated it, hence two files).
-- A value of thirteen or more integer digits (DECIMAL(18,4) held fourteen)
-- does not fit: it becomes NULL, as the loader stores such a value, with
-- its printed text still in raw and a value_out_of_range warning on its
-- report. Derived values follow their cells.
update reports set warnings = to_json(list_concat(
    coalesce(cast(warnings as json[]), []),
    (select list(json_object('code', 'value_out_of_range', 'table', c.table_code, 'row', c.row_code,
            'col', c.col_code, 'message', '"' || c.raw || '" does not fit DECIMAL(18,6) exactly: stored as NULL, printed text in raw'))
     from cells as c where c.report_id = reports.id and abs(c.value) >= 1e12)))
where id in (select report_id from cells where abs(value) >= 1e12);
update cells set value = null where abs(value) >= 1e12;
update check_results set expected = null where abs(expected) >= 1e12;
update check_results set actual = null where abs(actual) >= 1e12;
update t3_rows set natural_person = null where abs(natural_person) >= 1e12;
update t3_rows set commercial_enterprise = null where abs(commercial_enterprise) >= 1e12;
update t3_rows set research_institution = null where abs(research_institution) >= 1e12;
update t3_rows set social_welfare_org = null where abs(social_welfare_org) >= 1e12;
update t3_rows set legal_service_org = null where abs(legal_service_org) >= 1e12;
update t3_rows set other_org = null where abs(other_org) >= 1e12;
update t3_rows set total = null where abs(total) >= 1e12;
update t3_rows set legal_subtotal = null where abs(legal_subtotal) >= 1e12;
update t3_cols set new = null where abs(new) >= 1e12;
update t3_cols set carried_in = null where abs(carried_in) >= 1e12;
update t3_cols set result_total = null where abs(result_total) >= 1e12;
update t3_cols set carried_out = null where abs(carried_out) >= 1e12;
update t3_cols set granted = null where abs(granted) >= 1e12;
update t3_cols set partial = null where abs(partial) >= 1e12;
update t3_cols set denied = null where abs(denied) >= 1e12;
update t3_cols set unable = null where abs(unable) >= 1e12;
update t3_cols set rejected = null where abs(rejected) >= 1e12;
update t4_facts set review_upheld = null where abs(review_upheld) >= 1e12;
update t4_facts set review_corrected = null where abs(review_corrected) >= 1e12;
update t4_facts set review_other = null where abs(review_other) >= 1e12;
update t4_facts set review_pending = null where abs(review_pending) >= 1e12;
update t4_facts set review_total = null where abs(review_total) >= 1e12;
update t4_facts set suit_direct_upheld = null where abs(suit_direct_upheld) >= 1e12;
update t4_facts set suit_direct_corrected = null where abs(suit_direct_corrected) >= 1e12;
update t4_facts set suit_direct_other = null where abs(suit_direct_other) >= 1e12;
update t4_facts set suit_direct_pending = null where abs(suit_direct_pending) >= 1e12;
update t4_facts set suit_direct_total = null where abs(suit_direct_total) >= 1e12;
update t4_facts set suit_after_review_upheld = null where abs(suit_after_review_upheld) >= 1e12;
update t4_facts set suit_after_review_corrected = null where abs(suit_after_review_corrected) >= 1e12;
update t4_facts set suit_after_review_other = null where abs(suit_after_review_other) >= 1e12;
update t4_facts set suit_after_review_pending = null where abs(suit_after_review_pending) >= 1e12;
update t4_facts set suit_after_review_total = null where abs(suit_after_review_total) >= 1e12;
update t2_rows set made = null where abs(made) >= 1e12;
update t2_rows set repealed = null where abs(repealed) >= 1e12;
update t2_rows set in_force = null where abs(in_force) >= 1e12;
update t2_rows set decisions = null where abs(decisions) >= 1e12;
update t2_rows set amount_wan_yuan = null where abs(amount_wan_yuan) >= 1e12;
update report_figures set received = null where abs(received) >= 1e12;
update report_figures set carried_in = null where abs(carried_in) >= 1e12;
update report_figures set processed = null where abs(processed) >= 1e12;
update report_figures set granted = null where abs(granted) >= 1e12;
update report_figures set partial = null where abs(partial) >= 1e12;
update report_figures set denied = null where abs(denied) >= 1e12;
update report_figures set unable = null where abs(unable) >= 1e12;
update report_figures set rejected = null where abs(rejected) >= 1e12;
update report_figures set carried_out = null where abs(carried_out) >= 1e12;
update report_figures set reviews = null where abs(reviews) >= 1e12;
update report_figures set suits = null where abs(suits) >= 1e12;
update report_figures set corrected = null where abs(corrected) >= 1e12;
update report_figures set licensing = null where abs(licensing) >= 1e12;
update report_figures set penalty = null where abs(penalty) >= 1e12;
update report_figures set coercion = null where abs(coercion) >= 1e12;
update report_figures set fees_wan_yuan = null where abs(fees_wan_yuan) >= 1e12;
