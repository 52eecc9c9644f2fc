/** The kinds of experiment a wizard starts, in the order the wizard screen lists them (also the routes #/new/<kind>). */
export const WIZARD_KINDS = ['baseline', 'distill', 'defence', 'sweep', 'eval'] as const
export type WizardKind = (typeof WIZARD_KINDS)[number]
