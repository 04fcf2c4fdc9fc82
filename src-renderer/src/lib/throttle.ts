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

/** A listener for job.updated: calls fn at most every `ms` while jobs run, and at once when one ends (its results are there). */
export function onJobChange(fn: () => void, ms = 2000): (job: { status: string }) => void {
  const throttled = throttle(fn, ms)
  return (job) => (job.status === 'running' || job.status === 'queued' ? throttled() : fn())
}
