import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LabDevice, LabEstate, LabScheduledTask } from '../../estate/schema';
import type { CommandCall, CommandContext, CommandSimulation, LabObject } from './types';
import { statusLines } from './windows/dsregcmd';
import { findComputer } from './windows/computers';
import { refuseParameters, remoteComputer } from './windows/remote-computer';
import { whfbState } from './windows/whfb-state';

/**
 * The ScheduledTasks module (catalog ScheduledTasks.json) on a simulated device: New-ScheduledTask* build the
 * CIM objects, Register-ScheduledTask keeps the task on the device, Start-ScheduledTask runs it as its principal,
 * Get-ScheduledTaskInfo reports the run, Unregister-ScheduledTask removes it. The one action the lab runs is
 * `cmd.exe /d /c <dsregcmd.exe> /status > <file> 2>&1`: dsregcmd in the principal's session, its output written to
 * the device's C: drive (the lab's remote C: drive, see Initialize-LabRemoteHost), its exit code the task's result.
 * A task is a transient object, not a change of the estate's configuration: it is kept in the device's
 * scheduledTasks (so a test sees one left behind) and counts `tasksRegistered`, not a mutation.
 */

const NS = 'Microsoft.Management.Infrastructure.CimInstance#Root/Microsoft/Windows/TaskScheduler/';
const HAS_NOT_RUN = 267011;
const CIM_BASE = ['Microsoft.Management.Infrastructure.CimInstance', 'System.Object'];

interface WireObject {
  type?: string;
  props?: Record<string, unknown>;
}

const cim = (object: LabObject): LabObject => ({ ...object, types: [...object.types, ...CIM_BASE] });
const text = (value: unknown) => (value === undefined || value === null ? null : String(value));

function refuseCim(call: CommandCall): void {
  refuseParameters(call, ['CimSession', 'AsJob', 'ThrottleLimit']);
}

/** The task path as Task Scheduler keeps it: rooted, ending in a backslash (\ by default). */
function normalisePath(given: string | undefined): string {
  let value = given?.trim() || '\\';
  if (!value.startsWith('\\')) value = `\\${value}`;
  if (!value.endsWith('\\')) value = `${value}\\`;
  return value;
}

async function deviceOf(call: CommandCall, lab: CommandContext): Promise<string> {
  const computer = await remoteComputer(call, lab);
  if (computer.kind !== 'device') throw new Error(`scheduled tasks are simulated on sample devices only, not on ${computer.id}`);
  return computer.id;
}

function deviceIn(estate: LabEstate, id: string): LabDevice {
  const device = estate.devices.find((d) => d.name === id);
  if (!device) throw new Error(`the simulated device ${id} is not in the estate`);
  return device;
}

function findTask(device: LabDevice, taskPath: string, taskName: string): LabScheduledTask | undefined {
  return device.scheduledTasks.find((t) => t.taskPath.toLowerCase() === taskPath.toLowerCase() && t.taskName.toLowerCase() === taskName.toLowerCase());
}

function taskOrFail(lab: CommandContext, device: LabDevice, where: { taskPath: string; taskName: string }, command: string): LabScheduledTask {
  const task = findTask(device, where.taskPath, where.taskName);
  if (!task) lab.fail('TaskNotFound', { command });
  return task;
}

/** Name and path from -TaskName/-TaskPath or from an MSFT_ScheduledTask passed as -InputObject. */
function target(call: CommandCall): { taskPath: string; taskName: string } {
  if (call.parameterSet === 'Object') {
    const input = call.get<WireObject | WireObject[]>('InputObject');
    const first = Array.isArray(input) ? input[0] : input;
    return { taskPath: normalisePath(text(first?.props?.TaskPath) ?? undefined), taskName: String(first?.props?.TaskName ?? '') };
  }
  const name = call.get<string | string[]>('TaskName');
  const taskPath = call.get<string | string[]>('TaskPath');
  return { taskPath: normalisePath(Array.isArray(taskPath) ? taskPath[0] : taskPath), taskName: String(Array.isArray(name) ? name[0] : name) };
}

function taskObject(lab: CommandContext, task: LabScheduledTask): LabObject {
  return cim(
    lab.object(`${NS}MSFT_ScheduledTask`, {
      Actions: [cim(lab.object(`${NS}MSFT_TaskExecAction`, { Execute: task.execute, Arguments: task.arguments }))],
      Principal: cim(lab.object(`${NS}MSFT_TaskPrincipal2`, { UserId: task.userId, GroupId: task.groupId, LogonType: task.logonType, RunLevel: task.runLevel, Id: 'Author' })),
      State: task.state,
      TaskName: task.taskName,
      TaskPath: task.taskPath,
      URI: `${task.taskPath}${task.taskName}`,
      Triggers: [],
    }),
  );
}

/** An account name the device can resolve: BUILTIN\Users and friends, NT AUTHORITY\SYSTEM, or DOMAIN\user of a domain in the estate. */
function resolvable(estate: LabEstate, account: string): boolean {
  const [authority, name] = account.includes('\\') ? account.split('\\', 2) : ['', account];
  if (/^(builtin|nt authority)$/i.test(authority)) return name.length > 0;
  if (authority === '' && /^(users|administrators|system|interactive)$/i.test(name)) return true;
  return estate.forests.some((f) => f.domains.some((d) => d.netBiosName.toLowerCase() === authority.toLowerCase())) && name.length > 0;
}

/** Who is signed in at the console of the device: its signedInUser, <NetBIOS>\user by default, null = nobody. */
export function consoleUser(estate: LabEstate, device: LabDevice): string | null {
  if (device.signedInUser !== undefined) return device.signedInUser;
  const home = findComputer(estate, device.name);
  const netBios = home && home.kind === 'device' ? home.domain?.netBiosName : undefined;
  return `${netBios ?? device.domain.split('.')[0].toUpperCase()}\\user`;
}

/** The user the task runs as, or null when it cannot run now (an interactive principal who is not signed in). */
function runsAs(estate: LabEstate, device: LabDevice, task: LabScheduledTask): string | null {
  const signedIn = consoleUser(estate, device);
  if (!signedIn) return null;
  if (task.groupId) return /users$/i.test(task.groupId) ? signedIn : null;
  if (task.userId && task.userId.toLowerCase() === signedIn.toLowerCase()) return signedIn;
  // A user principal that is not signed in: Interactive never runs; other logon types need a stored password or S4U (not simulated).
  if (task.logonType === 'Interactive' || task.logonType === null) return null;
  throw new Error(`running a task as ${task.userId} with LogonType ${task.logonType} is not simulated (only the signed-in user, interactively)`);
}

/** Paths may use '/' too: PowerShell 7 on Linux joins them so (the lab's Join-Path is the real one), Windows with '\'. */
const ACTION = /^\/d \/c (\S+[\\/]dsregcmd\.exe) \/status > (\S+) 2>&1$/i;

/** The lab's C: drive on this machine: where the remote runspaces' C: PSDrive is rooted. */
function hostPathOf(windowsPath: string): string {
  const match = /^C:[\\/](.+)$/i.exec(windowsPath);
  if (!match) throw new Error(`only files on C: are simulated, not ${windowsPath}`);
  return path.join(tmpdir(), 'cloudtrust-lab-c', ...match[1].split(/[\\/]/));
}

/** Runs the task's action as `user`: dsregcmd /status in that user's session, redirected into the file. */
function runAction(estate: LabEstate, device: LabDevice, task: LabScheduledTask, now: Date): number {
  if (!/[\\/]cmd\.exe$/i.test(task.execute) || !task.arguments) throw new Error(`the task action ${task.execute} ${task.arguments ?? ''} is not simulated (only cmd.exe /d /c <dsregcmd.exe> /status > <file> 2>&1)`);
  const match = ACTION.exec(task.arguments.trim());
  if (!match) throw new Error(`the task action arguments "${task.arguments}" are not simulated (only /d /c <dsregcmd.exe> /status > <file> 2>&1)`);
  const computer = findComputer(estate, device.name)!;
  const exitCode = device.dsregcmdExitCode ?? 0;
  const lines = exitCode === 0 ? statusLines(whfbState(estate, computer, 'signed-in-user'), now) : [`dsregcmd failed: 0x${(exitCode >>> 0).toString(16)}`];
  const file = hostPathOf(match[2]);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\r\n')}\r\n`, 'latin1');
  return exitCode;
}

const newScheduledTaskAction: CommandSimulation = (call, lab) => {
  refuseCim(call);
  return [cim(lab.object(`${NS}MSFT_TaskExecAction`, { Execute: call.get('Execute'), Arguments: call.get('Argument') ?? null, WorkingDirectory: call.get('WorkingDirectory') ?? null, Id: call.get('Id') ?? null }))];
};

const newScheduledTaskPrincipal: CommandSimulation = (call, lab) => {
  refuseCim(call);
  const user = call.parameterSet === 'User';
  return [
    cim(
      lab.object(`${NS}MSFT_TaskPrincipal2`, {
        UserId: user ? call.get('UserId') : null,
        GroupId: user ? null : call.get('GroupId'),
        // A group principal's logon type is Group (TASK_LOGON_GROUP).
        LogonType: user ? (call.get<string>('LogonType') ?? 'Interactive') : 'Group',
        RunLevel: call.get('RunLevel') ?? 'Limited',
        ProcessTokenSidType: call.get('ProcessTokenSidType') ?? 'Default',
        RequiredPrivilege: call.get('RequiredPrivilege') ?? null,
        Id: call.get('Id') ?? 'Author',
        DisplayName: null,
      }),
    ),
  ];
};

const newScheduledTaskSettingsSet: CommandSimulation = (call, lab) => {
  refuseCim(call);
  const limit = call.get<{ props?: { TotalMilliseconds?: number } } | { TotalMilliseconds?: number }>('ExecutionTimeLimit');
  const ms = (limit as { props?: { TotalMilliseconds?: number } })?.props?.TotalMilliseconds ?? (limit as { TotalMilliseconds?: number })?.TotalMilliseconds;
  return [
    cim(
      lab.object(`${NS}MSFT_TaskSettings3`, {
        DisallowStartIfOnBatteries: call.get('AllowStartIfOnBatteries') !== true,
        StopIfGoingOnBatteries: call.get('DontStopIfGoingOnBatteries') !== true,
        ExecutionTimeLimit: ms === undefined ? 'PT72H' : `PT${Math.round(ms / 1000)}S`,
        MultipleInstances: call.get('MultipleInstances') ?? 'IgnoreNew',
        Hidden: call.get('Hidden') === true,
        Enabled: call.get('Disable') !== true,
        AllowDemandStart: call.get('DisallowDemandStart') !== true,
        AllowHardTerminate: call.get('DisallowHardTerminate') !== true,
        StartWhenAvailable: call.get('StartWhenAvailable') === true,
        RunOnlyIfIdle: call.get('RunOnlyIfIdle') === true,
        RunOnlyIfNetworkAvailable: call.get('RunOnlyIfNetworkAvailable') === true,
        WakeToRun: call.get('WakeToRun') === true,
        Priority: call.get('Priority') ?? 7,
        Compatibility: call.get('Compatibility') ?? 'Win8',
      }),
    ),
  ];
};

const registerScheduledTask: CommandSimulation = async (call, lab) => {
  refuseCim(call);
  if (call.parameterSet !== 'Principal') throw new Error(`Register-ScheduledTask is simulated with -Principal only, not the ${call.parameterSet} parameter set`);
  refuseParameters(call, ['Trigger']);
  const id = await deviceOf(call, lab);
  const { taskPath, taskName } = target(call);
  const actions = call.get<WireObject[] | WireObject>('Action');
  const action = (Array.isArray(actions) ? actions : [actions]).filter((a): a is WireObject => !!a);
  if (action.length !== 1) throw new Error('a task with other than one action is not simulated');
  const principal = call.get<WireObject>('Principal')?.props ?? {};
  const settings = call.get<WireObject>('Settings')?.props;
  return lab.update((estate) => {
    const device = deviceIn(estate, id);
    const account = text(principal.UserId) ?? text(principal.GroupId);
    if (!account || !resolvable(estate, account)) lab.fail('TaskUserNotMapped');
    const existing = findTask(device, taskPath, taskName);
    if (existing && call.get('Force') !== true) lab.fail('TaskExists');
    const task: LabScheduledTask = {
      taskPath,
      taskName,
      execute: String(action[0].props?.Execute ?? ''),
      arguments: text(action[0].props?.Arguments),
      userId: text(principal.UserId),
      groupId: text(principal.GroupId),
      logonType: text(principal.LogonType),
      runLevel: text(principal.RunLevel),
      disallowStartIfOnBatteries: settings ? settings.DisallowStartIfOnBatteries !== false : true,
      state: 'Ready',
      lastRunTime: null,
      lastTaskResult: HAS_NOT_RUN,
    };
    device.scheduledTasks = [...device.scheduledTasks.filter((t) => t !== existing), task];
    device.tasksRegistered = (device.tasksRegistered ?? 0) + 1;
    return [taskObject(lab, task)];
  });
};

const startScheduledTask: CommandSimulation = async (call, lab) => {
  refuseCim(call);
  const id = await deviceOf(call, lab);
  const { taskPath, taskName } = target(call);
  await lab.update((estate) => {
    const device = deviceIn(estate, id);
    const task = taskOrFail(lab, device, { taskPath, taskName }, 'Start-ScheduledTask');
    const user = runsAs(estate, device, task);
    // A task whose principal is not signed in is not started; Start-ScheduledTask still returns without an error (inferred).
    if (!user) return;
    task.lastRunTime = lab.now().toISOString();
    // The exit code as the DWORD Task Scheduler keeps (0x80070005 = 2147942405).
    task.lastTaskResult = runAction(estate, device, task, lab.now()) >>> 0;
  });
};

const getScheduledTaskInfo: CommandSimulation = async (call, lab) => {
  refuseCim(call);
  const id = await deviceOf(call, lab);
  const { taskPath, taskName } = target(call);
  const estate = await lab.read();
  const task = taskOrFail(lab, deviceIn(estate, id), { taskPath, taskName }, 'Get-ScheduledTaskInfo');
  return [
    cim(
      lab.object(`${NS}MSFT_TaskDynamicInfo`, {
        TaskName: task.taskName,
        TaskPath: task.taskPath,
        LastRunTime: task.lastRunTime ?? '1999-11-30T00:00:00+00:00',
        LastTaskResult: task.lastTaskResult,
        NextRunTime: null,
        NumberOfMissedRuns: 0,
      }),
    ),
  ];
};

const unregisterScheduledTask: CommandSimulation = async (call, lab) => {
  refuseCim(call);
  const id = await deviceOf(call, lab);
  const { taskPath, taskName } = target(call);
  await lab.update((estate) => {
    const device = deviceIn(estate, id);
    const task = taskOrFail(lab, device, { taskPath, taskName }, 'Unregister-ScheduledTask');
    device.scheduledTasks = device.scheduledTasks.filter((t) => t !== task);
  });
};

export const scheduledTaskCommands: Record<string, CommandSimulation> = {
  'New-ScheduledTaskAction': newScheduledTaskAction,
  'New-ScheduledTaskPrincipal': newScheduledTaskPrincipal,
  'New-ScheduledTaskSettingsSet': newScheduledTaskSettingsSet,
  'Register-ScheduledTask': registerScheduledTask,
  'Start-ScheduledTask': startScheduledTask,
  'Get-ScheduledTaskInfo': getScheduledTaskInfo,
  'Unregister-ScheduledTask': unregisterScheduledTask,
};
