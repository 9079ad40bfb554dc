-- 018_attachment_set: a report page and the attachments it links are one
-- report (issue 11). A report version is keyed by its page's bytes, the
-- attachments read with them and the extractor version, so a page whose
-- attachment arrives or changes on a later night gets a new version, and
-- an unchanged page with unchanged attachments is not read again.
alter table reports add column attachment_set varchar;       -- sorted sha256s of the attachments read with the page, comma-separated; NULL: none
alter table pages add column extract_attachment_set varchar; -- with extract_error: the attachments the failed extraction read
