// Posts ledger rows to Slack, once. Its own WebClient per workspace, with that workspace's token
// (bounded timeout, no automatic retries, a 429 is an answer, so a rate limit in one workspace never
// delays another's posts, nor the interactive side), and pacing shared by all worker processes
// through Redis: each post takes a turn per channel (about one a second), under a workspace ceiling.
import { ErrorCode, WebClient, type FetchFunction } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { Delivery } from '../../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { claim, markFailed, markSent, markSkipped, markUncertain, release, setMessage } from '../services/ledger.js';
import { composeDelivery, isPromptDelivery } from './compose.js';
import { composeDigest } from './digest.job.js';
import { deactivateWorkspace, singleToken, TOKEN_GONE, type TokenSource } from '../services/installations.js';

export interface SenderOptions {
  /** Single-workspace mode: one token for every post. */
  token?: string;
  /** OAuth mode: each workspace's own token; a workspace whose token Slack refuses is marked inactive. */
  tokens?: TokenSource;
  apiUrl: string;
  redis: Redis;
  /** Key prefix in Redis (the BullMQ prefix), so deployments and tests do not share pacing. */
  prefix: string;
  timeoutMs?: number;
  /** Spacing between the slots handed out for one channel. Slack allows about one post per second. */
  channelGapMs?: number;
  /** Posts to one channel never go closer together than this, whatever the slots say. */
  minGapMs?: number;
  /** Workspace-wide ceiling on posts per minute. */
  perMinute?: number;
  /** The HTTP client's fetch (metrics count Slack calls through it: Metrics.slackFetch). */
  fetch?: FetchFunction;
}

export type SendOutcome = (
  | { kind: 'sent'; ts: string }
  | { kind: 'found'; ts: string } // an earlier attempt had landed
  | { kind: 'done' } // already sent, failed or skipped
  | { kind: 'skipped'; reason: string; inactive?: { digestIds: string[] } } // nothing it carried was still true when its moment came, or the workspace is gone
  | { kind: 'failed'; error: string } // Slack refused it for good
  | { kind: 'later'; delayMs: number; slot?: number } // not yet: working hours, the channel's turn, a rate limit
) & {
  /** Ledger rows this attempt recorded (a digest's thread replies): the caller queues them. */
  follow?: string[];
  /** This attempt built a digest, in this long (metrics). */
  digestBuildMs?: number;
};

/** Slack errors that no retry will fix. */
const PERMANENT = new Set([
  'channel_not_found', 'not_in_channel', 'is_archived', 'user_not_found', 'user_disabled', 'cannot_dm_bot',
  'invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'msg_blocks_too_long', 'no_text', 'too_many_attachments',
  'invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'missing_scope', 'restricted_action', 'invalid_metadata_format',
]);

/** Slack's own word that part of the operation may have succeeded: treated like a 5xx. */
const MAYBE_LANDED = new Set(['internal_error', 'fatal_error', 'request_timeout', 'service_unavailable']);

/** Thrown when a post may have landed: the job retries, and the retry looks before posting. */
export class UncertainPost extends Error {}

export class SlackSender {
  private readonly ims = new Map<string, string>();
  private readonly clients = new Map<string, WebClient>();
  private readonly tokens: TokenSource;
  /** OAuth mode: a refused token marks its workspace inactive (single-workspace mode: the operator fixes SLACK_BOT_TOKEN). */
  private readonly deactivates: boolean;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: SenderOptions,
  ) {
    this.tokens = opts.tokens ?? singleToken(opts.token ?? '');
    this.deactivates = Boolean(opts.tokens);
  }

  /** One client per workspace token: a 429 answered to one workspace concerns only its own calls. */
  private clientFor(token: string): WebClient {
    let c = this.clients.get(token);
    if (!c) {
      c = new WebClient(token, {
        slackApiUrl: this.opts.apiUrl,
        timeout: this.opts.timeoutMs ?? 10_000,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logger: this.logger,
        ...(this.opts.fetch ? { fetch: this.opts.fetch } : {}),
      });
      this.clients.set(token, c);
    }
    return c;
  }

  async send(deliveryId: string, slot?: number): Promise<SendOutcome> {
    const row = await this.db.delivery.findUnique({ where: { id: deliveryId }, select: { workspaceId: true, status: true } });
    if (!row || ['sent', 'failed', 'skipped'].includes(row.status)) return { kind: 'done' };
    const token = await this.tokens.tokenFor(row.workspaceId);
    if (!token) {
      const reason = 'Kept is no longer installed in this workspace';
      await markSkipped(this.db, deliveryId, reason);
      return { kind: 'skipped', reason };
    }
    try {
      // Every call for this delivery goes through its workspace's own client.
      return await this.sendWith(this.clientFor(token), deliveryId, slot);
    } catch (err) {
      const code = (err as { code?: string; data?: { error?: string } }).data?.error;
      if (this.deactivates && code && TOKEN_GONE.has(code)) return this.tokenGone(row.workspaceId, deliveryId, code);
      throw err;
    }
  }

  /** Slack refused the workspace's token: mark it inactive (its pending deliveries skipped), never retried. */
  private async tokenGone(workspaceId: string, deliveryId: string, code: string): Promise<SendOutcome> {
    this.tokens.forget(workspaceId);
    const ws = await this.db.workspace.findUnique({ where: { id: workspaceId }, select: { slackTeamId: true } });
    const gone = ws ? await deactivateWorkspace(this.db, ws.slackTeamId, code, this.clock.now()) : null;
    await markSkipped(this.db, deliveryId, `Slack refused the workspace's token (${code})`).catch(() => undefined);
    this.logger.warn(`workspace ${ws?.slackTeamId ?? workspaceId}: Slack refused its token (${code}); marked inactive until Kept is installed again`);
    return { kind: 'skipped', reason: `Slack refused the workspace's token (${code})`, inactive: { digestIds: gone?.digestIds ?? [] } };
  }

  /**
   * Posts the row if it is due and it is the channel's turn. `slot` is the turn this job was given
   * on an earlier attempt (Redis time, ms); without one it takes the next free turn and comes back then.
   */
  private async sendWith(client: WebClient, deliveryId: string, slot?: number): Promise<SendOutcome> {
    const now = this.clock.now();
    if (slot === undefined) {
      // First look: is it due, and when is its destination's turn (a channel, or a person's DM)?
      const peek = await this.db.delivery.findUnique({ where: { id: deliveryId }, select: { status: true, notBefore: true, workspaceId: true, destination: true } });
      if (!peek || ['sent', 'failed', 'skipped'].includes(peek.status)) return { kind: 'done' };
      if (peek.notBefore > now) return { kind: 'later', delayMs: peek.notBefore.getTime() - now.getTime() };
      const turn = await this.reserve(peek.workspaceId, peek.destination);
      // Come back a little before the turn: claiming and composing the message (reading its items'
      // state) take that long, and the gate waits out the rest in-process, so a channel's posts stay
      // a second apart at Slack instead of a second plus the composing. Coming back through the
      // delayed set for a few ms would cost more than waiting them here.
      if (turn.waitMs > COMPOSE_LEAD_MS + 20) return { kind: 'later', delayMs: turn.waitMs - COMPOSE_LEAD_MS, slot: turn.slot };
    }
    // Its turn. The claim re-checks what the first look saw.
    const c = await claim(this.db, deliveryId, now);
    if (c.kind === 'missing' || c.kind === 'done') return { kind: 'done' };
    if (c.kind === 'wait') return { kind: 'later', delayMs: Math.max(250, c.until.getTime() - now.getTime()) };
    const channel = await this.channelOf(client, c.delivery.destination);
    if (c.mayHaveLanded) {
      const ts = await this.findLanded(client, channel, c.delivery, c.previousAttemptAt ?? c.delivery.createdAt, await this.threadOf(c.delivery));
      if (ts) {
        await markSent(this.db, deliveryId, { channelId: channel, ts, at: this.clock.now() });
        return { kind: 'found', ts };
      }
    }
    if (isPromptDelivery(c.delivery)) {
      // Its moment has come: what it says is read from its items now, not from when it was raised.
      const composed = (await composeDelivery(this.db, c.delivery, now)) ?? (c.delivery.message === null ? { kind: 'skip' as const, reason: 'it carried nothing' } : null);
      if (!composed) return this.post(client, c.delivery, channel);
      if (composed.kind === 'skip') {
        await markSkipped(this.db, deliveryId, composed.reason);
        this.logger.info(`delivery ${c.delivery.key} skipped: ${composed.reason}`);
        return { kind: 'skipped', reason: composed.reason };
      }
      if (composed.left.length) this.logger.info(`delivery ${c.delivery.key}: left out ${composed.left.join('; ')}`);
      await setMessage(this.db, deliveryId, composed.message);
      c.delivery.message = composed.message as never;
    } else if (c.delivery.kind === 'digest' && c.delivery.message === null) {
      // A digest is built from the state at the moment it is posted; once built, it is what any
      // later attempt posts, so its thread replies always continue the same build.
      const started = performance.now();
      const composed = await composeDigest(this.db, c.delivery, now);
      const digestBuildMs = performance.now() - started;
      if (composed.kind === 'skip') {
        await markSkipped(this.db, deliveryId, composed.reason);
        return { kind: 'skipped', reason: composed.reason, digestBuildMs };
      }
      c.delivery.message = composed.message as never;
      try {
        return { ...(await this.post(client, c.delivery, channel)), follow: composed.follow, digestBuildMs };
      } catch (err) {
        // The replies are recorded whatever became of this attempt: the caller queues them still.
        throw Object.assign(err as Error, { follow: composed.follow });
      }
    }
    return this.post(client, c.delivery, channel);
  }

  private async post(client: WebClient, d: Delivery, channel: string): Promise<SendOutcome> {
    const msg = { ...(d.message as { text: string; blocks?: unknown[]; thread_ts?: string; thread_of?: string }) };
    if (msg.thread_of && !msg.thread_ts) {
      // A continuation goes in the thread of its first message, once that one is posted.
      const parent = await this.db.delivery.findUnique({ where: { workspaceId_key: { workspaceId: d.workspaceId, key: msg.thread_of } } });
      if (!parent?.messageTs) {
        await release(this.db, d.id, 'waiting for the first message of its thread');
        return { kind: 'later', delayMs: 1000 };
      }
      msg.thread_ts = parent.messageTs;
    }
    const notYet = await this.gate(d.workspaceId, d.destination);
    if (notYet) {
      await release(this.db, d.id, notYet.reason);
      return { kind: 'later', delayMs: notYet.ms };
    }
    let answered = false;
    try {
      const res = await client.chat.postMessage({
        channel,
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks as never } : {}),
        ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}),
        unfurl_links: false,
        metadata: { event_type: 'kept_delivery', event_payload: { delivery_id: d.id } },
      });
      answered = true;
      await Promise.all([this.posted(d.workspaceId, d.destination), markSent(this.db, d.id, { channelId: res.channel ?? channel, ts: res.ts!, at: this.clock.now() })]);
      return { kind: 'sent', ts: res.ts! };
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message: string };
      if (!answered) await this.posted(d.workspaceId, d.destination);
      if (e.code === ErrorCode.RateLimitedError) {
        const ms = (e.retryAfter ?? 1) * 1000;
        // Hold the whole channel, not just this message, until Slack says so.
        await this.hold(d.workspaceId, d.destination, ms);
        await release(this.db, d.id, `rate limited for ${e.retryAfter}s`);
        return { kind: 'later', delayMs: ms };
      }
      if (e.code === ErrorCode.PlatformError && !MAYBE_LANDED.has(e.data?.error ?? '')) {
        const code = e.data?.error ?? 'unknown_error';
        if (this.deactivates && TOKEN_GONE.has(code)) throw err;
        if (PERMANENT.has(code)) {
          await markFailed(this.db, d.id, code);
          this.logger.warn(`delivery ${d.key} to ${channel} failed for good: ${code}`);
          return { kind: 'failed', error: code };
        }
        // Slack answered and did not post: safe to try again.
        await release(this.db, d.id, code);
        throw new Error(`Slack refused ${d.key}: ${code}`);
      }
      // A 5xx, a timeout, a dropped connection or Slack's internal_error: the message may be in
      // the channel already.
      await markUncertain(this.db, d.id, e.statusCode ? `HTTP ${e.statusCode}` : (e.data?.error ?? e.message));
      throw new UncertainPost(`post of ${d.key} may have landed (${e.statusCode ? `HTTP ${e.statusCode}` : e.message}); will look before retrying`);
    }
  }

  /** The ts of the thread a delivery replies in, once its first message is posted. */
  private async threadOf(d: Delivery): Promise<string | undefined> {
    const msg = (d.message ?? {}) as { thread_ts?: string; thread_of?: string };
    if (msg.thread_ts || !msg.thread_of) return msg.thread_ts;
    const parent = await this.db.delivery.findUnique({ where: { workspaceId_key: { workspaceId: d.workspaceId, key: msg.thread_of } } });
    return parent?.messageTs ?? undefined;
  }

  /**
   * A message Kept posted for this delivery since the previous attempt began, if any. Thread
   * replies are not in the channel's history, so a reply is looked for in its thread.
   */
  private async findLanded(client: WebClient, channel: string, d: Delivery, since: Date, threadTs?: string): Promise<string | null> {
    const oldest = String(Math.floor(since.getTime() / 1000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = threadTs ? await client.conversations.replies({ ...query, ts: threadTs }) : await client.conversations.history(query);
      const hit = res.messages?.find((m) => (m as { metadata?: { event_payload?: { delivery_id?: string } } }).metadata?.event_payload?.delivery_id === d.id);
      if (hit?.ts) return hit.ts;
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || !cursor) return null;
    }
    return null;
  }

  /** A DM goes to the person's IM channel (D…), so the post and any later lookup use the same id. */
  private async channelOf(client: WebClient, destination: string): Promise<string> {
    if (!/^[UW]/.test(destination)) return destination;
    const key = `${client.token ?? ''}|${destination}`;
    const cached = this.ims.get(key);
    if (cached) return cached;
    const res = await client.conversations.open({ users: destination });
    const id = res.channel?.id ?? destination;
    this.ims.set(key, id);
    return id;
  }

  private paceKeys(workspaceId: string, destination: string): [slot: string, posted: string, inFlight: string] {
    const base = `${this.opts.prefix}:pace:${workspaceId}:${destination}`;
    return [`${base}:slot`, `${base}:posted`, `${base}:in-flight`];
  }

  /**
   * The channel's turn, shared by every worker process through Redis (Redis's clock). Each post
   * takes the next free slot, `channelGapMs` after the previous one, and waits in the delayed set
   * until then: no polling, and no worker held while it waits.
   */
  private async reserve(workspaceId: string, destination: string): Promise<{ waitMs: number; slot: number }> {
    const [wait, slot] = (await this.opts.redis.eval(RESERVE, 1, this.paceKeys(workspaceId, destination)[0], this.gapMs)) as [number, number];
    return { waitMs: wait, slot };
  }

  /**
   * Right before the call. Slots alone cannot keep posts apart where it counts, at Slack: a busy
   * process can sit on a request for hundreds of ms. So the channel's posts are spaced from the
   * previous one's *answer* (which came after Slack received it), at least `minGapMs`, and only one
   * is in flight at a time; the rest waits here, briefly. And the workspace ceiling. null to go
   * (call `posted` after the call), else how long to wait and why.
   */
  private async gate(workspaceId: string, destination: string): Promise<{ ms: number; reason: string } | null> {
    const [, postedKey, inFlightKey] = this.paceKeys(workspaceId, destination);
    for (;;) {
      const minute = Math.floor(Date.now() / 60_000);
      const rateKey = `${this.opts.prefix}:rate:${workspaceId}:${minute}`;
      const wait = (await this.opts.redis.eval(GATE, 3, postedKey, inFlightKey, rateKey, this.minGapMs, this.timeoutMs + 1000, this.opts.perMinute ?? 300)) as number;
      if (wait === 0) return null;
      if (wait < 0) return { ms: (minute + 1) * 60_000 - Date.now(), reason: 'workspace ceiling per minute reached' };
      if (wait > this.minGapMs) return { ms: wait, reason: 'channel held after a rate limit' };
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** The call through the gate has its answer: the channel's next post counts from now. */
  private async posted(workspaceId: string, destination: string): Promise<void> {
    const [, postedKey, inFlightKey] = this.paceKeys(workspaceId, destination);
    // Best effort: if Redis is away, the in-flight lease runs out by itself.
    await this.opts.redis.eval(POSTED, 2, postedKey, inFlightKey).catch((err: Error) => this.logger.warn('pacing:', err.message));
  }

  private get gapMs(): number {
    return this.opts.channelGapMs ?? 1000;
  }

  private get timeoutMs(): number {
    return this.opts.timeoutMs ?? 10_000;
  }

  private get minGapMs(): number {
    return this.opts.minGapMs ?? Math.min(1000, this.gapMs);
  }

  /** After a 429: no slot and no post for this channel until Retry-After has passed. */
  private async hold(workspaceId: string, destination: string, ms: number): Promise<void> {
    await this.opts.redis.eval(HOLD, 3, ...this.paceKeys(workspaceId, destination), ms, this.gapMs, this.minGapMs);
  }
}

/** How long before its channel's turn a delivery starts on its claim and message (see sendWith). */
const COMPOSE_LEAD_MS = 250;

const NOW_MS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: slot. ARGV: gap. Takes the next free slot: returns {ms until it, the slot}. */
const RESERVE = `${NOW_MS}
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], slot, 'PX', slot - now + 60000)
return {slot - now, slot}`;

/**
 * KEYS: posted, in-flight, this minute's workspace counter. ARGV: min gap, in-flight lease, ceiling.
 * Returns 0 when the caller may post (it is now the one in flight), ms to wait, or -1 when the
 * workspace has reached its ceiling this minute.
 */
const GATE = `${NOW_MS}
-- One in flight: the next cannot go before its answer plus the gap, so at least the gap from now.
if redis.call('EXISTS', KEYS[2]) == 1 then return tonumber(ARGV[1]) end
local posted = tonumber(redis.call('GET', KEYS[1]) or '0')
if now < posted + tonumber(ARGV[1]) then return posted + tonumber(ARGV[1]) - now end
if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[3]) then return -1 end
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], 120)
redis.call('SET', KEYS[2], now, 'PX', tonumber(ARGV[2]))
return 0`;

/** KEYS: posted, in-flight. */
const POSTED = `${NOW_MS}
redis.call('SET', KEYS[1], now, 'PX', 60000)
redis.call('DEL', KEYS[2])
return 1`;

/** KEYS: slot, posted, in-flight. ARGV: hold ms, gap, min gap. Pushes both marks past the hold. */
const HOLD = `${NOW_MS}
local clear = now + tonumber(ARGV[1])
local lastSlot = tonumber(redis.call('GET', KEYS[1]) or '0')
redis.call('SET', KEYS[1], math.max(lastSlot, clear - tonumber(ARGV[2])), 'PX', tonumber(ARGV[1]) + 60000)
redis.call('SET', KEYS[2], clear - tonumber(ARGV[3]), 'PX', tonumber(ARGV[1]) + 60000)
redis.call('DEL', KEYS[3])
return 1`;
