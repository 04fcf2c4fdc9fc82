// Schema version 6: endpoints, remote environments, per-environment prompts, errors.
export default {
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
}
