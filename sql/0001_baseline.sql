-- 0001 baseline: repositories hold images; tags point at images.
-- images.docker keeps the legacy Docker manifest; 0002 drops it.
CREATE TABLE repositories (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE images (
  id            INTEGER PRIMARY KEY,
  repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
  digest        TEXT NOT NULL,
  size_bytes    INTEGER NOT NULL CHECK (size_bytes >= 0),
  docker        TEXT,
  UNIQUE (repository_id, digest)
);

CREATE TABLE tags (
  id       INTEGER PRIMARY KEY,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  name     TEXT NOT NULL
);

CREATE INDEX tags_image_id ON tags(image_id);

INSERT INTO repositories (id, name) VALUES (1, 'library/debian');
INSERT INTO images (id, repository_id, digest, size_bytes, docker)
  VALUES (1, 1, 'sha256:6f8c2b1e', 49283712, 'v2');
INSERT INTO tags (image_id, name) VALUES (1, 'bookworm'), (1, 'latest');
