import { Agent } from 'undici';

/**
 * The dispatcher for every upstream call, made once at start-up. undici's Agent keeps one
 * keep-alive pool per origin (scheme, host and port), so all deployments on one origin share
 * their warm connections, and a socket is reused as soon as its previous answer is read.
 * Idle sockets are unreferenced: they never keep the process alive. Deadlines come from each
 * call's AbortSignal; undici's own 300 s header and body timeouts only catch a silent upstream
 * of a deployment without a `timeout`.
 */
export function createUpstreamAgent(): Agent {
  return new Agent();
}
