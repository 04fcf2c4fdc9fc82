// Tests that compute run on the wasm backend, the one every user machine has.
import * as tf from '@tensorflow/tfjs-core'
import { ensureBackend } from '../../../src-main/core/model/backend.ts'

export async function useWasm(): Promise<typeof tf> {
  await ensureBackend('wasm')
  return tf
}
