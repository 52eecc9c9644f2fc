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
    projects_rename: 'rename the project'
  },
  common: {
    loading: 'Loading…',
    retry: 'Try again',
    save: 'Save',
    cancel: 'Cancel',
    none: 'none',
    notApplicable: '—'
  },
  home: {
    title: 'Home',
    intro: 'The state of this lab: which engine computes, where the log lives, and your projects.'
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
    setAside: 'The log found at start-up could not be used ({reason}). It was moved to {path} and a fresh log was started. Nothing was overwritten; you can inspect or restore the old file yourself.'
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
  comingSoon: {
    title: 'Coming with the next release',
    datasets: 'Registering datasets (MNIST, CIFAR-10, image folders), previewing them per class and checking their statistics will appear here.',
    runs: 'Every training, attack and evaluation run — with live progress, filters, and cancel / resume — will be listed here.',
    compare: 'Selected runs side by side — clean and robust accuracy, ε-curves, training curves and a config diff — will appear here.',
    nothingFake: 'This screen stays empty until the lab can fill it with real results.'
  },
  settings: {
    title: 'Settings',
    appearance: 'Appearance',
    languageHint: 'The interface language. The lab’s own messages (errors from the service) stay in English.',
    themeHint: 'Stored in this window; the first start follows your system setting.',
    lab: 'Lab',
    dataDir: 'Data directory',
    logPath: 'Experiment log',
    moreLater: 'Engine backend override, worker count, and backup / restore arrive with the next release.'
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
