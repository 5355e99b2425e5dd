import * as v from 'valibot';
import { idPattern } from '../apiTypes';
import { SweepSpecSchema } from './sweepPlan';

const id = v.pipe(v.string(), v.regex(idPattern, 'ids are lower-case letters, digits and dashes'));

/** pending: not trained yet; training: its run is training now; done / failed: its run ended so; skipped: the time budget ran out first. */
export const TrialStatusSchema = v.picklist(['pending', 'training', 'done', 'failed', 'skipped']);

export const SweepTrialSchema = v.object({
  /** The settings this run varies, by setting name. */
  settings: v.record(v.string(), v.union([v.number(), v.string()])),
  status: TrialStatusSchema,
  /** Its run, once started. */
  runId: v.nullable(id),
});
export type SweepTrial = v.InferOutput<typeof SweepTrialSchema>;

/** queued: waiting for the trainer; running: one of its runs trains; paused: no new run starts; done: nothing left to train. */
export const SweepStateSchema = v.picklist(['queued', 'running', 'paused', 'done']);

export const SweepSummarySchema = v.object({
  id,
  spec: SweepSpecSchema,
  createdAt: v.string(),
  /** When its first run started (its time budget counts from then); null before. */
  startedAt: v.nullable(v.string()),
  state: SweepStateSchema,
  /** Its runs in the order they train. */
  trials: v.array(SweepTrialSchema),
});
export type SweepSummary = v.InferOutput<typeof SweepSummarySchema>;

export const SweepListSchema = v.object({
  sweeps: v.array(SweepSummarySchema),
  /** Queue files that could not be read: each was set aside (renamed) and is named here with the reason. */
  damaged: v.array(v.object({ id: v.string(), detail: v.string() })),
});
export type SweepList = v.InferOutput<typeof SweepListSchema>;

export const SweepRefSchema = v.strictObject({ sweepId: id });

/** Moves a pending run of a sweep from one place in its queue to another. */
export const MoveTrialRequestSchema = v.strictObject({
  sweepId: id,
  from: v.pipe(v.number(), v.integer(), v.minValue(0)),
  to: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
