/**
 * The common corruptions AdvLab generates (Hendrycks & Dietterich, "Benchmarking Neural Network
 * Robustness to Common Corruptions and Perturbations", ICLR 2019; Mu & Gilmer, "MNIST-C: A Robustness
 * Benchmark for Computer Vision", ICML Workshop 2019), named once for the lab, the CLI, the results
 * table and the heat map. Free of zod: the renderer's results texts import it at start-up.
 *
 * A corruption's results are filed in the log like an attack's, under the norm "corruption" with the
 * severity (1–5) in place of ε; the mean over every corruption × severity is filed as
 * "corruption-mean" at severity 0.
 */
export const CORRUPTION_NORM = 'corruption'
export const CORRUPTION_MEAN = 'corruption-mean'
export const SEVERITIES = [1, 2, 3, 4, 5] as const

export const CORRUPTIONS = [
  { id: 'gaussian-noise', title: 'Gaussian noise', family: 'noise' },
  { id: 'shot-noise', title: 'Shot noise', family: 'noise' },
  { id: 'impulse-noise', title: 'Impulse noise', family: 'noise' },
  { id: 'gaussian-blur', title: 'Gaussian blur', family: 'blur' },
  { id: 'defocus-blur', title: 'Defocus blur', family: 'blur' },
  { id: 'motion-blur', title: 'Motion blur', family: 'blur' },
  { id: 'brightness', title: 'Brightness', family: 'weather' },
  { id: 'fog', title: 'Fog', family: 'weather' },
  { id: 'contrast', title: 'Contrast', family: 'digital' },
  { id: 'jpeg', title: 'JPEG compression', family: 'digital' },
  { id: 'pixelate', title: 'Pixelate', family: 'digital' },
  { id: 'rotation', title: 'Rotation', family: 'geometric' },
  { id: 'scratches', title: 'Scratches', family: 'occlusion' }
] as const

export type CorruptionId = (typeof CORRUPTIONS)[number]['id']
export const CORRUPTION_IDS: readonly CorruptionId[] = CORRUPTIONS.map((c) => c.id)

export const isCorruption = (id: string): id is CorruptionId => (CORRUPTION_IDS as readonly string[]).includes(id)

/** "Gaussian noise"; "Corruptions (mean)" for the mean; an unknown id as it is. */
export function corruptionTitle(id: string): string {
  if (id === CORRUPTION_MEAN) return 'Corruptions (mean)'
  return CORRUPTIONS.find((c) => c.id === id)?.title ?? id
}

/**
 * The spatial attacks' names (declared in api/attacks/spatial.ts), kept here with the corruptions'
 * because this file, unlike the declarations, loads without zod (the renderer's results texts).
 */
const SPATIAL_TITLES: Record<string, string> = { 'spatial-grid': 'Spatial (grid)', 'spatial-random': 'Spatial (random-k)' }

/** A spatial attack's or a corruption's name; an unknown id as it is. */
export const beyondBallTitle = (id: string): string => SPATIAL_TITLES[id] ?? corruptionTitle(id)

/**
 * A results-table column of a spatial attack or a corruption: "Spatial (grid) (±30°)",
 * "Fog (severity 3)", "Corruptions (mean)"; null for an ε-ball attack's column.
 */
export function beyondBallColumnTitle(attack: string, norm: string, parameter: number): string | null {
  if (norm === 'spatial') return `${beyondBallTitle(attack)} (±${parameter}°)`
  if (norm === CORRUPTION_NORM)
    return attack === CORRUPTION_MEAN ? corruptionTitle(attack) : `${corruptionTitle(attack)} (severity ${parameter})`
  return null
}

/** Norms of the ε-ball attacks; results under any other norm (spatial, corruption) have no ε. */
export const isEpsilonNorm = (norm: string): boolean => norm === 'Linf' || norm === 'L2'
