import * as v from 'valibot';
import { idPattern } from '../apiTypes';

/** The lesson's steps, in the order of the tutorial chapter it follows. */
export const lessonSteps = ['mnist', 'pixels', 'labels', 'baseline', 'callbacks', 'train', 'plot', 'ideas', 'cnn'] as const;
export type LessonStep = (typeof lessonSteps)[number];

const runId = v.nullable(v.pipe(v.string(), v.regex(idPattern)));

/** Where a learner is in the lesson: the step shown, the steps opened, and the runs the lesson trained (or was given). */
export const LessonProgressSchema = v.strictObject({
  version: v.literal(1),
  step: v.picklist(lessonSteps),
  visited: v.pipe(v.array(v.picklist(lessonSteps)), v.maxLength(lessonSteps.length)),
  /** The Dense-512 baseline run of steps 6 and 7. */
  baselineRunId: runId,
  /** The CNN run of step 9. */
  cnnRunId: runId,
});
export type LessonProgress = v.InferOutput<typeof LessonProgressSchema>;

export const freshLessonProgress: LessonProgress = { version: 1, step: 'mnist', visited: ['mnist'], baselineRunId: null, cnnRunId: null };

/** The stored progress, or a fresh start with the reason the stored file could not be used. */
export const LessonProgressReplySchema = v.object({
  progress: LessonProgressSchema,
  /** Set when a progress file existed but was damaged or not ours: it was set aside, and the lesson starts afresh. */
  reset: v.nullable(v.object({ reason: v.pipe(v.string(), v.maxLength(2000)), keptAs: v.pipe(v.string(), v.maxLength(4096)) })),
});
export type LessonProgressReply = v.InferOutput<typeof LessonProgressReplySchema>;
