// Schema version 5: per-task outcomes of a run.
export default {
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
}
