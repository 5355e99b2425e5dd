import { createContext } from 'svelte';
import type { BackendChoice } from '../../../shared/apiTypes';
import { designFileText, parseDesignFile, type Design } from '../../../shared/designs/designFile';
import { defaultLayer, type PaletteType } from '../../../shared/layers/layerDefaults';
import { analyzeStack } from '../../../shared/layers/inferShapes';
import { modelTooLargeReason } from '../../../shared/layers/modelFootprint';
import { summarizeModel } from '../../../shared/layers/modelSummary';
import { findPreset, presets } from '../../../shared/layers/presets';
import type { TrainingSettings } from '../../../shared/training/trainingSettings';
import type { LabApi } from '../../../shared/api';
import type { RunSpec } from '../../../shared/apiTypes';
import { SweepDraft } from './sweepDraft.svelte';
import { DesignHistory } from './designHistory';
import { duplicateLayer, insertLayer, moveLayer, removeLayer, updateLayer } from './stackEdits';
import { builtInDatasetId } from '../../../shared/mnist';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';
import { designMessage } from '../../lib/i18n/designMessage';

const storageKey = 'mnist-lab.design';

/** The id of the start with nothing but the input, for building a model from scratch. */
export const emptyPresetId = 'empty';

export function presetDesign(presetId: string): Design {
  if (presetId === emptyPresetId) {
    const base = presetDesign('seed-cnn');
    return { ...base, name: 'My model', presetId: null, layers: base.layers.slice(0, 1) };
  }
  const preset = findPreset(presetId) ?? presets[0]!;
  return { format: 'mnist-lab-design', version: 1, name: preset.name, presetId: preset.id, layers: preset.layers, settings: preset.settings, backend: 'auto' };
}

/** The last design, kept in the browser's storage between sessions; the seed CNN the first time. */
function restoredDesign(): Design {
  try {
    const saved = localStorage.getItem(storageKey);
    if (saved) return parseDesignFile(saved);
  } catch {
    // A damaged saved design is replaced by the default rather than blocking the designer.
  }
  return presetDesign('seed-cnn');
}

/**
 * The layer designer's state: the design (replaced on every edit, so undo is a stack of
 * designs), the selected layer, and everything derived live from them: shapes, problems,
 * the summary and whether training can start.
 */
export class DesignerState {
  design = $state.raw<Design>(restoredDesign());
  selected = $state<number | null>(null);
  fileError = $state.raw<UserMessage | null>(null);
  trainError = $state.raw<UserMessage | null>(null);
  private readonly history = new DesignHistory();
  /** Bumped on every change, so canUndo/canRedo (plain getters of the history) are re-read. */
  private revision = $state(0);

  readonly analysis = $derived(analyzeStack(this.design.layers));
  /** Each problem's message by the index of the layer it marks. */
  readonly problems = $derived<Record<number, UserMessage>>(
    Object.fromEntries(this.analysis.ok ? [] : this.analysis.problems.map((p) => [p.index, designMessage(p.reason)])),
  );
  readonly summary = $derived(summarizeModel(this.analysis.layers, this.design.settings.batchSize));
  readonly tooLarge = $derived.by(() => {
    const reason = this.analysis.ok ? modelTooLargeReason(this.analysis.layers, this.analysis.totalParams, this.design.settings.batchSize) : null;
    return reason && designMessage(reason);
  });
  readonly canTrain = $derived(this.analysis.ok && this.tooLarge === null);
  readonly canUndo = $derived((void this.revision, this.history.canUndo));
  readonly canRedo = $derived((void this.revision, this.history.canRedo));

  constructor(private readonly api: LabApi) {}

  /** Applies a change as one undoable step (edits sharing `mergeKey` within a second merge). */
  private edit(change: (design: Design) => Design, mergeKey: string | null = null): void {
    this.history.record(this.design, mergeKey);
    this.setDesign(change(this.design));
  }

  private setDesign(design: Design): void {
    this.design = design;
    this.revision++;
    localStorage.setItem(storageKey, designFileText(design));
  }

  private editLayers(change: (layers: Design['layers']) => Design['layers'], mergeKey: string | null = null): void {
    this.edit((d) => ({ ...d, layers: change(d.layers) }), mergeKey);
  }

  insert(type: PaletteType, at = (this.selected ?? this.design.layers.length - 2) + 1): void {
    const index = Math.max(1, Math.min(this.design.layers.length, at));
    this.editLayers((layers) => insertLayer(layers, defaultLayer(type), index));
    this.selected = index;
  }

  move(from: number, to: number): void {
    if (from < 1 || to < 1 || to >= this.design.layers.length || from === to) return;
    this.editLayers((layers) => moveLayer(layers, from, to));
    this.selected = to;
  }

  remove(index: number): void {
    if (index < 1) return;
    this.editLayers((layers) => removeLayer(layers, index));
    this.selected = Math.min(index, this.design.layers.length - 1);
  }

  duplicate(index: number): void {
    if (index < 1) return;
    this.editLayers((layers) => duplicateLayer(layers, index));
    this.selected = index + 1;
  }

  updateLayer(index: number, patch: Record<string, unknown>): void {
    this.editLayers((layers) => updateLayer(layers, index, patch), `layer:${index}:${Object.keys(patch).join(',')}`);
  }

  updateSettings(patch: Partial<TrainingSettings>): void {
    this.edit((d) => ({ ...d, settings: { ...d.settings, ...patch } }), `settings:${Object.keys(patch).join(',')}`);
  }

  setName(name: string): void {
    this.edit((d) => ({ ...d, name }), 'name');
  }

  setBackend(backend: BackendChoice): void {
    this.edit((d) => ({ ...d, backend }));
  }

  loadPreset(presetId: string): void {
    this.edit(() => presetDesign(presetId));
    this.selected = null;
  }

  undo(): void {
    const previous = this.history.undo(this.design);
    if (previous) this.setDesign(previous);
  }

  redo(): void {
    const next = this.history.redo(this.design);
    if (next) this.setDesign(next);
  }

  /** Opens a design file's text; a bad file leaves the current design as it is and says why. */
  open(text: string, fileName: string): void {
    try {
      const design = parseDesignFile(text);
      this.edit(() => design);
      this.selected = null;
      this.fileError = null;
    } catch (error) {
      this.fileError = describeError(error, { key: 'error.fileUnopenable', params: { name: fileName } });
    }
  }

  /** Opens the layers and settings a run was made from (a trained or an imported one), to look at them or train them again. */
  async openRun(runId: string): Promise<void> {
    try {
      const { spec } = await this.api.getRun({ runId });
      if (!spec) throw new Error('its spec.json cannot be read');
      const { name, presetId, layers, settings, backend } = spec;
      this.edit(() => ({ format: 'mnist-lab-design', version: 1, name, presetId, layers, settings, backend }));
      this.selected = null;
      this.fileError = null;
    } catch (error) {
      this.fileError = describeError(error, { key: 'error.runUnopenable', params: { id: runId } });
    }
  }

  fileText(): string {
    return designFileText(this.design);
  }

  /** This design as a run on MNIST. */
  runSpec(): RunSpec {
    const { name, presetId, layers, settings, backend } = this.design;
    return { name, datasetId: builtInDatasetId, presetId, layers, settings, backend };
  }

  /** A sweep over this design, for the "Sweep…" dialog. */
  sweepDraft(): SweepDraft {
    return new SweepDraft(this.api, () => this.runSpec(), this.design.name);
  }

  /** Starts a run of this design on MNIST; resolves with its id, or null (the reason is in trainError). */
  async train(): Promise<string | null> {
    if (!this.canTrain) return null;
    try {
      this.trainError = null;
      return (await this.api.startTraining(this.runSpec())).runId;
    } catch (error) {
      this.trainError = describeError(error);
      return null;
    }
  }
}

export const [getDesigner, setDesigner] = createContext<DesignerState>();
