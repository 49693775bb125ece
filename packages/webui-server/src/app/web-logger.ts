/**
 * pino options of the web server's log lines: JSON, request ids from
 * Fastify (`reqId`), credentials redacted wherever a logged object carries
 * them. {@link startWebServer} uses them for its own lines and for Fastify's
 * request logger.
 */
export const WEB_LOGGER_OPTIONS = {
  level: 'info',
  redact: {
    paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
    censor: '[REDACTED]',
  },
};
