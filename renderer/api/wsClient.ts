import * as v from 'valibot';
import type { EventName, LabEvents, MethodName } from '../../shared/api';
import { ApiError, type ApiErrorCode } from '../../shared/apiError';
import { decodeFrame, encodeFrame } from '../../shared/wire/frameCodec';
import { ServerEnvelopeSchema } from '../../shared/wire/rpcEnvelope';
import { validateEvent } from '../../shared/wire/validation';
import { reconnectDelay, reconnectDelaysMs } from '../lib/reconnectSchedule';
import { apiFailure } from '../../shared/apiErrorReasons';

type Listener = (payload: never) => void;

/** connected; lost (reconnecting: attempt n of max); gone (every attempt failed; a reload is needed). */
export type ConnectionStatus = { state: 'connected' } | { state: 'lost'; attempt: number; maxAttempts: number } | { state: 'gone' };

/**
 * Browser mode's transport: one WebSocket to /api (authenticated by the cookie the server set),
 * requests matched to responses by id, events validated and fanned out. When the server goes
 * away it reconnects a bounded number of times with growing delays, and says so.
 */
export class WsClient {
  private opened: Promise<WebSocket> | null = null;
  private nextId = 1;
  private wasConnected = false;
  private attempt = 0;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  private readonly listeners = new Map<EventName, Set<Listener>>();
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();

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

  /** Follows the connection's state (for the "MNIST Lab stopped" banner). */
  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: ConnectionStatus): void {
    for (const listener of this.statusListeners) listener(status);
  }

  private connect(): Promise<WebSocket> {
    if (this.opened) return this.opened;
    this.opened = new Promise((resolve, reject) => {
      const socket = new WebSocket(this.url);
      socket.binaryType = 'arraybuffer';
      socket.onopen = () => {
        this.wasConnected = true;
        this.attempt = 0;
        this.setStatus({ state: 'connected' });
        resolve(socket);
      };
      socket.onmessage = (event) => this.receive(event.data);
      socket.onclose = () => {
        const error = apiFailure('unavailable', 'connection.closed');
        for (const { reject: rejectCall } of this.pending.values()) rejectCall(error);
        this.pending.clear();
        this.opened = null;
        reject(error);
        if (this.wasConnected) this.scheduleReconnect();
      };
    });
    return this.opened;
  }

  /** After a lost connection: the next attempt after a growing delay, until the schedule runs out. */
  private scheduleReconnect(): void {
    this.attempt++;
    const delay = reconnectDelay(this.attempt);
    if (delay === null) {
      this.setStatus({ state: 'gone' });
      return;
    }
    this.setStatus({ state: 'lost', attempt: this.attempt, maxAttempts: reconnectDelaysMs.length });
    setTimeout(() => void this.connect().catch(() => undefined), delay);
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
    else call.reject(new ApiError(envelope.error.code as ApiErrorCode, envelope.error.message, envelope.error.reason));
  }
}
