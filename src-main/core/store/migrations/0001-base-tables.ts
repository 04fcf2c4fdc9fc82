// Schema version 1: base tables.
export default {
  version: 1,
  name: 'base tables',
  sql: /* sql */ `
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL                       -- JSON
    );

    CREATE TABLE experiments (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      created_at  TEXT NOT NULL
    );

    -- A task set is reproducible from (env, split, params): generator name, seed range, sizes.
    CREATE TABLE task_sets (
      id         INTEGER PRIMARY KEY,
      name       TEXT NOT NULL UNIQUE,
      env        TEXT NOT NULL,
      split      TEXT NOT NULL,
      source     TEXT NOT NULL CHECK (source IN ('generated', 'imported')),
      params     TEXT NOT NULL DEFAULT '{}',    -- JSON
      created_at TEXT NOT NULL
    );

    CREATE TABLE tasks (
      id          INTEGER PRIMARY KEY,
      task_set_id INTEGER NOT NULL REFERENCES task_sets(id) ON DELETE CASCADE,
      env         TEXT NOT NULL,
      task_key    TEXT NOT NULL,                -- Task.id, unique within its set
      split       TEXT NOT NULL,
      seed        INTEGER NOT NULL,
      instruction TEXT NOT NULL,
      meta        TEXT NOT NULL DEFAULT '{}',   -- JSON (e.g. an imported level's text)
      UNIQUE (task_set_id, task_key)
    );

    -- Long work: one row per job; status survives a crash (see jobs/manager.ts).
    CREATE TABLE jobs (
      id             INTEGER PRIMARY KEY,
      kind           TEXT NOT NULL,
      title          TEXT NOT NULL DEFAULT '',
      params         TEXT NOT NULL,             -- JSON, validated by the kind's schema
      status         TEXT NOT NULL CHECK (status IN
                       ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
      progress_done  REAL NOT NULL DEFAULT 0,
      progress_total REAL,
      message        TEXT NOT NULL DEFAULT '',
      state          TEXT,                      -- JSON the job saved to resume from
      result         TEXT,                      -- JSON
      error          TEXT,
      owner          TEXT,                      -- host:pid of the process running it
      attempts       INTEGER NOT NULL DEFAULT 0,
      created_at     TEXT NOT NULL,
      started_at     TEXT,
      ended_at       TEXT,
      heartbeat_at   TEXT
    );
    CREATE INDEX jobs_status ON jobs(status);

    CREATE TABLE runs (
      id            INTEGER PRIMARY KEY,
      experiment_id INTEGER REFERENCES experiments(id) ON DELETE SET NULL,
      job_id        INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
      kind          TEXT NOT NULL,              -- explore | eval | sft | grpo | early_experience | ...
      name          TEXT NOT NULL DEFAULT '',
      config        TEXT NOT NULL DEFAULT '{}', -- JSON, including seeds
      status        TEXT NOT NULL DEFAULT 'running'
                      CHECK (status IN ('running', 'done', 'failed', 'cancelled', 'interrupted')),
      summary       TEXT,                       -- JSON
      started_at    TEXT NOT NULL,
      ended_at      TEXT
    );

    CREATE TABLE checkpoints (
      id           INTEGER PRIMARY KEY,
      name         TEXT NOT NULL,
      kind         TEXT NOT NULL DEFAULT 'local' CHECK (kind IN ('local', 'endpoint')),
      parent_id    INTEGER REFERENCES checkpoints(id) ON DELETE SET NULL,
      run_id       INTEGER REFERENCES runs(id) ON DELETE SET NULL,
      path         TEXT,                        -- folder under the data directory (local)
      config       TEXT NOT NULL DEFAULT '{}',  -- JSON: model preset / endpoint description
      content_hash TEXT,
      created_at   TEXT NOT NULL
    );

    CREATE TABLE episodes (
      id           INTEGER PRIMARY KEY,
      run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      task_id      INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
      env          TEXT NOT NULL,
      task_key     TEXT NOT NULL,
      attempt      INTEGER NOT NULL DEFAULT 0,
      sampler      TEXT,                        -- leafe | is | ir | eval | ...
      root_node_id INTEGER,
      status       TEXT NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'success', 'failure', 'error')),
      steps        INTEGER NOT NULL DEFAULT 0,  -- environment steps spent, branches included
      created_at   TEXT NOT NULL,
      ended_at     TEXT
    );
    CREATE INDEX episodes_run ON episodes(run_id);

    -- The exploration tree: the root is the reset observation (step 0, no action).
    CREATE TABLE nodes (
      id           INTEGER PRIMARY KEY,
      episode_id   INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
      parent_id    INTEGER REFERENCES nodes(id) ON DELETE CASCADE,
      step         INTEGER NOT NULL,
      action       TEXT,
      raw_action   TEXT,                        -- what the policy wrote, before extraction
      observation  TEXT NOT NULL,
      feedback     TEXT NOT NULL DEFAULT '',
      reward       REAL NOT NULL DEFAULT 0,
      done         INTEGER NOT NULL DEFAULT 0,
      success      INTEGER NOT NULL DEFAULT 0,
      valid        INTEGER NOT NULL DEFAULT 1,
      branch_depth INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX nodes_episode ON nodes(episode_id);
    CREATE INDEX nodes_parent ON nodes(parent_id);

    CREATE TABLE branch_events (
      id             INTEGER PRIMARY KEY,
      episode_id     INTEGER NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
      node_id        INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE, -- state at tau
      failed_node_id INTEGER REFERENCES nodes(id) ON DELETE SET NULL,        -- where reflection ran
      tau            INTEGER NOT NULL,
      reflector      TEXT NOT NULL,             -- critic | self | llm | human
      experience     TEXT NOT NULL,
      avoid          TEXT NOT NULL DEFAULT '[]',-- JSON array of actions
      failed_action  TEXT,
      revised_action TEXT,
      child_node_id  INTEGER REFERENCES nodes(id) ON DELETE SET NULL,
      rollback_mode  TEXT CHECK (rollback_mode IN ('replay', 'snapshot')),
      outcome        TEXT NOT NULL DEFAULT 'pending'
                       CHECK (outcome IN ('pending', 'success', 'failure', 'nondeterministic', 'error')),
      message        TEXT NOT NULL DEFAULT '',
      created_at     TEXT NOT NULL
    );
    CREATE INDEX branch_events_episode ON branch_events(episode_id);

    CREATE TABLE corpus_items (
      id              INTEGER PRIMARY KEY,
      kind            TEXT NOT NULL CHECK (kind IN ('cf', 'reh', 'manual')),
      env             TEXT NOT NULL,
      task_key        TEXT,
      prompt          TEXT NOT NULL,            -- rendered h_tau WITHOUT the experience
      target          TEXT NOT NULL,
      edited_target   TEXT,
      experience      TEXT,                     -- kept for display, never trained on
      failed_action   TEXT,
      status          TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'accepted', 'rejected')),
      note            TEXT NOT NULL DEFAULT '',
      source          TEXT NOT NULL DEFAULT '', -- reflector, 'import', 'human'
      source_run_id   INTEGER REFERENCES runs(id) ON DELETE SET NULL,
      source_node_id  INTEGER REFERENCES nodes(id) ON DELETE SET NULL,
      branch_event_id INTEGER REFERENCES branch_events(id) ON DELETE SET NULL,
      dedup_key       TEXT NOT NULL,            -- hash of (prompt, effective target)
      meta            TEXT NOT NULL DEFAULT '{}',
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL
    );
    CREATE INDEX corpus_filter ON corpus_items(env, kind, status);
    CREATE INDEX corpus_dedup ON corpus_items(dedup_key);

    CREATE TABLE corpus_history (
      id      INTEGER PRIMARY KEY,
      item_id INTEGER NOT NULL REFERENCES corpus_items(id) ON DELETE CASCADE,
      field   TEXT NOT NULL,
      before  TEXT,
      after   TEXT,
      at      TEXT NOT NULL
    );
    CREATE INDEX corpus_history_item ON corpus_history(item_id);

    CREATE TABLE train_metrics (
      id     INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      step   INTEGER NOT NULL,
      epoch  REAL,
      split  TEXT NOT NULL CHECK (split IN ('train', 'eval')),
      name   TEXT NOT NULL,                     -- loss, lr, grad_norm, kl, ...
      value  REAL NOT NULL,
      at     TEXT NOT NULL
    );
    CREATE INDEX train_metrics_run ON train_metrics(run_id, split, name, step);

    -- Pass@k is recomputable for any k <= n from (n, c) per task and checkpoint.
    CREATE TABLE eval_results (
      id            INTEGER PRIMARY KEY,
      run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      checkpoint_id INTEGER NOT NULL REFERENCES checkpoints(id) ON DELETE CASCADE,
      task_id       INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
      task_key      TEXT NOT NULL,
      n             INTEGER NOT NULL CHECK (n >= 0),
      c             INTEGER NOT NULL CHECK (c >= 0 AND c <= n),
      UNIQUE (run_id, checkpoint_id, task_key)
    );
  `,
}
