-- 0003: pinned tags are never garbage-collected; existing tags are not.
ALTER TABLE tags ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0
  CHECK (pinned IN (0, 1));

UPDATE tags SET pinned = 1 WHERE name = 'latest';
