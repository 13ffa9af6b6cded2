// Console mode: Kept in a terminal, without a Slack workspace. You type what you would type in
// Slack; the same Bolt app, services, database, queues and workers do the work; what Kept would
// post is printed. Only the transport differs (see local-slack.ts).
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import { createBot } from '../bot/app.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { createDb } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { reconcileDigests } from '../jobs/digest.job.js';
import { SlackSender } from '../jobs/slack-sender.js';
import { startWorkers } from '../jobs/worker.js';
import { createLogger } from '../logger.js';
import { isValidTimeZone } from '../services/time.js';
import { LocalSlack, type ConsoleUser, type Posted } from './local-slack.js';
import { render, type Choice } from './render.js';

// Ids in Slack's own shapes (src/messages/slack-values.ts): letters and digits after the prefix.
const TEAM = 'TCONSOLE';

/** Real time plus an offset that `:clock +3d` moves forward and `:clock 2027-03-12 16:00` sets. */
class ConsoleClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}

/**
 * `:clock` arguments: `+3d`, `+4h`, `+30m` from now, or a moment: `2027-03-12 16:00` (in `zone`,
 * the acting person's), `2027-03-12` (09:00), or an ISO instant with its offset. null: not understood.
 */
export function parseClockArgs(args: string[], now: Date, zone: string): Date | null {
  const rel = /^\+(\d+)([dhm])$/.exec(args[0] ?? '');
  if (rel && args.length === 1) return new Date(now.getTime() + Number(rel[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[rel[2] as 'd' | 'h' | 'm']);
  const text = args.join(' ').trim();
  const local = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}))?$/.exec(text);
  const at = local
    ? DateTime.fromFormat(`${local[1]} ${(local[2] ?? '09:00').padStart(5, '0')}`, 'yyyy-MM-dd HH:mm', { zone })
    : DateTime.fromISO(text, { setZone: true });
  if (!at.isValid || (!local && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text))) return null;
  return at.toJSDate();
}

const HELP = `Type what you would type in Slack: /commit …, /touch …, /kept help.
  :as @maria [Europe/Berlin]   act as another person (with a time zone)
  :in #acme                    act in another channel
  :click N                     press button or menu choice N
  :clock +3d | +4h | +30m      move Kept's clock forward (nudges, warnings and digests come due)
  :clock 2027-03-12 16:00      set Kept's clock to a moment in your time zone (or 2027-03-12T16:00Z)
  :tick                        let the workers look for what is due now
  :help, :quit`;

interface Shown extends Choice {
  channel: string | null;
  ts: string | null;
  blocks: unknown[];
}

/** A line of a script Kept could not act on: an error answer, a form left unfinished, a line not understood. */
export interface ConsoleFailure {
  line: number;
  text: string;
  why: string;
}

/**
 * Runs the console until the input ends or `:quit`. Returns the lines Kept could not act on; piped
 * (not interactive), it also lists them at the end, so `npm start < scenario.txt` can be trusted
 * (src/main.ts exits 1 when there are any).
 */
export async function runConsole(config: Config, io: { input: Readable; output: Writable; interactive: boolean }): Promise<ConsoleFailure[]> {
  const print = (s: string) => io.output.write(s + '\n');
  const logger = createLogger('warn', 'kept', undefined, { format: 'pretty', to: 'stderr' });
  await migrate(config.DATABASE_URL);
  const db = createDb(config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const clock = new ConsoleClock();
  const prefix = `${config.KEPT_QUEUE_PREFIX}-console`;

  const systemZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  let me: ConsoleUser = { id: 'UCYOU', name: 'you', tz: isValidTimeZone(systemZone) ? systemZone : 'UTC', owner: true };
  let channel = { id: 'CCGENERAL', name: 'general' };
  const names = new Map<string, string>([['UCYOU', 'you'], ['CCGENERAL', 'general'], ['UCKEPT', 'Kept']]);
  const nameOf = (id: string) => names.get(id) ?? names.get(id.replace(/^D/, '')) ?? id;
  const shown = new Map<number, Shown>();
  let nextChoice = 1;
  const modals: Array<{ view: Record<string, unknown>; viewId: string }> = [];

  const show = (label: string, blocks: unknown[], text: string, where: { channel: string | null; ts: string | null }) => {
    const r = render(blocks.length ? blocks : [{ type: 'section', text: { type: 'mrkdwn', text } }], nextChoice, nameOf);
    r.choices.forEach((c, i) => shown.set(nextChoice + i, { ...c, ...where, blocks }));
    nextChoice += r.choices.length;
    print(`${label}\n${r.text.replace(/^/gm, '  ')}\n`);
  };
  const where = (id: string) => (id.startsWith('D') ? `DM to @${nameOf(id.slice(1))}` : `#${nameOf(id)}`);
  const local = new LocalSlack((p: Posted) => {
    if (p.kind === 'message') show(`[${where(p.channel)}${p.threadTs ? ', in thread' : ''}] Kept:`, p.blocks, p.text, { channel: p.channel, ts: p.ts });
    else if (p.kind === 'ephemeral') show(`[only you] Kept:`, p.blocks, p.text, { channel: p.channel ?? channel.id, ts: null });
    else if (p.kind === 'update') show(`[${where(p.channel)}, message updated] Kept:`, p.blocks, p.text, { channel: p.channel, ts: p.ts });
    else if (p.kind === 'modal') modals.push({ view: p.view, viewId: p.viewId });
    else show(`[App Home of @${nameOf(p.user)}]`, (p.view.blocks as unknown[]) ?? [], '', { channel: null, ts: null });
  }, () => clock.now());
  await local.start();
  local.users.set(me.id, me);

  const fairUse = { prefix, personWritesPerMinute: config.KEPT_PERSON_WRITES_PER_MINUTE, workspaceWritesPerMinute: config.KEPT_WORKSPACE_WRITES_PER_MINUTE };
  // The line being run, and whether Kept answered it with an error.
  let current = { line: 0, text: '' };
  let failed: string | null = null;
  const failures: ConsoleFailure[] = [];
  const fail = (why: string) => void (failed ??= why);
  const bot = createBot({
    db, redis, clock, logger, fairUse,
    slack: { botToken: 'xoxb-console', apiUrl: local.apiUrl, inProcess: true },
    onListenerError: (err) => fail(err.message.split('\n')[0] ?? 'an error'),
  });
  const sender = new SlackSender(db, clock, logger, { token: 'xoxb-console', apiUrl: local.apiUrl, redis, prefix, channelGapMs: 50 });
  const workers = await startWorkers({ db, clock, logger, sender, redisUrl: config.REDIS_URL, prefix, schedule: false, retryDelayMs: 200 });

  let responses = 0;
  const dispatch = async (body: Record<string, unknown>): Promise<unknown> => {
    let answer: unknown;
    await bot.app.processEvent({ body, ack: async (r?: unknown) => void (answer = r) });
    return answer;
  };
  const escape = (text: string) =>
    text
      .replace(/(^|\s)@([a-z0-9._-]+)/gi, (_, pre: string, n: string) => `${pre}<@${person(n).id}|${n}>`)
      .replace(/(^|\s)#([a-z0-9._-]+)/gi, (_, pre: string, n: string) => `${pre}<#${room(n).id}|${n}>`);
  const person = (n: string, tz?: string) => {
    const id = `UC${n.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
    const u = local.users.get(id) ?? { id, name: n.toLowerCase(), tz: me.tz };
    if (tz) u.tz = tz;
    local.users.set(id, u);
    names.set(id, u.name);
    return u;
  };
  const room = (n: string) => {
    const id = `CC${n.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
    names.set(id, n.toLowerCase());
    return { id, name: n.toLowerCase() };
  };
  const who = () => ({ id: me.id, username: me.name, name: me.name, team_id: TEAM });

  // Lines come from the terminal or a piped file; modals read their answers from the same lines.
  const rl = createInterface({ input: io.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let lineNo = 0;
  // A command or console line typed while a form was open: the form closes and this runs next.
  let pending: { line: number; text: string } | null = null;
  const ask = async (prompt: string): Promise<string | null> => {
    if (io.interactive) io.output.write(prompt);
    const next = await lines.next();
    if (next.done) return null;
    lineNo++;
    if (!io.interactive) print(`${prompt}${next.value}`);
    return next.value.trim();
  };

  const runModals = async () => {
    while (modals.length) {
      const { view, viewId } = modals.shift()!;
      await fillModal(view, viewId);
    }
  };
  const title = (view: Record<string, unknown>) => String((view.title as { text?: string })?.text ?? '');

  const fillModal = async (view: Record<string, unknown>, viewId: string) => {
    print(`[form] ${String((view.title as { text?: string })?.text ?? '')}  (Enter keeps [the value shown]; "cancel" closes the form)`);
    for (const b of (view.blocks as Record<string, unknown>[]) ?? []) if (b.type === 'context') print(`  ${render([b], 0, nameOf).text.trim()}`);
    const inputs = ((view.blocks as Record<string, unknown>[]) ?? []).filter((b) => b.type === 'input');
    const values: Record<string, Record<string, unknown>> = {};
    let todo = inputs;
    for (let round = 0; round < 3 && todo.length; round++) {
      for (const b of todo) {
        const answer = await askField(b);
        if (answer === 'cancel') return print('  (form closed, nothing saved)\n');
        if (answer === 'end') {
          fail(`the input ended inside the form “${title(view)}”; nothing was saved`);
          return print('  (end of input: form closed, nothing saved)\n');
        }
        if (typeof answer.interrupt === 'string') {
          // A command or console line is never a field's value: close the form(s) and run it.
          fail(`the form “${title(view)}” was left unfinished (closed by line ${lineNo}); nothing was saved`);
          modals.length = 0;
          pending = { line: lineNo, text: answer.interrupt };
          return print(`  (form closed, nothing saved: running ${answer.interrupt.split(/\s/)[0]} instead)\n`);
        }
        values[String(b.block_id)] = answer;
      }
      const ack = (await dispatch({
        type: 'view_submission',
        team: { id: TEAM, domain: 'console' },
        user: who(),
        api_app_id: 'A_CONSOLE',
        trigger_id: `trig.${Date.now()}`,
        view: { ...view, id: viewId, hash: viewId, state: { values } },
      })) as { response_action?: string; errors?: Record<string, string> } | undefined;
      if (ack?.response_action !== 'errors' || !ack.errors) return runModals();
      for (const [, error] of Object.entries(ack.errors)) print(`  ! ${error}`);
      todo = inputs.filter((b) => ack.errors![String(b.block_id)]);
    }
    fail(`the form “${title(view)}” was not accepted after three tries; nothing was saved`);
    print('  (form closed, nothing saved)\n');
  };

  const askField = async (b: Record<string, unknown>): Promise<Record<string, unknown> | { interrupt: string } | 'cancel' | 'end'> => {
    const e = b.element as Record<string, unknown>;
    const label = String((b.label as { text?: string }).text);
    const actionId = String(e.action_id);
    const optional = b.optional ? ', optional' : '';
    const opts = (e.options as Array<{ value: string; text: { text: string } }>) ?? [];
    const initial = e.initial_value ?? e.initial_date ?? e.initial_time ?? e.initial_user ?? (e.initial_option as { text?: { text: string } })?.text?.text ?? (e.initial_options as unknown[] | undefined)?.map((o) => (o as { text: { text: string } }).text.text).join(', ') ?? (e.initial_users as string[] | undefined)?.map((u) => '@' + nameOf(u)).join(', ');
    const listed = opts.length ? ` ${opts.map((o, i) => `${i + 1}) ${o.text.text}`).join('  ')}` : '';
    const line = await ask(`  ${label}${optional}${listed}${initial ? ` [${initial}]` : ''}: `);
    if (line === null) return 'end';
    if (line.toLowerCase() === 'cancel') return 'cancel';
    if (/^[/:]/.test(line)) return { interrupt: line };
    const blank = line === '';
    const pick = (s: string) => opts[Number(s) - 1] ?? opts.find((o) => o.text.text.toLowerCase() === s.toLowerCase() || o.value === s);
    const v: Record<string, unknown> = { type: e.type };
    switch (e.type) {
      case 'plain_text_input':
        v.value = blank ? (e.initial_value ?? null) : line;
        break;
      case 'datepicker':
        v.selected_date = blank ? (e.initial_date ?? null) : line;
        break;
      case 'timepicker':
        v.selected_time = blank ? (e.initial_time ?? null) : line;
        break;
      case 'static_select':
      case 'radio_buttons':
        v.selected_option = blank ? (e.initial_option ?? null) : (pick(line) ?? null);
        break;
      case 'multi_static_select':
      case 'checkboxes':
        v.selected_options = blank ? (e.initial_options ?? []) : line.split(/\s*,\s*/).map(pick).filter(Boolean);
        break;
      case 'users_select':
        v.selected_user = blank ? (e.initial_user ?? null) : person(line.replace(/^@/, '')).id;
        break;
      case 'multi_users_select':
        v.selected_users = blank ? (e.initial_users ?? []) : line.split(/\s*,\s*/).filter(Boolean).map((n) => person(n.replace(/^@/, '')).id);
        break;
      case 'external_select': {
        if (blank) {
          v.selected_option = e.initial_option ?? null;
          break;
        }
        const found = (await dispatch({ type: 'block_suggestion', team: { id: TEAM }, user: who(), action_id: actionId, block_id: b.block_id, value: line, api_app_id: 'A_CONSOLE' })) as { options?: unknown[] } | undefined;
        v.selected_option = found?.options?.[0] ?? null;
        if (!v.selected_option) print(`  (no account matches “${line}”)`);
        break;
      }
    }
    return { [actionId]: v };
  };

  const slash = async (line: string) => {
    const [command = '', ...rest] = line.split(' ');
    // Slack shows a message in a command's acknowledgement to its sender only (fair use answers that way).
    const answer = (await dispatch({
      token: 'console', team_id: TEAM, team_domain: 'console', channel_id: channel.id, channel_name: channel.name,
      user_id: me.id, user_name: me.name, command, text: escape(rest.join(' ')), api_app_id: 'A_CONSOLE',
      response_url: `${local.responseBase}${++responses}`, trigger_id: `trig.${Date.now()}.${responses}`,
    })) as { text?: string; blocks?: unknown[] } | undefined;
    if (answer?.text) show('[only you] Kept:', answer.blocks ?? [], answer.text, { channel: channel.id, ts: null });
    await runModals();
  };

  const click = async (n: number) => {
    const c = shown.get(n);
    if (!c) return refuse(`There is no choice ${n}.`);
    await dispatch({
      type: 'block_actions', team: { id: TEAM, domain: 'console' }, user: who(), api_app_id: 'A_CONSOLE', trigger_id: `trig.${Date.now()}`,
      container: c.ts ? { type: 'message', message_ts: c.ts, channel_id: c.channel } : { type: 'view' },
      ...(c.channel ? { channel: { id: c.channel, name: nameOf(c.channel) } } : {}),
      ...(c.ts ? { message: { ts: c.ts, text: '', blocks: c.blocks } } : {}),
      response_url: `${local.responseBase}${++responses}`,
      actions: [{ ...c.action, action_ts: String(Date.now() / 1000) }],
    });
    await runModals();
  };

  /** Lets the workers find what is due now and waits until what may go out has gone out. */
  let looked = false;
  const settle = async () => {
    looked = true;
    await workers.tick();
    // Digest schedulers run on the wall clock; in the console, a digest is due by the console's clock.
    await reconcileDigests(db, workers.queues, clock.now());
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      for (const job of await workers.queues.deliveries.getDelayed()) await job.promote().catch(() => {});
      const waiting = await db.delivery.count({ where: { status: { in: ['pending', 'sending'] }, notBefore: { lte: clock.now() } } });
      if (!waiting) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  /** Says why a console line cannot be done, and counts it as a failed line. */
  const refuse = (why: string) => {
    fail(why.split('\n')[0]!);
    print(why);
  };

  const consoleCommand = async (line: string) => {
    const [cmd = '', ...args] = line.slice(1).split(/\s+/);
    switch (cmd) {
      case 'as': {
        const n = (args[0] ?? '').replace(/^@/, '');
        if (!n) return refuse('Write :as @maria [Europe/Berlin]');
        if (args[1] && !isValidTimeZone(args[1])) return refuse(`“${args[1]}” is not a time zone; try Europe/Berlin.`);
        me = person(n, args[1]);
        return print(`(you are now @${me.name}, ${me.tz})`);
      }
      case 'in': {
        const n = (args[0] ?? '').replace(/^#/, '');
        if (!n) return refuse('Write :in #acme');
        channel = room(n);
        return print(`(you are now in #${channel.name})`);
      }
      case 'click':
        return click(Number(args[0]));
      case 'clock': {
        const at = parseClockArgs(args, clock.now(), me.tz);
        if (!at) return refuse('Write :clock +3d, :clock +4h, :clock +30m, or a moment: :clock 2027-03-12 16:00 (your time zone)');
        if (at < clock.now() && looked) print('(moving the clock back: what Kept already sent is not sent again)');
        clock.set(at);
        const local = DateTime.fromJSDate(at, { zone: me.tz }).toFormat('ccc d LLL yyyy HH:mm');
        print(`(the clock is now ${local} ${me.tz}, ${at.toISOString().replace('T', ' ').slice(0, 16)} UTC)`);
        return settle();
      }
      case 'tick':
        return settle();
      case 'help':
        return print(HELP);
      default:
        return refuse(`Unknown console command :${cmd}. ${HELP}`);
    }
  };

  print(`Kept console, no Slack workspace needed. You are @${me.name} (${me.tz}) in #${channel.name}. :help for help.\n`);
  for (;;) {
    let line: string | null;
    // Set by a form the previous line opened (TypeScript cannot see the closure assign it).
    const next = pending as { line: number; text: string } | null;
    if (next) {
      line = next.text;
      current = next;
      pending = null;
    } else {
      line = await ask(io.interactive ? `@${me.name} #${channel.name}> ` : '> ');
      current = { line: lineNo, text: line ?? '' };
    }
    if (line === null || line === ':quit') break;
    if (!line || line.startsWith('//')) continue;
    failed = null;
    try {
      if (line.startsWith(':')) await consoleCommand(line);
      else if (line.startsWith('/')) await slash(line);
      else refuse('Start with / for a Kept command (/commit, /touch, /kept) or : for the console (:help).');
    } catch (err) {
      fail((err as Error).message);
      print(`(error: ${(err as Error).message})`);
    }
    if (failed) failures.push({ ...current, why: failed });
  }
  if (!io.interactive && failures.length) {
    print(`Kept could not act on ${failures.length === 1 ? 'one line' : `${failures.length} lines`} of this script:`);
    for (const f of failures) print(`  line ${f.line}: ${f.text}\n    ${f.why}`);
  }
  await settle();
  await workers.close();
  await local.stop();
  redis.disconnect();
  await db.$disconnect();
  return failures;
}
