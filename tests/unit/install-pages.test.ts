// The OAuth pages (src/bot/install.ts) put a workspace's name and an error's text into HTML: escaped.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Installation } from '@slack/bolt';
import { installPages } from '../../src/bot/install.js';

function capture() {
  const out = { status: 0, body: '' };
  const res = { writeHead: (s: number) => ((out.status = s), res), end: (b: string) => void (out.body = b) } as unknown as ServerResponse;
  return { out, res };
}
const req = {} as IncomingMessage;

describe('install pages', () => {
  it('escape the workspace name on the success page and say what to do next', () => {
    const { out, res } = capture();
    installPages.success({ team: { id: 'T1', name: '<script>alert(1)</script> & Co' } } as Installation, {} as never, req, res);
    expect(out.status).toBe(200);
    expect(out.body).not.toContain('<script>alert');
    expect(out.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; Co');
    expect(out.body).toContain('/invite @Kept');
  });

  it('escape the error on the failure page, 400, with a way back', () => {
    const { out, res } = capture();
    installPages.failure(Object.assign(new Error('bad <b>state</b>'), { code: 'slack_oauth_invalid_state' }), {} as never, req, res);
    expect(out.status).toBe(400);
    expect(out.body).toContain('bad &#60;b&#62;state&#60;/b&#62;');
    expect(out.body).toContain('href="/slack/install"');
  });

  it('escape the authorize URL in the Add to Slack link', () => {
    const html = installPages.install('https://slack.com/oauth/v2/authorize?scope=a,b&state=x"y');
    expect(html).toContain('href="https://slack.com/oauth/v2/authorize?scope=a,b&#38;state=x&#34;y"');
  });
});
