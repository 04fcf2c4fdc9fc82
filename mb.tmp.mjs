import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-wasm'
await tf.setBackend(process.argv[2]||'wasm');await tf.ready();console.log(tf.getBackend())
function bench(f,n=20){f();const t=performance.now();for(let i=0;i<n;i++)f();return (performance.now()-t)/n}
const g=(ms,fl)=>ms.toFixed(2)+' ms '+(fl/ms/1e6).toFixed(2)+' GF'
const a=tf.randomNormal([2048,128]),w=tf.randomNormal([128,512]),wt=tf.randomNormal([512,128]);
console.log('2d', g(bench(()=>tf.tidy(()=>{tf.matMul(a,w).dataSync()})),2*2048*128*512))
console.log('2d transB', g(bench(()=>tf.tidy(()=>{tf.matMul(a,wt,false,true).dataSync()})),2*2048*128*512))
console.log('2d transpose+mm', g(bench(()=>tf.tidy(()=>{tf.matMul(a,tf.transpose(wt)).dataSync()})),2*2048*128*512))
const q=tf.randomNormal([64,128,32]),k=tf.randomNormal([64,128,32]),kt=tf.randomNormal([64,32,128]);
const F=2*64*128*128*32
console.log('bmm transB', g(bench(()=>tf.tidy(()=>{tf.matMul(q,k,false,true).dataSync()})),F))
console.log('bmm plain', g(bench(()=>tf.tidy(()=>{tf.matMul(q,kt).dataSync()})),F))
const qs=tf.unstack(q),ks=tf.unstack(kt);
console.log('loop 2d', g(bench(()=>tf.tidy(()=>{tf.stack(qs.map((x,i)=>tf.matMul(x,ks[i]))).dataSync()})),F))
const q2=tf.randomNormal([64,26,16]),k2=tf.randomNormal([64,16,26]);const F2=2*64*26*26*16
console.log('bmm small plain', g(bench(()=>tf.tidy(()=>{tf.matMul(q2,k2).dataSync()})),F2))
console.log('bmm small via mul+sum', g(bench(()=>tf.tidy(()=>{tf.sum(tf.mul(tf.reshape(q2,[64,26,16,1]),tf.reshape(k2,[64,1,16,26])),2).dataSync()})),F2))
console.log('add 2048x128', bench(()=>tf.tidy(()=>{tf.add(a,a).dataSync()}),200).toFixed(3))
const s=tf.scalar(1);console.log('tiny op ms', bench(()=>tf.tidy(()=>{tf.add(s,s)}),2000).toFixed(4))
