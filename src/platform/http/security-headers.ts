import fastifyHelmet from '@fastify/helmet';
import type { App } from './app-types.ts';

/**
 * One strict policy for every answer: the web app under /app/, Swagger UI under /docs and the
 * API's JSON. Scripts only from our own origin (neither the built app nor Swagger UI needs an
 * inline script); styles may be inline because Mantine writes its CSS variables into a
 * <style> element and Swagger UI sets style attributes, and a style cannot run code.
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // HSTS below does the upgrading where TLS is in use; over plain http on a developer's machine
  // this directive would send the app's requests to a port that does not answer.
  upgradeInsecureRequests: null,
};

/** Two years with subdomains: the figure the HSTS preload list asks for. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

export async function registerSecurityHeaders(app: App): Promise<void> {
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS over plain http is ignored by browsers and misleads readers of the headers; it is sent
    // only when the request came over TLS, or through a trusted proxy that says it did.
    hsts: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  });
}
