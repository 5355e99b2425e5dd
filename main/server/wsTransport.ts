import * as v from 'valibot';
import type { WebSocket, WebSocketServer } from 'ws';
import type { EventName, LabEvents } from '../../shared/api';
import { ApiError } from '../../shared/apiError';
import { maxModelUploadBytes } from '../../shared/apiTypes';
import { decodeFrame, encodeFrame } from '../../shared/wire/frameCodec';
import { RequestEnvelopeSchema } from '../../shared/wire/rpcEnvelope';
import { describeIssues } from '../../shared/wire/validation';
import { toErrorPayload } from '../core/dispatcher';
import type { ServerLog } from './serverLog';
import { errorMessage } from '../../shared/errorMessage';
import { apiFailure } from '../../shared/apiErrorReasons';

/** The largest request frame a client may send: a model file being imported, and its envelope. */
export const maxRequestBytes = maxModelUploadBytes + 1024 * 1024;
/** Replies and events queued for a client that does not read them; past this it is dropped. */
export const maxBufferedBytes = 16 * 1024 * 1024;
/** Requests one client may have waiting for an answer at once. */
export const maxRequestsInFlight = 32;

function decodeFrameOrThrow(bytes: Uint8Array): unknown {
  try {
    return decodeFrame(bytes);
  } catch (error) {
    throw new ApiError('invalid-request', `unreadable frame: ${errorMessage(error)}`);
  }
}

function parseRequest(data: unknown, isBinary: boolean) {
  if (!isBinary) throw new ApiError('invalid-request', 'requests must be binary frames');
  const envelope = v.safeParse(RequestEnvelopeSchema, decodeFrameOrThrow(new Uint8Array(data as Buffer)));
  if (!envelope.success) throw new ApiError('invalid-request', `malformed request: ${describeIssues(envelope.issues)}`);
  return envelope.output;
}

/**
 * Carries the API over WebSocket: each binary frame from a client is one request envelope,
 * answered by one response envelope; events go to every open socket. A client that breaks the
 * protocol, floods requests or stops reading is answered or dropped; the server carries on.
 */
export function attachWsTransport(wss: WebSocketServer, dispatch: (method: unknown, params: unknown) => Promise<unknown>, log: ServerLog) {
  const send = (socket: WebSocket, frame: Uint8Array) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount + frame.byteLength > maxBufferedBytes) {
      log('websocket', `dropped a client that left ${socket.bufferedAmount} bytes unread`);
      socket.terminate();
      return;
    }
    socket.send(frame);
  };

  wss.on('error', (error) => log('websocket server', error));
  wss.on('connection', (socket) => {
    // ws reports protocol errors (bad frames, oversized messages, bad close codes) here and
    // closes the socket itself; without a listener they would end the process.
    socket.on('error', (error) => log('websocket client', error));
    let inFlight = 0;
    socket.on('message', async (data, isBinary) => {
      let id = -1;
      try {
        const request = parseRequest(data, isBinary);
        id = request.id;
        if (inFlight >= maxRequestsInFlight) throw apiFailure('unavailable', 'server.busy', { count: maxRequestsInFlight });
        inFlight++;
        try {
          const frame = encodeFrame({ type: 'response', id, ok: true, result: await dispatch(request.method, request.params) });
          // One reply larger than a client may leave unread (a very large model's checkpoint or
          // export) is refused with the reason, rather than dropping the client for it.
          if (frame.byteLength > maxBufferedBytes) {
            const megabytes = (frame.byteLength / 2 ** 20).toFixed(0);
            throw apiFailure('unavailable', 'server.answerTooLarge', { megabytes, limit: maxBufferedBytes / 2 ** 20 });
          }
          send(socket, frame);
        } finally {
          inFlight--;
        }
      } catch (error) {
        send(socket, encodeFrame({ type: 'response', id, ok: false, error: toErrorPayload(error) }));
      }
    });
  });

  return {
    broadcast<E extends EventName>(name: E, payload: LabEvents[E]) {
      const frame = encodeFrame({ type: 'event', name, payload });
      for (const socket of wss.clients) send(socket, frame);
    },
  };
}
