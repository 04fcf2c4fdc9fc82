// Schema version 4: corpus dedup unique; indexes for the UI read side.
export default {
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
}
