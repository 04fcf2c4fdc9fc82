/**
 * A binary min-heap of integer ids keyed by a number, on typed arrays (no object per entry):
 * the open list of the solvers' A* searches, which push millions of entries.
 */
export class MinHeap {
  private keys = new Float64Array(1024)
  private ids = new Int32Array(1024)
  size = 0

  push(id: number, key: number): void {
    if (this.size === this.keys.length) this.grow()
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (this.keys[parent]! <= key) break
      this.keys[i] = this.keys[parent]!
      this.ids[i] = this.ids[parent]!
      i = parent
    }
    this.keys[i] = key
    this.ids[i] = id
  }

  /** The id with the smallest key; ties come out in no particular order. Undefined behaviour when empty. */
  pop(): number {
    const top = this.ids[0]!
    const last = --this.size
    const key = this.keys[last]!
    const id = this.ids[last]!
    let i = 0
    for (;;) {
      let child = 2 * i + 1
      if (child >= last) break
      if (child + 1 < last && this.keys[child + 1]! < this.keys[child]!) child++
      if (this.keys[child]! >= key) break
      this.keys[i] = this.keys[child]!
      this.ids[i] = this.ids[child]!
      i = child
    }
    this.keys[i] = key
    this.ids[i] = id
    return top
  }

  clear(): void {
    this.size = 0
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2)
    keys.set(this.keys)
    const ids = new Int32Array(this.ids.length * 2)
    ids.set(this.ids)
    this.keys = keys
    this.ids = ids
  }
}
