// Schema version 2: human reflection requests.
export default {
  version: 2,
  name: 'human reflection requests',
  sql: /* sql */ `
    -- A failed trajectory waiting for a person's reflection (the 'human' reflector). The
    -- exploration job goes on with other tasks and picks the answer up when it arrives.
    CREATE TABLE reflection_requests (
      id             INTEGER PRIMARY KEY,
      run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      episode_id     INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
      failed_node_id INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
      status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'answered', 'skipped', 'taken')),
      answer         TEXT,                      -- JSON Reflection when answered
      created_at     TEXT NOT NULL,
      answered_at    TEXT
    );
    CREATE INDEX reflection_requests_run ON reflection_requests(run_id, status);
  `,
}
