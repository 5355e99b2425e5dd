import * as v from 'valibot';
import { BackendChoiceSchema } from '../apiTypes';
import { LayerSpecSchema } from '../layers/layerSpec';
import { TrainingSettingsSchema } from '../training/trainingSettings';
import { describeIssues } from '../wire/validation';

export const designFormat = 'mnist-lab-design';

/** A design saved to a file (and kept between sessions): the stack, the training settings and the backend. */
export const DesignSchema = v.strictObject({
  format: v.literal(designFormat),
  version: v.literal(1),
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)),
  presetId: v.nullable(v.pipe(v.string(), v.maxLength(64))),
  /** From the input on; a design being built may not be trainable yet. */
  layers: v.pipe(v.array(LayerSpecSchema), v.minLength(1), v.maxLength(64)),
  settings: TrainingSettingsSchema,
  backend: BackendChoiceSchema,
});
export type Design = v.InferOutput<typeof DesignSchema>;

/** The largest design file read: a 64-layer design is a few KB. */
export const maxDesignFileBytes = 256 * 1024;

/** Reads a design file's text; throws an Error whose message says what is wrong with it, in words. */
export function parseDesignFile(text: string): Design {
  if (text.length > maxDesignFileBytes) throw new Error(`the file is ${text.length} characters; a design is at most ${maxDesignFileBytes}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`the file is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== designFormat) {
    throw new Error(`the file is not an MNIST Lab design (it has no "format": "${designFormat}")`);
  }
  const parsed = v.safeParse(DesignSchema, raw);
  if (!parsed.success) throw new Error(`the design is damaged: ${describeIssues(parsed.issues)}`);
  return parsed.output;
}

/** A design as the text of its file. */
export function designFileText(design: Design): string {
  return JSON.stringify(design, null, 2) + '\n';
}
