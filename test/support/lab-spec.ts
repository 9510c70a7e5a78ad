import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../activities/bridge/paths';
import type { RolloutSpec } from '../../model/spec';
import { parseSpec } from '../../model/spec-file';

/** specs/lab-default.yaml, parsed afresh on every call: the caller may change its copy. */
export function readLabDefaultSpec(): RolloutSpec {
  return parseSpec(readFileSync(path.join(projectRoot(), 'specs', 'lab-default.yaml'), 'utf8'), 'lab-default.yaml');
}
