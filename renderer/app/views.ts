import type { Component } from 'svelte';
import type { MessageKey } from '../lib/i18n/messages';

/** One view of the app: its place in the navigation, its shortcut, and its component, loaded when first shown. */
export interface ViewEntry {
  id: string;
  /** Its name in the message catalogue. */
  label: MessageKey;
  /** Pressed with Alt (Option on a Mac). */
  shortcutKey: string;
  load: () => Promise<{ default: Component }>;
}

/** The views, in navigation order. A new view is one entry here and one folder under features/. */
export const views: readonly ViewEntry[] = [
  { id: 'lesson', label: 'view.lesson', shortcutKey: '0', load: () => import('../features/lesson/View.svelte') },
  { id: 'dataset', label: 'view.dataset', shortcutKey: '1', load: () => import('../features/dataset/View.svelte') },
  { id: 'designer', label: 'view.designer', shortcutKey: '2', load: () => import('../features/designer/View.svelte') },
  { id: 'training', label: 'view.training', shortcutKey: '3', load: () => import('../features/training/View.svelte') },
  { id: 'inspector', label: 'view.inspector', shortcutKey: '4', load: () => import('../features/inspector/View.svelte') },
  { id: 'sketchpad', label: 'view.sketchpad', shortcutKey: '5', load: () => import('../features/sketchpad/View.svelte') },
];

/** The view a URL fragment names (#dataset), or the first: the lesson, where a new user begins. */
export function viewFromHash(hash: string): ViewEntry {
  // A view may take parameters after a '?', e.g. #inspector?run=ID.
  return views.find((view) => `#${view.id}` === hash.split('?')[0]) ?? views[0]!;
}

/** The view an Alt+key press asks for, or null. */
export function viewForShortcut(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'key' | 'code'>): ViewEntry | null {
  if (!event.altKey || event.ctrlKey || event.metaKey) return null;
  // Option+1 types a character on a Mac; the key's code still says which digit it is.
  const key = /^Digit(\d)$/.exec(event.code)?.[1] ?? event.key;
  return views.find((view) => view.shortcutKey === key) ?? null;
}
