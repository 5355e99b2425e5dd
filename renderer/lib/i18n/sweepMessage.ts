import type { SweepReason } from '../../../shared/sweeps/sweepProblems';
import type { SweepSettingName } from '../../../shared/sweeps/sweepSettings';
import { designMessage } from './designMessage';
import type { MessageParams } from './messages';
import type { UserMessage } from './userMessage';

/** Why a sweep cannot start (shared/sweeps/sweepProblems.ts) as a message, its setting named in the user's language. */
export function sweepMessage(reason: SweepReason): UserMessage {
  const params: MessageParams = {};
  for (const [name, value] of Object.entries(reason.params)) {
    if (typeof value === 'object') params[name] = designMessage(value);
    else params[name] = name === 'setting' ? { key: `sweep.setting.${value as SweepSettingName}` } : value;
  }
  return { key: `sweepProblem.${reason.key}`, params };
}
