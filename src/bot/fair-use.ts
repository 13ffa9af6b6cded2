// Fair use: how much one person, and one workspace, may change through Kept in a minute (counted in
// Redis, so every bot process sharing that Redis shares the count), and how much of the work after
// ack() runs at once in this process (below the database pool, shared fairly between people).
//
// It sits in front of Bolt, around app.processEvent, the one entry every receiver calls (HTTP,
// Socket Mode, the console). A Bolt middleware (app.use) could refuse a request, but Bolt hands
// middleware a copy of the listener's arguments, so it cannot make the listener's work *after*
// ack() wait for a slot; the acknowledgement itself must never wait for one (Slack allows 3 s).
import type { App, ReceiverEvent } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import pLimit, { type LimitFunction } from 'p-limit';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts } from 'rate-limiter-flexible';
import { POOL_SIZE } from '../db/client.js';
import type { Logger } from '../logger.js';
import { ACTIONS, COMMANDS } from '../messages/ids.js';
import { note } from '../messages/format.js';
import { firstInputBlock } from './guard.js';
import { replyPrivately, replyTargetOf } from './reply.js';

export interface FairUseOptions {
  /** Namespace of the counters in Redis (KEPT_QUEUE_PREFIX), so deployments and tests sharing one Redis stay apart. */
  prefix: string;
  /** Commands, clicks and form submissions that change something (or open a form), per person. */
  personWritesPerMinute: number;
  /** The same, for everyone in one workspace together. */
  workspaceWritesPerMinute: number;
  /** Help, lists and pages of lists, per person: limited only against floods. */
  personReadsPerMinute: number;
  /** Requests whose work after ack() runs at once in this process: below the pool, so queries and transactions find a connection. */
  inFlight: number;
  /** Of those, at most this many for one person: the rest of their requests wait behind other people's. */
  perPersonInFlight: number;
  /**
   * Of those, at most this many writes from one workspace. Creating a commitment takes the
   * workspace's counter row in Postgres, so such writes run one after another anyway; waiting here
   * rather than on that lock keeps a transaction's time (TX_TIMEOUT_MS) from running out behind the others'.
   */
  perWorkspaceWritesInFlight: number;
  /** Requests one person may have waiting or running here; the next is refused until one finishes. */
  perPersonQueued: number;
  /** Longest wait for Redis before counting in this process instead. */
  redisTimeoutMs: number;
}

export const FAIR_USE_DEFAULTS: FairUseOptions = {
  prefix: 'kept',
  personWritesPerMinute: 30,
  workspaceWritesPerMinute: 300,
  personReadsPerMinute: 300,
  // Two connections stay free for the work before ack() (a form's options, validation) and /healthz.
  inFlight: POOL_SIZE - 2,
  perPersonInFlight: 2,
  perWorkspaceWritesInFlight: 3,
  perPersonQueued: 20,
  redisTimeoutMs: 250,
};

/** A request from a person, as fair use sees it. */
export interface Asked {
  kind: 'write' | 'read' | 'other';
  teamId: string;
  userId: string;
  surface: 'command' | 'action' | 'view' | 'shortcut' | 'other';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

const READ_ACTIONS = new Set<string>([ACTIONS.timelineOlder, ACTIONS.homeShowMore]);

/**
 * Who asks, and whether it counts as a change. Reads are help, lists and paging; everything else a
 * person sends (commands, clicks, forms) is a write, including what only opens a form: that spends
 * the workspace's views.open allowance at Slack. Events and menus' options are neither (`other`).
 */
export function classify(body: unknown): Asked | null {
  const b = obj(body);
  const user = obj(b.user);
  const userId = str(b.user_id) ?? str(user.id) ?? str(obj(b.event).user);
  const teamId = str(b.team_id) ?? str(obj(b.team).id) ?? str(user.team_id) ?? str(obj(b.enterprise).id);
  if (!userId || !teamId) return null;
  const who = { teamId, userId };
  if (typeof b.command === 'string') return { ...who, surface: 'command', kind: commandKind(b.command, str(b.text) ?? '') };
  switch (b.type) {
    case 'block_actions': {
      const first = obj(Array.isArray(b.actions) ? b.actions[0] : undefined);
      return { ...who, surface: 'action', kind: READ_ACTIONS.has(str(first.action_id) ?? '') ? 'read' : 'write' };
    }
    case 'view_submission':
      return { ...who, surface: 'view', kind: 'write' };
    case 'shortcut':
    case 'message_action':
      return { ...who, surface: 'shortcut', kind: 'write' };
    default:
      return { ...who, surface: 'other', kind: 'other' };
  }
}

function commandKind(command: string, text: string): 'write' | 'read' {
  const [first = '', second = '', third = ''] = text.trim().toLowerCase().split(/\s+/);
  if (first === 'help' || first === '?') return 'read';
  if (command === COMMANDS.commit) return first === 'list' ? 'read' : 'write';
  if (command === COMMANDS.touch) return first === 'list' || first === 'timeline' ? 'read' : 'write';
  if (command === COMMANDS.kept) {
    // /kept (help), /kept account <name> (the card), /kept contact list <account>, /kept settings (as they are).
    if (first === '') return 'read';
    if (first === 'account') return second && !['add', 'link', 'set'].includes(second) ? 'read' : 'write';
    if (first === 'contact' || first === 'contacts') return second === 'list' ? 'read' : 'write';
    if (first === 'settings') return second === '' && third === '' ? 'read' : 'write';
  }
  return 'write';
}

/**
 * The work after ack(): at most `inFlight` requests at once, at most `perPerson` of them from one
 * person and, for writes, at most `perGroup` from one workspace. A person's further requests wait
 * in their own queue and join the next one only as their earlier ones finish, so someone who sends
 * a hundred waits behind themselves, while anyone else waits behind at most `perPerson` requests of
 * each busy person. Nested p-limit queues: person, then workspace (writes), then everyone.
 */
export class FairGate {
  private readonly all: LimitFunction;
  private readonly people = new Map<string, Lane>();
  private readonly groups = new Map<string, Lane>();

  constructor(
    inFlight: number,
    private readonly perPerson: number,
    private readonly perGroup = inFlight,
  ) {
    this.all = pLimit(inFlight);
  }

  /** This person's requests, waiting or running. */
  count(key: string): number {
    return this.people.get(key)?.count ?? 0;
  }

  /** Resolves when the work may start, with the function to call when it has ended. */
  enter(key: string, group?: string): Promise<() => void> {
    const person = lane(this.people, key, this.perPerson);
    const ws = group === undefined ? undefined : lane(this.groups, group, this.perGroup);
    return new Promise((entered) => {
      const run = () => this.all(() => new Promise<void>((ended) => entered(ended)));
      void person.limit(() => (ws ? ws.limit(run) : run())).finally(() => {
        person.leave();
        ws?.leave();
      });
    });
  }
}

interface Lane {
  limit: LimitFunction;
  count: number;
  leave(): void;
}

/** The queue of one person or one workspace, there while it has requests. */
function lane(lanes: Map<string, Lane>, key: string, concurrency: number): Lane {
  let l = lanes.get(key);
  if (!l) {
    const created: Lane = {
      limit: pLimit(concurrency),
      count: 0,
      leave: () => {
        if (--created.count === 0 && lanes.get(key) === created) lanes.delete(key);
      },
    };
    lanes.set(key, (l = created));
  }
  l.count++;
  return l;
}

type Limit = 'person' | 'workspace' | 'reads' | 'queued';
interface Refusal {
  limit: Limit;
  retryInMs: number;
}

/**
 * A per-minute count in Redis. When Redis is down or does not answer within `timeoutMs`, the count
 * goes on in this process's memory (rate-limiter-flexible's insurance limiter): fail open to local
 * limits, see README "Fair use".
 */
function limiter(redis: Redis, keyPrefix: string, points: number, timeoutMs: number) {
  const base = { keyPrefix, points, duration: 60 };
  const inRedis = new RateLimiterRedis({
    ...base,
    storeClient: redis,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory(base),
    // Once a key is over its limit, this process refuses it from memory until the window ends
    // (which Redis told it): a flood costs Redis one call per process per minute, not one per request.
    inMemoryBlockOnConsumed: points + 1,
  });
  return { inRedis, limiter: new RLWrapperTimeouts({ timeoutMs, limiter: inRedis }) };
}

type Counter = ReturnType<typeof limiter>;

export class FairUse {
  readonly options: FairUseOptions;
  readonly gate: FairGate;
  private readonly personWrites: Counter;
  private readonly workspaceWrites: Counter;
  private readonly personReads: Counter;
  private redisWarnedAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    options: Partial<FairUseOptions> = {},
  ) {
    const o = (this.options = { ...FAIR_USE_DEFAULTS, ...options });
    const key = (name: string) => `${o.prefix}:fair-use:${name}`;
    this.personWrites = limiter(redis, key('person-writes'), o.personWritesPerMinute, o.redisTimeoutMs);
    this.workspaceWrites = limiter(redis, key('workspace-writes'), o.workspaceWritesPerMinute, o.redisTimeoutMs);
    this.personReads = limiter(redis, key('person-reads'), o.personReadsPerMinute, o.redisTimeoutMs);
    this.gate = new FairGate(o.inFlight, o.perPersonInFlight, o.perWorkspaceWritesInFlight);
  }

  /** The Redis keys counting this person's writes and reads, and their workspace's writes. */
  keys(teamId: string, userId: string): { personWrites: string; workspaceWrites: string; personReads: string } {
    return {
      personWrites: this.personWrites.inRedis.getKey(personKey(teamId, userId)),
      workspaceWrites: this.workspaceWrites.inRedis.getKey(teamId),
      personReads: this.personReads.inRedis.getKey(personKey(teamId, userId)),
    };
  }

  /** Ends this person's windows (and their workspace's) now, in Redis and in this process's memory. */
  async forget(teamId: string, userId: string): Promise<void> {
    const person = personKey(teamId, userId);
    await Promise.all([this.personWrites.inRedis.delete(person), this.personReads.inRedis.delete(person), this.workspaceWrites.inRedis.delete(teamId)]);
  }

  /** This person's requests waiting or running after their acknowledgement (a test waits for them to end). */
  pending(teamId: string, userId: string): number {
    return this.gate.count(personKey(teamId, userId));
  }

  /** Processes one request from Slack: refused (acknowledged, and told when to try again), or passed on with its work after ack() queued fairly. */
  async process(event: ReceiverEvent, next: (event: ReceiverEvent) => Promise<void>, client: WebClient): Promise<void> {
    const asked = classify(event.body);
    if (!asked) return next(event);
    const refusal = await this.admit(asked);
    if (refusal) return this.refuse(event, asked, refusal, client);
    const key = personKey(asked.teamId, asked.userId);
    let entered: Promise<() => void> | undefined;
    const ack: ReceiverEvent['ack'] = async (response) => {
      await event.ack(response);
      // The answer is on its way to Slack; what the listener does next waits for a slot.
      await (entered ??= this.gate.enter(key, asked.kind === 'write' ? asked.teamId : undefined));
    };
    try {
      await next({ ...event, ack });
    } finally {
      if (entered) (await entered)();
    }
  }

  private async admit(asked: Asked): Promise<Refusal | null> {
    // Events and a menu's options are never refused; their work after ack() still queues fairly.
    if (asked.kind === 'other') return null;
    const key = personKey(asked.teamId, asked.userId);
    if (this.gate.count(key) >= this.options.perPersonQueued) return { limit: 'queued', retryInMs: 5_000 };
    if (this.redis.status !== 'ready' && Date.now() - this.redisWarnedAt > 60_000) {
      this.redisWarnedAt = Date.now();
      this.logger.warn(`fair use: Redis is ${this.redis.status}; counting in this process until it is back`);
    }
    if (asked.kind === 'read') return this.consume(this.personReads, key, 'reads', this.options.personReadsPerMinute, asked);
    return (
      (await this.consume(this.personWrites, key, 'person', this.options.personWritesPerMinute, asked)) ??
      (await this.consume(this.workspaceWrites, asked.teamId, 'workspace', this.options.workspaceWritesPerMinute, asked))
    );
  }

  private async consume(counter: Counter, key: string, limit: Limit, points: number, asked: Asked): Promise<Refusal | null> {
    try {
      await counter.limiter.consume(key);
      return null;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) {
        // Neither Redis nor the count in memory answered: let it through (the gate still bounds the work).
        this.logger.warn('fair use: could not count a request:', (res as Error).message ?? res);
        return null;
      }
      // Once per window and key, not for every refused request of a flood.
      if (res.consumedPoints === points + 1) {
        this.logger.info(`fair use: ${asked.userId} in ${asked.teamId} passed ${points} ${limit === 'reads' ? 'reads' : 'changes'} a minute (${limit}); refusing for ${Math.ceil(res.msBeforeNext / 1000)} s`);
      }
      return { limit, retryInMs: res.msBeforeNext };
    }
  }

  private async refuse(event: ReceiverEvent, asked: Asked, refusal: Refusal, client: WebClient): Promise<void> {
    const text = slowDown(refusal, this.options, asked.surface === 'view');
    // A form stays open with the message on its first field, so nothing typed is lost.
    const field = asked.surface === 'view' ? firstInputBlock(event.body) : undefined;
    try {
      if (field) return await event.ack({ response_action: 'errors', errors: { [field]: text } });
      // A command's acknowledgement can carry the answer (shown only to the sender): no second request.
      if (asked.surface === 'command') return await event.ack({ response_type: 'ephemeral', ...note(`:hourglass: ${text}`) });
      await event.ack();
      const target = replyTargetOf(event.body);
      if (target) await replyPrivately(client, target, note(`:hourglass: ${text}`));
    } catch (err) {
      this.logger.warn('fair use: could not tell someone to slow down:', (err as Error).message);
    }
  }
}

const personKey = (teamId: string, userId: string) => `${teamId}:${userId}`;

/** What the person is told: which limit, that nothing was saved, and when to try again. */
export function slowDown(r: Refusal, o: FairUseOptions, form = false): string {
  const s = Math.max(1, Math.ceil(r.retryInMs / 1000));
  const when = plural(s, 'second');
  const nothing = form ? `Nothing was saved yet: submit the form again in ${when}.` : `Nothing from this one was saved; try again in ${when}.`;
  switch (r.limit) {
    case 'person':
      return `Slow down: that is more than ${plural(o.personWritesPerMinute, 'change')} from you in a minute, the most Kept takes from one person. ${nothing}`;
    case 'workspace':
      return `Slow down: your workspace sent Kept more than ${plural(o.workspaceWritesPerMinute, 'change')} in the last minute, the most it takes from one workspace. ${nothing}`;
    case 'reads':
      return `Slow down: that is more than ${plural(o.personReadsPerMinute, 'request')} from you in a minute. Try again in ${when}.`;
    case 'queued':
      return `Slow down: Kept is still working on ${plural(o.perPersonQueued, 'thing')} you sent just before. ${nothing}`;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Puts fair use in front of the app's listeners. */
export function installFairUse(app: App, deps: { redis: Redis; logger: Logger; fairUse?: Partial<FairUseOptions> }): FairUse {
  const fair = new FairUse(deps.redis, deps.logger, deps.fairUse);
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => fair.process(event, processEvent, app.client);
  return fair;
}
