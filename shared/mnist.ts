/** MNIST's images: square grey pictures of this many pixels a side, one channel. */
export const imageSide = 28;
/** Pixels (and model inputs) per image. */
export const pixelsPerImage = imageSide * imageSide;
/** The ten digits a model tells apart. */
export const classCount = 10;
/** A model's input shape, [height, width, channels]. */
export const inputShape = [imageSide, imageSide, 1] as const;

/** Whether images of rows × columns are MNIST-sized, the only size the models take. */
export const isMnistSized = (rows: number, columns: number): boolean => rows === imageSide && columns === imageSide;

/** The id of the embedded MNIST dataset, in the API and in the data folder. */
export const builtInDatasetId = 'mnist';
