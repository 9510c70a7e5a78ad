import { existsSync, readFileSync, readdirSync } from 'node:fs';

export const RSS_SAMPLE_MS = 200;
const CLOCK_TICKS_PER_SECOND = 100;

/** Peak RSS of this process (sampled), and of the PowerShell processes (summed per sample, from /proc). */
export class MemorySampler {
  peak = 0;
  phasePeak = 0;
  pwshPeakSum = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pwshPids: () => number[] = () => []) {
    this.timer = setInterval(() => this.sample(), RSS_SAMPLE_MS);
    this.timer.unref();
    this.sample();
  }

  startPhase(): void {
    this.phasePeak = process.memoryUsage().rss;
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  private sample(): void {
    const rss = process.memoryUsage().rss;
    this.peak = Math.max(this.peak, rss);
    this.phasePeak = Math.max(this.phasePeak, rss);
    const hosts = this.pwshPids().map((pid) => procStatusKb(pid, 'VmRSS') ?? 0);
    this.pwshPeakSum = Math.max(this.pwshPeakSum, hosts.reduce((a, b) => a + b, 0) * 1024);
  }
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM = peak RSS); undefined off Linux or once the process is gone. */
export function procStatusKb(pid: number | 'self', field: string): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used so far (from /proc/<pid>/stat); 0 off Linux or once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Direct children of this process (the pool's PowerShell processes are spawned by it). */
export function childPids(): number[] {
  if (!existsSync('/proc')) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === process.pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

export const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));
