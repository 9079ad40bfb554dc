-- 013_attachment_provenance: reports read from attachments (PDF, DOCX,
-- XLSX, DOC/WPS/XLS, OFD; issue 11) say what they were read from and
-- which file, and a PDF/OFD cell where it is printed.
alter table reports add column source_kind varchar;       -- html | text | pdf | docx | xlsx | doc | wps | xls | ofd
alter table reports add column attachment_sha256 varchar; -- sha256 of the attachment's bytes; NULL for html/text
alter table cells add column page integer;                -- PDF/OFD: page, 1-based; NULL otherwise
alter table cells add column box varchar;                 -- PDF/OFD: 'left,top,right,bottom' in points from the page's top-left
