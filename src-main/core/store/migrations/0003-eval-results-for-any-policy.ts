// Schema version 3: eval results for any policy.
export default {
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
}
