/** The path of Electron's installed binary, or null where it has not been downloaded. */
export function installedElectronBinary(): string | null;
