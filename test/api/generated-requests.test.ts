import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import { ApiError } from '../../api/errors';
import { buildOpenApiDocument } from '../../api/openapi';
import { ROUTES } from '../../api/routes';
import { parseInput } from '../../api/validation';
import { isCrossFieldProblem } from '../../model/cross-field-rules';
import { arbitraryOf } from '../support/json-schema-arbitrary';

/**
 * Requests generated from the published OpenAPI document, through the server's own validation of each route (the
 * path every request takes before its handler starts anything): a schema-valid request is accepted, or refused only
 * by a documented cross-field rule; one mutation of a valid request is a 400 that names the mutated path.
 */
type Schema = Record<string, any>;
const document = buildOpenApiDocument(ROUTES) as { paths: Record<string, Record<string, Schema>>; components: { schemas: Record<string, Schema> } };
const resolve = (ref: string) => document.components.schemas[ref.replace('#/components/schemas/', '')];
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
for (const [id, schema] of Object.entries(document.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${id}`);
const validates = (schema: Schema, value: unknown) => ajv.validate({ ...schema, $defs: undefined }, value);

const BODY_ROUTES = [['post', '/rollouts'], ['post', '/rotate-keys'], ['post', '/rollback'], ['post', '/migrate-intune'], ['post', '/schedules']] as const;
const RUNS = Number(process.env.CLOUDTRUST_GENERATED_RUNS ?? 20);

function refusal(run: () => unknown): string[] | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return error.options.problems ?? [];
    throw error;
  }
}

const routeOf = (method: string, at: string) => ROUTES.find((r) => r.method === method.toUpperCase() && r.path === at)!;
const bodySchemaOf = (method: string, at: string) => document.paths[at][method].requestBody.content['application/json'].schema as Schema;

describe.each(BODY_ROUTES)('%s %s: generated bodies', (method, at) => {
  const route = routeOf(method, at);
  const schema = bodySchemaOf(method, at);
  const valid = arbitraryOf(schema, resolve).filter((value) => validates(schema, value));

  test('a schema-valid body is accepted, or refused only by a documented cross-field rule', () => {
    fc.assert(
      fc.property(valid, (body) => {
        const problems = refusal(() => parseInput(route.body!, body, 'body'));
        expect((problems ?? []).filter((p) => !isCrossFieldProblem(p, 'spec.'))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  test('one mutation (wrong type, extra property, missing required, out of enum) is a 400 naming its path', () => {
    const mutation = fc.constantFrom('wrong-type', 'extra-property', 'missing-required', 'out-of-enum');
    fc.assert(
      fc.property(valid, mutation, (body, kind) => {
        const copy = structuredClone(body) as Record<string, unknown>;
        const required = (resolve(schema.$ref).required ?? []) as string[];
        let expected: string;
        if (kind === 'wrong-type') {
          copy.spec = 42;
          expected = 'spec';
        } else if (kind === 'extra-property') {
          copy.unexpected = true;
          expected = 'body';
        } else if (kind === 'missing-required' && required.length > 0) {
          delete copy[required[required.length - 1]];
          expected = required[required.length - 1];
        } else {
          expected = ['mode', 'kind', 'policy'].find((key) => key in resolve(schema.$ref).properties)!;
          copy[expected] = 'sideways';
        }
        expect(validates(schema, copy)).toBe(false);
        const problems = refusal(() => parseInput(route.body!, copy, 'body'));
        expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${expected}: `))]));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('GET /rollouts: generated query strings', () => {
  const route = routeOf('get', '/rollouts');
  const parameters = document.paths['/rollouts'].get.parameters as Array<{ name: string; schema: Schema }>;
  const text = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));
  const query = fc.record(Object.fromEntries(parameters.map((p) => [p.name, arbitraryOf(p.schema, resolve).map(text)])), { requiredKeys: [] });

  test('every query the document allows is accepted', () => {
    fc.assert(fc.property(query, (q) => expect(refusal(() => parseInput(route.query!, q, 'query'))).toBeUndefined()), { numRuns: RUNS * 2 });
  });

  test.each([
    [{ limit: '0' }, 'query.limit'],
    [{ limit: '501' }, 'query.limit'],
    [{ limit: 'ten' }, 'query.limit'],
    [{ kind: 'rollout,nonsense' }, 'query.kind[1]'],
    [{ colour: 'blue' }, 'query'],
  ])('%j is outside the document and refused, naming %s', (q, where) => {
    expect(refusal(() => parseInput(route.query!, q, 'query'))).toEqual([expect.stringMatching(new RegExp(`^${where.replace(/[[\]]/g, '\\$&')}: `))]);
  });
});
