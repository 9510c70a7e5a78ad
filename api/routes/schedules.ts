import { createSchedule, deleteSchedule, describeSchedule, listSchedules } from '../../client/schedules';
import { scheduleRequestSchema } from '../../model/schedule-request';
import { defineRoute, type ApiRoute } from '../route';
import { errorSchema, scheduleListSchema, scheduleNameParams, scheduleViewSchema } from '../schemas';

const createScheduleRoute = defineRoute({
  method: 'POST',
  path: '/schedules',
  operationId: 'createSchedule',
  tag: 'schedules',
  summary: 'Schedule key rotation or drift checks of a spec (every interval, or cron)',
  auth: { kind: 'bearer', scope: 'admin' },
  body: scheduleRequestSchema,
  responses: {
    201: { description: 'created', schema: scheduleViewSchema },
    400: { description: 'the request is invalid (a cron expression Temporal cannot parse included); every problem is listed by path', schema: errorSchema },
    409: { description: 'a schedule of this name exists', schema: errorSchema },
  },
  async handle({ body }, { client, taskQueue }) {
    const view = await createSchedule(client, body, taskQueue);
    return { status: 201, body: view, headers: { location: `/schedules/${encodeURIComponent(view.name)}` } };
  },
});

const listSchedulesRoute = defineRoute({
  method: 'GET',
  path: '/schedules',
  operationId: 'listSchedules',
  tag: 'schedules',
  summary: "List cloudtrust's schedules",
  auth: { kind: 'bearer', scope: 'read' },
  responses: { 200: { description: 'the schedules, by name', schema: scheduleListSchema } },
  async handle(_call, { client }) {
    return { status: 200, body: { schedules: await listSchedules(client) } };
  },
});

const getScheduleRoute = defineRoute({
  method: 'GET',
  path: '/schedules/:name',
  operationId: 'getSchedule',
  tag: 'schedules',
  summary: 'A schedule: what it runs, when it runs next, and its recent runs',
  auth: { kind: 'bearer', scope: 'read' },
  params: scheduleNameParams,
  responses: {
    200: { description: 'the schedule', schema: scheduleViewSchema },
    400: { description: 'the name is invalid', schema: errorSchema },
    404: { description: 'no such schedule', schema: errorSchema },
  },
  async handle({ params }, { client }) {
    return { status: 200, body: await describeSchedule(client, params.name) };
  },
});

const deleteScheduleRoute = defineRoute({
  method: 'DELETE',
  path: '/schedules/:name',
  operationId: 'deleteSchedule',
  tag: 'schedules',
  summary: 'Delete a schedule (runs it already started go on)',
  auth: { kind: 'bearer', scope: 'admin' },
  params: scheduleNameParams,
  responses: {
    204: { description: 'deleted' },
    400: { description: 'the name is invalid', schema: errorSchema },
    404: { description: 'no such schedule', schema: errorSchema },
  },
  async handle({ params }, { client }) {
    await deleteSchedule(client, params.name);
    return { status: 204 };
  },
});

export const scheduleRoutes: ApiRoute[] = [createScheduleRoute, listSchedulesRoute, getScheduleRoute, deleteScheduleRoute];
