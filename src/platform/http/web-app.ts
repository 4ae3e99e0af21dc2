import { existsSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from './app-types.ts';
import { problemBody, sendProblem } from './problem.ts';

/** Where `npm run build:web` puts the web app. */
export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/**
 * The web app, served from the same origin as the API (so its session cookie can be
 * SameSite=Strict and no CORS is needed): `/app/<file>` serves a built file, any other path
 * under `/app/` the app's page, which routes in the browser. `/` leads there. One public route
 * serves it all, so the authentication hook sees every path declared.
 */
export async function registerWebApp(app: App): Promise<void> {
  const built = existsSync(join(WEB_DIST, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: WEB_DIST, serve: false });
  app.get('/', { config: { roles: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.redirect('/app/'),
  );
  app.get('/app/*', { config: { roles: 'public' }, schema: { hide: true } }, (request, reply) => {
    if (!built) {
      return sendProblem(
        reply,
        problemBody('not_ready', 'the web app is not built: run "npm run build:web"', request),
      );
    }
    const wanted = normalize((request.params as { '*': string })['*'] ?? '').replace(/^(\.\.[/\\])+/, '');
    const file = join(WEB_DIST, wanted);
    if (wanted && file.startsWith(WEB_DIST) && existsSync(file) && statSync(file).isFile()) {
      // Built assets carry a content hash in their names: they never change.
      if (wanted.startsWith('assets/')) reply.header('cache-control', 'public, max-age=31536000, immutable');
      return reply.sendFile(wanted);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}
