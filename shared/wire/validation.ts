import * as v from 'valibot';
import {
  isEventName,
  isMethodName,
  labEvents,
  labMethods,
  type EventName,
  type LabEvents,
  type MethodName,
  type MethodParams,
  type MethodResult,
} from '../api';
import { ApiError } from '../apiError';
import { clip, quote } from '../quote';

/** One line naming where each problem is, e.g. `settings.batchSize: Invalid value: Expected >=1 but received 0`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const path = v.getDotPath(issue);
      // Issue messages quote the received value, and paths name the client's keys: both may be huge.
      return clip(path ? `${clip(path, 80)}: ${issue.message}` : issue.message);
    })
    .join('; ');
}

function parseOrThrow<T extends v.GenericSchema>(schema: T, value: unknown, what: string): v.InferOutput<T> {
  const result = v.safeParse(schema, value);
  if (!result.success) throw new ApiError('invalid-request', `${what}: ${describeIssues(result.issues)}`);
  return result.output;
}

/** Checks a method name and its parameters as they arrive from another process or the network. */
export function validateRequest<M extends MethodName>(method: unknown, params: unknown): { method: M; params: MethodParams<M> } {
  if (!isMethodName(method)) throw new ApiError('invalid-request', `unknown method ${quote(method)}`);
  return { method: method as M, params: parseOrThrow(labMethods[method].params, params, `${method} parameters`) };
}

/** Checks a result before a client hands it to the UI. */
export function validateResult<M extends MethodName>(method: M, result: unknown): MethodResult<M> {
  return parseOrThrow(labMethods[method].result, result, `${method} result`);
}

/** Checks a pushed event's name and payload. */
export function validateEvent(name: unknown, payload: unknown): { name: EventName; payload: LabEvents[EventName] } {
  if (!isEventName(name)) throw new ApiError('invalid-request', `unknown event ${quote(name)}`);
  return { name, payload: parseOrThrow(labEvents[name], payload, `${name} event`) };
}
