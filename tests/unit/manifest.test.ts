// manifest.json and the ids Kept registers must agree, or Slack sends what nobody listens to.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, SHORTCUTS } from '../../src/messages/ids.js';

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

describe('manifest.json', () => {
  it('declares exactly the commands Kept registers, with escaped mentions', () => {
    const commands = manifest.features.slash_commands;
    expect(commands.map((c: { command: string }) => c.command).sort()).toEqual(Object.values(COMMANDS).sort());
    for (const c of commands) expect(c.should_escape).toBe(true);
  });

  it('declares exactly the shortcuts Kept registers, each with a name and description Slack accepts', () => {
    const shortcuts = manifest.features.shortcuts as { name: string; type: string; callback_id: string; description: string }[];
    expect(shortcuts.map((s) => s.callback_id).sort()).toEqual(Object.values(SHORTCUTS).sort());
    expect(new Set(shortcuts.map((s) => s.callback_id)).size).toBe(shortcuts.length);
    const byId = Object.fromEntries(shortcuts.map((s) => [s.callback_id, s]));
    expect(byId[SHORTCUTS.trackMessage]).toMatchObject({ type: 'message', name: 'Track as commitment' });
    expect(byId[SHORTCUTS.logMessageTouch]).toMatchObject({ type: 'message', name: 'Log as touch' });
    expect(byId[SHORTCUTS.newCommitment]).toMatchObject({ type: 'global', name: 'New commitment' });
    expect(byId[SHORTCUTS.logTouch]).toMatchObject({ type: 'global', name: 'Log a touch' });
    for (const s of shortcuts) {
      // Slack's manifest limits: name up to 25 characters, description up to 80.
      expect(s.name.length).toBeLessThanOrEqual(25);
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.description.length).toBeLessThanOrEqual(80);
    }
  });

  it('routes commands, interactivity and option loads to /slack/events', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c: { url: string }) => c.url),
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe('/slack/events');
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('asks only for the scopes Kept uses', () => {
    // history + im:write: the senders open DMs and look for a post that may have landed before retrying it.
    // Import: files:read (the uploaded CSV), users:read.email (owners by email), channels:read and
    // groups:read (#names of linked channels). Export: files:write (the CSV to the requester's DM).
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual([
      'channels:history', 'channels:read', 'chat:write', 'chat:write.public', 'commands', 'files:read', 'files:write',
      'groups:history', 'groups:read', 'im:history', 'im:write', 'users:read', 'users:read.email',
    ]);
  });
});
