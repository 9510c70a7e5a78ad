import { HTTP_STATUS, TriggerError } from '../client/errors';
import { asTriggerError } from '../client/runs';
import { SpecError } from '../model/spec-file';
import { PayloadDecryptionError } from '../worker/codec';
import { FORM_CONTENT_TYPE, JSON_CONTENT_TYPE } from './content-types';

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

/** What the error handler knows of the route a request reached; nothing when it reached none. */
export interface ErrorRoute {
  /** The route's path as the route table has it: /rollouts/:id. */
  path?: string;
  /** The largest body the route takes. */
  bodyLimit?: number;
  /** The content type its request body must have; default application/json. */
  contentType?: string;
}

/** Fastify's own refusals (body parsing, media type, size), by its error code. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: (route: ErrorRoute) => string; hint?: (route: ErrorRoute) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'payload-too-large',
    message: ({ bodyLimit }) => `the request body is larger than this route accepts${bodyLimit ? ` (${formatBytes(bodyLimit)})` : ''}`,
    hint: () => 'each route\'s limit is in the API documentation (/docs)',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported-media-type',
    message: ({ contentType = JSON_CONTENT_TYPE }) => `the request body must be ${BODY_KINDS[contentType] ?? contentType}`,
    hint: ({ contentType = JSON_CONTENT_TYPE }) => `send Content-Type: ${contentType}`,
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid-input', message: () => 'the Content-Length header does not match the body' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid-input', message: () => 'the Content-Type is application/json but the body is empty', hint: () => 'send a JSON object, or no Content-Type with no body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid-input', message: () => 'the request body is not valid JSON' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid-input', message: () => 'the request URL is not valid' },
};

/** How a 415 names the body a route takes. */
const BODY_KINDS: Record<string, string> = {
  [JSON_CONTENT_TYPE]: 'JSON',
  [FORM_CONTENT_TYPE]: `an HTML form (${FORM_CONTENT_TYPE})`,
};

/** One mapping of every error to its response. Unexpected errors say nothing beyond "internal error". */
export function errorResponse(error: unknown, requestId: string, route: ErrorRoute = {}): ErrorResponse {
  const known = knownError(error, requestId, route);
  if (known) return known;
  return {
    status: 500,
    body: { error: { code: 'internal', message: `internal error (request ${requestId}); the details are in the server log` } },
    headers: {},
    unexpected: true,
  };
}

function knownError(error: unknown, requestId: string, route: ErrorRoute): ErrorResponse | undefined {
  if (error instanceof ApiError) return response(error.status, error.code, error.message, error.options);
  if (error instanceof SpecError) {
    return response(400, 'invalid-input', `${error.source} has ${error.problems.length === 1 ? '1 problem' : `${error.problems.length} problems`}: ${error.problems.join('; ')}`, { problems: error.problems });
  }
  const undecryptable = causedBy(error, PayloadDecryptionError);
  if (undecryptable) {
    // On the codec routes the caller sent the payloads: their fault. Elsewhere the payloads are the server's own
    // history, and a key it lacks is the server's problem; the key's id stays in the server log.
    if (route.path?.startsWith('/codec/')) return response(400, 'invalid-input', undecryptable.message);
    return response(500, 'internal', `the server cannot decrypt this run's data: it lacks the key the data was encrypted with (request ${requestId}; the details are in the server log)`, {
      hint: 'if that key was rotated out, add it to CLOUDTRUST_CODEC_OLD_KEYS where the API runs, and restart the API',
    });
  }
  const trigger = error instanceof TriggerError ? error : asTriggerError(error, 'for this request');
  if (trigger instanceof TriggerError) {
    return response(HTTP_STATUS[trigger.kind], trigger.kind, trigger.message, { hint: trigger.hint, problems: trigger.problems.length > 0 ? trigger.problems : undefined });
  }
  const fastify = fastifyError(error);
  if (fastify) {
    const known = FASTIFY_ERRORS[fastify.code];
    if (known) return response(known.status, known.code, known.message(route), known.hint ? { hint: known.hint(route) } : {});
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

/** The error, or the first of its causes, that is an instance of `type`. */
function causedBy<T extends Error>(error: unknown, type: new (...args: never[]) => T): T | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    if (current instanceof type) return current;
  }
  return undefined;
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
