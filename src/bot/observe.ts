// What the operator sees of each Slack request: how long its acknowledgement took (kept_ack_seconds,
// measured from the request's arrival at Kept's HTTP server to the response going out, which is
// when a listener calls ack()), and log lines that say whose request they belong to.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnyMiddlewareArgs, App } from '@slack/bolt';
import { withLogContext, type Logger } from '../logger.js';
import type { Metrics, RequestKind } from '../ops/metrics.js';

interface Timing {
  arrivedAt: number;
  finishedAt?: number;
  kind?: RequestKind;
  observed?: boolean;
}

const CONTEXT_KEY = 'keptRequestTiming';

export interface RequestObserver {
  /** Call as a request for Bolt arrives. */
  track(req: IncomingMessage, res: ServerResponse): void;
  /** HTTPReceiver's customPropertiesExtractor: hands the request's timing to Bolt's context. */
  customPropertiesExtractor(req: IncomingMessage): Record<string, unknown>;
  /** Registers the global middleware: run it before any other. */
  install(app: App): void;
}

export function requestObserver(metrics: Metrics, logger: Logger): RequestObserver {
  const timings = new WeakMap<IncomingMessage, Timing>();
  // The response may go out before Bolt has told us what the request was (events are acked first).
  const settle = (t: Timing) => {
    if (t.observed || t.kind === undefined || t.finishedAt === undefined) return;
    t.observed = true;
    metrics.ackSeconds.observe({ kind: t.kind }, (t.finishedAt - t.arrivedAt) / 1000);
  };
  return {
    track(req, res) {
      const t: Timing = { arrivedAt: performance.now() };
      timings.set(req, t);
      res.once('finish', () => {
        t.finishedAt = performance.now();
        settle(t);
      });
    },
    customPropertiesExtractor(req) {
      const t = timings.get(req);
      return t ? { [CONTEXT_KEY]: t } : {};
    },
    install(app) {
      app.use(async (args) => {
        const { kind, detail } = describe(args);
        const t = (args.context as Record<string, unknown>)[CONTEXT_KEY] as Timing | undefined;
        if (t) {
          t.kind = kind;
          settle(t);
        }
        await withLogContext({ workspace: args.context.teamId ?? args.context.enterpriseId, user: args.context.userId, kind, ...detail }, async () => {
          const started = performance.now();
          try {
            await args.next();
          } finally {
            logger.debug(`${kind} handled in ${Math.round(performance.now() - started)} ms`);
          }
        });
      });
    },
  };
}

/** The kind of request and the id that says which one (bounded: Kept's own ids). */
function describe(args: AnyMiddlewareArgs): { kind: RequestKind; detail: Record<string, string | undefined> } {
  const a = args as unknown as Partial<Record<string, Record<string, unknown>>>;
  if (a.command) return { kind: 'command', detail: { command: a.command.command as string } };
  if (a.action) return { kind: 'action', detail: { action: (a.action.action_id ?? a.action.callback_id) as string | undefined } };
  if (a.view) return { kind: 'view', detail: { view: a.view.callback_id as string | undefined } };
  if (a.options) return { kind: 'options', detail: { action: a.options.action_id as string | undefined } };
  if (a.shortcut) return { kind: 'shortcut', detail: { shortcut: a.shortcut.callback_id as string | undefined } };
  if (a.event) return { kind: 'event', detail: { event: a.event.type as string | undefined } };
  return { kind: 'other', detail: {} };
}

/**
 * Runs Bolt's error handler with the failed request's log context: it runs after the middleware
 * chain has returned, outside the context the middleware set.
 */
export function withRequestLogContext<T>(args: { context?: Record<string, unknown>; body?: unknown }, fn: () => T): T {
  const body = (args.body ?? {}) as Record<string, unknown>;
  const kind: RequestKind =
    typeof body.command === 'string' ? 'command'
    : body.type === 'block_actions' || body.type === 'interactive_message' ? 'action'
    : body.type === 'view_submission' || body.type === 'view_closed' ? 'view'
    : body.type === 'block_suggestion' ? 'options'
    : body.type === 'shortcut' || body.type === 'message_action' ? 'shortcut'
    : body.type === 'event_callback' ? 'event'
    : 'other';
  const ctx = args.context ?? {};
  const event = kind === 'event' ? ((body.event as Record<string, unknown> | undefined)?.type as string | undefined) : undefined;
  return withLogContext({ workspace: (ctx.teamId ?? ctx.enterpriseId) as string | undefined, user: ctx.userId as string | undefined, kind, event }, fn);
}
