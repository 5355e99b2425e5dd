import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { apiFailure } from '../../../shared/apiErrorReasons';
import { errorMessage } from '../../../shared/errorMessage';
import { freshLessonProgress, LessonProgressSchema, type LessonProgress, type LessonProgressReply } from '../../../shared/lesson/lessonProgress';
import { DamagedFileError, isMissing, readValidatedJson, writeJsonAtomic } from '../../common/atomicFile';

export const lessonProgressFileName = 'lesson-progress.json';

/** The lesson's progress in the data folder: one small JSON file, written whole each time. */
export class LessonProgressStore {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, lessonProgressFileName);
  }

  /**
   * The saved progress; a fresh start when there is none. A damaged or foreign file is renamed aside (nothing a user
   * saved is overwritten) and the reply says why the lesson starts afresh.
   */
  async read(): Promise<LessonProgressReply> {
    try {
      return { progress: await readValidatedJson(this.path, LessonProgressSchema, 64 * 1024), reset: null };
    } catch (error) {
      if (isMissing(error)) return { progress: freshLessonProgress, reset: null };
      if (!(error instanceof DamagedFileError)) throw error;
      const keptAs = `${this.path}.damaged-${Date.now()}`;
      await rename(this.path, keptAs).catch(() => undefined);
      return { progress: freshLessonProgress, reset: { reason: error.message, keptAs } };
    }
  }

  async save(progress: LessonProgress): Promise<void> {
    try {
      await writeJsonAtomic(this.path, progress);
    } catch (error) {
      throw apiFailure('unavailable', 'lesson.unsaved', { detail: errorMessage(error) });
    }
  }
}
