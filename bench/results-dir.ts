import { fileURLToPath } from 'node:url'

/** Where every bench writes its JSON (bench/results/). */
export const resultsDir = fileURLToPath(new URL('./results/', import.meta.url))
