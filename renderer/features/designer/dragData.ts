/** What a palette item carries when dragged: a layer type to insert. */
export const layerMime = 'application/x-mnist-lab-layer';
/** What a card carries when dragged: the index of the layer to move. */
export const moveMime = 'application/x-mnist-lab-move';
