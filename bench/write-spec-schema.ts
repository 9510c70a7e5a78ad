import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../activities/bridge/paths';
import { rolloutSpecJsonSchema } from '../model/spec-json-schema';

/** Regenerates schema/rollout-spec.schema.json (npm run schema); a test fails while it is out of date. */
const file = path.join(projectRoot(), 'schema', 'rollout-spec.schema.json');
writeFileSync(file, `${JSON.stringify(rolloutSpecJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
