// What Slack would turn into a live mention, broadcast or link in what Kept sends: for tests that
// check user text never does (tests/unit/escaping.test.ts, tests/integration/mentions.test.ts).

/** Kept's own markup: a person, a channel, a date. Anything else in `<…>` is user text gone live. */
const ALLOWED: Array<{ re: RegExp; id?: 'person' | 'channel' }> = [
  { re: /^<@([UW][A-Z0-9_]+)>/, id: 'person' },
  { re: /^<#([CGD][A-Z0-9_]+)>/, id: 'channel' },
  // A Slack message's permalink (chat.getPermalink), with Kept's label.
  { re: /^<https:\/\/[A-Za-z0-9.-]+\.slack\.com\/archives\/[A-Z0-9]+\/p\d+(?:\?[A-Za-z0-9=&;._%-]*)?\|[^<>|]*>/ },
  { re: /^<!date\^\d+\^\{date_short_pretty\} \{time\}\|[^<>|]*>/ },
];

/** Every `<…>` Slack would parse in mrkdwn or `text` that is not a known person, a known channel or Kept's date. */
export function liveMarkup(text: string, known: { people: string[]; channels: string[] }): string[] {
  const bad: string[] = [];
  for (let i = text.indexOf('<'); i !== -1; i = text.indexOf('<', i + 1)) {
    const rest = text.slice(i);
    const ok = ALLOWED.some(({ re, id }) => {
      const m = re.exec(rest);
      if (!m) return false;
      if (id === 'person') return known.people.includes(m[1]!);
      if (id === 'channel') return known.channels.includes(m[1]!);
      return true;
    });
    if (!ok) bad.push(rest.slice(0, 40));
  }
  return bad;
}

export interface Texts {
  /** A message's top-level `text` and every mrkdwn text object: Slack parses these. */
  parsed: string[];
  /** plain_text objects: shown as sent, never parsed. */
  plain: string[];
}

/** Collects the texts of a message, a view or any Block Kit payload (values sent back to Kept are skipped). */
export function textsOf(value: unknown, found: Texts = { parsed: [], plain: [] }, key = ''): Texts {
  if (typeof value === 'string') {
    if (key === 'text') found.parsed.push(value);
    return found;
  }
  if (Array.isArray(value)) {
    for (const v of value) textsOf(v, found);
    return found;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') {
      (o.type === 'mrkdwn' ? found.parsed : found.plain).push(o.text);
      return found;
    }
    for (const [k, v] of Object.entries(o)) {
      // Values sent back to Kept are never shown; initial_value is the person's own text, put back as typed.
      if (['value', 'private_metadata', 'initial_value', 'action_id', 'block_id', 'metadata'].includes(k)) continue;
      textsOf(v, found, k);
    }
  }
  return found;
}

/** All live markup in a payload's parsed texts. */
export function liveMarkupIn(payload: unknown, known: { people: string[]; channels: string[] }): string[] {
  return textsOf(payload).parsed.flatMap((t) => liveMarkup(t, known));
}
