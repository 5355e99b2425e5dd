import * as v from 'valibot';

// The envelopes the WebSocket transport frames with shared/wire/frameCodec.ts.

export const RequestEnvelopeSchema = v.strictObject({
  type: v.literal('request'),
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
  method: v.string(),
  params: v.optional(v.unknown()),
});
export type RequestEnvelope = v.InferOutput<typeof RequestEnvelopeSchema>;

export const ErrorPayloadSchema = v.object({ code: v.string(), message: v.string() });
export type ErrorPayload = v.InferOutput<typeof ErrorPayloadSchema>;

export const ServerEnvelopeSchema = v.variant('type', [
  v.object({ type: v.literal('response'), id: v.number(), ok: v.literal(true), result: v.optional(v.unknown()) }),
  v.object({ type: v.literal('response'), id: v.number(), ok: v.literal(false), error: ErrorPayloadSchema }),
  v.object({ type: v.literal('event'), name: v.string(), payload: v.unknown() }),
]);
export type ServerEnvelope = v.InferOutput<typeof ServerEnvelopeSchema>;

/** Electron's reply to one call: the result, or the error with its code (an Error crossing contextBridge would lose it). */
export const CallReplySchema = v.variant('ok', [
  v.object({ ok: v.literal(true), result: v.optional(v.unknown()) }),
  v.object({ ok: v.literal(false), error: ErrorPayloadSchema }),
]);
export type CallReply = v.InferOutput<typeof CallReplySchema>;
