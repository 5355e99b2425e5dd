// What each frame cost the page's main thread, read from a Chromium performance trace.
//
// Headless Chromium on a VM paces animation frames by its own clock (17.7 ms here, whatever
// the page does), so the interval between frames says nothing about the page. The cost of a
// frame is the main-thread work between one rendering update and the next: every task that
// ran in between (WebSocket messages, chart updates, script) plus the update itself. A page
// keeps 60 Hz when that work stays under 16.7 ms.

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
}

export interface FrameWork {
  frames: number;
  /** Main-thread milliseconds spent per frame, the 50th and 95th percentiles. */
  medianMs: number;
  p95Ms: number;
  /** Tasks that held the main thread over 50 ms, and the longest task. */
  longTasks: number;
  longestTaskMs: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Splits the page's main-thread tasks at each frame's end and sums each frame's share. */
export function frameWorkFromTrace(events: TraceEvent[]): FrameWork {
  // Every renderer of the browser is traced; the page's is the one that drew frames.
  const framesByThread = new Map<string, number>();
  for (const e of events) if (e.name === 'BeginMainThreadFrame') framesByThread.set(`${e.pid}:${e.tid}`, (framesByThread.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const mainThread = [...framesByThread].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!mainThread) throw new Error('the trace holds no animation frames');
  const onMain = events.filter((e) => `${e.pid}:${e.tid}` === mainThread);
  const tasks = onMain.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && e.dur !== undefined);
  tasks.sort((a, b) => a.ts - b.ts);
  // A frame ends with the task that ran its rendering update (the one holding BeginMainThreadFrame).
  const frameEnds: number[] = [];
  let enclosing = 0;
  for (const begin of onMain.filter((e) => e.name === 'BeginMainThreadFrame').sort((a, b) => a.ts - b.ts)) {
    while (enclosing < tasks.length && tasks[enclosing]!.ts + tasks[enclosing]!.dur! < begin.ts) enclosing++;
    const task = tasks[enclosing];
    if (task && task.ts <= begin.ts && frameEnds.at(-1) !== task.ts + task.dur!) frameEnds.push(task.ts + task.dur!);
  }
  const work: number[] = [];
  let next = 0;
  for (let i = 1; i < frameEnds.length; i++) {
    const start = frameEnds[i - 1]!;
    const end = frameEnds[i]!;
    let busy = 0;
    while (next < tasks.length && tasks[next]!.ts + tasks[next]!.dur! <= start) next++;
    for (let t = next; t < tasks.length && tasks[t]!.ts < end; t++) {
      const task = tasks[t]!;
      busy += Math.min(task.ts + task.dur!, end) - Math.max(task.ts, start);
    }
    work.push(busy / 1000);
  }
  work.sort((a, b) => a - b);
  const taskMs = tasks.map((t) => t.dur! / 1000);
  return {
    frames: work.length,
    medianMs: percentile(work, 0.5),
    p95Ms: percentile(work, 0.95),
    longTasks: taskMs.filter((ms) => ms > 50).length,
    longestTaskMs: taskMs.reduce((a, b) => Math.max(a, b), 0),
  };
}
