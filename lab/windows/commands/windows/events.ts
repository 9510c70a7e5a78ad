import { loadCatalog } from '../../catalog';
import type { CommandContext, CommandSimulation, LabObject } from '../types';
import { hasWildcard, wildcard } from './wildcard';
import { refuseParameters, remoteComputer } from './remote-computer';
import { stableGuid, stableNumber } from './stable';
import { whfbState, type RegistrationEvent } from './whfb-state';

const LOG = 'Microsoft-Windows-User Device Registration/Admin';

interface EventDefinition {
  level: number;
  levelDisplayName: string;
  message: string;
  /** The message in other OS display languages (language tag -> template). */
  localizedMessages?: Record<string, string>;
  /** EventData field name -> the message placeholder whose value it carries (null: an empty field), in template order. */
  eventData?: Record<string, string | null>;
}

interface LogDefinition {
  providerName: string;
  providerId: string;
  events: Record<string, EventDefinition>;
}

/** The event logs the catalog documents (Windows.json eventLogs): the only ones a simulated computer has. */
function logDefinitions(): Record<string, LogDefinition> {
  const windows = loadCatalog().modules.find((m) => m.module === 'Windows') as { eventLogs?: Record<string, LogDefinition> } | undefined;
  return windows?.eventLogs ?? {};
}

/** The message with its placeholders filled; a line whose placeholder is null is not printed (older builds). */
function render(template: string, fill: Record<string, string | null>): string {
  const lines = template.split('\r\n').filter((line) => ![...line.matchAll(/\{([A-Za-z]+)\}/g)].some(([, name]) => fill[name] === null));
  return lines.join('\r\n').replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => fill[name] ?? whole);
}

/** The EventData fields (name, value) in template order; a field whose placeholder is null is absent (older builds). */
function eventData(definition: EventDefinition, fill: Record<string, string | null>): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const [name, placeholder] of Object.entries(definition.eventData ?? {})) {
    if (placeholder === null) fields.push([name, '']);
    else if (fill[placeholder] !== null && fill[placeholder] !== undefined) fields.push([name, fill[placeholder]]);
  }
  return fields;
}

const xmlEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

/** EventRecord.ToXml(): the event in the event schema, attribute values in single quotes as Windows writes them. */
function eventXml(record: {
  id: number;
  level: number;
  recordId: number;
  provider: string;
  providerId: string;
  time: Date;
  activityId: string;
  processId: number;
  threadId: number;
  computer: string;
  data: Array<[string, string]>;
}): string {
  const data = record.data.map(([name, value]) => (value === '' ? `<Data Name='${xmlEscape(name)}'></Data>` : `<Data Name='${xmlEscape(name)}'>${xmlEscape(value)}</Data>`)).join('');
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='${xmlEscape(record.provider)}' Guid='{${record.providerId}}'/>` +
    `<EventID>${record.id}</EventID><Version>0</Version><Level>${record.level}</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>` +
    `<TimeCreated SystemTime='${record.time.toISOString().replace('Z', '0000Z')}'/><EventRecordID>${record.recordId}</EventRecordID><Correlation ActivityID='{${record.activityId.toUpperCase()}}'/>` +
    `<Execution ProcessID='${record.processId}' ThreadID='${record.threadId}'/><Channel>${xmlEscape(LOG)}</Channel><Computer>${xmlEscape(record.computer)}</Computer><Security UserID='S-1-5-18'/></System>` +
    `<EventData>${data}</EventData></Event>`
  );
}

interface Candidate {
  id: number;
  level: number;
  providerName: string;
  logName: string;
  time: Date;
  record: () => LabObject;
}

function candidates(lab: CommandContext, computerId: string, fqdn: string, language: string, events: RegistrationEvent[]): Candidate[] {
  const log = logDefinitions()[LOG];
  if (!log) throw new Error(`the catalog documents no event log ${LOG}`);
  const now = lab.now();
  const firstRecord = 1000 + stableNumber(`records:${computerId}`, 50_000);
  return events.map((event, index) => {
    const definition = log.events[String(event.id)];
    if (!definition) throw new Error(`the catalog documents no event ${event.id} in ${LOG}`);
    const time = new Date(now.getTime() - event.minutesAgo * 60_000);
    const record = () => {
      // The message in the OS display language (English where the catalog has no rendering); EventData is language-neutral.
      const message = render(definition.localizedMessages?.[language] ?? definition.message, event.fill);
      const data = eventData(definition, event.fill);
      const recordId = firstRecord + events.length - index;
      const processId = 1000 + stableNumber(`pid:${computerId}`, 8000);
      const threadId = 2000 + stableNumber(`tid:${computerId}:${index}`, 8000);
      const activityId = stableGuid(`activity:${computerId}:${event.id}:${index}`);
      const xml = eventXml({ id: event.id, level: definition.level, recordId, provider: log.providerName, providerId: log.providerId, time, activityId, processId, threadId, computer: fqdn, data });
      return lab.object(
        'System.Diagnostics.Eventing.Reader.EventLogRecord',
        {
          Message: message,
          Id: event.id,
          Version: 0,
          Level: definition.level,
          Task: 0,
          Opcode: 0,
          RecordId: recordId,
          ProviderName: log.providerName,
          ProviderId: log.providerId.toLowerCase(),
          LogName: LOG,
          ProcessId: processId,
          ThreadId: threadId,
          MachineName: fqdn,
          UserId: 'S-1-5-18',
          // TimeCreated is local time (DateTimeKind.Local): an offset makes PowerShell re-create it as such.
          TimeCreated: time.toISOString().replace('Z', '+00:00'),
          ActivityId: activityId,
          ContainerLog: LOG,
          MatchedQueryIds: [],
          LevelDisplayName: definition.levelDisplayName,
          OpcodeDisplayName: 'Info',
          KeywordsDisplayNames: [],
          Properties: data.map(([, value]) => lab.object('System.Diagnostics.Eventing.Reader.EventProperty', { Value: value })),
        },
        { methods: { ToXml: xml } },
      );
    };
    return { id: event.id, level: definition.level, providerName: log.providerName, logName: LOG, time, record };
  });
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const textMatches = (patterns: unknown, value: string) => list(patterns).some((p) => (hasWildcard(String(p)) ? wildcard(String(p)).test(value) : String(p).toLowerCase() === value.toLowerCase()));

/** One -FilterHashtable hashtable as a predicate (keys case-insensitive; array values OR, keys AND). */
function hashFilter(lab: CommandContext, table: Record<string, unknown>, knownLogs: string[]): (c: Candidate) => boolean {
  for (const [name, value] of Object.entries(table)) {
    if (value === null || (Array.isArray(value) && value.some((v) => v === null))) lab.fail('NullNotAllowedInHashtable', { key: name }, { targetObject: name });
  }
  const entries = Object.entries(table).map(([k, v]) => [k.toLowerCase(), v] as const);
  const get = (name: string) => entries.find(([k]) => k === name)?.[1];
  if (get('logname') === undefined && get('providername') === undefined && get('path') === undefined) lab.fail('LogProviderOrPathNeeded');
  for (const [name] of entries) {
    if (!['logname', 'providername', 'id', 'level', 'starttime', 'endtime'].includes(name)) throw new Error(`the -FilterHashtable key ${name} is not simulated`);
  }
  const logs = get('logname');
  if (logs !== undefined) {
    for (const log of list(logs)) {
      if (!knownLogs.some((known) => textMatches(log, known))) throw new Error(`the event log ${String(log)} is not simulated (only ${knownLogs.join(', ')})`);
    }
  }
  const ids = get('id');
  const levels = get('level');
  const start = get('starttime');
  const end = get('endtime');
  const providers = get('providername');
  return (c) =>
    (logs === undefined || textMatches(logs, c.logName)) &&
    (providers === undefined || textMatches(providers, c.providerName)) &&
    (ids === undefined || list(ids).map(Number).includes(c.id)) &&
    (levels === undefined || list(levels).map(Number).includes(c.level)) &&
    (start === undefined || c.time.getTime() >= Date.parse(String(start))) &&
    (end === undefined || c.time.getTime() <= Date.parse(String(end)));
}

/**
 * Get-WinEvent on a simulated computer: the User Device Registration/Admin events its WHfB state implies, newest
 * first (-Oldest reverses), at most -MaxEvents; no match is the non-terminating NoMatchingEventsFound.
 */
export const getWinEvent: CommandSimulation = async (call, lab) => {
  refuseParameters(call, ['ComputerName', 'Credential', 'FilterXPath', 'Force']);
  const computer = await remoteComputer(call, lab);
  const estate = await lab.read();
  const knownLogs = Object.keys(logDefinitions());
  const language = (computer.kind === 'device' ? computer.device.language : undefined) ?? 'en-US';
  const all = candidates(lab, computer.id, computer.fqdn, language, whfbState(estate, computer).events);
  let filters: Array<(c: Candidate) => boolean>;
  if (call.parameterSet === 'HashQuerySet') {
    filters = list(call.get('FilterHashtable')).map((table) => hashFilter(lab, table as Record<string, unknown>, knownLogs));
  } else if (call.parameterSet === 'GetLogSet') {
    const logs = call.get<string[]>('LogName') ?? [];
    for (const log of logs) if (!knownLogs.some((known) => textMatches(log, known))) throw new Error(`the event log ${log} is not simulated (only ${knownLogs.join(', ')})`);
    filters = [(c) => textMatches(logs, c.logName)];
  } else {
    throw new Error(`only -FilterHashtable and -LogName are simulated, not the ${call.parameterSet} parameter set`);
  }
  let matched = all.filter((c) => filters.some((f) => f(c))).sort((a, b) => b.time.getTime() - a.time.getTime());
  if (call.get<boolean>('Oldest') === true) matched = matched.reverse();
  const max = call.get<number>('MaxEvents');
  if (max !== undefined) matched = matched.slice(0, max);
  if (matched.length === 0) {
    lab.writeError('NoMatchingEventsFound');
    return [];
  }
  return matched.map((c) => {
    const record = c.record();
    return { ...record, types: [...record.types, 'System.Diagnostics.Eventing.Reader.EventRecord', 'System.Object'] };
  });
};
