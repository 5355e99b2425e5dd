import * as v from 'valibot';
import { BackendNameSchema, RunStatusSchema, StoppedBySchema } from '../../../shared/apiTypes';

/** runs/<id>/run.json: what changes during and after a run (spec.json never changes). */
export const RunStateSchema = v.object({
  name: v.string(),
  createdAt: v.string(),
  status: RunStatusSchema,
  /** The process training it, to tell a live run from one whose app crashed. */
  pid: v.nullable(v.number()),
  backend: v.nullable(BackendNameSchema),
  bestEpoch: v.nullable(v.number()),
  testAccuracy: v.nullable(v.number()),
  testLoss: v.nullable(v.number()),
  stoppedBy: v.nullable(StoppedBySchema),
  error: v.nullable(v.string()),
});
export type RunState = v.InferOutput<typeof RunStateSchema>;

/** eval.json: typed arrays stored as plain number lists. */
export const StoredEvaluationSchema = v.object({
  testLoss: v.number(),
  testAccuracy: v.number(),
  count: v.number(),
  confusion: v.array(v.array(v.number())),
  labels: v.array(v.number()),
  predicted: v.array(v.number()),
  probabilities: v.array(v.number()),
});
export type StoredEvaluation = v.InferOutput<typeof StoredEvaluationSchema>;
