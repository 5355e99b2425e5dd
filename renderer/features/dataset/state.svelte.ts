import { createContext } from 'svelte';
import type { LabClient } from '../../api/lab';
import type { DatasetSummary, Split } from '../../../shared/apiTypes';
import { builtInDatasetId, imageSide } from '../../../shared/mnist';
import { DatasetImages } from './datasetImages.svelte';
import { DatasetImportForm } from './importForm.svelte';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';

export interface SelectedImage {
  position: number;
  index: number;
  label: number;
  pixels: Uint8Array;
}

/**
 * State of the dataset browser: which dataset, split and label filter, which image is selected,
 * and the images the grid draws from. Made by the view and handed to its parts by context.
 */
export class DatasetState {
  private readonly client: LabClient;
  datasets = $state.raw<DatasetSummary[]>([]);
  datasetId = $state(builtInDatasetId);
  split = $state<Split>('train');
  label = $state<number | null>(null);
  /** Position of the selected image within the filtered split. */
  selectedPosition = $state<number | null>(null);
  selected = $state.raw<SelectedImage | null>(null);
  error = $state.raw<UserMessage | null>(null);
  readonly importForm: DatasetImportForm;

  readonly dataset = $derived(this.datasets.find((d) => d.id === this.datasetId) ?? null);
  readonly splitSummary = $derived(this.dataset ? this.dataset[this.split] : null);
  /** Images in the filtered split. */
  readonly total = $derived(this.splitSummary ? (this.label === null ? this.splitSummary.count : (this.splitSummary.classCounts[this.label] ?? 0)) : 0);
  readonly side = $derived(this.dataset?.rows || imageSide);
  readonly images = $derived.by(() => this.imagesOfSelection());

  constructor(client: LabClient) {
    this.client = client;
    this.importForm = new DatasetImportForm(client.api, (id) => this.chooseDataset(id));
  }

  /** The images the current dataset, split and filter select; a new list whenever one of them changes. */
  private imagesOfSelection(): DatasetImages {
    return new DatasetImages(this.client.api, this.datasetId, this.split, this.label, this.total, this.side, (message) => (this.error = message));
  }

  /** Fetches the dataset list and follows its changes; returns the unsubscribe function. */
  start(): () => void {
    void this.reload();
    return this.client.on('datasets:changed', (datasets) => this.setDatasets(datasets));
  }

  async reload(): Promise<void> {
    try {
      this.setDatasets(await this.client.api.listDatasets());
    } catch (error) {
      this.error = describeError(error);
    }
  }

  private setDatasets(datasets: DatasetSummary[]): void {
    this.datasets = datasets;
    if (!datasets.some((d) => d.id === this.datasetId)) this.chooseDataset(datasets[0]?.id ?? builtInDatasetId);
  }

  chooseDataset(id: string): void {
    this.datasetId = id;
    this.resetSelection();
  }

  chooseSplit(split: Split): void {
    this.split = split;
    this.resetSelection();
  }

  chooseLabel(label: number | null): void {
    this.label = label;
    this.resetSelection();
  }

  async select(position: number): Promise<void> {
    if (this.total === 0) return;
    const clamped = Math.max(0, Math.min(this.total - 1, position));
    this.selectedPosition = clamped;
    const images = this.images;
    const image = await images.load(clamped).catch(() => null);
    if (images !== this.images || this.selectedPosition !== clamped) return;
    this.selected = image ? { position: clamped, ...image } : null;
  }

  private resetSelection(): void {
    this.selectedPosition = null;
    this.selected = null;
    this.error = null;
  }
}

export const [getDatasetState, setDatasetState] = createContext<DatasetState>();
