import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse as parseYaml } from 'yaml';
import { parseSpec, SpecError } from '../../model/spec-file';

const root = path.join(__dirname, '..', '..');
const schema = new Ajv2020({ validateFormats: false }).compile(JSON.parse(readFileSync(path.join(root, 'schema', 'rollout-spec.schema.json'), 'utf8')));

const spec = (targets: string[], extra = '') => `
name: x
tenant: { id: 4f2a9b1c-7d3e-4a5b-9c8d-1e2f3a4b5c6d }
cloudSignIn: { secret: k }
domains:
  - { name: corp.contoso.com, channel: gpo, gpo: { targets: ${JSON.stringify(targets)}, computerGroup: WHfB Devices } }
rings:
  - { name: one, domains: [corp.contoso.com] }
${extra}`;

function problemsOf(text: string): string[] {
  try {
    parseSpec(text, 'test.yaml');
    return [];
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
}

describe('spec values are checked for what they mean', () => {
  test.each([
    ['an OU of the domain', ['OU=Workstations,OU=Paris,DC=corp,DC=contoso,DC=com']],
    ['the domain itself', ['DC=corp,DC=contoso,DC=com']],
  ])('a GPO target that is %s is accepted', (_name, targets) => {
    expect(problemsOf(spec(targets))).toEqual([]);
  });

  test('a container (CN=Users) is refused by the validator and the JSON Schema, naming the kind of value needed', () => {
    const text = spec(['CN=Users,DC=corp,DC=contoso,DC=com']);
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^domains\[0\]\.gpo\.targets\[0\]: must be the distinguished name of an OU or of the domain/)]);
    expect(schema(parseYaml(text))).toBe(false);
  });

  test('a target in another domain is refused, a cross-field rule (the JSON Schema cannot see the domain name)', () => {
    const text = spec(['OU=Workstations,DC=fabrikam,DC=com']);
    expect(problemsOf(text)).toEqual(['domains[0].gpo.targets[0]: must be an OU or the domain inside corp.contoso.com (its DC= parts spell fabrikam.com, not corp.contoso.com: a GPO links only within its own domain)']);
    expect(schema(parseYaml(text))).toBe(true);
  });

  test('routing maps are built without a prototype; reserved names are refused as keys', () => {
    const parsed = parseSpec(spec(['DC=corp,DC=contoso,DC=com'], 'routing: { forests: { contoso.com: q1 } }'));
    expect(Object.getPrototypeOf(parsed.routing.forests)).toBeNull();
    expect(Object.getPrototypeOf(parsed.routing.domains)).toBeNull();
    expect(parsed.routing.forests['contoso.com']).toBe('q1');
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(problemsOf(spec(['DC=corp,DC=contoso,DC=com'], `routing: { forests: { ${key}: q1 } }`))).toContain(`routing.forests.${key}: ${key} is a reserved name in JavaScript objects and cannot be a key`);
    }
  });
});
