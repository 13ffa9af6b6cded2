// The console's stand-in for Slack's Web API: a local HTTP server that Kept's own WebClients talk
// to (SLACK_API_URL), so every message, DM and modal takes the same path as in Slack and is shown
// in the terminal instead.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConsoleUser {
  id: string;
  name: string;
  tz: string;
  /** The workspace owner (the person at the terminal, before any :as): a Kept admin until admins are named. */
  owner?: boolean;
}

export type Posted =
  | { kind: 'message'; channel: string; ts: string; text: string; blocks: unknown[]; threadTs?: string }
  | { kind: 'ephemeral'; channel: string | null; user: string | null; text: string; blocks: unknown[] }
  | { kind: 'update'; channel: string; ts: string; text: string; blocks: unknown[] }
  | { kind: 'modal'; user: string | null; view: Record<string, unknown>; viewId: string }
  | { kind: 'home'; user: string; view: Record<string, unknown> };

type Args = Record<string, unknown>;

export class LocalSlack {
  readonly users = new Map<string, ConsoleUser>();
  private readonly history = new Map<string, Array<{ ts: string; text: string; metadata?: unknown }>>();
  private seq = 0;
  private server!: Server;
  apiUrl = '';
  responseBase = '';

  /** `now` is Kept's clock, so message timestamps agree with the moments Kept looks back to. */
  constructor(
    private readonly onPost: (p: Posted) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const answer = this.handle(req.url ?? '/', body, String(req.headers['content-type'] ?? ''));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    const port = (this.server.address() as AddressInfo).port;
    this.apiUrl = `http://127.0.0.1:${port}/api/`;
    this.responseBase = `http://127.0.0.1:${port}/response/`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private ts(): string {
    return `${Math.floor(this.now().getTime() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
  }

  private parse(raw: string, type: string): Args {
    if (type.includes('json')) return JSON.parse(raw || '{}') as Args;
    const args: Args = {};
    for (const [k, v] of new URLSearchParams(raw)) args[k] = /^[[{]/.test(v) && k !== 'text' ? JSON.parse(v) : v;
    return args;
  }

  private handle(url: string, raw: string, type: string): Args {
    const args = this.parse(raw, type);
    if (url.startsWith('/response/')) {
      const b = args as { text?: string; blocks?: unknown[]; replace_original?: boolean };
      this.onPost({ kind: 'ephemeral', channel: null, user: null, text: b.text ?? '', blocks: b.blocks ?? [] });
      return { ok: true };
    }
    const method = url.replace(/^\/api\//, '').split('?')[0];
    const channel = String(args.channel ?? '');
    switch (method) {
      case 'auth.test':
        return { ok: true, team_id: 'TCONSOLE', user_id: 'UCKEPT', bot_id: 'B_KEPT', team: 'Console', user: 'kept' };
      case 'users.info': {
        const u = this.users.get(String(args.user));
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: u.id, name: u.name, real_name: u.name, tz: u.tz, is_admin: false, is_owner: u.owner === true, profile: { display_name: u.name } } };
      }
      case 'chat.postMessage': {
        const ts = this.ts();
        const to = /^[UW]/.test(channel) ? `D${channel}` : channel;
        const list = this.history.get(to) ?? [];
        list.push({ ts, text: String(args.text ?? ''), metadata: args.metadata });
        this.history.set(to, list);
        this.onPost({ kind: 'message', channel: to, ts, text: String(args.text ?? ''), blocks: (args.blocks as unknown[]) ?? [], ...(args.thread_ts ? { threadTs: String(args.thread_ts) } : {}) });
        return { ok: true, channel: to, ts, message: { ts, text: args.text } };
      }
      case 'chat.postEphemeral':
        this.onPost({ kind: 'ephemeral', channel, user: String(args.user ?? ''), text: String(args.text ?? ''), blocks: (args.blocks as unknown[]) ?? [] });
        return { ok: true, message_ts: this.ts() };
      case 'chat.update':
        this.onPost({ kind: 'update', channel, ts: String(args.ts), text: String(args.text ?? ''), blocks: (args.blocks as unknown[]) ?? [] });
        return { ok: true, channel, ts: args.ts };
      case 'views.open':
      case 'views.push': {
        const viewId = `V${++this.seq}`;
        this.onPost({ kind: 'modal', user: null, view: args.view as Record<string, unknown>, viewId });
        return { ok: true, view: { ...(args.view as Args), id: viewId } };
      }
      case 'views.publish':
        this.onPost({ kind: 'home', user: String(args.user_id), view: args.view as Record<string, unknown> });
        return { ok: true, view: args.view };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(args.users).split(',')[0]}` } };
      case 'conversations.history': {
        const oldest = Number(args.oldest ?? 0);
        const messages = [...(this.history.get(channel) ?? [])].filter((m) => Number(m.ts) >= oldest).reverse();
        return { ok: true, messages, has_more: false };
      }
      default:
        return { ok: true };
    }
  }
}
