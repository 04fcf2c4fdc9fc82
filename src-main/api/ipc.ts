import type { EventEmitter } from 'node:events'
import { eventNames, type Reply, type Service } from './contract.ts'
import { dispatch } from './dispatch.ts'
import { IPC_CALL, IPC_EVENT } from './ipc-channels.ts'

// Structural views of Electron's ipcMain and of the sender, so this file never imports Electron
// and can be tested with plain objects.
type InvokeEvent = { senderFrame: { url: string } | null }
export type IpcMainLike = {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

/**
 * The contract over Electron IPC. Only frames that load the app's own renderer may call; every
 * payload goes through dispatch(), which validates it. Events go to the window through `send`.
 */
export function wireIpc(opts: {
  ipcMain: IpcMainLike
  service: Service
  events: EventEmitter
  isTrustedFrame: (url: string) => boolean
  send: (channel: string, event: string, payload: unknown) => void
}): () => void {
  opts.ipcMain.handle(IPC_CALL, async (event, method, input): Promise<Reply<unknown>> => {
    if (!event.senderFrame || !opts.isTrustedFrame(event.senderFrame.url)) {
      return { ok: false, error: { code: 'unauthorized', message: 'IPC from an untrusted frame was refused.' } }
    }
    return dispatch(opts.service, method, input)
  })
  const offs = eventNames.map((name) => {
    const fn = (payload: unknown) => opts.send(IPC_EVENT, name, payload)
    opts.events.on(name, fn)
    return () => opts.events.off(name, fn)
  })
  return () => {
    opts.ipcMain.removeHandler(IPC_CALL)
    for (const off of offs) off()
  }
}
