import { HTTP_STATUS, TriggerError } from '../client/errors';
import { asTriggerError } from '../client/runs';
import { SpecError } from '../model/spec-file';
import { PayloadDecryptionError } from '../worker/codec';

/** The body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string; problems?: string[] };
}

/** An error the API answers with as it is: its status, code, message, and any headers (WWW-Authenticate). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly options: { hint?: string; problems?: string[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  /** True when the caller is told nothing specific and the details belong in the server log. */
  unexpected: boolean;
}

/** Fastify's own refusals (body parsing, media type, size), by its error code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: (limit?: number) => string; hint?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload-too-large',
    message: (limit) => `the request body is larger than this route accepts${limit ? ` (${formatBytes(limit)})` : ''}`,
    hint: 'each route\'s limit is in the API documentation (/docs)',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported-media-type', message: () => 'the request body must be JSON', hint: 'send Content-Type: application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid-input', message: () => 'the Content-Length header does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid-input', message: () => 'the Content-Type is application/json but the body is empty', hint: 'send a JSON object, or no Content-Type with no body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid-input', message: () => 'the request body is not valid JSON' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid-input', message: () => 'the request URL is not valid' },
};

/** One mapping of every error to its response. Unexpected errors say nothing beyond "internal error". */
export function errorResponse(error: unknown, requestId: string, bodyLimit?: number): ErrorResponse {
  const known = knownError(error, bodyLimit);
  if (known) return known;
  return {
    status: 500,
    body: { error: { code: 'internal', message: `internal error (request ${requestId}); the details are in the server log` } },
    headers: {},
    unexpected: true,
  };
}

function knownError(error: unknown, bodyLimit: number | undefined): ErrorResponse | undefined {
  if (error instanceof ApiError) return response(error.status, error.code, error.message, error.options);
  if (error instanceof SpecError) {
    return response(400, 'invalid-input', `${error.source} has ${error.problems.length === 1 ? '1 problem' : `${error.problems.length} problems`}: ${error.problems.join('; ')}`, { problems: error.problems });
  }
  if (error instanceof PayloadDecryptionError) return response(400, 'invalid-input', error.message);
  const trigger = error instanceof TriggerError ? error : asTriggerError(error, 'for this request');
  if (trigger instanceof TriggerError) {
    return response(HTTP_STATUS[trigger.kind], trigger.kind, trigger.message, { hint: trigger.hint, problems: trigger.problems.length > 0 ? trigger.problems : undefined });
  }
  const fastify = fastifyError(error);
  if (fastify) {
    const known = FASTIFY_ERRORS[fastify.code];
    if (known) return response(known.status, known.code, known.message(bodyLimit), known.hint ? { hint: known.hint } : {});
    // Fastify's other refusals carry fixed messages of its own, never request content.
    if (fastify.code.startsWith('FST_') && fastify.statusCode !== undefined && fastify.statusCode >= 400 && fastify.statusCode < 500) {
      return response(fastify.statusCode, 'invalid-input', fastify.message, {});
    }
  }
  return undefined;
}

function response(status: number, code: string, message: string, options: { hint?: string; problems?: string[]; headers?: Record<string, string> } = {}): ErrorResponse {
  return {
    status,
    body: { error: { code, message, ...(options.hint ? { hint: options.hint } : {}), ...(options.problems ? { problems: options.problems } : {}) } },
    headers: options.headers ?? {},
    unexpected: false,
  };
}

function fastifyError(error: unknown): { code: string; statusCode?: number; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
  if (typeof statusCode !== 'number' && typeof code !== 'string') return undefined;
  return { code: typeof code === 'string' ? code : '', statusCode: typeof statusCode === 'number' ? statusCode : undefined, message: error.message };
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
