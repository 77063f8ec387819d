import express, { Router as ExpressRouter } from 'express';

const CONSOLE_PATH = '/ui';

/**
 * The web console: static files from `directory`, at `/ui`. The page calls the public API with
 * the key the user typed, kept in session storage; the policy below lets it load nothing but its
 * own files (no inline script, no other origin), so an injected string cannot run and read that key.
 */
export function consoleRoutes(directory: string): ExpressRouter {
  const router = ExpressRouter();
  router.use(CONSOLE_PATH, (_request, response, next) => {
    response.setHeader(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('referrer-policy', 'no-referrer');
    response.setHeader('cache-control', 'no-cache');
    next();
  });
  router.use(CONSOLE_PATH, express.static(directory, { index: 'index.html', redirect: true, fallthrough: true, dotfiles: 'ignore' }));
  return router;
}
