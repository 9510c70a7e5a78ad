import type { ApiRoute } from '../route';
import { codecRoutes } from './codec';
import { codecSessionRoutes } from './codec-session';
import { hookRoutes } from './hooks';
import { metaRoutes } from './meta';
import { rolloutRoutes } from './rollouts';
import { scheduleRoutes } from './schedules';

/** Every route of the API. Registration, the OpenAPI document and the tests' auth matrix all read this table. */
export const ROUTES: readonly ApiRoute[] = [...rolloutRoutes, ...scheduleRoutes, ...codecRoutes, ...codecSessionRoutes, ...hookRoutes, ...metaRoutes];
