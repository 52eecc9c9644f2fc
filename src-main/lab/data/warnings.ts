/**
 * What a dataset that reads correctly can still get wrong for an experiment, said at registration
 * as "Warning: …" notes (shown on the dataset's card and returned by the datasets requests), so the
 * user learns it before training rather than when an evaluation fails.
 */
import type { DatasetSource } from './source'
import type { DatasetSurvey } from './survey'
import { count } from './errors'

export const WARNING_PREFIX = 'Warning: '

export function registrationWarnings(source: DatasetSource, survey: DatasetSurvey): string[] {
  const warnings: string[] = []
  if (!survey.splits.test)
    warnings.push(
      'this dataset has no test images, so no model trained on it can be attacked or evaluated. Add the test files (t10k-…, test_batch, test.bin or a test/ folder) next to the train files and register it again.'
    )
  const trainCounts = survey.classCounts.train ?? []
  const present = source.classes.filter((_, i) => (trainCounts[i] ?? 0) > 0)
  if (source.classes.length === 1 || present.length === 1) {
    const only = present[0] ?? source.classes[0]
    warnings.push(
      `this dataset has a single class (${only}): a classifier trained on it always answers ${only}, so accuracy and robustness numbers mean nothing. Add a folder of images for each other class.`
    )
  } else if (present.length < source.classes.length) {
    const missing = source.classes.filter((_, i) => !(trainCounts[i] > 0))
    const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? `, and ${count(missing.length - 10)} more` : '')
    warnings.push(
      `${count(missing.length)} of ${count(source.classes.length)} classes have no train images (${shown}); a model never sees them. Check the labels, or list only the classes you have in a classes.txt.`
    )
  }
  return warnings.map((w) => WARNING_PREFIX + w)
}
