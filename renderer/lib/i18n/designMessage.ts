import type { DesignReason } from '../../../shared/layers/designProblems';
import type { MessageParams } from './messages';
import type { UserMessage } from './userMessage';

/** A design problem (shared/layers/designProblems.ts) as a message of the catalogue, the reasons among its parameters too. */
export function designMessage(reason: DesignReason): UserMessage {
  const params: MessageParams = {};
  for (const [name, value] of Object.entries(reason.params)) params[name] = typeof value === 'object' ? designMessage(value) : value;
  return { key: `design.${reason.key}`, params };
}
