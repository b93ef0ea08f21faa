-- 0002: the legacy Docker manifest column is no longer read.
-- DROP COLUMN needs SQLite 3.35 or later.
ALTER TABLE images DROP COLUMN docker;
