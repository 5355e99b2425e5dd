import type { DatasetSummary, Split } from '../../shared/apiTypes';
import { imageInPage, ImagePageCache } from './imagePages';
import { lab, onLabEvent } from './lab';

export interface SelectedImage {
  position: number;
  index: number;
  label: number;
  pixels: Uint8Array;
}

/**
 * State of the dataset browser: which dataset, split and label filter, which image is selected,
 * and the page cache the grid draws from.
 */
class DatasetBrowser {
  datasets = $state.raw<DatasetSummary[]>([]);
  datasetId = $state('mnist');
  split = $state<Split>('train');
  label = $state<number | null>(null);
  /** Position of the selected image within the filtered split. */
  selectedPosition = $state<number | null>(null);
  selected = $state.raw<SelectedImage | null>(null);
  /** Bumps whenever a page arrives, so the grid redraws. */
  pagesVersion = $state(0);
  error = $state<string | null>(null);

  readonly dataset = $derived(this.datasets.find((d) => d.id === this.datasetId) ?? null);
  readonly splitSummary = $derived(this.dataset ? this.dataset[this.split] : null);
  /** Images in the filtered split. */
  readonly total = $derived(this.splitSummary ? (this.label === null ? this.splitSummary.count : (this.splitSummary.classCounts[this.label] ?? 0)) : 0);
  readonly pixelsPerImage = $derived(this.dataset ? this.dataset.rows * this.dataset.columns : 784);
  readonly pages = $derived(new ImagePageCache(this.datasetId, this.split, this.label));

  private subscribed = false;

  /** Fetches the dataset list; subscribes to its changes once, however often the view mounts. */
  async load(): Promise<void> {
    if (!this.subscribed) {
      this.subscribed = true;
      onLabEvent('datasets:changed', (datasets) => this.setDatasets(datasets));
    }
    try {
      this.setDatasets(await lab.listDatasets());
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private setDatasets(datasets: DatasetSummary[]): void {
    this.datasets = datasets;
    if (!datasets.some((d) => d.id === this.datasetId)) this.chooseDataset(datasets[0]?.id ?? 'mnist');
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

  /** Ensures the page holding `position` is loaded; redraws when it arrives. */
  async ensurePage(position: number): Promise<void> {
    const pages = this.pages;
    if (pages.pageAt(position)) return;
    try {
      await pages.load(position);
      if (pages === this.pages) this.pagesVersion++;
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async select(position: number): Promise<void> {
    if (this.total === 0) return;
    const clamped = Math.max(0, Math.min(this.total - 1, position));
    this.selectedPosition = clamped;
    const pages = this.pages;
    let page;
    try {
      page = await pages.load(clamped);
    } catch (error) {
      this.error = (error as Error).message;
      return;
    }
    if (pages !== this.pages || this.selectedPosition !== clamped) return;
    const image = imageInPage(page, clamped, this.pixelsPerImage);
    this.selected = image ? { position: clamped, ...image } : null;
  }

  private resetSelection(): void {
    this.selectedPosition = null;
    this.selected = null;
    this.error = null;
  }
}

export const datasetBrowser = new DatasetBrowser();
