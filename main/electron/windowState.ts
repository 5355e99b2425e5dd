import type { BrowserWindow, Rectangle } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { writeJsonAtomic } from '../common/atomicFile';

// The window's size and place, kept between sessions in userData/window-state.json. The file is
// checked like any other: a damaged one is ignored, never trusted.

const size = (min: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(16_384));
const position = v.pipe(v.number(), v.integer(), v.minValue(-16_384), v.maxValue(16_384));
const WindowStateSchema = v.object({ x: position, y: position, width: size(960), height: size(640), maximized: v.boolean() });
export type WindowState = v.InferOutput<typeof WindowStateSchema>;

const fileOf = (userData: string) => join(userData, 'window-state.json');

/** The saved state, or null when there is none or it cannot be read. */
export async function loadWindowState(userData: string): Promise<WindowState | null> {
  try {
    const parsed = v.safeParse(WindowStateSchema, JSON.parse(await readFile(fileOf(userData), 'utf8')));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

/** Saves the window's normal bounds (not the maximised ones) when it closes. */
export function rememberWindowState(window: BrowserWindow, userData: string): void {
  window.on('close', () => {
    const bounds: Rectangle = window.getNormalBounds();
    void writeJsonAtomic(fileOf(userData), { ...bounds, maximized: window.isMaximized() }).catch(() => undefined);
  });
}

/** Whether a saved place is still on one of the screens (a monitor may have been unplugged). */
export function isOnScreen(state: WindowState, screens: Rectangle[]): boolean {
  return screens.some((s) => state.x + 100 > s.x && state.x < s.x + s.width - 100 && state.y >= s.y && state.y < s.y + s.height - 50);
}
