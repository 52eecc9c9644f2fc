/** English text of the lab screens (datasets, runs, run detail, wizards, compare). Merged into en.ts. */
const enLab = {
  datasets: {
    title: 'Datasets',
    intro: 'Data AdvLab can train and attack on: the built-in MNIST, Fashion-MNIST when installed, and folders you add. Each is read where it lies and checked once.',
    loading: 'Loading datasets…',
    loadFailed: 'The datasets could not be loaded.',
    empty: 'No datasets are registered yet. Add a folder above.',
    builtin: 'built-in',
    splits: 'Images',
    splitCount: '{split}: {count}',
    shape: 'Image shape',
    classes: 'Classes',
    classCount: '{count} classes',
    mean: 'Mean (per channel)',
    std: 'Std (per channel)',
    source: 'Read from',
    previewAlt: 'Preview of {name}: {perClass} sample images for each of its {classes} classes, one row per class',
    previewCaption: 'One row per class, samples from the train split.',
    noPreview: 'No preview grid was stored for this dataset.',
    remove: 'Remove',
    removeConfirm: 'Remove “{name}” from the lab? The files on disk stay where they are.',
    removeYes: 'Yes, remove',
    addTitle: 'Add a dataset folder',
    addHint: 'IDX (MNIST-style, plain or .gz), CIFAR-10/100 binary or Python pickles, or an image folder with one sub-folder per class. AdvLab detects the format first and tells you what it found.',
    path: 'Folder path',
    pathPlaceholder: 'e.g. /home/me/data/cifar-10-batches-bin',
    pathRequired: 'Enter the path of a folder on this machine.',
    detect: 'Detect format',
    detecting: 'Detecting…',
    name: 'Name in the lab (optional)',
    namePlaceholder: 'defaults to the folder name',
    register: 'Register',
    registering: 'Registering…',
    reading: 'Reading images: {step} of {total}',
    registered: 'Dataset “{name}” registered.',
    alreadyRegistered: 'This content is already registered as “{name}”.',
    detectFailed: 'The folder could not be read as a dataset.',
    registerFailed: 'The dataset could not be registered.',
    fixHint: 'Fix the file or folder named above, or choose another folder, then try again. Nothing was registered.',
    formats: {
      idx: 'IDX',
      'cifar10-bin': 'CIFAR-10 binary',
      'cifar100-bin': 'CIFAR-100 binary',
      'cifar10-py': 'CIFAR-10 pickle',
      'cifar100-py': 'CIFAR-100 pickle',
      imagefolder: 'Image folder'
    }
  }
}

export default enLab
