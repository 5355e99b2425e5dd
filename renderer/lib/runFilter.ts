import type { RunSummary } from '../../shared/apiTypes';

/** The runs whose `setting` (as RunSummary.settings has it) contains `text`; every run when the text is empty. */
export function runsWithSetting<T extends Pick<RunSummary, 'settings'>>(runs: readonly T[], setting: string, text: string): T[] {
  const wanted = text.trim();
  if (wanted === '') return [...runs];
  return runs.filter((run) => String(run.settings[setting] ?? '').includes(wanted));
}
