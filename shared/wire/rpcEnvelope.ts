import * as v from 'valibot';

// The envelopes the WebSocket transport frames with shared/wire/frameCodec.ts.

export const RequestEnvelopeSchema = v.strictObject({
  type: v.literal('request'),
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
  method: v.string(),
  params: v.optional(v.unknown()),
});
export type RequestEnvelope = v.InferOutput<typeof RequestEnvelopeSchema>;

/** An error's reason (shared/apiErrorReasons.ts): bounded, since a server is as untrusted to a client as the reverse. */
const ErrorReasonSchema = v.object({
  key: v.pipe(v.string(), v.maxLength(100)),
  params: v.pipe(
    v.record(v.pipe(v.string(), v.maxLength(100)), v.union([v.pipe(v.string(), v.maxLength(4000)), v.number()])),
    v.check((params) => Object.keys(params).length <= 20, 'at most 20 parameters'),
  ),
});

export const ErrorPayloadSchema = v.object({ code: v.string(), message: v.string(), reason: v.optional(ErrorReasonSchema) });
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
