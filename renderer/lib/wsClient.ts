import * as v from 'valibot';
import type { EventName, LabEvents, MethodName } from '../../shared/api';
import { decodeFrame, encodeFrame } from '../../shared/wire/frameCodec';
import { ServerEnvelopeSchema } from '../../shared/wire/rpcEnvelope';
import { validateEvent } from '../../shared/wire/validation';
import { ApiError, type ApiErrorCode } from '../../shared/apiError';

type Listener = (payload: never) => void;

/**
 * Browser mode's transport: one WebSocket to /api (authenticated by the cookie the server set),
 * requests matched to responses by id, events validated and fanned out. Reconnects with backoff.
 */
export class WsClient {
  private socket: WebSocket | null = null;
  private opened: Promise<WebSocket> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<EventName, Set<Listener>>();

  constructor(private readonly url: string) {}

  async call(method: MethodName, params: unknown): Promise<unknown> {
    const socket = await this.connect();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      socket.send(encodeFrame({ type: 'request', id, method, params }));
    });
  }

  on<E extends EventName>(name: E, listener: (payload: LabEvents[E]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener);
    void this.connect().catch(() => undefined);
    return () => set.delete(listener as Listener);
  }

  private connect(): Promise<WebSocket> {
    if (this.opened) return this.opened;
    this.opened = new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        this.socket = socket;
        resolve(socket);
      };
      socket.onmessage = (event) => this.receive(event.data);
      socket.onclose = () => {
        const error = new ApiError('unavailable', 'the connection to MNIST Lab closed');
        for (const { reject: rejectCall } of this.pending.values()) rejectCall(error);
        this.pending.clear();
        this.socket = null;
        this.opened = null;
        reject(error);
        // Keep listening for events after a server restart or network blip.
        if (this.listeners.size > 0) setTimeout(() => void this.connect().catch(() => undefined), 1000);
      };
    });
    return this.opened;
  }

  private receive(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) return;
    let envelope;
    try {
      envelope = v.parse(ServerEnvelopeSchema, decodeFrame(new Uint8Array(data)));
    } catch (error) {
      console.error('MNIST Lab: unreadable message from the server', error);
      return;
    }
    if (envelope.type === 'event') {
      try {
        const { name, payload } = validateEvent(envelope.name, envelope.payload);
        for (const listener of this.listeners.get(name) ?? []) listener(payload as never);
      } catch (error) {
        console.error('MNIST Lab: dropped a malformed event', error);
      }
      return;
    }
    const call = this.pending.get(envelope.id);
    if (!call) return;
    this.pending.delete(envelope.id);
    if (envelope.ok) call.resolve(envelope.result);
    else call.reject(new ApiError(envelope.error.code as ApiErrorCode, envelope.error.message));
  }
}
