import { z } from 'zod';
import { renderDocsPage } from '../docs-page';
import { defineRoute, type ApiRoute } from '../route';
import { healthSchema } from '../schemas';

const healthRoute = defineRoute({
  method: 'GET',
  path: '/health',
  operationId: 'health',
  tag: 'meta',
  summary: 'Liveness of the API process (does not call Temporal); public',
  auth: { kind: 'public' },
  responses: { 200: { description: 'the API is up', schema: healthSchema } },
  async handle() {
    return { status: 200, body: { status: 'ok' } };
  },
});

const openApiRoute = defineRoute({
  method: 'GET',
  path: '/openapi.json',
  operationId: 'openApiDocument',
  tag: 'meta',
  summary: 'This API as an OpenAPI 3.1 document; public',
  auth: { kind: 'public' },
  responses: { 200: { description: 'the OpenAPI document', schema: z.looseObject({ openapi: z.string() }) } },
  async handle(_call, { openApi }) {
    return { status: 200, body: openApi() };
  },
});

const docsRoute = defineRoute({
  method: 'GET',
  path: '/docs',
  operationId: 'docsPage',
  tag: 'meta',
  summary: 'This API as a readable HTML page (self-contained, no scripts); public',
  auth: { kind: 'public' },
  responses: { 200: { description: 'the documentation page', contentTypes: ['text/html'] } },
  async handle(_call, { openApi }) {
    return { status: 200, body: renderDocsPage(openApi()), contentType: 'text/html; charset=utf-8' };
  },
});

export const metaRoutes: ApiRoute[] = [healthRoute, openApiRoute, docsRoute];
