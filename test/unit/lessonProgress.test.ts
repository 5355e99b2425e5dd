import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LessonProgressStore, lessonProgressFileName } from '../../main/core/lesson/lessonProgressStore';
import { freshLessonProgress } from '../../shared/lesson/lessonProgress';
import { validateRequest } from '../../shared/wire/validation';
import { tempDir } from './tempDir';

describe('the lesson progress', () => {
  it('starts at step 1, then resumes where it was left', async () => {
    const dir = tempDir('lesson');
    const store = new LessonProgressStore(dir);
    expect(await store.read()).toEqual({ progress: freshLessonProgress, reset: null });
    const progress = { ...freshLessonProgress, step: 'train' as const, visited: ['mnist', 'pixels', 'train'] as const, baselineRunId: 'run-1' };
    await store.save({ ...progress, visited: [...progress.visited] });
    expect((await new LessonProgressStore(dir).read()).progress).toMatchObject({ step: 'train', baselineRunId: 'run-1' });
  });

  it.each([
    ['not JSON', '{"version": 1, "step": '],
    ['from another program', JSON.stringify({ version: 7, chapter: 'three' })],
    ['naming a step that does not exist', JSON.stringify({ ...freshLessonProgress, step: 'step-10' })],
    ['naming a run id that is a path', JSON.stringify({ ...freshLessonProgress, cnnRunId: '../../etc' })],
  ])('starts afresh from a file %s, says why, and keeps the file aside', async (_, text) => {
    const dir = tempDir('lesson');
    writeFileSync(join(dir, lessonProgressFileName), text);
    const reply = await new LessonProgressStore(dir).read();
    expect(reply.progress).toEqual(freshLessonProgress);
    expect(reply.reset?.reason).toBeTruthy();
    expect(existsSync(join(dir, lessonProgressFileName))).toBe(false);
    const kept = readdirSync(dir).find((name) => name.startsWith(`${lessonProgressFileName}.damaged-`));
    expect(kept && readFileSync(join(dir, kept), 'utf8')).toBe(text);
    expect(reply.reset?.keptAs).toBe(join(dir, kept!));
  });

  it('refuses a folder in place of the file without ending the process', async () => {
    const dir = tempDir('lesson');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, lessonProgressFileName));
    const reply = await new LessonProgressStore(dir).read();
    expect(reply.reset?.reason).toMatch(/not a regular file/);
  });

  it('refuses progress with an unknown step, too many steps or extra fields before it is saved', () => {
    expect(() => validateRequest('saveLessonProgress', { ...freshLessonProgress, step: 'nope' })).toThrow(/step/);
    expect(() => validateRequest('saveLessonProgress', { ...freshLessonProgress, visited: Array(20).fill('mnist') })).toThrow();
    expect(() => validateRequest('saveLessonProgress', { ...freshLessonProgress, extra: 1 })).toThrow();
    expect(validateRequest('saveLessonProgress', freshLessonProgress).params).toEqual(freshLessonProgress);
  });
});
