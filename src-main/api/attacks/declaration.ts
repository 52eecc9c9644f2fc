/**
 * What an attack is, stated once: its id, paper, norms, a one-sentence description and a strict
 * settings schema whose defaults are the only statement of its defaults. Defaults that depend on
 * the call (PGD's step size 2.5·ε/steps, the number of classes for targeted attacks) are filled in
 * by the declaration's `resolve`, next to the schema. The lab's attack runner, the request
 * handlers, sweep files, the CLI's help and the renderer's attack list all read these declarations.
 */
import { z } from 'zod'
import { LabError } from '../errors'

export const NormSchema = z.enum(['Linf', 'L2'])
export type Norm = z.infer<typeof NormSchema>

/** What a call knows beyond the settings: its ε and the model's number of classes. */
export interface AttackContext {
  epsilon: number
  numClasses: number
}

export interface AttackDeclaration<Parsed = Record<string, unknown>, Resolved = Parsed> {
  /** Short id used in configs, the CLI and the results table: fgsm, pgd, apgd-ce, autoattack … */
  id: string
  /** The paper the algorithm and its defaults come from. */
  paper: string
  norms: readonly Norm[]
  /** One sentence for the UI and the CLI's help. */
  description: string
  /** Strict: an unknown key is refused. Parsing fills in every default. */
  settings: z.ZodType<Parsed>
  /** The names of the settings, in the order the help lists them. */
  settingNames: readonly string[]
  /** Fills in the defaults that depend on ε or the number of classes, and checks limits that do. */
  resolve(parsed: Parsed, context: AttackContext): Resolved
  /**
   * What the attack may change: the ε-ball around x (the default), or the image's geometry
   * (rotations and translations, api/attacks/spatial.ts), which no ε-ball contains — such an attack
   * ignores ε and its output is only kept in [0, 1].
   */
  perturbation?: 'epsilon-ball' | 'spatial'
}

/** Declares an attack; `resolve` defaults to the parsed settings themselves. */
export function declareAttack<Shape extends z.ZodRawShape, Resolved = z.output<z.ZodObject<Shape>>>(d: {
  id: string
  paper: string
  norms: readonly Norm[]
  description: string
  settings: Shape
  resolve?: (parsed: z.output<z.ZodObject<Shape>>, context: AttackContext) => Resolved
  perturbation?: 'epsilon-ball' | 'spatial'
}): AttackDeclaration<z.output<z.ZodObject<Shape>>, Resolved> {
  const schema = z.object(d.settings).strict()
  return {
    id: d.id,
    paper: d.paper,
    norms: d.norms,
    description: d.description,
    settings: schema as unknown as z.ZodType<z.output<z.ZodObject<Shape>>>,
    settingNames: Object.keys(d.settings),
    resolve: d.resolve ?? ((parsed) => parsed as unknown as Resolved),
    perturbation: d.perturbation ?? 'epsilon-ball'
  }
}

// ---------------------------------------------------------------- kinds of setting

/** Config files and the CLI may write numbers as text ("10"); null means "use the default". */
const fromText = (v: unknown) => (v === null ? undefined : typeof v === 'string' && v.trim() !== '' ? Number(v) : v)

/** A whole number ≥ min (steps, restarts, queries …). */
export const countSetting = (fallback: number, min = 1) =>
  z.preprocess(
    fromText,
    z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be ≥ ${min}` })
      .default(fallback)
  )

/** A whole number ≥ min whose default depends on the call (filled in by `resolve`). */
export const optionalCount = (min = 1) =>
  z.preprocess(
    fromText,
    z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(min, { error: `must be ≥ ${min}` })
      .optional()
  )

/** A real number in [min, max]. */
export const amountSetting = (fallback: number, min = 0, max = Infinity) =>
  z.preprocess(fromText, boundedNumber(min, max).default(fallback))

/** A real number in [min, max] whose default depends on the call (filled in by `resolve`). */
export const optionalAmount = (min = 0, max = Infinity) => z.preprocess(fromText, boundedNumber(min, max).optional())

function boundedNumber(min: number, max: number) {
  const n = z.number({ error: 'must be a number' }).min(min, { error: `must be ≥ ${min}` })
  return max === Infinity ? n : n.max(max, { error: `must be ≤ ${max}` })
}

export const flagSetting = (fallback: boolean) =>
  z.preprocess((v) => (v === null ? undefined : v), z.boolean({ error: 'must be true or false' }).default(fallback))

export const choiceSetting = <T extends string>(choices: readonly [T, ...T[]], fallback: T) =>
  z.preprocess(
    (v) => (v === null ? undefined : v),
    z.enum(choices, { error: `must be one of ${choices.join(', ')}` }).default(fallback as never)
  )

/** The loss of the gradient attacks: cross-entropy, or the C&W margin (Carlini & Wagner 2017). */
export const lossSetting = () => choiceSetting(['ce', 'margin'] as const, 'ce')

// ---------------------------------------------------------------- reading settings

/** A limit that depends on the call (α ≤ ε, targets ≤ classes − 1), refused like a schema error. */
export function settingError(attackId: string, name: string, message: string, value: unknown): LabError {
  return new LabError('bad_input', `Attack "${attackId}": setting "${name}" ${message} (got ${JSON.stringify(value)}).`, `settings.${name}`)
}

/**
 * The settings parsed against the attack's strict schema, defaults filled in. An unknown key is a
 * user error naming the key and the known settings; a bad value names the setting and the value.
 */
export function parseAttackSettings<P, R>(declaration: AttackDeclaration<P, R>, settings: Record<string, unknown> = {}): P {
  const unknown = Object.keys(settings).filter((key) => !declaration.settingNames.includes(key))
  if (unknown.length > 0) {
    const known = declaration.settingNames.length > 0 ? `its settings are ${declaration.settingNames.join(', ')}.` : 'it takes no settings.'
    throw new LabError('bad_input', `Attack "${declaration.id}" has no setting "${unknown[0]}"; ${known}`, `settings.${unknown[0]}`)
  }
  const parsed = declaration.settings.safeParse(settings)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const name = String(issue.path[0] ?? '')
  throw settingError(declaration.id, name, issue.message, settings[name])
}

/** Parsed and resolved for one call: every setting the algorithm reads, typed. */
export function resolveAttackSettings<P, R>(
  declaration: AttackDeclaration<P, R>,
  settings: Record<string, unknown>,
  context: AttackContext
): R {
  return declaration.resolve(parseAttackSettings(declaration, settings), context)
}
