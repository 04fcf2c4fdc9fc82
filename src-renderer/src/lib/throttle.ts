/** Calls fn at most once per `ms`, always with a trailing call so the last change is seen. */
export function throttle(fn: () => void, ms: number): () => void {
  let last = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  return () => {
    const wait = last + ms - Date.now()
    if (wait <= 0) {
      last = Date.now()
      fn()
    } else {
      timer ??= setTimeout(() => {
        timer = undefined
        last = Date.now()
        fn()
      }, wait)
    }
  }
}
