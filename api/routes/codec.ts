import type { Payload } from '@temporalio/common';
import type { z } from 'zod';
import { withoutPrototype } from '../../model/reserved-keys';
import { defineRoute, type ApiContext, type ApiRoute } from '../route';
import { errorSchema, payloadsBody } from '../schemas';

/** Codec bodies carry whole histories' payloads, so they may be larger than other requests. */
export const CODEC_BODY_LIMIT = 8 * 1024 * 1024;

type JsonPayload = z.output<typeof payloadsBody>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: withoutPrototype(Object.fromEntries(Object.entries(p.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]))),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

function codecRoute(direction: 'decode' | 'encode'): ApiRoute {
  return defineRoute({
    method: 'POST',
    path: `/codec/${direction}`,
    operationId: `${direction}Payloads`,
    tag: 'codec',
    summary: direction === 'decode' ? 'Decrypt payloads for the Temporal Web UI and CLI (codec server protocol)' : 'Encrypt payloads (codec server protocol)',
    description:
      'The Temporal codec server protocol: the Web UI and `temporal --codec-endpoint <api>/codec --codec-auth "Bearer <token>"` call ' +
      `<endpoint>/${direction} with {payloads:[{metadata:{key: base64}, data: base64}]}. The X-Namespace header is accepted and not needed. ` +
      'A browser signed in at /codec/session (the Web UI with "include cross-origin credentials") is authenticated by its session cookie instead of a bearer token.',
    auth: { kind: 'bearer', scope: direction === 'decode' ? 'read' : 'operate', session: true },
    body: payloadsBody,
    bodyLimit: CODEC_BODY_LIMIT,
    responses: {
      200: { description: `the ${direction}d payloads, in order`, schema: payloadsBody },
      400: { description: 'the body is invalid, or a payload cannot be decrypted (unknown key, altered data)', schema: errorSchema },
    },
    async handle({ body }, { codec }: ApiContext) {
      const payloads = body.payloads.map(fromJson);
      const result = direction === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
      return { status: 200, body: { payloads: result.map(toJson) } };
    },
  });
}

export const codecRoutes: ApiRoute[] = [codecRoute('decode'), codecRoute('encode')];
