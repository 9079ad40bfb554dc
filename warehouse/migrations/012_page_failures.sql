-- 012_page_failures: a page whose extraction or load failed keeps its error
-- (pages.extract_error, since 001) and now the extractor version that
-- failed, so the nightly extract skips it (one bad page is not retried
-- first every night) until a new extractor version retries it.
alter table pages add column extract_version varchar;
