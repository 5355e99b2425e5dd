import type { LabApi } from '../../../shared/api';
import type { Split } from '../../../shared/apiTypes';
import { imageInPage, ImagePageCache } from '../../api/imagePages.svelte';
import type { GridImage, ImageSource } from '../../ui/imageSource';
import { describeError, type UserMessage } from '../../lib/i18n/userMessage';

/** One filtered split of a dataset as an ImageSource for the grid, fetched page by page. */
export class DatasetImages implements ImageSource {
  private readonly pages: ImagePageCache;

  constructor(
    api: LabApi,
    datasetId: string,
    readonly split: Split,
    label: number | null,
    readonly total: number,
    readonly side: number,
    private readonly onError: (message: UserMessage) => void,
  ) {
    this.pages = new ImagePageCache(api, datasetId, split, label);
  }

  imageAt(position: number): (GridImage & { index: number }) | null {
    const page = this.pages.pageAt(position);
    return page ? imageInPage(page, position, this.side * this.side) : null;
  }

  /** Fetches the page holding `position`; a failure is reported (once per call) and rethrown. */
  async load(position: number): Promise<(GridImage & { index: number }) | null> {
    try {
      return imageInPage(await this.pages.load(position), position, this.side * this.side);
    } catch (error) {
      this.onError(describeError(error));
      throw error;
    }
  }
}
