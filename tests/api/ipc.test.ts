import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { Service } from '../../src-main/api/contract.ts'
import { wireIpc, type IpcMainLike } from '../../src-main/api/ipc.ts'
import { IPC_CALL, IPC_EVENT } from '../../src-main/api/ipc-channels.ts'

function fakeIpc() {
  const handlers = new Map<string, (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => Promise<unknown>>()
  const ipcMain: IpcMainLike = {
    handle: (channel, fn) => void handlers.set(channel, fn),
    removeHandler: (channel) => void handlers.delete(channel),
  }
  return { ipcMain, handlers }
}

const service = { 'settings.get': async () => ({ tfBackend: 'auto', maxConcurrentJobs: 1 }) } as unknown as Service
const appUrl = 'file:///app/out/renderer/index.html'

describe('the IPC transport', () => {
  const setup = () => {
    const { ipcMain, handlers } = fakeIpc()
    const events = new EventEmitter()
    const sent: unknown[][] = []
    const off = wireIpc({ ipcMain, service, events, isTrustedFrame: (u) => u === appUrl, send: (...a) => sent.push(a) })
    return { invoke: handlers.get(IPC_CALL)!, events, sent, off, handlers }
  }

  it('serves the app frame and validates what it sends', async () => {
    const { invoke } = setup()
    expect(await invoke({ senderFrame: { url: appUrl } }, 'settings.get', {})).toMatchObject({ ok: true, result: { tfBackend: 'auto' } })
    expect(await invoke({ senderFrame: { url: appUrl } }, 'settings.get', { sneaky: 1 })).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    expect(await invoke({ senderFrame: { url: appUrl } }, { toString: 'x' }, null)).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
  })

  it('refuses calls from any other frame', async () => {
    const { invoke } = setup()
    for (const frame of [{ url: 'https://evil.example/' }, { url: 'file:///tmp/other.html' }, null]) {
      expect(await invoke({ senderFrame: frame }, 'settings.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    }
  })

  it('forwards engine events to the window and unwires cleanly', () => {
    const { events, sent, off, handlers } = setup()
    events.emit('job.updated', { id: 1 })
    expect(sent).toEqual([[IPC_EVENT, 'job.updated', { id: 1 }]])
    off()
    events.emit('job.updated', { id: 2 })
    expect(sent.length).toBe(1)
    expect(handlers.size).toBe(0)
  })
})
