import type { LabApi } from '../../shared/api';
import { ApiError } from '../../shared/apiError';
import type { ErrorPayload } from '../../shared/wire/rpcEnvelope';
import { validateRequest } from '../../shared/wire/validation';
import { clip } from '../../shared/quote';
import { errorMessage } from '../../shared/errorMessage';

/** Turns any thrown value into what a client is told: ApiErrors keep their code and message. */
export function toErrorPayload(error: unknown): ErrorPayload {
  // Clipped as a last guard: a message may quote a path or name the client chose.
  if (error instanceof ApiError) return { code: error.code, message: clip(error.message, 2000) };
  return { code: 'internal', message: clip(errorMessage(error), 2000) };
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
