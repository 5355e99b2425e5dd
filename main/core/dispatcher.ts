import type { LabApi } from '../../shared/api';
import { ApiError } from '../../shared/apiError';
import type { ErrorPayload } from '../../shared/wire/rpcEnvelope';
import { validateRequest } from '../../shared/wire/validation';
import { clip } from '../../shared/quote';
import { errorMessage } from '../../shared/errorMessage';

/** Turns any thrown value into what a client is told: ApiErrors keep their code, message and reason. */
export function toErrorPayload(error: unknown): ErrorPayload {
  // Clipped as a last guard: a message may quote a path or name the client chose.
  if (error instanceof ApiError) {
    const payload: ErrorPayload = { code: error.code, message: clip(error.message, 2000) };
    if (error.reason) payload.reason = { key: error.reason.key, params: clipParams(error.reason.params) };
    return payload;
  }
  return { code: 'internal', message: clip(errorMessage(error), 2000) };
}

function clipParams(params: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'string' ? clip(value, 1000) : value]));
}

/**
 * The one entry for calls arriving over IPC or WebSocket: the method name and parameters are
 * validated against shared/api.ts before the implementation sees them.
 */
export function createDispatcher(api: LabApi): (method: unknown, params: unknown) => Promise<unknown> {
  return async (method, params) => {
    const request = validateRequest(method, params);
    const call = api[request.method] as (params: unknown) => Promise<unknown>;
    return call(request.params);
  };
}
