// The Slack side of import and export: people and channels looked up in bulk, a file uploaded to a
// form downloaded with the bot token, and a CSV sent to someone's DM (files.uploadV2).
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { UserError } from '../services/errors.js';
import { MAX_FILE_BYTES } from '../services/import/csv.js';
import type { SlackLookup, SlackPerson } from '../services/import/index.js';
import type { Mrkdwn } from '../messages/format.js';

/**
 * Imports and exports run after the ack and may page through thousands of users: a client of their
 * own that waits out a rate limit (Tier 2 for users.list) instead of failing, with a bounded timeout.
 */
export function dataClient(token: string, apiUrl: string): WebClient {
  const options: WebClientOptions = { slackApiUrl: apiUrl, timeout: 30_000, retryConfig: { retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 60_000 } };
  return new WebClient(token, options);
}

/** Up to this many people are looked up one by one (users.lookupByEmail, users.info); more take one users.list. */
export const ONE_BY_ONE_MAX = 10;

interface SlackMember {
  id?: string;
  name?: string;
  real_name?: string;
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  profile?: { email?: string; display_name?: string; real_name?: string };
}

function person(u: SlackMember): SlackPerson | null {
  if (!u.id || u.deleted || u.is_bot) return null;
  return {
    slackUserId: u.id,
    displayName: u.profile?.display_name || u.real_name || u.name || u.id,
    timeZone: u.tz || 'UTC',
    isAdmin: Boolean(u.is_admin || u.is_owner),
  };
}

const code = (err: unknown) => (err as { data?: { error?: string } }).data?.error;

export function slackLookup(client: WebClient): SlackLookup {
  return {
    async people({ emails, ids }) {
      const byEmail = new Map<string, SlackPerson>();
      const byId = new Map<string, SlackPerson>();
      if (emails.length + ids.length <= ONE_BY_ONE_MAX) {
        for (const email of emails) {
          const res = await client.users.lookupByEmail({ email }).catch((err) => {
            if (code(err) === 'users_not_found') return null;
            throw err;
          });
          const p = res?.user ? person(res.user as SlackMember) : null;
          if (p) byEmail.set(email, p);
        }
        for (const id of ids) {
          const res = await client.users.info({ user: id }).catch((err) => {
            if (code(err) === 'user_not_found') return null;
            throw err;
          });
          const p = res?.user ? person(res.user as SlackMember) : null;
          if (p) byId.set(id, p);
        }
        return { byEmail, byId };
      }
      const wantedEmails = new Set(emails);
      const wantedIds = new Set(ids);
      for await (const page of client.paginate('users.list', { limit: 200 })) {
        for (const u of ((page as { members?: SlackMember[] }).members ?? [])) {
          const p = person(u);
          if (!p) continue;
          const email = u.profile?.email?.toLowerCase();
          if (email && wantedEmails.has(email)) byEmail.set(email, p);
          if (wantedIds.has(p.slackUserId)) byId.set(p.slackUserId, p);
        }
      }
      return { byEmail, byId };
    },
    async channels() {
      const out: { id: string; name: string }[] = [];
      for await (const page of client.paginate('conversations.list', { types: 'public_channel,private_channel', exclude_archived: true, limit: 1000 })) {
        for (const c of ((page as { channels?: { id?: string; name?: string }[] }).channels ?? [])) if (c.id && c.name) out.push({ id: c.id, name: c.name });
      }
      return out;
    },
  };
}

/**
 * A file someone uploaded to a form: its name and bytes. Checked with files.info (not taken from
 * the payload), downloaded with the bot token (scope files:read).
 */
export async function downloadFile(client: WebClient, token: string, fileId: string): Promise<{ name: string; bytes: Uint8Array }> {
  if (!/^F[A-Z0-9]{2,}$/.test(fileId)) throw new UserError('That upload is not a file Kept can read; upload the CSV again.');
  const info = await client.files.info({ file: fileId });
  const file = info.file;
  const url = file?.url_private_download ?? file?.url_private;
  if (!file || !url) throw new UserError('Slack did not give Kept that file; upload it again.');
  const name = file.name ?? `${fileId}.csv`;
  const type = (file.filetype ?? '').toLowerCase();
  if (!['csv', 'text', 'tsv'].includes(type) && !/\.(csv|tsv|txt)$/i.test(name)) {
    throw new UserError(`*${name}* is not a CSV file. In the spreadsheet, choose File → Save as (or Download) → CSV, and upload that.`);
  }
  if ((file.size ?? 0) > MAX_FILE_BYTES) throw new UserError(`*${name}* is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it into smaller files.`);
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(60_000) });
  // Without access Slack answers with its sign-in page, not an error status.
  if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) {
    throw new Error(`downloading ${fileId} failed: HTTP ${res.status} ${res.headers.get('content-type') ?? ''} (is the files:read scope granted?)`);
  }
  return { name, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Sends a CSV to a person's DM (files.uploadV2: getUploadURLExternal, the upload, completeUploadExternal). */
export async function sendFileToDm(client: WebClient, userId: string, file: { name: string; content: string; comment: Mrkdwn }): Promise<void> {
  const dm = await client.conversations.open({ users: userId });
  const channel = dm.channel?.id;
  if (!channel) throw new Error(`conversations.open gave no channel for ${userId}`);
  await client.filesUploadV2({ channel_id: channel, filename: file.name, title: file.name, content: file.content, initial_comment: file.comment.text });
}
