/**
 * An error the engine means to show the user: the code says what kind of problem it is, the
 * message says in plain words what was wrong and where. Anything else that escapes the engine
 * is a bug and reaches clients as an internal error.
 */
export class EngineError extends Error {
  constructor(
    readonly code: 'bad_request' | 'not_found' | 'conflict',
    message: string,
  ) {
    super(message)
    this.name = 'EngineError'
  }
}

export const notFound = (what: string): EngineError => new EngineError('not_found', `${what} was not found.`)
