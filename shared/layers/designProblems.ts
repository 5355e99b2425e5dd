import { fillTemplate } from '../fillTemplate';

/**
 * Why a design cannot be built or trained, worded in English as the CLI and the server say it. A problem carries its key
 * and parameters too, so the designer words it in the user's language (its catalogue has `design.<key>`). A parameter
 * may itself be a reason (what produced a layer's input, a shape in words).
 */
export const designProblemReasons = {
  inputFirst: 'the input may only come first',
  firstMustBeInput: 'the first layer must be the 28×28×1 input',
  needsImage: '{layer} needs an image-shaped input, but {producer} produced {shape}',
  windowTooLarge: "{layer}'s {kernel}×{kernel} window does not fit the {height}×{width} image {producer} produced: use 'same' padding or a smaller window",
  needsVector: 'Dense needs a vector, but {producer} produced {shape}: add Flatten before it',
  outputCount: 'the last layer must output {classes} values for {classes} digits: end with Dense {classes}, softmax',
  outputSoftmax: 'the last layer must turn its {classes} values into probabilities: give it the softmax activation',
  softmaxMisplaced: 'softmax belongs on the last layer: use relu (or another activation) here',
  tooManyParams: 'the model has {params} parameters; MNIST Lab trains at most {max}: use fewer units or filters',
  tooManyActivations: 'a batch of {batch} makes {activations} activation values; MNIST Lab allows at most {max}: lower the batch size or use fewer filters',
  'producer.input': 'the input',
  'producer.layer': '{layer} before it',
  'shape.image': 'an image of {shape}',
  'shape.vector': 'a vector of {shape}',
} as const;

export type DesignReasonKey = keyof typeof designProblemReasons;

/** One reason with its parameters. */
export interface DesignReason {
  key: DesignReasonKey;
  params: { [name: string]: string | number | DesignReason };
}

export function designReason(key: DesignReasonKey, params: DesignReason['params'] = {}): DesignReason {
  return { key, params };
}

/** A reason in English, its parameters (and the reasons among them) filled in. */
export function wordDesignReason(reason: DesignReason): string {
  return fillTemplate(designProblemReasons[reason.key], (name) => {
    const value = reason.params[name];
    return typeof value === 'object' ? wordDesignReason(value) : value === undefined ? undefined : String(value);
  });
}
