// Posts ledger rows to Slack, once. Its own WebClient (bounded timeout, no automatic retries, a 429
// is an answer) so background sending never slows the interactive side, and pacing shared by all
// worker processes through Redis: at most one post per second per channel, and a workspace ceiling.
import { ErrorCode, WebClient } from '@slack/web-api';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import type { Delivery } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { claim, markFailed, markSent, markUncertain, release } from '../services/ledger.js';

export interface SenderOptions {
  token: string;
  apiUrl: string;
  redis: Redis;
  /** Key prefix in Redis (the BullMQ prefix), so deployments and tests do not share pacing. */
  prefix: string;
  timeoutMs?: number;
  /** Spacing between posts to one channel. Slack allows about one per second. */
  channelGapMs?: number;
  /** Workspace-wide ceiling on posts per minute. */
  perMinute?: number;
}

export type SendOutcome =
  | { kind: 'sent'; ts: string }
  | { kind: 'found'; ts: string } // an earlier attempt had landed
  | { kind: 'done' } // already sent, failed or skipped
  | { kind: 'failed'; error: string } // Slack refused it for good
  | { kind: 'later'; delayMs: number }; // not yet: working hours, pacing, a rate limit

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
  readonly client: WebClient;
  private readonly ims = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly opts: SenderOptions,
  ) {
    this.client = new WebClient(opts.token, {
      slackApiUrl: opts.apiUrl,
      timeout: opts.timeoutMs ?? 10_000,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger,
    });
  }

  async send(deliveryId: string): Promise<SendOutcome> {
    const peek = await this.db.delivery.findUnique({ where: { id: deliveryId } });
    if (!peek || ['sent', 'failed', 'skipped'].includes(peek.status)) return { kind: 'done' };
    const now = this.clock.now();
    if (peek.notBefore > now) return { kind: 'later', delayMs: peek.notBefore.getTime() - now.getTime() };
    const channel = await this.channelOf(peek.destination);
    const wait = await this.pace(peek.workspaceId, channel);
    if (wait > 0) return { kind: 'later', delayMs: wait };

    const c = await claim(this.db, deliveryId, now);
    if (c.kind === 'missing' || c.kind === 'done') return { kind: 'done' };
    if (c.kind === 'wait') return { kind: 'later', delayMs: Math.max(250, c.until.getTime() - now.getTime()) };
    if (c.mayHaveLanded) {
      const ts = await this.findLanded(channel, c.delivery, c.previousAttemptAt ?? c.delivery.createdAt, await this.threadOf(c.delivery));
      if (ts) {
        await markSent(this.db, deliveryId, { channelId: channel, ts, at: this.clock.now() });
        return { kind: 'found', ts };
      }
    }
    return this.post(c.delivery, channel);
  }

  private async post(d: Delivery, channel: string): Promise<SendOutcome> {
    const msg = d.message as { text: string; blocks?: unknown[]; thread_ts?: string; thread_of?: string };
    if (msg.thread_of && !msg.thread_ts) {
      // A continuation goes in the thread of its first message, once that one is posted.
      const parent = await this.db.delivery.findUnique({ where: { workspaceId_key: { workspaceId: d.workspaceId, key: msg.thread_of } } });
      if (!parent?.messageTs) {
        await release(this.db, d.id, 'waiting for the first message of its thread');
        await this.opts.redis.del(this.paceKey(d.workspaceId, channel));
        return { kind: 'later', delayMs: 1000 };
      }
      msg.thread_ts = parent.messageTs;
    }
    try {
      const res = await this.client.chat.postMessage({
        channel,
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks as never } : {}),
        ...(msg.thread_ts ? { thread_ts: msg.thread_ts } : {}),
        unfurl_links: false,
        metadata: { event_type: 'kept_delivery', event_payload: { delivery_id: d.id } },
      });
      await markSent(this.db, d.id, { channelId: res.channel ?? channel, ts: res.ts!, at: this.clock.now() });
      return { kind: 'sent', ts: res.ts! };
    } catch (err) {
      const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message: string };
      if (e.code === ErrorCode.RateLimitedError) {
        const ms = (e.retryAfter ?? 1) * 1000;
        // Hold the whole channel, not just this message, until Slack says so.
        await this.opts.redis.set(this.paceKey(d.workspaceId, channel), '1', 'PX', ms);
        await release(this.db, d.id, `rate limited for ${e.retryAfter}s`);
        return { kind: 'later', delayMs: ms };
      }
      if (e.code === ErrorCode.PlatformError && !MAYBE_LANDED.has(e.data?.error ?? '')) {
        const code = e.data?.error ?? 'unknown_error';
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
    const msg = d.message as { thread_ts?: string; thread_of?: string };
    if (msg.thread_ts || !msg.thread_of) return msg.thread_ts;
    const parent = await this.db.delivery.findUnique({ where: { workspaceId_key: { workspaceId: d.workspaceId, key: msg.thread_of } } });
    return parent?.messageTs ?? undefined;
  }

  /**
   * A message Kept posted for this delivery since the previous attempt began, if any. Thread
   * replies are not in the channel's history, so a reply is looked for in its thread.
   */
  private async findLanded(channel: string, d: Delivery, since: Date, threadTs?: string): Promise<string | null> {
    const oldest = String(Math.floor(since.getTime() / 1000) - 60);
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = threadTs ? await this.client.conversations.replies({ ...query, ts: threadTs }) : await this.client.conversations.history(query);
      const hit = res.messages?.find((m) => (m as { metadata?: { event_payload?: { delivery_id?: string } } }).metadata?.event_payload?.delivery_id === d.id);
      if (hit?.ts) return hit.ts;
      cursor = res.response_metadata?.next_cursor;
      if (!res.has_more || !cursor) return null;
    }
    return null;
  }

  /** A DM goes to the person's IM channel (D…), so the post and any later lookup use the same id. */
  private async channelOf(destination: string): Promise<string> {
    if (!/^[UW]/.test(destination)) return destination;
    const cached = this.ims.get(destination);
    if (cached) return cached;
    const res = await this.client.conversations.open({ users: destination });
    const id = res.channel?.id ?? destination;
    this.ims.set(destination, id);
    return id;
  }

  private paceKey(workspaceId: string, channel: string): string {
    return `${this.opts.prefix}:pace:${workspaceId}:${channel}`;
  }

  /** 0 when a post may go now (and reserves the slot), else how long to wait. */
  private async pace(workspaceId: string, channel: string): Promise<number> {
    const { redis } = this.opts;
    const gap = this.opts.channelGapMs ?? 1100;
    const key = this.paceKey(workspaceId, channel);
    if ((await redis.set(key, '1', 'PX', gap, 'NX')) !== 'OK') return Math.max(50, await redis.pttl(key));
    const minute = Math.floor(Date.now() / 60_000);
    const rateKey = `${this.opts.prefix}:rate:${workspaceId}:${minute}`;
    const [[, count]] = (await redis.multi().incr(rateKey).expire(rateKey, 120).exec()) as [[unknown, number]];
    if (count > (this.opts.perMinute ?? 300)) {
      await redis.del(key);
      return (minute + 1) * 60_000 - Date.now();
    }
    return 0;
  }
}
