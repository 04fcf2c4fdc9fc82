import { getContext, setContext } from 'svelte'
import type { AppState } from './app.svelte.ts'

const KEY = Symbol('app')
export const provideApp = (app: AppState): AppState => setContext(KEY, app)
export const useApp = (): AppState => getContext<AppState>(KEY)
