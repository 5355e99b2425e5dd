import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { apiFailure } from '../../../shared/apiErrorReasons';
import type { SweepSpec, Trial } from '../../../shared/sweeps/sweepPlan';
import { SweepSummarySchema, type SweepList, type SweepSummary } from '../../../shared/sweeps/sweepSummary';
import { idPattern } from '../../../shared/apiTypes';
import { DamagedFileError, isMissing, readValidatedJson, writeJsonAtomic } from '../../common/atomicFile';

const queueFile = 'sweep.json';

/**
 * Sweeps on disk: sweeps/<id>/sweep.json, the spec and the queue of its runs with each one's
 * status, rewritten atomically after every change, so quitting at any moment and starting again
 * resumes where it was. A queue file that cannot be read is renamed aside and reported; the
 * runs it already trained are in runs/ and keep their results.
 */
export class SweepStore {
  private readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'sweeps');
  }

  async create(spec: SweepSpec, trials: Trial[]): Promise<SweepSummary> {
    const now = new Date();
    const id = `${now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(2).toString('hex')}`;
    const sweep: SweepSummary = {
      id,
      spec,
      createdAt: now.toISOString(),
      startedAt: null,
      state: 'queued',
      trials: trials.map((settings) => ({ settings, status: 'pending', runId: null })),
    };
    await mkdir(join(this.root, id), { recursive: true });
    await this.save(sweep);
    return sweep;
  }

  async save(sweep: SweepSummary): Promise<void> {
    await writeJsonAtomic(join(this.root, sweep.id, queueFile), sweep);
  }

  /** Every sweep, oldest first (the order they train in); damaged queue files set aside and named. */
  async list(): Promise<SweepList> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const sweeps: SweepSummary[] = [];
    const damaged: SweepList['damaged'] = [];
    for (const id of names.filter((name) => idPattern.test(name)).sort()) {
      try {
        sweeps.push(await this.read(id));
      } catch (error) {
        if (isMissing(error)) {
          // Set aside on an earlier listing: still reported, until the folder is cleared away.
          const aside = (await readdir(join(this.root, id)).catch(() => [] as string[])).filter((name) => name.startsWith(`${queueFile}.damaged-`)).at(-1);
          if (aside) damaged.push({ id, detail: `its queue file could not be read; set aside as sweeps/${id}/${aside}` });
          continue;
        }
        if (!(error instanceof DamagedFileError)) throw error;
        const aside = `${queueFile}.damaged-${Date.now()}`;
        await rename(join(this.root, id, queueFile), join(this.root, id, aside)).catch(() => undefined);
        damaged.push({ id, detail: `${error.message}; set aside as sweeps/${id}/${aside}` });
      }
    }
    return { sweeps, damaged };
  }

  async get(sweepId: string): Promise<SweepSummary> {
    try {
      return await this.read(sweepId);
    } catch (error) {
      if (isMissing(error)) throw apiFailure('not-found', 'sweep.notFound', { id: sweepId });
      if (error instanceof DamagedFileError) throw apiFailure('bad-data', 'sweep.damaged', { id: sweepId, detail: error.message });
      throw error;
    }
  }

  private async read(id: string): Promise<SweepSummary> {
    if (!idPattern.test(id)) throw apiFailure('not-found', 'sweep.notFound', { id });
    const sweep = await readValidatedJson(join(this.root, id, queueFile), SweepSummarySchema, 4 * 1024 * 1024);
    if (sweep.id !== id) throw new DamagedFileError(`it names sweep ${sweep.id}`);
    return sweep;
  }
}
