import { startBrowserMode } from './serverProcess';

/** Starts browser mode on a free port with a fresh data folder; tests read its URL from LAB_URL. */
export default async function globalSetup(): Promise<() => void> {
  const { server, url, dataDir } = await startBrowserMode();
  process.env.LAB_URL = url;
  process.env.LAB_DATA_DIR = dataDir;
  return () => {
    server.kill();
  };
}
