import * as v from 'valibot';
import { BackendNameSchema, EnsembleMemberSchema, ImportedFromSchema, maxEnsembleMembers, StoppedBySchema } from '../../../shared/apiTypes';

/** runs/<id>/run.json: what changes during and after a run (spec.json never changes). */
export const RunStateSchema = v.object({
  name: v.string(),
  createdAt: v.string(),
  /** What the host recorded; 'interrupted' and 'damaged' are only ever derived when reading. */
  status: v.picklist(['running', 'completed', 'stopped', 'failed', 'imported', 'ensemble']),
  /** The process training it, to tell a live run from one whose app crashed. */
  pid: v.nullable(v.number()),
  backend: v.nullable(BackendNameSchema),
  bestEpoch: v.nullable(v.number()),
  testAccuracy: v.nullable(v.number()),
  testLoss: v.nullable(v.number()),
  stoppedBy: v.nullable(StoppedBySchema),
  error: v.nullable(v.string()),
  /** When the run ended (runs written before this field have none). */
  endedAt: v.optional(v.nullable(v.string()), null),
  /** The model file an imported run was made from. */
  importedFrom: v.optional(v.nullable(ImportedFromSchema), null),
  /** The runs an ensemble averages; their checkpoints are copied into members/<n>/. */
  ensembleOf: v.optional(v.nullable(v.pipe(v.array(EnsembleMemberSchema), v.minLength(2), v.maxLength(maxEnsembleMembers))), null),
});
export type RunState = v.InferOutput<typeof RunStateSchema>;

const digit = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(9));
const fraction = v.pipe(v.number(), v.minValue(0), v.maxValue(1));

/** eval.json: typed arrays stored as plain number lists. */
export const StoredEvaluationSchema = v.object({
  testLoss: v.pipe(v.number(), v.finite()),
  testAccuracy: fraction,
  count: v.pipe(v.number(), v.integer(), v.minValue(0)),
  confusion: v.pipe(v.array(v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(0))), v.length(10))), v.length(10)),
  labels: v.array(digit),
  predicted: v.array(digit),
  probabilities: v.array(fraction),
});
export type StoredEvaluation = v.InferOutput<typeof StoredEvaluationSchema>;

/**
 * Why an eval.json does not belong with its run, or null: its lists must all describe `count`
 * images, its confusion matrix must count them, and its accuracy must be the one run.json records.
 */
export function evaluationMismatch(stored: StoredEvaluation, state: RunState | null): string | null {
  const n = stored.count;
  if (stored.labels.length !== n || stored.predicted.length !== n || stored.probabilities.length !== n * 10) {
    return `it claims ${n} images but lists ${stored.labels.length} labels, ${stored.predicted.length} predictions and ${stored.probabilities.length / 10} probability rows`;
  }
  const counted = stored.confusion.flat().reduce((a, b) => a + b, 0);
  if (counted !== n) return `its confusion matrix counts ${counted} images, not ${n}`;
  const correct = stored.labels.reduce((sum, label, i) => sum + (label === stored.predicted[i] ? 1 : 0), 0);
  if (n > 0 && Math.abs(correct / n - stored.testAccuracy) > 1e-6)
    return `its accuracy ${stored.testAccuracy} is not what its predictions give (${correct / n})`;
  if (state?.testAccuracy != null && Math.abs(state.testAccuracy - stored.testAccuracy) > 1e-6) {
    return `its accuracy ${stored.testAccuracy} differs from the run's ${state.testAccuracy}`;
  }
  return null;
}
