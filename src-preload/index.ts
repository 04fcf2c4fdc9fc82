// The preload: runs sandboxed, with contextIsolation. It exposes one small surface — call a
// contract method, listen to engine events — and nothing of Node or Electron. The main process
// validates every call (api/dispatch.ts), so this file stays a thin pipe.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { IPC_CALL, IPC_EVENT } from '../src-main/api/ipc-channels.ts'

const bridge = {
  /** Calls a contract method by name; resolves to { ok, result } or { ok: false, error }. */
  call(method: string, input: unknown): Promise<unknown> {
    return ipcRenderer.invoke(IPC_CALL, String(method), input)
  },
  /** Listens to every engine event; returns the function that stops listening. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    const fn = (_e: IpcRendererEvent, event: string, payload: unknown) => listener(event, payload)
    ipcRenderer.on(IPC_EVENT, fn)
    return () => {
      ipcRenderer.off(IPC_EVENT, fn)
    }
  },
}

contextBridge.exposeInMainWorld('leafe', bridge)
