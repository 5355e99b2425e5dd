import type { LabApi } from '../../shared/api';
import { ApiError } from '../../shared/apiError';
import { validateRequest } from '../../shared/wire/validation';

export interface ErrorPayload {
  code: string;
  message: string;
}

/** Turns any thrown value into what a client is told: ApiErrors keep their code and message. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
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
