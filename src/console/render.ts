// Block Kit as terminal text: headers, sections, fields, context, and every button or menu
// option as a numbered choice (:click N).

export interface Choice {
  /** The block_actions action Slack would send for this choice. */
  action: Record<string, unknown>;
  blockId: string | undefined;
  label: string;
}

type Block = Record<string, unknown>;
const text = (t: unknown) => String((t as { text?: string } | undefined)?.text ?? '');

/** Slack's markup, made readable: dates in their fallback form, mentions and channels by name. */
export function plainMrkdwn(s: string, names: (id: string) => string = (id) => id): string {
  return s
    .replace(/<!date\^\d+\^[^|]+\|([^>]+)>/g, '$1')
    .replace(/<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>/g, (_, id: string) => `@${names(id)}`)
    .replace(/<#([A-Z0-9_]+)(?:\|[^>]*)?>/g, (_, id: string) => `#${names(id)}`)
    .replace(/(^|[\s(>~])[*_~]([^*_~\n]+)[*_~](?=$|[\s).,:;!?·])/gm, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Renders blocks; buttons and overflow options are numbered from `firstChoice`. */
export function render(blocks: unknown[], firstChoice = 1, names?: (id: string) => string): { text: string; choices: Choice[] } {
  const out: string[] = [];
  const choices: Choice[] = [];
  for (const b of blocks as Block[]) {
    if (b.type === 'header') out.push(`== ${text(b.text)} ==`);
    else if (b.type === 'divider') out.push('─'.repeat(40));
    else if (b.type === 'section') {
      if (b.text) out.push(text(b.text));
      for (const f of (b.fields as unknown[]) ?? []) out.push(`  ${text(f).replace(/\n/g, ': ')}`);
    } else if (b.type === 'context') out.push(...((b.elements as unknown[]) ?? []).map((e) => `  ${text(e)}`));
    else if (b.type === 'actions') {
      const labels: string[] = [];
      for (const e of (b.elements as Block[]) ?? []) {
        const options = (e.options as Block[] | undefined) ?? [];
        if (e.type === 'button') {
          choices.push({ action: { type: 'button', action_id: e.action_id, value: e.value, block_id: b.block_id }, blockId: b.block_id as string | undefined, label: text(e.text) });
          labels.push(`[${firstChoice + choices.length - 1} ${text(e.text)}]`);
        } else if (e.type === 'overflow' || e.type === 'static_select') {
          for (const o of options) {
            choices.push({ action: { type: e.type, action_id: e.action_id, selected_option: o, block_id: b.block_id }, blockId: b.block_id as string | undefined, label: text(o.text) });
            labels.push(`[${firstChoice + choices.length - 1} ${text(o.text)}]`);
          }
        }
      }
      out.push('  ' + labels.join(' '));
    }
  }
  return { text: plainMrkdwn(out.join('\n'), names), choices };
}
