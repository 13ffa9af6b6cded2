// The logger writes JSON lines with the context of the request or job, and never a secret.
import { describe, expect, it } from 'vitest';
import { createLogger, scrubSecrets, withLogContext } from '../../src/logger.js';

function capture(level: 'debug' | 'info' | 'warn' | 'error' = 'debug') {
  const lines: string[] = [];
  return { logger: createLogger(level, 'test', (l) => lines.push(l)), lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes one JSON object a line, with level, time, name and message', () => {
    const { logger, lines, parsed } = capture();
    logger.info('scan:', 3, 'new prompt(s)');
    logger.debug('details', { rows: 4 });
    expect(lines).toHaveLength(2);
    const [a, b] = parsed();
    expect(a).toMatchObject({ level: 'info', name: 'test', msg: 'scan: 3 new prompt(s)' });
    expect(new Date(a!.time as string).toISOString()).toBe(a!.time);
    expect(b).toMatchObject({ level: 'debug', msg: 'details', rows: 4 });
  });

  it('respects the level, and setLevel changes it (Bolt sets it)', () => {
    const { logger, lines } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    logger.setLevel('debug' as never);
    logger.debug('now shown');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown', 'now shown']);
    expect(logger.getLevel()).toBe('debug');
  });

  it('adds the context of the request or job to every line written inside it, including after awaits', async () => {
    const { logger, parsed } = capture();
    await withLogContext({ workspace: 'T0001', user: 'U0001', kind: 'command' }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      logger.warn('inside');
      await withLogContext({ jobId: 'deliver-1', user: undefined }, async () => logger.info('nested'));
    });
    logger.info('outside');
    const [inside, nested, outside] = parsed();
    expect(inside).toMatchObject({ workspace: 'T0001', user: 'U0001', kind: 'command' });
    expect(nested).toMatchObject({ workspace: 'T0001', user: 'U0001', jobId: 'deliver-1' });
    expect(outside!.workspace).toBeUndefined();
  });

  it('logs an error with its stack under err', () => {
    const { logger, parsed } = capture();
    logger.error('while stopping:', new Error('boom'));
    const [line] = parsed();
    expect(line).toMatchObject({ level: 'error', msg: 'while stopping:', err: { type: 'Error', message: 'boom' } });
    expect((line!.err as { stack: string }).stack).toContain('logger.test.ts');
  });

  it('never prints a secret, whether given in an object or inside the message', () => {
    const { logger, lines } = capture();
    const token = 'xoxb-1111-2222-SECRETSECRET';
    logger.info('connecting with', token, { token, botToken: token, signingSecret: 'shh-signing', nested: { password: 'hunter2', headers: { authorization: `Bearer ${token}` } } });
    logger.warn(`Slack said no to ${token}; app token xapp-1-A0-123-abcdef; db postgresql://kept:hunter2@db:5432/kept; body token=verif123&x=1 {"password":"hunter2"}`);
    logger.error(new Error(`refused ${token}`));
    logger.debug('array', [token]);
    const all = lines.join('\n');
    for (const secret of ['SECRETSECRET', 'shh-signing', 'hunter2', 'abcdef', 'verif123']) expect(all).not.toContain(secret);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    expect(JSON.parse(lines[1]!).msg).toBe('Slack said no to xoxb-[redacted]; app token xapp-[redacted]; db postgresql://kept:[redacted]@db:5432/kept; body token=[redacted]&x=1 {"password":"[redacted]"}');
  });

  it('leaves ordinary text alone', () => {
    const text = 'token_revoked: copy the Bot User OAuth Token; https://slack.com/api/ ok; 3 tokens';
    expect(scrubSecrets(text)).toBe(text);
  });
});
