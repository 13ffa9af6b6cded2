// Operator endpoints on Kept's HTTP server (the bot's, or a worker-only process's): GET /metrics,
// and the queue view at /admin/queues (404 unless KEPT_ADMIN_PASSWORD is set).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Queue } from 'bullmq';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import { QUEUE_VIEW_PATH, queueView } from './queue-view.js';

export interface OpsRoutesOptions {
  metrics: Metrics;
  /** Queues for the queue view. */
  queues?: Queue[];
  adminPassword?: string;
  logger: Logger;
}

/** Returns a handler that answers the request and returns true, or returns false when the path is not its own. */
export function opsRoutes(opts: OpsRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const view = opts.adminPassword && opts.queues?.length ? queueView(opts.queues, opts.adminPassword) : null;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/metrics' && req.method === 'GET') {
      opts.metrics.text().then(
        (text) => {
          res.writeHead(200, { 'content-type': opts.metrics.contentType });
          res.end(text);
        },
        (err: Error) => {
          opts.logger.error('metrics:', err);
          res.writeHead(500);
          res.end();
        },
      );
      return true;
    }
    if (path === QUEUE_VIEW_PATH || path.startsWith(`${QUEUE_VIEW_PATH}/`)) {
      if (view) view(req, res);
      else {
        res.writeHead(404);
        res.end();
      }
      return true;
    }
    return false;
  };
}
