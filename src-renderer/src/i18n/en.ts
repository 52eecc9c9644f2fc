import enLab from './en-lab'

/** English UI text. Every key here must exist in zh-CN.ts too (test/unit/renderer checks it). */
const en = {
  app: {
    name: 'AdvLab',
    tagline: 'Adversarial-robustness lab',
    skipToContent: 'Skip to content'
  },
  nav: {
    label: 'Main navigation',
    home: 'Home',
    datasets: 'Datasets',
    runs: 'Runs',
    compare: 'Compare',
    studies: 'Seed study',
    settings: 'Settings'
  },
  theme: {
    label: 'Theme',
    light: 'Light',
    dark: 'Dark',
    switchToDark: 'Switch to dark theme',
    switchToLight: 'Switch to light theme'
  },
  language: {
    label: 'Language',
    en: 'English',
    zhCN: '简体中文'
  },
  connection: {
    connecting: 'Connecting to the AdvLab service…',
    reconnecting: 'Connection to the AdvLab service lost — reconnecting…',
    reconnected: 'Reconnected to the AdvLab service.',
    closed: 'This window is no longer connected to the AdvLab service. Reload the page.'
  },
  errors: {
    unexpected: 'Something went wrong in this window',
    requestFailed: 'Could not {action}',
    dismiss: 'Dismiss',
    notifications: 'Notifications',
    codes: {
      invalid_params: 'Invalid input',
      unknown_method: 'Unknown request',
      not_found: 'Not found',
      conflict: 'Conflict',
      unauthorized: 'Not authorised',
      bad_input: 'Unusable input',
      unavailable: 'Service unavailable',
      internal: 'Internal error'
    }
  },
  /** What each request does, in words, for error headings (method name with "." → "_"). */
  requests: {
    status_get: 'read the lab status',
    projects_list: 'load the projects',
    projects_create: 'create the project',
    projects_rename: 'rename the project',
    datasets_list: 'load the datasets',
    datasets_preview: 'load the preview grid',
    datasets_detect: 'detect the dataset format',
    datasets_register: 'register the dataset',
    datasets_remove: 'remove the dataset',
    runs_list: 'load the runs',
    runs_select: 'load the runs',
    runs_get: 'load the run',
    runs_compare: 'compare the runs',
    runs_metrics: 'load the training curves',
    runs_events: 'load the events log',
    runs_cancel: 'cancel the run',
    runs_resume: 'resume the run',
    runs_delete: 'move the run to the trash',
    runs_tag: 'tag the run',
    runs_untag: 'remove the tag',
    runs_note: 'save the note',
    runs_star: 'star the run',
    train_start: 'start the training',
    train_estimate: 'estimate the duration',
    distill_start: 'start the distillation',
    sweep_start: 'start the attack sweep',
    attack_start: 'start the attack',
    eval_start: 'start the evaluation',
    evaluations_list: 'load the evaluation results',
    export_table: 'export the table',
    export_report: 'write the HTML report',
    export_bundle: 'write the bundle',
    export_mlflow: 'export to MLflow',
    export_tensorboard: 'export to TensorBoard',
    log_backup: 'back up the log',
    studies_start: 'start the study',
    studies_estimate: 'plan the study',
    studies_cancel: 'cancel the study',
    studies_report: 'read the study report',
    settings_set: 'save the engine settings',
    trash_list: 'load the trash',
    trash_restore: 'restore the run',
    trash_empty: 'empty the trash',
    import_bundle: 'import the bundle',
    log_restore: 'restore the log'
  },
  common: {
    loading: 'Loading…',
    retry: 'Try again',
    save: 'Save',
    cancel: 'Cancel',
    notApplicable: '—'
  },
  home: {
    title: 'Home',
    intro: 'The state of this lab: which engine computes, what is running, your recent runs and projects.',
    seedStudy: 'Reproduce the seed study',
    seedStudyNote:
      'Baseline, defensive distillation, distillation + PGD and the gradient-mask toy, evaluated with FGSM, PGD and AutoAttack, on built-in MNIST: the study this lab is built around, in one go.',
    recent: 'Recent runs',
    allRuns: 'All runs',
    noRecent: 'No finished runs yet.',
    loopTitle: 'How the lab works',
    loop: {
      data: 'Data',
      train: 'Train a baseline',
      attack: 'Attack it',
      defend: 'Defend',
      evaluate: 'Evaluate honestly',
      compare: 'Compare and export'
    },
    loopBody:
      'Start with the built-in MNIST: train a small baseline (a minute on this CPU), attack it with FGSM and PGD at a few ε, then try a defence and compare. Every run, metric and result is kept in the log.',
    firstRun: 'Train a first baseline',
    seeData: 'See the datasets'
  },
  status: {
    title: 'Lab status',
    loading: 'Checking the engine and the log…',
    loadFailed: 'The lab status could not be read.',
    engine: 'Engine',
    backend: 'Backend',
    device: 'Device',
    skipped: 'Skipped backends',
    noneSkipped: 'None — the first choice was available.',
    versions: 'Versions',
    appVersion: 'AdvLab',
    node: 'Node.js',
    sqlite: 'SQLite',
    electron: 'Electron',
    tfjs: 'TensorFlow.js',
    notElectron: 'not running in Electron (serve mode)',
    storage: 'Storage',
    dataDir: 'Data directory',
    logPath: 'Experiment log',
    counts: 'In the log',
    projects: 'Projects',
    runs: 'Runs',
    datasets: 'Datasets',
    setAsideTitle: 'The previous log was set aside',
    setAside:
      'The log found at start-up could not be used ({reason}). It was moved to {path} and a fresh log was started. Nothing was overwritten; you can inspect or restore the old file yourself.'
  },
  /** Progress phases the service names in fixed words (composables/usePhaseText.ts). */
  progress: {
    phases: {
      train: 'training',
      teacher: 'teacher',
      student: 'student',
      loadingData: 'loading data',
      checkingAccuracy: 'checking accuracy',
      reading: 'reading images',
      transferPgd: 'transfer PGD'
    }
  },
  /** The words around a results-table cell's numbers (composables/useCellText.ts); English as api/results-text.ts writes them. */
  results: {
    ofRuns: '{value} ({n} of {of} runs)',
    masking: 'masking',
    partial: 'partial ({statuses})',
    separator: ', '
  },
  jobs: {
    title: 'Running jobs',
    none: 'No jobs are running.',
    progress: '{phase}: {step} of {total}',
    eta: 'about {seconds} s left'
  },
  projects: {
    title: 'Projects',
    empty: 'No projects yet. Create one to group your runs.',
    loading: 'Loading projects…',
    loadFailed: 'The projects could not be loaded.',
    newName: 'New project name',
    newNamePlaceholder: 'e.g. MNIST distillation study',
    create: 'Create project',
    creating: 'Creating…',
    created: 'Project “{name}” created.',
    rename: 'Rename',
    renameLabel: 'New name for “{name}”',
    renamed: 'Project renamed to “{name}”.',
    saving: 'Saving…',
    runCount: 'no runs | 1 run | {count} runs',
    createdAt: 'created {date}',
    listLabel: 'Projects in this lab',
    nameRequired: 'Enter a name; it must not be empty.',
    nameTooLong: 'Use at most {max} characters (this name has {length}).'
  },
  settings: {
    title: 'Settings',
    appearance: 'Appearance',
    languageHint: 'The interface language. The lab’s own messages (errors from the service) stay in English.',
    themeHint: 'Stored in this window; the first start follows your system setting.',
    lab: 'Lab',
    dataDir: 'Data directory',
    logPath: 'Experiment log',
    backendOverride: 'Backend',
    automatic: 'automatic (best available)',
    workers: 'Jobs at once (worker threads)',
    workersHint: 'Each job trains or attacks in its own worker thread; this machine has {cores} cores.',
    engineSaved: 'Saved: the engine now runs on {backend} with {workers} worker(s).',
    trashTitle: 'Trash and import',
    trashEmpty: 'The trash is empty.',
    trashFacts: 'run {id}, {size} MB of files',
    restoreRun: 'Restore {name}',
    restoreRunShort: 'Restore',
    restored: '“{name}” restored from the trash.',
    emptyTrash: 'Empty the trash',
    emptyConfirm: 'Remove these {count} runs and their files for good?',
    emptyYes: 'Yes, remove for good',
    emptied: '{count} runs removed, {size} MB freed.',
    importPath: 'Import a bundle (.advlab.zip or folder)',
    importPlaceholder: 'e.g. /home/me/exports/study.advlab.zip',
    import: 'Import',
    imported: '{imported} runs imported, {skipped} already in the log.',
    dataDirHint:
      'Chosen when the service starts (lab serve --data-dir, or the desktop app’s default); everything AdvLab keeps lives there.',
    backupTitle: 'Backup and restore',
    backupPath: 'Back up the log to',
    backup: 'Back up now',
    backupDone: 'Backup written to {path} ({size} kB).',
    restorePath: 'Restore the log from',
    restore: 'Restore…',
    restoreConfirm: 'Replace the log now',
    restoreDone: 'Log restored from {from}; the previous log was saved at {saved}.',
    restoreHint:
      'Restoring replaces the whole log; the current one is saved beside it first. It is refused while runs are queued or running.'
  },
  /** A field's problem in words, from the contract's rule that refused it (forms/issues.ts). */
  validation: {
    empty: 'This field is empty: enter a value.',
    number: 'Enter a number, e.g. 0.05.',
    wholeNumber: 'Enter a whole number (no decimal point).',
    above: 'Enter a number above {bound}.',
    atLeast: 'Enter a number of at least {bound}.',
    below: 'Enter a number below {bound}.',
    atMost: 'Enter a number of at most {bound}.',
    multipleOf: 'Enter a multiple of {step}.',
    atLeastChars: 'Use at least {bound} characters.',
    atMostChars: 'Use at most {bound} characters.',
    atLeastItems: 'Choose at least {bound}.',
    atMostItems: 'Choose at most {bound}.',
    oneOf: 'Choose one of: {options}.',
    format: 'This is not written in the expected form; see the hint beside the field.',
    unknownKeys: 'Settings the service does not know: {keys}.',
    invalid: 'This value cannot be used here.'
  },
  notFound: {
    title: 'Page not found',
    body: 'There is nothing at this address.',
    home: 'Go to Home'
  },
  ...enLab
}

export default en
export type Messages = typeof en
