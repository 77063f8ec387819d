/**
 * True when an error means Redis could not be reached (down, restarting, connection lost),
 * as opposed to a bug or a bad command. ioredis gives up a command with
 * `MaxRetriesPerRequestError` or "Connection is closed."; a refused socket surfaces as a
 * system error. Looks through `cause` chains, since libraries wrap these.
 */
export function isRedisUnavailable(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (current.name === 'MaxRetriesPerRequestError') return true;
    if (current.message === 'Connection is closed.' || current.message === "Stream isn't writeable and enableOfflineQueue options is false") return true;
    const code = (current as { code?: unknown }).code;
    if (
      (code === 'ECONNREFUSED' || code === 'ECONNRESET') &&
      /redis|6379|connect/i.test(`${current.message} ${String((current as { syscall?: unknown }).syscall)}`)
    )
      return true;
  }
  return false;
}
