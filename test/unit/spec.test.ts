import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse as parseYaml } from 'yaml';
import { parseSpec, SpecError } from '../../model/spec-file';
import { rolloutSpecJsonSchema } from '../../model/spec-json-schema';

const root = path.join(__dirname, '..', '..');
const labSpec = readFileSync(path.join(root, 'specs', 'lab-default.yaml'), 'utf8');

function problemsOf(text: string): string[] {
  try {
    parseSpec(text, 'test.yaml');
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('expected the spec to be rejected');
}

describe('rollout spec', () => {
  test('the shipped lab spec is valid and gets its defaults', () => {
    const spec = parseSpec(labSpec, 'specs/lab-default.yaml');
    expect(spec.rings.map((r) => [r.name, r.concurrency, r.failureBudget])).toEqual([
      ['pilot', 2, 0],
      ['broad', 2, 0],
    ]);
    expect(spec.domains[0].gpo?.name).toBe('cloudtrust - Windows Hello for Business cloud Kerberos trust');
    expect(spec.options.replicationTimeout).toBe('5m');
  });

  test('every problem is listed by path, before anything starts', () => {
    const problems = problemsOf(`
name: Bad Name
tenant: { id: "{4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d}" }
cloudSignIn: { secret: "p@ssw0rd value" }
domains:
  - name: corp.contoso.com
    channel: gpo
  - name: intune.contoso.com
    channel: intune
    intune: { group: Devices }
    gpo: { targets: ["not a dn"], computerGroup: G }
rings:
  - name: pilot
    domains: [corp.contoso.com, ghost.contoso.com]
    concurrency: 0
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: must be lower-case/),
        expect.stringMatching(/^tenant\.id: must be the tenant id/),
        expect.stringMatching(/^cloudSignIn/),
        expect.stringMatching(/^domains\[0\]\.gpo: the gpo channel needs a gpo block/),
        'domains[1].gpo: an intune-channel domain must not also have a gpo block: never both channels for the same devices',
        expect.stringMatching(/^rings\[0\]\.concurrency: /),
      ]),
    );
  });

  test('cross-references are checked: unknown domains, domains in two rings or none, intune without graph', () => {
    const problems = problemsOf(`
name: x
tenant: { id: 4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d }
cloudSignIn: { interactive: { userPrincipalName: admin@contoso.com } }
domains:
  - { name: a.contoso.com, channel: intune, intune: { group: G } }
  - { name: b.contoso.com, channel: gpo, gpo: { targets: ["DC=b,DC=contoso,DC=com"], computerGroup: G } }
  - { name: c.contoso.com, channel: gpo, gpo: { targets: ["DC=c,DC=contoso,DC=com"], computerGroup: G } }
rings:
  - { name: one, domains: [a.contoso.com, b.contoso.com] }
  - { name: two, domains: [b.contoso.com, ghost.contoso.com] }
`);
    expect(problems).toEqual([
      'domains[0].channel: an intune-channel domain needs tenant.graph (clientId, certificateThumbprint)',
      'rings[1].domains[0]: domain b.contoso.com is already in ring one',
      'rings[1].domains[1]: domain ghost.contoso.com is not declared under domains',
      'domains[2].name: domain c.contoso.com is in no ring',
    ]);
  });

  test('review row 22: tenant.graph.environment names a Graph environment, or says which ones exist', () => {
    const spec = (environment: string) => `
name: x
tenant: { id: 4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d, graph: { clientId: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a, certificateThumbprint: 0123456789ABCDEF0123456789ABCDEF01234567, environment: ${environment} } }
cloudSignIn: { interactive: { userPrincipalName: admin@contoso.com } }
domains:
  - { name: a.contoso.com, channel: intune, intune: { group: G } }
rings:
  - { name: one, domains: [a.contoso.com] }
`;
    expect(parseSpec(spec('USGov'), 'test.yaml').tenant.graph?.environment).toBe('USGov');
    expect(problemsOf(spec('GCCHigh'))).toEqual(['tenant.graph.environment: must be a Microsoft Graph environment: Global, USGov (GCC High), USGovDoD (DoD) or China (21Vianet)']);
  });

  test('rings[].userGroups are AD group names; userReadiness is warn or block', () => {
    const spec = (ring: string) => `
name: x
tenant: { id: 4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d }
cloudSignIn: { secret: k }
domains:
  - { name: a.contoso.com, channel: gpo, gpo: { targets: ["DC=a,DC=contoso,DC=com"], computerGroup: G } }
rings:
  - { name: one, domains: [a.contoso.com], ${ring} }
`;
    expect(parseSpec(spec('userGroups: [WHfB-Pilot-Users], userReadiness: block'), 'test.yaml').rings[0]).toMatchObject({ userGroups: ['WHfB-Pilot-Users'], userReadiness: 'block' });
    expect(problemsOf(spec(`userGroups: ["Pilot'; Remove-ADUser x"]`))).toEqual([expect.stringMatching(/^rings\[0\]\.userGroups\[0\]: must be a name of letters, digits/)]);
    expect(problemsOf(spec('userGroups: [], userReadiness: stop'))).toEqual([expect.stringMatching(/^rings\[0\]\.userGroups: /), expect.stringMatching(/^rings\[0\]\.userReadiness: /)]);
  });

  test('YAML syntax errors name the line', () => {
    expect(problemsOf('name: x\n  bad: [indent')[0]).toMatch(/^line \d+, column \d+: /);
  });

  test('unknown keys are refused (a typo must not be silently ignored)', () => {
    const problems = problemsOf(labSpec.replace('cloudSignIn:', 'cloudSignin: { secret: x }\ncloudSignIn:'));
    expect(problems).toEqual([expect.stringMatching(/cloudSignin/)]);
  });

  test('reserved names as map keys (__proto__, constructor, prototype) are refused by where they are, never dropped', () => {
    const problems = problemsOf(`${labSpec}\nrouting:\n  forests:\n    __proto__: q1\n    contoso.com: q2\n  domains:\n    constructor: q3\n`);
    expect(problems).toEqual(expect.arrayContaining([
      'routing.forests.__proto__: __proto__ is a reserved name in JavaScript objects and cannot be a key',
      'routing.domains.constructor: constructor is a reserved name in JavaScript objects and cannot be a key',
    ]));
  });

  describe('a domain has the block of its channel and not the other one', () => {
    const spec = (domain: string) => `
name: x
tenant: { id: 4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d, graph: { clientId: 9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a, certificateThumbprint: 0123456789ABCDEF0123456789ABCDEF01234567 } }
cloudSignIn: { secret: k }
domains:
  - { name: a.contoso.com, ${domain} }
rings:
  - { name: one, domains: [a.contoso.com] }
`;
    const gpo = 'gpo: { targets: ["DC=a,DC=contoso,DC=com"], computerGroup: G }';
    const intune = 'intune: { group: G }';
    const cases: Array<[string, string, string[]]> = [
      ['a gpo domain with an intune block', `channel: gpo, ${gpo}, ${intune}`, ['domains[0].intune: a gpo-channel domain must not also have an intune block: never both channels for the same devices']],
      ['an intune domain with a gpo block', `channel: intune, ${intune}, ${gpo}`, ['domains[0].gpo: an intune-channel domain must not also have a gpo block: never both channels for the same devices']],
      ['a gpo domain without its block', `channel: gpo, ${intune}`, ['domains[0].gpo: the gpo channel needs a gpo block (targets, computerGroup)', 'domains[0].intune: a gpo-channel domain must not also have an intune block: never both channels for the same devices']],
      ['an intune domain without its block', 'channel: intune', ['domains[0].intune: the intune channel needs an intune block (group)']],
      ['an unknown channel', `channel: sccm, ${gpo}`, ['domains[0].channel: must be gpo (Group Policy) or intune']],
      ['no channel', gpo, ['domains[0].channel: must be gpo (Group Policy) or intune']],
      ['a gpo block that is not an object', 'channel: gpo, gpo: yes', ['domains[0].gpo: Invalid input: expected object, received string']],
    ];
    const schema = new Ajv2020({ validateFormats: false }).compile(JSON.parse(readFileSync(path.join(root, 'schema', 'rollout-spec.schema.json'), 'utf8')));
    const json = (text: string): unknown => JSON.parse(JSON.stringify(parseYaml(text)));

    test.each(cases)('%s is refused, by path', (_name, domain, problems) => {
      expect(problemsOf(spec(domain))).toEqual(problems);
    });

    test.each(cases)('the JSON Schema refuses %s too', (_name, domain) => {
      expect(schema(json(spec(domain)))).toBe(false);
    });

    test.each([['gpo', gpo], ['intune', intune]])('the validator and the JSON Schema accept a domain of channel %s with its block', (channel, block) => {
      const text = spec(`channel: ${channel}, ${block}`);
      expect(parseSpec(text, 'test.yaml').domains[0].channel).toBe(channel);
      expect(schema(json(text))).toBe(true);
    });
  });

  test('the published JSON Schema is up to date (npm run schema regenerates it)', () => {
    const published = JSON.parse(readFileSync(path.join(root, 'schema', 'rollout-spec.schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(rolloutSpecJsonSchema())));
  });
});
