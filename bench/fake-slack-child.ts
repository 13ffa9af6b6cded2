// The fake Slack Web API in a process of its own: Slack is another machine in production, so its
// answers should not wait behind the event loop of the code under test (nor add to its load).
// Prints {"apiUrl", "baseUrl"} once listening; on "snapshot" (a line on stdin) prints the posts,
// response_url answers, views.open calls and Web API calls by method it has seen; on "report" prints
// the same and exits. BENCH_USERS: {id: tz} (or {id: FakeUser}) to know; BENCH_CHANNELS: a number n
// of channels C00000000… named acct-0… for conversations.list.
import { createInterface } from 'node:readline';
import { FakeSlack, type FakeUser } from '../tests/helpers/fake-slack.js';

export interface ChildReport {
  posts: ChildPost[];
  responses: number;
  /** What each response_url answer said (its `text`), by response_url id. */
  replies: ChildReply[];
  viewsOpened: number;
  /** Web API calls by method (all outcomes). */
  methods: Record<string, number>;
}

export interface ChildPost {
  channel: string;
  deliveryId: string;
  /** The bot token the post carried (OAuth mode: its workspace's). */
  token: string;
  text: string;
  at: number;
  outcome: string;
}

export interface ChildReply {
  id: string;
  text: string;
  at: number;
}

const slack = await FakeSlack.start();
if (process.env.BENCH_POSTS_PER_SECOND) slack.limitPostsPerChannel(Number(process.env.BENCH_POSTS_PER_SECOND));
for (const [id, u] of Object.entries(JSON.parse(process.env.BENCH_USERS ?? '{}') as Record<string, string | FakeUser>)) {
  slack.setUser(id, typeof u === 'string' ? { name: id.toLowerCase(), tz: u } : { name: id.toLowerCase(), ...u });
}
for (let i = 0; i < Number(process.env.BENCH_CHANNELS ?? 0); i++) slack.setChannel(`C${String(i).padStart(8, '0')}`, `acct-${i}`);
process.stdout.write(`${JSON.stringify({ apiUrl: slack.apiUrl, baseUrl: slack.baseUrl })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const asked = line.trim();
  if (asked !== 'report' && asked !== 'snapshot') continue;
  const posts: ChildPost[] = slack.calls
    .filter((c) => c.method === 'chat.postMessage')
    .map((c) => ({ channel: String(c.args.channel), deliveryId: String(c.args.metadata?.event_payload?.delivery_id), token: String(c.token ?? ''), text: String(c.args.text ?? ''), at: c.at, outcome: c.outcome }));
  const replies: ChildReply[] = slack.responses.map((r) => ({ id: r.id, text: String((r.body as { text?: unknown } | null)?.text ?? r.body ?? ''), at: r.at }));
  const viewsOpened = slack.calls.filter((c) => c.method === 'views.open' && c.outcome === 'ok').length;
  const methods: Record<string, number> = {};
  for (const c of slack.calls) methods[c.method] = (methods[c.method] ?? 0) + 1;
  // Written through before going on: a large report is still in the pipe when process.exit() runs.
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify({ posts, responses: slack.responses.length, replies, viewsOpened, methods })}\n`, () => resolve()));
  if (asked === 'report') break;
}
await slack.close();
process.exit(0);
