// Schema version 7: an index for every foreign key.
export default {
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
}
