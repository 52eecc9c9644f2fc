/**
 * Versioned schema of the experiment log. Append new migrations; never edit a shipped one.
 * `PRAGMA user_version` holds the number of migrations applied.
 */
export const migrations: readonly string[] = [
  // 1 — the foundation tables.
  `
  CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );

  CREATE TABLE datasets (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    format       TEXT NOT NULL,
    source_path  TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    info_json    TEXT NOT NULL,          -- splits, shape, classes, mean/std: see lab/data
    created_at   TEXT NOT NULL
  );

  CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    project_id    INTEGER REFERENCES projects(id) ON DELETE SET NULL,
    dataset_id    INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,          -- train, distill, attack, eval, ...
    status        TEXT NOT NULL CHECK (status IN ('queued','running','completed','failed','cancelled','interrupted')),
    config_json   TEXT NOT NULL,
    config_hash   TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    backend       TEXT,                   -- engine backend the run ran on
    error         TEXT,
    created_at    TEXT NOT NULL,
    started_at    TEXT,
    finished_at   TEXT,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX runs_project ON runs(project_id);
  CREATE INDEX runs_config_hash ON runs(config_hash);
  CREATE INDEX runs_status ON runs(status);

  CREATE TABLE metrics (
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name    TEXT NOT NULL,
    step    INTEGER NOT NULL,
    value   REAL NOT NULL,
    time    REAL NOT NULL                 -- unix epoch seconds, fractional
  );
  CREATE INDEX metrics_run_name_step ON metrics(run_id, name, step);

  CREATE TABLE events (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    level   TEXT NOT NULL CHECK (level IN ('debug','info','warn','error')),
    message TEXT NOT NULL,
    data_json TEXT,
    time    REAL NOT NULL
  );
  CREATE INDEX events_run ON events(run_id, id);

  CREATE TABLE eval_results (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    attack      TEXT NOT NULL,
    norm        TEXT NOT NULL,
    epsilon     REAL NOT NULL,
    n           INTEGER NOT NULL,
    accuracy    REAL NOT NULL,
    params_json TEXT NOT NULL,
    created_at  TEXT NOT NULL
  );
  CREATE INDEX eval_results_run ON eval_results(run_id);

  CREATE TABLE artifacts (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    dataset_id INTEGER REFERENCES datasets(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,             -- checkpoint, gallery, preview, weights, ...
    path       TEXT NOT NULL,             -- relative to the data directory
    sha256     TEXT NOT NULL,
    bytes      INTEGER NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX artifacts_run ON artifacts(run_id);

  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2 — which process runs a run, so that only runs whose process is gone are marked interrupted
  // (the CLI and serve mode may share one log).
  `
  ALTER TABLE runs ADD COLUMN runner_pid INTEGER;
  `,
  // 3 — organising the log (issue 6): tags, a note, a star, archive and trash (deleted_at: the
  // run is in the trash; its rows and artifacts go only when the trash is emptied), and a stable
  // uid so that importing the same bundle twice never duplicates a run.
  `
  ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
  ALTER TABLE runs ADD COLUMN starred INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE runs ADD COLUMN archived_at TEXT;
  ALTER TABLE runs ADD COLUMN deleted_at TEXT;
  ALTER TABLE runs ADD COLUMN uid TEXT;
  CREATE UNIQUE INDEX runs_uid ON runs(uid) WHERE uid IS NOT NULL;
  CREATE TABLE run_tags (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    tag    TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (run_id, tag)
  );
  CREATE INDEX run_tags_tag ON run_tags(tag);
  `,
  // 4 — a cache of each finished run's metric series reduced to a few hundred min/max-preserving
  // points, so that comparing hundreds of runs never rescans millions of metric rows. Safe to
  // empty at any time: it is rebuilt from the metrics table when missing or stale.
  `
  CREATE TABLE metric_digests (
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    source   TEXT NOT NULL,              -- the run's finished_at when built; differs = stale
    points   INTEGER NOT NULL,           -- how many raw points the series had
    steps    BLOB NOT NULL,              -- Float64Array
    vals     BLOB NOT NULL,              -- Float64Array
    PRIMARY KEY (run_id, name)
  );
  `,
  // 5 — evaluations (lab/eval, store/evaluations.ts). eval_results rows belong to the *model* run
  // they measure (run_id); eval_run_id names the attack/eval/sweep run that produced them. Clean
  // accuracy is a row with attack "clean" and epsilon 0. One row per seed; repeats are aggregated
  // when read.
  `
  ALTER TABLE eval_results ADD COLUMN eval_run_id INTEGER REFERENCES runs(id) ON DELETE CASCADE;
  ALTER TABLE eval_results ADD COLUMN seed INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE eval_results ADD COLUMN clean_accuracy REAL;
  ALTER TABLE eval_results ADD COLUMN seconds REAL;
  CREATE INDEX eval_results_eval_run ON eval_results(eval_run_id);
  CREATE INDEX eval_results_key ON eval_results(run_id, attack, norm, epsilon);

  CREATE TABLE eval_samples (
    result_id              INTEGER NOT NULL REFERENCES eval_results(id) ON DELETE CASCADE,
    sample_index           INTEGER NOT NULL,   -- position in the dataset test split
    label                  INTEGER NOT NULL,
    clean_prediction       INTEGER NOT NULL,
    adversarial_prediction INTEGER NOT NULL,
    clean_correct          INTEGER NOT NULL,
    adversarial_correct    INTEGER NOT NULL,
    perturbation_norm      REAL,               -- in the attack norm; NULL when none
    PRIMARY KEY (result_id, sample_index)
  ) WITHOUT ROWID;

  CREATE TABLE eval_scores (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    eval_run_id  INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    metric       TEXT NOT NULL,                -- clever, lipschitz-global, lipschitz-local
    norm         TEXT NOT NULL,
    value        REAL,
    details_json TEXT NOT NULL,                -- budget, per-sample values, method
    created_at   TEXT NOT NULL
  );
  CREATE INDEX eval_scores_run ON eval_scores(run_id);

  CREATE TABLE masking_verdicts (
    id           INTEGER PRIMARY KEY,
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    eval_run_id  INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    verdict      TEXT NOT NULL CHECK (verdict IN ('no','possible','yes')),
    fired        TEXT NOT NULL,                -- comma-separated check ids
    checks_json  TEXT NOT NULL,                -- every check with its numbers
    created_at   TEXT NOT NULL
  );
  CREATE INDEX masking_verdicts_run ON masking_verdicts(run_id, id);
  `,
  // 6 — studies (lab/study): a named set of runs reported as one table. study_runs ties each run to
  // its strategy (arm), its seed and its role (the model measured, a distillation teacher, the
  // evaluation or sweep run that measured it). Deleting a run drops it from its study.
  `
  CREATE TABLE studies (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    preset       TEXT NOT NULL,               -- seed-quick, seed-paper, custom
    status       TEXT NOT NULL CHECK (status IN ('running','completed','failed','cancelled','interrupted')),
    plan_json    TEXT NOT NULL,
    error        TEXT,
    created_at   TEXT NOT NULL,
    finished_at  TEXT,
    seconds      REAL
  );
  CREATE TABLE study_runs (
    study_id  INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
    run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    arm       TEXT NOT NULL,
    seed      INTEGER NOT NULL,
    role      TEXT NOT NULL CHECK (role IN ('model','teacher','eval','sweep')),
    PRIMARY KEY (study_id, run_id)
  );
  CREATE INDEX study_runs_run ON study_runs(run_id);
  `,
  // 7 — which process runs a study (like runs.runner_pid), so that another AdvLab sharing the log
  // (a second CLI, serve mode) never takes a live study for an interrupted one.
  `
  ALTER TABLE studies ADD COLUMN runner_pid INTEGER;
  `,
  // 8 — a study's cancellation is recorded in the log (not in the runner's memory): the runner
  // starts nothing more once it is set and cancels what is still queued or running.
  `
  ALTER TABLE studies ADD COLUMN cancel_requested_at TEXT;
  `,
  // 9 — the sweep cell an imported run is the result of (its bundle's sweep id, cell index and the
  // cell's config hash, and when the bundle was written), so that merging a re-run of a cell
  // replaces the earlier result instead of adding a repeat.
  `
  CREATE TABLE sweep_cells (
    run_id      INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    sweep_id    TEXT NOT NULL,
    cell_index  INTEGER NOT NULL,
    config_hash TEXT NOT NULL,
    bundled_at  TEXT NOT NULL,
    error       TEXT
  );
  CREATE INDEX sweep_cells_cell ON sweep_cells(sweep_id, cell_index, config_hash);
  `
]
