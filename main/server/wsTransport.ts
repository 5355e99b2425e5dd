import * as v from 'valibot';
import type { WebSocket, WebSocketServer } from 'ws';
import type { EventName, LabEvents } from '../../shared/api';
import { decodeFrame, encodeFrame } from '../../shared/wire/frameCodec';
import { RequestEnvelopeSchema } from '../../shared/wire/rpcEnvelope';
import { describeIssues } from '../../shared/wire/validation';
import { ApiError } from '../../shared/apiError';
import { toErrorPayload } from '../core/dispatcher';

function decodeFrameOrThrow(bytes: Uint8Array): unknown {
  try {
    return decodeFrame(bytes);
  } catch (error) {
    throw new ApiError('invalid-request', `unreadable frame: ${(error as Error).message}`);
  }
}

/**
 * Carries the API over WebSocket: each binary frame from a client is one request envelope,
 * answered by one response envelope; events go to every open socket.
 */
export function attachWsTransport(wss: WebSocketServer, dispatch: (method: unknown, params: unknown) => Promise<unknown>) {
  const reply = (socket: WebSocket, message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(encodeFrame(message));
  };

  wss.on('connection', (socket) => {
    socket.on('message', async (data, isBinary) => {
      let id = -1;
      try {
        if (!isBinary) throw new ApiError('invalid-request', 'requests must be binary frames');
        const raw = decodeFrameOrThrow(new Uint8Array(data as Buffer));
        const envelope = v.safeParse(RequestEnvelopeSchema, raw);
        if (!envelope.success) throw new ApiError('invalid-request', `malformed request: ${describeIssues(envelope.issues)}`);
        id = envelope.output.id;
        const result = await dispatch(envelope.output.method, envelope.output.params);
        reply(socket, { type: 'response', id, ok: true, result });
      } catch (error) {
        reply(socket, { type: 'response', id, ok: false, error: toErrorPayload(error) });
      }
    });
  });

  return {
    broadcast<E extends EventName>(name: E, payload: LabEvents[E]) {
      const frame = encodeFrame({ type: 'event', name, payload });
      for (const socket of wss.clients) if (socket.readyState === socket.OPEN) socket.send(frame);
    },
  };
}
