import { fillTemplate } from '../fillTemplate';
import { wordDesignReason, type DesignReason } from '../layers/designProblems';

/**
 * Why a sweep cannot start, worded in English as the CLI and the server say it. A problem carries its key and
 * parameters too, so the designer's dialog words it in the user's language (its catalogue has `sweepProblem.<key>`,
 * and names the setting in `{setting}` by `sweep.setting.<name>`).
 */
export const sweepProblemReasons = {
  repeated: '{setting} is varied twice; name each setting once',
  noValues: '{setting}: give at least one value',
  notChoice: '{setting} is one of {choices}, not {value}',
  notNumber: '{setting} takes numbers, not {value}',
  notWhole: '{setting} takes whole numbers, not {value}',
  outside: '{setting} {value} is outside {min}–{max}',
  choiceNotRange: '{setting} is drawn from a list of choices, not a range',
  needsRange: '{setting} needs a range (min and max) or a list of choices',
  minAboveMax: '{setting}: min {min} is above max {max}',
  logRange: '{setting}: a log range starts above 0',
  noLayer: '{setting}: the design has no {layer} layer to change',
  noRandomAxis: 'a random sample needs at least one axis',
  overBudget: 'the sweep would train {count} runs, more than its budget of {max}',
  maxRunsField: 'the most runs must be a whole number from 1 to {max}',
  drawsField: 'the random draws must be a whole number from 1 to {max}',
  maxMinutesField: 'the time budget must be more than 0 and at most {max} minutes, or empty for none',
  invalidRun: 'run {position} ({name}) is not a valid run: {detail}',
  unbuilt: 'run {position} ({name}) does not build: {detail}',
} as const;

export type SweepReasonKey = keyof typeof sweepProblemReasons;

/** One reason with its parameters; `setting` names a sweep setting, and a design problem may be a parameter. */
export interface SweepReason {
  key: SweepReasonKey;
  params: { [name: string]: string | number | DesignReason };
}

/** A reason and its English sentence, for the CLI, the server's error and the tests. */
export interface SweepProblem {
  message: string;
  reason: SweepReason;
}

export function sweepProblem(key: SweepReasonKey, params: SweepReason['params'] = {}): SweepProblem {
  const reason = { key, params };
  return { reason, message: wordSweepReason(reason) };
}

export function wordSweepReason(reason: SweepReason): string {
  return fillTemplate(sweepProblemReasons[reason.key], (name) => {
    const value = reason.params[name];
    return typeof value === 'object' ? wordDesignReason(value) : value === undefined ? undefined : String(value);
  });
}
