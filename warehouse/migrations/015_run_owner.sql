-- 015_run_owner: which process runs a crawl_runs row, so a run whose
-- process was killed (SIGKILL, a power cut) is marked interrupted by the
-- next nianbao that opens the file, instead of showing running for ever.
alter table crawl_runs add column pid integer;
alter table crawl_runs add column host varchar;
