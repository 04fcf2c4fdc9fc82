import { randomBytes } from 'node:crypto'
import { startHttpServer } from '../../api/http-server.ts'
import { createService } from '../../api/service.ts'
import { intFlag, parse, str } from '../args.ts'
import { ensureBuilt, rendererDir } from '../build-ui.ts'
import type { Command } from '../command.ts'
import { openEngine } from '../engine.ts'

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the workbench UI and API over HTTP + WebSocket (loopback only unless --host).',
  usage: '[--host 127.0.0.1] [--port 0] [--data-dir DIR]',
  async run(argv) {
    const { values } = parse(argv, { host: str('HOST', 'the address to listen on', '127.0.0.1'), port: str('PORT', 'the port (0: any free one)', 0) })
    const port = intFlag(values.port, 'port', 0, 65535) ?? 0
    ensureBuilt()
    const engine = openEngine(values['data-dir'])
    const token = randomBytes(24).toString('base64url')
    const server = await startHttpServer({
      service: createService(engine),
      events: engine,
      staticDir: rendererDir,
      token,
      host: values.host ?? '127.0.0.1',
      port,
    })
    if (values.host && !['127.0.0.1', 'localhost', '::1'].includes(values.host)) {
      console.error(`Warning: listening on ${values.host}; anyone who can reach it and has the token can use this workbench.`)
    }
    console.log(`LEAFE Workbench serving ${engine.opts.dataDir}`)
    console.log(`Open ${server.url}`)
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await server.close()
    await engine.close()
    return 0
  },
}
