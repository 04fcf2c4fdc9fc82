import * as tf from '@tensorflow/tfjs-core'
import { selectBackend } from './src-main/core/model/backend.ts'
const mm = () => { const a = tf.randomNormal([1024, 1024]), b = tf.randomNormal([1024, 1024]); const run = () => tf.tidy(() => { tf.matMul(a, b).dataSync() }); run(); const t = performance.now(); for (let i = 0; i < 5; i++) run(); const ms = (performance.now() - t) / 5; tf.dispose([a, b]); return (2 * 1024 ** 3 / ms / 1e6).toFixed(2) }
await selectBackend('wasm'); console.log('wasm first', mm())
await selectBackend('cpu'); tf.tidy(() => tf.matMul(tf.ones([8, 8]), tf.ones([8, 8])).dataSync())
await selectBackend('wasm'); console.log('wasm after cpu', mm())
