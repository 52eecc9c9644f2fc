import { z } from 'zod'

/**
 * The dataset formats AdvLab reads, declared once. Every format module in lab/data names itself
 * with one of these ids.
 */
export const DATASET_FORMATS = ['idx', 'cifar10-bin', 'cifar100-bin', 'cifar10-py', 'cifar100-py', 'imagefolder'] as const
export const DatasetFormatSchema = z.enum(DATASET_FORMATS)
export type DatasetFormat = z.infer<typeof DatasetFormatSchema>

/** A dataset by id or by name (names are unique, case-insensitive). */
export const DatasetRefSchema = z.union([z.number().int().positive(), z.string().trim().min(1, 'must not be empty')])
export type DatasetRef = z.infer<typeof DatasetRefSchema>

const ShapeSchema = z.object({ height: z.number().int(), width: z.number().int(), channels: z.number().int() })

export const DatasetSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  format: DatasetFormatSchema,
  sourcePath: z.string(),
  contentHash: z.string(),
  /** Image count per split; every dataset has `train`, most have `test`. */
  splits: z.record(z.string(), z.number().int()),
  shape: ShapeSchema,
  classes: z.array(z.string()),
  /** CIFAR-100 only: the 20 superclasses; labels are the fine classes. */
  coarseClasses: z.array(z.string()).optional(),
  /** Images per class, per split, in class order. */
  classCounts: z.record(z.string(), z.array(z.number().int())),
  /** Per-channel mean and standard deviation of the train split, in [0, 1] pixel units. */
  mean: z.array(z.number()),
  std: z.array(z.number()),
  /** The built-in it came from (`mnist`, `fashion-mnist`), or null for a user's dataset. */
  builtin: z.string().nullable(),
  /** Things worth knowing about how the files were read (e.g. images resized). */
  notes: z.array(z.string()),
  hasPreview: z.boolean(),
  createdAt: z.string()
})
export type Dataset = z.infer<typeof DatasetSchema>

export const DetectionSchema = z.object({
  path: z.string(),
  format: DatasetFormatSchema,
  /** One sentence for the user: which format, which files, how many images. */
  description: z.string(),
  splits: z.record(z.string(), z.number().int()),
  shape: ShapeSchema,
  classCount: z.number().int(),
  files: z.array(z.string())
})
export type Detection = z.infer<typeof DetectionSchema>

export const DatasetPreviewSchema = z.object({
  datasetId: z.number().int(),
  /** `data:image/png;base64,…` — one row per class, `samplesPerClass` images per row. */
  dataUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  cellWidth: z.number().int(),
  cellHeight: z.number().int(),
  gap: z.number().int(),
  samplesPerClass: z.number().int(),
  /** Row r of the grid shows class rows[r]. */
  rows: z.array(z.string()),
  sha256: z.string()
})
export type DatasetPreview = z.infer<typeof DatasetPreviewSchema>

const PathSchema = z.string().trim().min(1, 'must not be empty')

export const datasetRequests = {
  'datasets.detect': { params: z.object({ path: PathSchema }).strict(), result: DetectionSchema },
  'datasets.register': {
    params: z
      .object({
        path: PathSchema,
        name: z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters').optional(),
        /** Skips detection; for a folder that could be read more than one way. */
        format: DatasetFormatSchema.optional()
      })
      .strict(),
    /** `created` is false when the same content was already registered (found by its hash). */
    result: z.object({ dataset: DatasetSchema, created: z.boolean() })
  },
  'datasets.list': { params: z.object({}).strict(), result: z.array(DatasetSchema) },
  'datasets.get': { params: z.object({ dataset: DatasetRefSchema }).strict(), result: DatasetSchema },
  'datasets.preview': { params: z.object({ dataset: DatasetRefSchema }).strict(), result: DatasetPreviewSchema },
  'datasets.remove': {
    params: z.object({ dataset: DatasetRefSchema }).strict(),
    result: z.object({ id: z.number().int(), name: z.string() })
  }
} as const

export const DatasetProgressSchema = z.object({
  /** The folder being registered (as given, resolved to an absolute path). */
  path: z.string(),
  /** `reading`: every image is read once (hash, mean/std, preview samples). */
  phase: z.enum(['reading']),
  step: z.number().int().nonnegative(),
  total: z.number().int().nonnegative()
})
export type DatasetProgress = z.infer<typeof DatasetProgressSchema>

export const datasetEvents = {
  /** A dataset was registered or removed; clients re-read the list. */
  'datasets.changed': z.object({ id: z.number().int(), change: z.enum(['registered', 'removed']) }),
  /** While a registration reads its images; a few times a second at most. */
  'datasets.progress': DatasetProgressSchema
} as const
