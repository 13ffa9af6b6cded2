import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../helpers/fake-slack.js';
import {
  blockAction,
  option,
  sendCommand,
  sendEvent,
  sendInteraction,
  viewSubmission,
  type SlackPayload,
} from '../helpers/slack-requests.js';

const SECRET = 'test-signing-secret';
const BOT_TOKEN = 'xoxb-test';

let fake: FakeSlack;

beforeAll(async () => {
  fake = await FakeSlack.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

describe('FakeSlack with a real WebClient', () => {
  const client = () => new WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });

  it('exchanges an install code once for the app that asked, and answers per token (issue 17)', async () => {
    fake.setOAuthClient('cid', 'csecret');
    fake.issueCode('c1', { teamId: 'T0A', teamName: 'A', botToken: 'xoxb-a', botUserId: 'UBOTA' });
    const anon = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    await expect(anon.oauth.v2.access({ code: 'c1', client_id: 'cid', client_secret: 'wrong' })).rejects.toMatchObject({ data: { error: 'invalid_client_id' } });
    const res = await anon.oauth.v2.access({ code: 'c1', client_id: 'cid', client_secret: 'csecret' });
    expect(res).toMatchObject({ access_token: 'xoxb-a', bot_user_id: 'UBOTA', team: { id: 'T0A' }, token_type: 'bot' });
    await expect(anon.oauth.v2.access({ code: 'c1', client_id: 'cid', client_secret: 'csecret' })).rejects.toMatchObject({ data: { error: 'invalid_code' } });
    const a = new WebClient('xoxb-a', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    expect((await a.auth.test()).team_id).toBe('T0A');
    await a.chat.postMessage({ channel: 'C1', text: 'from A' });
    await client().chat.postMessage({ channel: 'C2', text: 'from the default token' });
    expect(fake.callsWithToken('chat.postMessage', 'xoxb-a').map((m) => m.channel)).toEqual(['C1']);
    fake.refuseToken('xoxb-a', 'token_revoked');
    await expect(a.chat.postMessage({ channel: 'C1', text: 'again' })).rejects.toMatchObject({ data: { error: 'token_revoked' } });
  });

  it('records chat.postMessage with blocks parsed back into objects', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'hello *world*' } }];
    const first = await client().chat.postMessage({ channel: 'C123', text: 'hello', blocks });
    const second = await client().chat.postMessage({ channel: 'C123', text: 'again' });

    expect(first.ok).toBe(true);
    expect(first.channel).toBe('C123');
    expect(first.ts).toMatch(/^\d+\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(fake.calls[0]).toMatchObject({ method: 'chat.postMessage', token: BOT_TOKEN, outcome: 'ok' });
    const [args] = fake.callsTo('chat.postMessage');
    expect(args).toMatchObject({ channel: 'C123', text: 'hello' });
    expect(Array.isArray(args?.blocks)).toBe(true);
    expect(args?.blocks).toEqual(blocks);
    await expect(fake.waitFor('chat.postMessage', (a) => a.text === 'again')).resolves.toMatchObject({ channel: 'C123' });
  });

  it('answers users.info from the user table', async () => {
    fake.setUser('U42', { name: 'ana', realName: 'Ana Lima', tz: 'Asia/Kolkata', isAdmin: true });
    const res = await client().users.info({ user: 'U42' });
    expect(res.user).toMatchObject({ id: 'U42', name: 'ana', real_name: 'Ana Lima', tz: 'Asia/Kolkata', tz_offset: 19_800, is_admin: true });
    await expect(client().users.info({ user: 'UNOPE' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('opens views and DMs with plausible ids', async () => {
    const opened = await client().views.open({ trigger_id: 't', view: { type: 'modal', callback_id: 'cb', title: { type: 'plain_text', text: 'x' }, blocks: [] } });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), callback_id: 'cb' });
    expect(fake.callsTo('views.open')[0]?.view.callback_id).toBe('cb');
    const dm = await client().conversations.open({ users: 'U42' });
    expect(dm.channel?.id).toBe('DU42');
  });

  it('failNext gives a platform error once', async () => {
    fake.failNext('chat.postMessage', 'channel_not_found');
    const err = (await client().chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(err.code).toBe(ErrorCode.PlatformError);
    expect(err.data.error).toBe('channel_not_found');
    await client().chat.postMessage({ channel: 'C1', text: 'y' });
    expect(fake.calls.map((c) => c.outcome)).toEqual(['error', 'ok']);
    expect(fake.callsTo('chat.postMessage').map((a) => a.text)).toEqual(['y']);
  });

  it('rateLimitNext gives a rate-limited error with retryAfter', async () => {
    fake.rateLimitNext('chat.postMessage', 7);
    const limited = new WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });
    const err = (await limited.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
    expect(fake.calls[0]?.outcome).toBe('ratelimited');
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('limitPostsPerChannel rate-limits quick successive posts to one channel', async () => {
    fake.limitPostsPerChannel(1);
    try {
      const limited = new WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logLevel: LogLevel.ERROR });
      await limited.chat.postMessage({ channel: 'C1', text: 'a' });
      await limited.chat.postMessage({ channel: 'C2', text: 'b' });
      await expect(limited.chat.postMessage({ channel: 'C1', text: 'c' })).rejects.toMatchObject({ retryAfter: 1 });
    } finally {
      fake.limitPostsPerChannel(null);
    }
  });

  it('serverErrorNext records the call as landed but the client throws', async () => {
    fake.serverErrorNext('chat.postMessage', { status: 503 });
    const err = (await client().chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e)) as { code: string; statusCode: number };
    expect(err.code).toBe(ErrorCode.HTTPError);
    expect(err.statusCode).toBe(503);
    expect(fake.calls[0]?.outcome).toBe('server_error');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('delayNext holds the answer', async () => {
    fake.delayNext('auth.test', 150);
    const started = Date.now();
    await client().auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('FakeSlack: people, channels and files', () => {
  const client = () => new WebClient(BOT_TOKEN, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });

  it('finds people by email and lists them in pages with a cursor', async () => {
    for (let i = 0; i < 5; i++) fake.setUser(`U00${i}`, { email: `p${i}@example.com`, tz: 'Europe/Berlin' });
    const one = await client().users.lookupByEmail({ email: 'P3@example.com' });
    expect(one.user?.id).toBe('U003');
    await expect(client().users.lookupByEmail({ email: 'nobody@example.com' })).rejects.toMatchObject({ data: { error: 'users_not_found' } });
    const ids: string[] = [];
    for await (const page of client().paginate('users.list', { limit: 2 })) ids.push(...((page as any).members as { id: string }[]).map((m) => m.id));
    expect(ids.filter((id) => id.startsWith('U00'))).toEqual(['U000', 'U001', 'U002', 'U003', 'U004']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fake.callsTo('users.list')).toHaveLength(Math.ceil(ids.length / 2));
  });

  it('lists public and private channels as asked', async () => {
    fake.setChannel('C0PUB', 'general');
    fake.setChannel('G0PRIV', 'secret', { isPrivate: true });
    const pub = await client().conversations.list({ types: 'public_channel' });
    expect(pub.channels?.map((c) => c.id)).toEqual(['C0PUB']);
    const all = await client().conversations.list({ types: 'public_channel,private_channel' });
    expect(all.channels?.map((c) => c.name)).toEqual(['general', 'secret']);
  });

  it('describes an uploaded file and serves it only with a bot token', async () => {
    fake.addFile('F0001', { name: 'a.csv', content: 'Name\nAcme\n' });
    const info = await client().files.info({ file: 'F0001' });
    const url = info.file!.url_private_download!;
    expect(info.file).toMatchObject({ name: 'a.csv', filetype: 'csv', size: 10 });
    expect(await (await fetch(url, { headers: { authorization: `Bearer ${BOT_TOKEN}` } })).text()).toBe('Name\nAcme\n');
    const anonymous = await fetch(url);
    expect(anonymous.headers.get('content-type')).toContain('text/html');
  });

  it('takes files.uploadV2 through its three steps', async () => {
    await client().filesUploadV2({ channel_id: 'D0001', filename: 'x.csv', title: 'x.csv', content: 'a,b\n1,2\n', initial_comment: 'here' });
    expect(fake.calls.map((c) => c.method)).toEqual(['files.getUploadURLExternal', 'POST upload', 'files.completeUploadExternal']);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]).toMatchObject({ filename: 'x.csv', channelId: 'D0001', initialComment: 'here' });
    expect(fake.uploads[0]!.content.toString('utf8')).toBe('a,b\n1,2\n');
  });
});

describe('Bolt HTTPReceiver fed signed requests', () => {
  let app: App;
  let baseUrl: string;
  const seen: { commands: SlackPayload[]; actions: SlackPayload[]; views: SlackPayload[]; events: SlackPayload[] } = {
    commands: [],
    actions: [],
    views: [],
    events: [],
  };

  beforeAll(async () => {
    const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
    app = new App({
      token: BOT_TOKEN,
      receiver,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/commit', async ({ command, ack, respond }) => {
      seen.commands.push(command);
      await ack();
      await respond({ text: `got ${command.text}` });
    });
    app.action('done', async ({ body, ack, client }) => {
      seen.actions.push(body);
      await ack();
      await client.chat.postMessage({ channel: 'C0001', text: 'marked done' });
    });
    app.view('commit_modal', async ({ view, ack }) => {
      seen.views.push(view);
      await ack();
    });
    app.event('app_mention', async ({ event }) => {
      seen.events.push(event);
    });
    const server = await receiver.start(0);
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.stop();
  });

  it('acks a signed slash command and can respond() to the fake response_url', async () => {
    const res = await sendCommand(baseUrl, SECRET, { text: 'send deck friday', response_url: fake.responseUrl('cmd1') });
    expect(res.status).toBe(200);
    expect(seen.commands.at(-1)).toMatchObject({ command: '/commit', text: 'send deck friday', user_id: 'U0001' });
    const reply = await fake.waitForResponse((r) => r.id === 'cmd1');
    expect(reply.body).toEqual({ text: 'got send deck friday' });
  });

  it('rejects a forged signature with 401 without running the listener', async () => {
    const before = seen.commands.length;
    const res = await sendCommand(baseUrl, SECRET, { text: 'evil' }, { signature: 'v0=deadbeef' });
    expect(res.status).toBe(401);
    const stale = await sendCommand(baseUrl, SECRET, { text: 'old' }, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    expect(seen.commands.length).toBe(before);
  });

  it('handles a block action, and its listener reaches the fake Web API', async () => {
    const res = await sendInteraction(baseUrl, SECRET, blockAction({ actionId: 'done', value: 'c_1', channelId: 'C0001' }));
    expect(res.status).toBe(200);
    expect(seen.actions.at(-1)).toMatchObject({ type: 'block_actions', actions: [{ action_id: 'done', value: 'c_1', type: 'button' }] });
    const posted = await fake.waitFor('chat.postMessage', (a) => a.text === 'marked done');
    expect(posted.channel).toBe('C0001');
    expect(fake.calls.find((c) => c.method === 'chat.postMessage')?.token).toBe(BOT_TOKEN);
  });

  it('handles a view submission with state values', async () => {
    const payload = viewSubmission({
      callbackId: 'commit_modal',
      privateMetadata: '{"channel":"C0001"}',
      values: {
        what: { what_input: { type: 'plain_text_input', value: 'Send the deck' } },
        due: { due_date: { type: 'datepicker', selected_date: '2030-01-04' } },
        owner: { owner_select: { type: 'users_select', selected_user: 'U0002' } },
        kind: { kind_select: { type: 'static_select', selected_option: option({ value: 'promise', text: 'Promise' }) } },
      },
    });
    const res = await sendInteraction(baseUrl, SECRET, payload);
    expect(res.status).toBe(200);
    expect(seen.views.at(-1)).toMatchObject({
      callback_id: 'commit_modal',
      private_metadata: '{"channel":"C0001"}',
      state: { values: { due: { due_date: { selected_date: '2030-01-04' } }, kind: { kind_select: { selected_option: { value: 'promise' } } } } },
    });
  });

  it('delivers an Events API callback', async () => {
    const res = await sendEvent(baseUrl, SECRET, { type: 'app_mention', user: 'U0001', text: '<@UBOT> hi', channel: 'C0001', ts: '1700000000.000200' });
    expect(res.status).toBe(200);
    await expect.poll(() => seen.events.length).toBe(1);
  });
});
