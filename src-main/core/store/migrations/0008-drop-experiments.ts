// Schema version 8: the experiments table goes. Nothing ever wrote or read it; runs.experiment_id
// referenced it, and SQLite cannot drop a column that holds a foreign key, so runs is rebuilt
// without it (the documented rebuild: new table, copy, drop, rename). foreignKeysOff: dropping
// runs with foreign keys on would delete every episode, checkpoint and metric through the
// cascades; the runner checks foreign_key_check before it commits.
export default {
  version: 8,
  name: 'drop the unused experiments table',
  foreignKeysOff: true,
  sql: /* sql */ `
    CREATE TABLE runs_new (
      id         INTEGER PRIMARY KEY,
      job_id     INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
      kind       TEXT NOT NULL,              -- explore | eval | sft | grpo | early_experience | ...
      name       TEXT NOT NULL DEFAULT '',
      config     TEXT NOT NULL DEFAULT '{}', -- JSON, including seeds
      status     TEXT NOT NULL DEFAULT 'running'
                   CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
      summary    TEXT,                       -- JSON
      started_at TEXT NOT NULL,
      ended_at   TEXT
    );
    INSERT INTO runs_new (id, job_id, kind, name, config, status, summary, started_at, ended_at)
      SELECT id, job_id, kind, name, config, status, summary, started_at, ended_at FROM runs;
    DROP TABLE runs;
    ALTER TABLE runs_new RENAME TO runs;
    CREATE INDEX runs_job ON runs(job_id);
    DROP TABLE experiments;
  `,
}
