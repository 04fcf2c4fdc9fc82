// Numbered schema migrations, Signal-Desktop style: migration N brings the database from
// user_version N-1 to N inside one transaction. Never edit a migration that has shipped —
// add the next one. Later work extends these base tables (DESIGN §4).

export type Migration = { version: number; name: string; sql: string }

export const migrations: Migration[] = [
  {
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
  },
  {
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
  },
  {
    version: 3,
    name: 'eval results for any policy',
    sql: /* sql */ `
      -- Baselines such as random play are evaluated too and have no checkpoint: results are
      -- keyed by a policy key ('random', 'checkpoint:12', …), with checkpoint_id where there is one.
      CREATE TABLE eval_results_new (
        id            INTEGER PRIMARY KEY,
        run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        policy        TEXT NOT NULL,
        checkpoint_id INTEGER REFERENCES checkpoints(id) ON DELETE CASCADE,
        task_id       INTEGER REFERENCES tasks(id) ON DELETE SET NULL,
        task_key      TEXT NOT NULL,
        n             INTEGER NOT NULL CHECK (n >= 0),
        c             INTEGER NOT NULL CHECK (c >= 0 AND c <= n),
        UNIQUE (run_id, policy, task_key)
      );
      INSERT INTO eval_results_new (id, run_id, policy, checkpoint_id, task_id, task_key, n, c)
        SELECT id, run_id, 'checkpoint:' || checkpoint_id, checkpoint_id, task_id, task_key, n, c FROM eval_results;
      DROP TABLE eval_results;
      ALTER TABLE eval_results_new RENAME TO eval_results;
      CREATE INDEX eval_results_checkpoint ON eval_results(checkpoint_id);
    `,
  },
  {
    version: 4,
    name: 'corpus dedup unique; indexes for the UI read side',
    sql: /* sql */ `
      -- One training example per (prompt, effective target): core/corpus/curation.ts refuses an
      -- insert or edit that would repeat one; the index makes the rule hold for every writer.
      DROP INDEX corpus_dedup;
      CREATE UNIQUE INDEX corpus_dedup ON corpus_items(dedup_key);
      CREATE INDEX corpus_task ON corpus_items(task_key);
      CREATE INDEX corpus_status ON corpus_items(status);
      CREATE INDEX corpus_source_node ON corpus_items(source_node_id);
      CREATE INDEX episodes_env_task ON episodes(env, task_key);
      CREATE INDEX runs_job ON runs(job_id);
      CREATE INDEX branch_events_node ON branch_events(node_id);
      CREATE INDEX checkpoints_parent ON checkpoints(parent_id);
      CREATE INDEX eval_results_policy ON eval_results(policy, task_key);
    `,
  },
  {
    version: 5,
    name: 'per-task outcomes of a run',
    sql: /* sql */ `
      -- A task of an exploration run is finished exactly when its row is here; the row is written
      -- in the same transaction as the task's corpus items, so a resumed run neither loses nor
      -- repeats a task.
      CREATE TABLE run_tasks (
        run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        task_key TEXT NOT NULL,
        solved   INTEGER NOT NULL,
        outcome  TEXT NOT NULL DEFAULT '{}',   -- JSON: first attempt / by branch, steps, events, corpus items
        PRIMARY KEY (run_id, task_key)
      );
    `,
  },
  {
    version: 6,
    name: 'endpoints, remote environments, per-environment prompts, errors',
    sql: /* sql */ `
      -- OpenAI-compatible model servers. API keys are never stored here: config names at most
      -- the environment variable that holds one (see core/endpoints/keys.ts).
      CREATE TABLE endpoints (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        base_url   TEXT NOT NULL,
        model      TEXT NOT NULL,
        mode       TEXT NOT NULL CHECK (mode IN ('chat', 'completion')),
        config     TEXT NOT NULL DEFAULT '{}',    -- JSON: limits, timeouts, retries, defaults
        probe      TEXT,                          -- JSON: the last capability probe
        probed_at  TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- AgentGym-style environment servers; the profile is stored whole so that a run can be
      -- reproduced after the profile file changed.
      CREATE TABLE remote_envs (
        id         INTEGER PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,          -- the environment id runs name
        base_url   TEXT NOT NULL,
        profile    TEXT NOT NULL,                 -- JSON
        splits     TEXT NOT NULL DEFAULT '{}',    -- JSON: split -> [from, to) task indices
        config     TEXT NOT NULL DEFAULT '{}',    -- JSON: timeouts
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Per environment: the LLM reflector's template and how actions are read from replies.
      CREATE TABLE env_prompts (
        env                 TEXT PRIMARY KEY,
        reflection_template TEXT,
        extraction          TEXT,                 -- JSON
        updated_at          TEXT NOT NULL
      );

      -- Why an episode ended as an error (a server fault, a timeout); the nodes before it stay.
      ALTER TABLE episodes ADD COLUMN error TEXT;
      -- Samples that ended in an error; they are counted as failures in n and c.
      ALTER TABLE eval_results ADD COLUMN errors INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 7,
    name: 'an index for every foreign key',
    sql: /* sql */ `
      -- Deleting a parent row makes SQLite look up every child column that references it; without
      -- an index that is a full scan per deleted row. Resuming a run killed with 2,655 open
      -- episodes spent 237 s in one DELETE this way. tests/core/store/migrations.test.ts checks
      -- that every foreign key has one.
      CREATE INDEX runs_experiment ON runs(experiment_id);
      CREATE INDEX checkpoints_run ON checkpoints(run_id);
      CREATE INDEX episodes_task ON episodes(task_id);
      CREATE INDEX branch_events_child_node ON branch_events(child_node_id);
      CREATE INDEX branch_events_failed_node ON branch_events(failed_node_id);
      CREATE INDEX corpus_branch_event ON corpus_items(branch_event_id);
      CREATE INDEX corpus_source_run ON corpus_items(source_run_id);
      CREATE INDEX reflection_requests_episode ON reflection_requests(episode_id);
      CREATE INDEX reflection_requests_failed_node ON reflection_requests(failed_node_id);
      CREATE INDEX eval_results_task ON eval_results(task_id);
    `,
  },
]

export const latestVersion = migrations.length
