// Just enough of a schema.prisma parser to compare the declared tables, columns and indexes with a
// real database (tests/integration/schema-drift.test.ts). diffSchema is pure so it can be unit-tested.
import type pg from 'pg';

export interface ColumnShape {
  /** null when nullability is not checked (Prisma's SQL leaves scalar lists nullable). */
  nullable: boolean | null;
}

export interface IndexShape {
  columns: string[];
  unique: boolean;
  primary: boolean;
  /** The database's index name, for messages. */
  name?: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  indexes: IndexShape[];
}

/** Tables by name. */
export type SchemaShape = Record<string, TableShape>;

interface Field {
  name: string;
  type: string;
  list: boolean;
  optional: boolean;
  attributes: string;
}

interface Model {
  name: string;
  fields: Field[];
  blockAttributes: string[];
}

/** Parses schema.prisma into the tables, columns and indexes Prisma's migrations should create. */
export function parsePrismaSchema(source: string): SchemaShape {
  const blocks = parseBlocks(stripComments(source));
  const modelNames = new Set(blocks.filter((b) => b.kind === 'model').map((b) => b.name));
  const shape: SchemaShape = {};

  for (const block of blocks) {
    if (block.kind !== 'model') continue;
    const model = parseModel(block.name, block.lines);
    const scalars = model.fields.filter((f) => !modelNames.has(f.type));
    const columnOf = new Map(scalars.map((f) => [f.name, mapName(f.attributes) ?? f.name]));
    const column = (field: string): string => {
      const c = columnOf.get(field);
      if (!c) throw new Error(`${model.name}: index refers to unknown scalar field ${field}`);
      return c;
    };

    const table: TableShape = { columns: {}, indexes: [] };
    for (const f of scalars) {
      const isId = /(^|\s)@id\b/.test(f.attributes);
      table.columns[column(f.name)] = { nullable: f.list ? null : isId ? false : f.optional };
      if (isId) table.indexes.push({ columns: [column(f.name)], unique: true, primary: true });
      if (/(^|\s)@unique\b/.test(f.attributes)) table.indexes.push({ columns: [column(f.name)], unique: true, primary: false });
    }

    let tableName = model.name;
    for (const attr of model.blockAttributes) {
      const m = /^@@(\w+)\s*\((.*)\)\s*$/.exec(attr);
      if (!m) continue;
      const [, kind, args = ''] = m;
      if (kind === 'map') {
        tableName = firstString(args) ?? tableName;
      } else if (kind === 'id' || kind === 'unique' || kind === 'index') {
        const columns = fieldList(args).map(column);
        table.indexes.push({ columns, unique: kind !== 'index', primary: kind === 'id' });
      }
    }
    shape[tableName] = table;
  }
  return shape;
}

/** Every difference between what schema.prisma declares and what the database has, one line each. */
export function diffSchema(expected: SchemaShape, actual: SchemaShape): string[] {
  const diffs: string[] = [];
  for (const table of sortedUnion(Object.keys(expected), Object.keys(actual))) {
    const exp = expected[table];
    const act = actual[table];
    if (!act) {
      diffs.push(`table ${table}: in schema.prisma but not in the database`);
      continue;
    }
    if (!exp) {
      diffs.push(`table ${table}: in the database but not in schema.prisma`);
      continue;
    }

    for (const col of sortedUnion(Object.keys(exp.columns), Object.keys(act.columns))) {
      const e = exp.columns[col];
      const a = act.columns[col];
      if (!a) diffs.push(`column ${table}.${col}: in schema.prisma but not in the database`);
      else if (!e) diffs.push(`column ${table}.${col}: in the database but not in schema.prisma`);
      else if (e.nullable !== null && a.nullable !== null && e.nullable !== a.nullable) {
        diffs.push(
          `column ${table}.${col}: schema.prisma says ${nullText(e.nullable)}, the database says ${nullText(a.nullable)}`,
        );
      }
    }

    const actualKeys = new Set(act.indexes.map(indexKey));
    for (const idx of exp.indexes) {
      if (!actualKeys.has(indexKey(idx))) diffs.push(`${table}: ${describeIndex(idx)} in schema.prisma but not in the database`);
    }
    const expectedKeys = new Set(exp.indexes.map(indexKey));
    for (const idx of act.indexes) {
      // A primary key the schema does not declare is still reported: every Prisma model declares one.
      if (!expectedKeys.has(indexKey(idx))) diffs.push(`${table}: ${describeIndex(idx)} in the database but not in schema.prisma`);
    }
  }
  return diffs;
}

/** Reads the public schema's tables, columns and indexes (without _prisma_migrations). */
export async function readDatabaseSchema(client: pg.Client): Promise<SchemaShape> {
  const shape: SchemaShape = {};
  const columns = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(`
    SELECT c.table_name, c.column_name, c.is_nullable
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> '_prisma_migrations'`);
  for (const row of columns.rows) {
    const table = (shape[row.table_name] ??= { columns: {}, indexes: [] });
    table.columns[row.column_name] = { nullable: row.is_nullable === 'YES' };
  }

  // Key columns in index order; an expression key is shown as its SQL text.
  const indexes = await client.query<{ table_name: string; index_name: string; unique: boolean; primary: boolean; columns: string[] }>(`
    SELECT t.relname AS table_name, i.relname AS index_name, ix.indisunique AS unique, ix.indisprimary AS primary,
      array(
        SELECT CASE WHEN k.attnum = 0 THEN pg_get_indexdef(ix.indexrelid, k.ord::int, true) ELSE a.attname::text END
        FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
        LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
        WHERE k.ord <= ix.indnkeyatts
        ORDER BY k.ord
      )::text[] AS columns
    FROM pg_index ix
    JOIN pg_class i ON i.oid = ix.indexrelid
    JOIN pg_class t ON t.oid = ix.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND t.relkind = 'r' AND t.relname <> '_prisma_migrations'`);
  for (const row of indexes.rows) {
    const table = (shape[row.table_name] ??= { columns: {}, indexes: [] });
    table.indexes.push({ columns: row.columns, unique: row.unique, primary: row.primary, name: row.index_name });
  }
  return shape;
}

function indexKey(idx: IndexShape): string {
  return `${idx.primary ? 'pk' : idx.unique ? 'unique' : 'index'}(${idx.columns.join(',')})`;
}

function describeIndex(idx: IndexShape): string {
  const kind = idx.primary ? 'primary key' : idx.unique ? 'unique index' : 'index';
  return `${kind} (${idx.columns.join(', ')})${idx.name ? ` "${idx.name}"` : ''}`;
}

function nullText(nullable: boolean): string {
  return nullable ? 'nullable' : 'NOT NULL';
}

function sortedUnion(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** Removes // and /// comments, leaving string literals (which may contain //) alone. */
function stripComments(source: string): string {
  return source
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (ch === '\\' && inString) i++;
        else if (ch === '"') inString = !inString;
        else if (!inString && ch === '/' && line[i + 1] === '/') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

function parseBlocks(source: string): { kind: string; name: string; lines: string[] }[] {
  const blocks: { kind: string; name: string; lines: string[] }[] = [];
  let current: { kind: string; name: string; lines: string[] } | null = null;
  for (const raw of source.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (current) {
      if (line === '}') {
        blocks.push(current);
        current = null;
      } else {
        current.lines.push(line);
      }
      continue;
    }
    const open = /^(\w+)\s+(\w+)\s*\{$/.exec(line);
    if (open) current = { kind: open[1]!, name: open[2]!, lines: [] };
  }
  if (current) throw new Error(`schema.prisma: block ${current.name} is not closed`);
  return blocks;
}

function parseModel(name: string, lines: string[]): Model {
  const model: Model = { name, fields: [], blockAttributes: [] };
  for (const line of lines) {
    if (line.startsWith('@@')) {
      model.blockAttributes.push(line);
      continue;
    }
    // name Type, Type?, Type[], Unsupported("...")?, then attributes.
    const m = /^(\w+)\s+(\w+(?:\("[^"]*"\))?)(\[\])?(\?)?\s*(.*)$/.exec(line);
    if (!m) throw new Error(`schema.prisma: cannot read field line in ${name}: ${line}`);
    model.fields.push({ name: m[1]!, type: m[2]!, list: !!m[3], optional: !!m[4], attributes: m[5] ?? '' });
  }
  return model;
}

/** The name in @map("...") among a field's attributes. */
function mapName(attributes: string): string | undefined {
  return /@map\(\s*(?:name:\s*)?"([^"]+)"/.exec(attributes)?.[1];
}

function firstString(args: string): string | undefined {
  return /"([^"]+)"/.exec(args)?.[1];
}

/** Field names from `[a, b(sort: Desc)], name: "x"` or `fields: [a, b]`. */
function fieldList(args: string): string[] {
  const list = /\[([^\]]*)\]/.exec(args)?.[1] ?? '';
  // Arguments may nest: normalizedName(ops: raw("gin_trgm_ops")).
  let bare = list;
  for (let prev = ''; prev !== bare; ) [prev, bare] = [bare, bare.replace(/\([^()]*\)/g, '')];
  return bare
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
}
