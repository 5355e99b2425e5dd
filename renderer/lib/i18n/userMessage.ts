import { ApiError } from '../../../shared/apiError';
import { errorMessage } from '../../../shared/errorMessage';
import { isMessageKey, type MessageKey, type MessageParams } from './messages';

/** Something to tell the user, kept as a catalogue key and its parameters so it is worded in the language shown now. */
export interface UserMessage {
  key: MessageKey;
  params?: MessageParams;
}

/** A message of the catalogue, for state classes that hold what a view shows. */
export function userMessage(key: MessageKey, params?: MessageParams): UserMessage {
  return { key, params };
}

/**
 * What went wrong, in the user's language where the catalogue knows the reason: an API error names its reason (a key
 * and parameters); anything else (a local failure, an older server) is shown as its own message.
 */
export function describeError(error: unknown, context?: { key: MessageKey; params?: MessageParams }): UserMessage {
  let detail: UserMessage = { key: 'error.detail', params: { message: errorMessage(error) } };
  if (error instanceof ApiError && error.reason) {
    const key = `api.${error.reason.key}`;
    if (isMessageKey(key)) detail = { key, params: error.reason.params };
  }
  if (!context) return detail;
  return { key: context.key, params: { ...context.params, detail: detail } };
}
