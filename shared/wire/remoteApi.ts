import { methodNames, type LabApi, type MethodName } from '../api';
import { validateResult } from './validation';

/** Sends one call to the other side and resolves with its raw result. */
export type CallTransport = (method: MethodName, params: unknown) => Promise<unknown>;

/**
 * Builds a LabApi whose methods go through a transport and whose results are validated on
 * arrival, so the UI never works with a malformed payload.
 */
export function createRemoteApi(call: CallTransport): LabApi {
  const api: Record<string, (params?: unknown) => Promise<unknown>> = {};
  for (const method of methodNames) {
    api[method] = async (params?: unknown) => validateResult(method, await call(method, params));
  }
  return api as unknown as LabApi;
}
