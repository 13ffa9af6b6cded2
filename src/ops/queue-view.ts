// The operators' queue view: bull-board (its Express adapter) over Kept's BullMQ queues, read-only,
// mounted at /admin/queues inside Kept's own HTTP server and only when KEPT_ADMIN_PASSWORD is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';

export const QUEUE_VIEW_PATH = '/admin/queues';
/** The user name basic auth expects; the password is KEPT_ADMIN_PASSWORD. */
export const QUEUE_VIEW_USER = 'admin';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function queueView(queues: Queue[], password: string): Handler {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_VIEW_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })), serverAdapter: adapter });
  // An Express app: a (req, res) handler whose routes are relative to the base path.
  const board = adapter.getRouter() as (req: IncomingMessage, res: ServerResponse) => void;
  const expected = digest(`${QUEUE_VIEW_USER}:${password}`);
  return (req, res) => {
    if (!authorised(req.headers.authorization, expected)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Kept queues", charset="UTF-8"', 'content-type': 'text/plain' });
      return void res.end('Kept queue view: sign in as admin with KEPT_ADMIN_PASSWORD.\n');
    }
    req.url = req.url!.slice(QUEUE_VIEW_PATH.length) || '/';
    board(req, res);
  };
}

/** Hashing both sides gives equal lengths, so the comparison takes the same time whatever was sent. */
function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function authorised(header: string | undefined, expected: Buffer): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const given = m ? Buffer.from(m[1]!, 'base64').toString('utf8') : '';
  return timingSafeEqual(digest(given), expected) && m !== null;
}
