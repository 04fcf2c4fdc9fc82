// Electron entry: one window, locked down, talking to the engine over the validated IPC bridge.
// Everything else lives in core/ (plain Node) and api/ (the contract and its transports).
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, shell } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { wireIpc } from './api/ipc.ts'
import { APP_INDEX, APP_SCHEME, appFile } from './app-protocol.ts'
import { createService } from './api/service.ts'
import { EncryptedKeyFile } from './core/endpoints/keys.ts'
import { Engine } from './core/engine.ts'
import { dataPaths, resolveDataDir } from './core/paths.ts'

const here = dirname(fileURLToPath(import.meta.url))
const rendererDir = join(here, '../renderer')

// Before ready: app:// is a standard, secure origin of its own (see app-protocol.ts for why not file://).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1)
}

// Every web contents (the window and anything it might try to open) gets the same rules:
// no navigation away from the app, no new windows, external links to the system browser.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (url.split('#')[0] !== APP_INDEX) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
})

// The sampling, training and imported-model forward threads' bundled entries; job threads inherit them through the environment.
process.env.LEAFE_SAMPLER_WORKER ??= join(here, 'sampler.js')
process.env.LEAFE_TRAIN_WORKER ??= join(here, 'trainer.js')
process.env.LEAFE_HF_WORKER ??= join(here, 'hf-forward.js')

async function main(): Promise<void> {
  await app.whenReady()
  let engine: Engine
  try {
    const dataDir = resolveDataDir(flag('--data-dir'), process.env, app.getPath('userData'))
    engine = new Engine({
      dataDir,
      workerEntry: pathToFileURL(join(here, 'worker.js')),
      electronVersion: process.versions.electron ?? null,
      // Endpoint API keys, encrypted by the OS keychain (not exercised where Electron cannot run).
      keyStore: new EncryptedKeyFile(dataPaths(dataDir).endpointKeys, safeStorage),
    })
  } catch (err) {
    dialog.showErrorBox('LEAFE Workbench cannot open its data', (err as Error).message)
    app.exit(1)
    return
  }
  app.on('will-quit', () => void engine.close())
  // Every permission is refused, both when the page asks and when Chromium only checks.
  app.on('session-created', (s) => {
    s.setPermissionRequestHandler((_wc, _p, cb) => cb(false))
    s.setPermissionCheckHandler(() => false)
  })
  protocol.handle(APP_SCHEME, (request) => {
    const file = appFile(rendererDir, request.url)
    return file ? net.fetch(pathToFileURL(file).href) : new Response('Not found.', { status: 404 })
  })

  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'LEAFE Workbench',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  win.webContents.session.setPermissionRequestHandler((_wc, _p, cb) => cb(false))
  win.webContents.session.setPermissionCheckHandler(() => false)
  wireIpc({
    ipcMain,
    service: createService(engine),
    events: engine,
    isTrustedFrame: (url) => url.split('#')[0] === APP_INDEX,
    send: (channel, event, payload) => {
      if (!win.isDestroyed()) win.webContents.send(channel, event, payload)
    },
  })
  await win.loadURL(APP_INDEX)
  app.on('window-all-closed', () => app.quit())
}

void main()
