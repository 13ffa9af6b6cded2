// A fake Slack Web API for integration tests: a local HTTP server that a real WebClient talks to via `slackApiUrl`.
// It records every call, answers with plausible Slack responses, and can script failures, rate limits and delays.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Recorded Slack arguments are free-form JSON; `any` keeps test assertions terse.
export type SlackArgs = Record<string, any>;

/** 'ok' and 'server_error' calls "landed" (Slack acted on them); 'error' and 'ratelimited' did not. */
export type CallOutcome = 'ok' | 'error' | 'ratelimited' | 'server_error';

export interface RecordedCall {
  method: string;
  args: SlackArgs;
  /** Bearer token from the Authorization header (or a `token` body field). */
  token: string | undefined;
  at: number;
  outcome: CallOutcome;
  /** HTTP status answered. */
  status: number;
  /** Slack error code for outcome 'error' (`http_<status>` for a server error scripted with afterRecording: false). */
  error?: string;
  /** For a chat.postMessage that landed: the message's ts (also when the answer was a server error). */
  ts?: string;
}

export interface RecordedResponse {
  id: string;
  body: unknown;
  at: number;
}

export interface FakeUser {
  name?: string;
  realName?: string;
  tz?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  email?: string;
  deleted?: boolean;
}

/** A file someone uploaded to Slack (a form's file_input), served by files.info and its download URL. */
export interface FakeFile {
  name: string;
  content: string | Uint8Array;
  filetype?: string;
}

/** A file Kept shared through files.uploadV2, once its upload was completed. */
export interface UploadedFile {
  id: string;
  filename: string;
  title?: string;
  channelId?: string;
  initialComment?: string;
  content: Buffer;
}

export interface ServerErrorOptions {
  status?: number;
  /** When true (default) the call counts as landed, as if Slack acted on it before failing. */
  afterRecording?: boolean;
  times?: number;
}

type Failure =
  | { kind: 'error'; error: string }
  | { kind: 'ratelimited'; retryAfter: number }
  | { kind: 'server_error'; status: number; afterRecording: boolean };
type Scripted<T> = { method: string; times: number; item: T };
type Answer = { status: number; body: SlackArgs; headers?: Record<string, string>; outcome: CallOutcome; error?: string; ts?: string };

const BASE_TS = 1_700_000_000;

/** A workspace Kept is installed in (OAuth): its bot token answers as that team. */
export interface FakeInstall {
  teamId: string;
  teamName?: string;
  botToken: string;
  botUserId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
  installerUserId?: string;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  readonly teamId: string;
  private readonly users = new Map<string, FakeUser>();
  private readonly channels = new Map<string, { name: string; isPrivate: boolean }>();
  private readonly files = new Map<string, FakeFile>();
  private readonly pendingUploads = new Map<string, { filename: string; length: number; content?: Buffer }>();
  /** Files completed through files.uploadV2, in order. */
  readonly uploads: UploadedFile[] = [];
  private readonly answerers = new Map<string, (args: SlackArgs) => SlackArgs>();
  /** OAuth: the app's credentials, codes waiting to be exchanged, and the workspace each bot token belongs to. */
  private oauthClient: { id: string; secret: string } | null = null;
  private readonly codes = new Map<string, FakeInstall>();
  private readonly tokens = new Map<string, FakeInstall>();
  private readonly refused = new Map<string, string>();
  private failures: Scripted<Failure>[] = [];
  private delays: Scripted<number>[] = [];
  private postsPerSecond: number | null = null;
  private lastPostAt = new Map<string, number>();
  private readonly events = new EventEmitter();
  private seq = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    teamId: string,
  ) {
    this.teamId = teamId;
    this.events.setMaxListeners(0);
  }

  static async start(opts: { teamId?: string } = {}): Promise<FakeSlack> {
    let fake: FakeSlack | undefined;
    const server = createServer((req, res) => {
      fake!.route(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlack(server, `http://127.0.0.1:${port}`, opts.teamId ?? 'T0001');
    return fake;
  }

  /** Pass as WebClient `slackApiUrl` (or Bolt `clientOptions.slackApiUrl`). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  // ---- configuration --------------------------------------------------------------------------------------------

  setUser(id: string, user: FakeUser = {}): void {
    this.users.set(id, user);
  }

  /** A channel conversations.list shows (public unless said otherwise). */
  setChannel(id: string, name: string, opts: { isPrivate?: boolean } = {}): void {
    this.channels.set(id, { name, isPrivate: opts.isPrivate ?? false });
  }

  /** A file as if someone uploaded it: files.info describes it and its url_private_download serves it (with the bot token). */
  addFile(id: string, file: FakeFile): void {
    this.files.set(id, file);
  }

  /** The app's Client ID and Secret: oauth.v2.access refuses others. */
  setOAuthClient(id: string, secret: string): void {
    this.oauthClient = { id, secret };
  }

  /** A code Slack would give the redirect after someone approved the install in `install.teamId`; good once. */
  issueCode(code: string, install: FakeInstall): void {
    this.codes.set(code, install);
  }

  /** From now on every call with this token is refused with `error` (revoked, uninstalled, deactivated). */
  refuseToken(token: string, error = 'invalid_auth'): void {
    this.refused.set(token, error);
  }

  /** Calls that landed with this bot token (a workspace's own). */
  callsWithToken(method: string, token: string): SlackArgs[] {
    return this.calls.filter((c) => c.method === method && c.token === token && landed(c.outcome)).map((c) => c.args);
  }

  /** Replace the default answer for a method; return a full body (include `ok`). */
  answerWith(method: string, fn: (args: SlackArgs) => SlackArgs): void {
    this.answerers.set(method, fn);
  }

  failNext(method: string, error: string, times = 1): void {
    this.failures.push({ method, times, item: { kind: 'error', error } });
  }

  rateLimitNext(method: string, retryAfterSeconds: number, times = 1): void {
    this.failures.push({ method, times, item: { kind: 'ratelimited', retryAfter: retryAfterSeconds } });
  }

  serverErrorNext(method: string, { status = 500, afterRecording = true, times = 1 }: ServerErrorOptions = {}): void {
    this.failures.push({ method, times, item: { kind: 'server_error', status, afterRecording } });
  }

  delayNext(method: string, ms: number, times = 1): void {
    this.delays.push({ method, times, item: ms });
  }

  /** Emulate Slack's ~1 message/second/channel limit; `null` turns it off. */
  limitPostsPerChannel(perSecond: number | null): void {
    this.postsPerSecond = perSecond;
  }

  /** Clears recorded calls/responses, scripted failures/delays and per-channel post history (keeps users and limits). */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.failures = [];
    this.delays = [];
    this.lastPostAt.clear();
    this.answerers.clear();
    this.uploads.length = 0;
    this.pendingUploads.clear();
  }

  // ---- inspection -----------------------------------------------------------------------------------------------

  /** Args of the calls to `method` that landed (outcome 'ok' or 'server_error'), in arrival order. */
  callsTo(method: string): SlackArgs[] {
    return this.calls.filter((c) => c.method === method && landed(c.outcome)).map((c) => c.args);
  }

  waitFor(method: string, predicate: (args: SlackArgs) => boolean = () => true, timeoutMs = 5000): Promise<SlackArgs> {
    return this.waitUntil(() => this.callsTo(method).find(predicate), timeoutMs, `landed ${method} call`);
  }

  responseUrl(id: string = `r${++this.seq}`): string {
    return `${this.baseUrl}/response/${encodeURIComponent(id)}`;
  }

  waitForResponse(
    predicate: (r: RecordedResponse) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedResponse> {
    return this.waitUntil(() => this.responses.find(predicate), timeoutMs, 'response_url POST');
  }

  // ---- HTTP -----------------------------------------------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      const args = { ...Object.fromEntries(url.searchParams), ...(await parseArgs(raw, req.headers['content-type'])) };
      return this.handleApiCall(decodeURIComponent(url.pathname.slice('/api/'.length)), args, req, res);
    }
    if (req.method === 'GET' && url.pathname.startsWith('/files/')) return this.serveFile(url, req, res);
    if (req.method === 'POST' && url.pathname.startsWith('/upload/')) return this.receiveUpload(url, raw, req, res);
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      const text = raw.toString('utf8');
      const id = decodeURIComponent(url.pathname.slice('/response/'.length));
      this.responses.push({ id, body: tryJson(text) ?? text, at: Date.now() });
      this.events.emit('record');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    res.writeHead(404).end();
  }

  private async handleApiCall(method: string, args: SlackArgs, req: IncomingMessage, res: ServerResponse) {
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : (args.token as string | undefined);
    delete args.token;
    const at = Date.now();
    const answer = this.decide(method, args, at, token);
    this.calls.push({ method, args, token, at, outcome: answer.outcome, status: answer.status, error: answer.error, ts: answer.ts });
    this.events.emit('record');

    const delay = take(this.delays, method);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  }

  private decide(method: string, args: SlackArgs, at: number, token?: string): Answer {
    const refusal = token ? this.refused.get(token) : undefined;
    if (refusal) return { status: 200, body: { ok: false, error: refusal }, outcome: 'error', error: refusal };
    if (method === 'oauth.v2.access') return this.oauthAccess(args);
    const install = token ? this.tokens.get(token) : undefined;
    if (method === 'auth.test' && install) {
      return { status: 200, body: { ok: true, url: 'https://fake.slack.com/', team: install.teamName ?? 'Fake', user: 'kept', team_id: install.teamId, user_id: install.botUserId ?? 'UBOT', bot_id: 'BBOT', ...(install.enterpriseId ? { enterprise_id: install.enterpriseId } : {}) }, outcome: 'ok' };
    }
    const failure = take(this.failures, method);
    if (failure?.kind === 'error') {
      return { status: 200, body: { ok: false, error: failure.error }, outcome: 'error', error: failure.error };
    }
    if (failure?.kind === 'ratelimited') return rateLimited(failure.retryAfter);
    if (failure?.kind === 'server_error') {
      if (failure.afterRecording) this.notePost(method, args, at);
      const error = `http_${failure.status}`;
      return failure.afterRecording
        ? { status: failure.status, body: { ok: false, error }, outcome: 'server_error', ...(method === 'chat.postMessage' ? { ts: this.nextTs() } : {}) }
        : { status: failure.status, body: { ok: false, error }, outcome: 'error', error };
    }
    if (method === 'chat.postMessage' && this.postsPerSecond) {
      const last = this.lastPostAt.get(String(args.channel));
      if (last !== undefined && at - last < 1000 / this.postsPerSecond) return rateLimited(1);
    }
    const body = this.answerers.get(method)?.(args) ?? { ok: true, ...this.defaultAnswer(method, args) };
    if (body.ok !== true) return { status: 200, body, outcome: 'error', error: String(body.error ?? 'unknown_error') };
    this.notePost(method, args, at);
    return { status: 200, body, outcome: 'ok', ...(method === 'chat.postMessage' ? { ts: String(body.ts) } : {}) };
  }

  /** oauth.v2.access: the app's credentials and a code issued for it, once; answers the workspace's bot token. */
  private oauthAccess(args: SlackArgs): Answer {
    const fail = (error: string): Answer => ({ status: 200, body: { ok: false, error }, outcome: 'error', error });
    if (!this.oauthClient || args.client_id !== this.oauthClient.id || args.client_secret !== this.oauthClient.secret) return fail('invalid_client_id');
    const install = this.codes.get(String(args.code));
    if (!install) return fail('invalid_code');
    this.codes.delete(String(args.code));
    this.tokens.set(install.botToken, install);
    const body = {
      ok: true,
      app_id: 'A0001',
      authed_user: { id: install.installerUserId ?? 'U0001' },
      scope: 'chat:write,commands,users:read',
      token_type: 'bot',
      access_token: install.botToken,
      bot_user_id: install.botUserId ?? 'UBOT',
      team: install.isEnterpriseInstall ? null : { id: install.teamId, name: install.teamName ?? install.teamId },
      enterprise: install.enterpriseId ? { id: install.enterpriseId, name: install.enterpriseId } : null,
      is_enterprise_install: install.isEnterpriseInstall ?? false,
    };
    return { status: 200, body, outcome: 'ok' };
  }

  /** The download URL: Slack answers its sign-in page (HTML, 200) to a request without a valid token. */
  private serveFile(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const id = decodeURIComponent(url.pathname.split('/')[2] ?? '');
    const file = this.files.get(id);
    const auth = req.headers.authorization ?? '';
    this.calls.push({ method: 'GET files', args: { id }, token: auth.replace(/^Bearer /, '') || undefined, at: Date.now(), outcome: 'ok', status: 200 });
    this.events.emit('record');
    if (!file || !/^Bearer xoxb-/.test(auth)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!DOCTYPE html><html><body>Sign in to Slack</body></html>');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content));
  }

  /** The upload step of files.uploadV2: the bytes POSTed to the URL files.getUploadURLExternal gave. */
  private async receiveUpload(url: URL, raw: Buffer, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = decodeURIComponent(url.pathname.split('/')[2] ?? '');
    const pending = this.pendingUploads.get(id);
    let content = raw;
    const type = String(req.headers['content-type'] ?? '');
    if (type.includes('multipart/form-data')) {
      const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
      const part = [...form.values()].find((v) => typeof v !== 'string') as Blob | undefined;
      content = part ? Buffer.from(await part.arrayBuffer()) : Buffer.alloc(0);
    }
    this.calls.push({ method: 'POST upload', args: { id, size: content.length }, token: undefined, at: Date.now(), outcome: pending ? 'ok' : 'error', status: pending ? 200 : 404 });
    this.events.emit('record');
    if (!pending) return void res.writeHead(404).end();
    pending.content = content;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${content.length}`);
  }

  private usersList(args: SlackArgs): SlackArgs {
    const ids = [...this.users.keys()];
    const limit = Math.min(Number(args.limit ?? 200) || 200, 1000);
    const start = Number(args.cursor ? Buffer.from(String(args.cursor), 'base64').toString('utf8').replace('user:', '') : 0);
    const page = ids.slice(start, start + limit);
    const next = start + limit < ids.length ? Buffer.from(`user:${start + limit}`).toString('base64') : '';
    return { members: page.map((id) => this.member(id)), response_metadata: { next_cursor: next } };
  }

  private conversationsList(args: SlackArgs): SlackArgs {
    const types = String(args.types ?? 'public_channel').split(',');
    const all = [...this.channels.entries()].filter(([, c]) => types.includes(c.isPrivate ? 'private_channel' : 'public_channel'));
    const limit = Math.min(Number(args.limit ?? 100) || 100, 1000);
    const start = Number(args.cursor ? Buffer.from(String(args.cursor), 'base64').toString('utf8').replace('channel:', '') : 0);
    const next = start + limit < all.length ? Buffer.from(`channel:${start + limit}`).toString('base64') : '';
    return {
      channels: all.slice(start, start + limit).map(([id, c]) => ({ id, name: c.name, is_channel: !c.isPrivate, is_private: c.isPrivate, is_archived: false, is_member: true })),
      response_metadata: { next_cursor: next },
    };
  }

  private fileInfo(args: SlackArgs): SlackArgs {
    const id = String(args.file);
    const f = this.files.get(id);
    if (!f) return { ok: false, error: 'file_not_found' };
    const size = typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.length;
    const filetype = f.filetype ?? (f.name.split('.').pop() ?? '').toLowerCase();
    const download = `${this.baseUrl}/files/${encodeURIComponent(id)}/${encodeURIComponent(f.name)}`;
    return { file: { id, name: f.name, title: f.name, filetype, mimetype: filetype === 'csv' ? 'text/csv' : 'application/octet-stream', size, url_private: download, url_private_download: download } };
  }

  /** conversations.history: the messages that landed in a channel, newest first, with their metadata. */
  private history(args: SlackArgs): SlackArgs {
    const oldest = Number(args.oldest ?? 0);
    const messages = this.calls
      .filter((c) => c.method === 'chat.postMessage' && landed(c.outcome) && c.args.channel === args.channel && Number(c.ts) >= oldest)
      .map((c) => ({
        type: 'message',
        ts: c.ts,
        text: c.args.text,
        bot_id: 'BBOT',
        ...(args.include_all_metadata && c.args.metadata ? { metadata: c.args.metadata } : {}),
      }))
      .reverse();
    return { messages, has_more: false };
  }

  /** conversations.replies: a thread's parent and the replies that landed in it, oldest first. */
  private replies(args: SlackArgs): SlackArgs {
    const oldest = Number(args.oldest ?? 0);
    const messages = this.calls
      .filter((c) => c.method === 'chat.postMessage' && landed(c.outcome) && c.args.channel === args.channel)
      .filter((c) => c.ts === args.ts || (c.args.thread_ts === args.ts && Number(c.ts) >= oldest))
      .map((c) => ({
        type: 'message',
        ts: c.ts,
        ...(c.args.thread_ts ? { thread_ts: c.args.thread_ts } : {}),
        text: c.args.text,
        bot_id: 'BBOT',
        ...(args.include_all_metadata && c.args.metadata ? { metadata: c.args.metadata } : {}),
      }));
    return { messages, has_more: false };
  }

  private notePost(method: string, args: SlackArgs, at: number): void {
    if (method === 'chat.postMessage') this.lastPostAt.set(String(args.channel), at);
  }

  private defaultAnswer(method: string, args: SlackArgs): SlackArgs {
    const channel = args.channel as string | undefined;
    switch (method) {
      case 'auth.test':
        return { url: 'https://fake.slack.com/', team: 'Fake', user: 'kept', team_id: this.teamId, user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        return { channel, ts, message: { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts, text: args.text, blocks: args.blocks, thread_ts: args.thread_ts } };
      }
      case 'chat.postEphemeral':
        return { message_ts: this.nextTs() };
      case 'chat.update':
        return { channel, ts: args.ts, text: args.text, message: { text: args.text, blocks: args.blocks } };
      case 'chat.delete':
        return { channel, ts: args.ts };
      case 'chat.getPermalink':
        return { channel, permalink: `https://fake.slack.com/archives/${channel}/p${String(args.message_ts).replace('.', '')}` };
      case 'views.open':
      case 'views.push':
      case 'views.publish':
        return { view: this.viewFrom(args) };
      case 'views.update':
        return { view: this.viewFrom(args, args.view_id as string | undefined) };
      case 'conversations.open': {
        const user = String(args.users ?? '').split(',')[0];
        return { channel: { id: channel ?? `D${user}` } };
      }
      case 'conversations.info':
      case 'conversations.join':
        return { channel: { id: channel, name: `channel-${String(channel).toLowerCase()}`, is_channel: true, is_member: true } };
      case 'users.info':
        return this.userInfo(String(args.user));
      case 'users.lookupByEmail': {
        const email = String(args.email ?? '').toLowerCase();
        const id = [...this.users.entries()].find(([, u]) => u.email?.toLowerCase() === email && !u.deleted)?.[0];
        return id ? { user: this.member(id) } : { ok: false, error: 'users_not_found' };
      }
      case 'users.list':
        return this.usersList(args);
      case 'conversations.list':
        return this.conversationsList(args);
      case 'files.info':
        return this.fileInfo(args);
      case 'files.getUploadURLExternal': {
        const id = `F${String(++this.seq).padStart(8, '0')}`;
        this.pendingUploads.set(id, { filename: String(args.filename), length: Number(args.length) });
        return { upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = (Array.isArray(args.files) ? args.files : []) as { id: string; title?: string }[];
        const done = [];
        for (const f of files) {
          const pending = this.pendingUploads.get(f.id);
          if (!pending?.content) return { ok: false, error: 'file_not_found' };
          this.pendingUploads.delete(f.id);
          this.uploads.push({ id: f.id, filename: pending.filename, title: f.title, channelId: args.channel_id, initialComment: args.initial_comment, content: pending.content });
          done.push({ id: f.id, name: pending.filename, title: f.title });
        }
        return { files: done };
      }
      case 'conversations.history':
        return this.history(args);
      case 'conversations.replies':
        return this.replies(args);
      default:
        return {};
    }
  }

  private userInfo(id: string): SlackArgs {
    if (!this.users.has(id)) return { ok: false, error: 'user_not_found' };
    return { user: this.member(id) };
  }

  /** A user object as users.info, users.list and users.lookupByEmail return it. */
  private member(id: string): SlackArgs {
    const u = this.users.get(id)!;
    const tz = u.tz ?? 'UTC';
    const name = u.name ?? id.toLowerCase();
    const realName = u.realName ?? name;
    return {
      id, team_id: this.teamId, name, real_name: realName, tz, tz_offset: tzOffsetSeconds(tz),
      is_admin: u.isAdmin ?? false, is_owner: u.isOwner ?? false, is_bot: false, deleted: u.deleted ?? false,
      profile: { display_name: u.name ?? '', real_name: realName, ...(u.email ? { email: u.email } : {}) },
    };
  }

  private viewFrom(args: SlackArgs, id?: string): SlackArgs {
    const view = typeof args.view === 'object' && args.view !== null ? (args.view as SlackArgs) : {};
    const n = ++this.seq;
    return { ...view, id: id ?? `V${String(n).padStart(8, '0')}`, hash: `${BASE_TS + n}.h${n}`, team_id: this.teamId, app_id: 'A0001', bot_id: 'BBOT' };
  }

  /** Message timestamps as Slack makes them: wall-clock seconds, unique and increasing. */
  private nextTs(): string {
    const n = ++this.seq;
    return `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`;
  }

  private waitUntil<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const hit = find();
    if (hit !== undefined) return Promise.resolve(hit);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found !== undefined) {
          stop();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        stop();
        const seen = this.calls.map((c) => `${c.method}(${c.outcome})`).join(', ') || 'none';
        reject(new Error(`FakeSlack: no ${what} within ${timeoutMs}ms; calls so far: ${seen}`));
      }, timeoutMs);
      const stop = () => {
        clearTimeout(timer);
        this.events.off('record', check);
      };
      this.events.on('record', check);
    });
  }
}

function landed(outcome: CallOutcome): boolean {
  return outcome === 'ok' || outcome === 'server_error';
}

function rateLimited(retryAfter: number): Answer {
  return { status: 429, headers: { 'retry-after': String(retryAfter) }, body: { ok: false, error: 'ratelimited' }, outcome: 'ratelimited', error: 'ratelimited' };
}

function take<T>(list: Scripted<T>[], method: string): T | undefined {
  const i = list.findIndex((s) => s.method === method);
  const entry = list[i];
  if (!entry) return undefined;
  if (--entry.times <= 0) list.splice(i, 1);
  return entry.item;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a Web API body the way WebClient sends it: form-encoded (nested values JSON-stringified), JSON or multipart. */
async function parseArgs(raw: Buffer, contentType = ''): Promise<SlackArgs> {
  let fields: SlackArgs;
  if (contentType.includes('json')) {
    fields = raw.length ? (JSON.parse(raw.toString('utf8')) as SlackArgs) : {};
  } else if (contentType.includes('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
    fields = {};
    for (const [k, v] of form) fields[k] = typeof v === 'string' ? v : { filename: v.name, size: v.size };
  } else {
    fields = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  for (const [k, v] of Object.entries(fields)) {
    if (k !== 'text' && typeof v === 'string' && /^\s*[[{]/.test(v)) fields[k] = tryJson(v) ?? v;
  }
  return fields;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** UTC offset of `tz` right now, in seconds (Slack's `tz_offset`). */
function tzOffsetSeconds(tz: string): number {
  const label = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(label ?? '');
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
}
