import { describe, expect, it } from 'vitest';
import { diffSchema, parsePrismaSchema, type SchemaShape } from '../helpers/prisma-schema.js';

const SCHEMA = `
enum Color {
  red // warm
  blue
}

/// A team.
model Team {
  id      String   @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  slug    String   @unique @map("team_slug")
  website String?  @default("https://example.com/a//b") // not a comment inside the string
  members Member[]

  @@map("teams")
}

model Member {
  id       Int      @id @default(autoincrement())
  teamId   String   @map("team_id") @db.Uuid
  email    String
  color    Color?
  tags     String[] @default([])
  joinedAt DateTime @map("joined_at")
  team     Team     @relation(fields: [teamId], references: [id])
  mentor   Member?  @relation("Mentoring", fields: [mentorId], references: [id])
  mentorId Int?     @map("mentor_id")
  mentees  Member[] @relation("Mentoring")

  @@unique([teamId, email], map: "members_team_email")
  @@index([teamId, joinedAt(sort: Desc)])
  @@map("members")
}
`;

/** What a database built from SCHEMA by Prisma's migrations looks like. */
function matchingDatabase(): SchemaShape {
  return {
    teams: {
      columns: { id: { nullable: false }, team_slug: { nullable: false }, website: { nullable: true } },
      indexes: [
        { columns: ['id'], unique: true, primary: true, name: 'teams_pkey' },
        { columns: ['team_slug'], unique: true, primary: false, name: 'teams_team_slug_key' },
      ],
    },
    members: {
      columns: {
        id: { nullable: false },
        team_id: { nullable: false },
        email: { nullable: false },
        color: { nullable: true },
        tags: { nullable: true },
        joined_at: { nullable: false },
        mentor_id: { nullable: true },
      },
      indexes: [
        { columns: ['id'], unique: true, primary: true, name: 'members_pkey' },
        { columns: ['team_id', 'email'], unique: true, primary: false, name: 'members_team_email' },
        { columns: ['team_id', 'joined_at'], unique: false, primary: false, name: 'members_team_id_joined_at_idx' },
      ],
    },
  };
}

describe('parsePrismaSchema', () => {
  it('maps models, scalar fields and indexes to tables, columns and column lists', () => {
    const shape = parsePrismaSchema(SCHEMA);

    expect(Object.keys(shape).sort()).toEqual(['members', 'teams']);
    expect(shape.teams?.columns).toEqual({
      id: { nullable: false },
      team_slug: { nullable: false },
      website: { nullable: true },
    });
    expect(shape.members?.columns).toEqual({
      id: { nullable: false },
      team_id: { nullable: false },
      email: { nullable: false },
      color: { nullable: true },
      tags: { nullable: null },
      joined_at: { nullable: false },
      mentor_id: { nullable: true },
    });
    expect(shape.members?.indexes).toEqual([
      { columns: ['id'], unique: true, primary: true },
      { columns: ['team_id', 'email'], unique: true, primary: false },
      { columns: ['team_id', 'joined_at'], unique: false, primary: false },
    ]);
    expect(diffSchema(shape, matchingDatabase())).toEqual([]);
  });
});

describe('diffSchema', () => {
  it('reports a column the database lacks', () => {
    const actual = matchingDatabase();
    delete actual.members!.columns.joined_at;

    expect(diffSchema(parsePrismaSchema(SCHEMA), actual)).toEqual([
      'column members.joined_at: in schema.prisma but not in the database',
    ]);
  });

  it('reports every kind of difference, one line each', () => {
    const actual = matchingDatabase();
    actual.teams!.columns.website = { nullable: false };
    actual.teams!.columns.extra = { nullable: true };
    actual.members!.indexes = actual.members!.indexes.filter((i) => i.name !== 'members_team_email');
    actual.members!.indexes.push({ columns: ['email'], unique: false, primary: false, name: 'members_email_idx' });
    actual.audit = { columns: { id: { nullable: false } }, indexes: [] };
    const expected = parsePrismaSchema(SCHEMA.replace('@@map("teams")', '@@map("teams")\n}\n\nmodel Gone {\n  id Int @id'));

    expect(diffSchema(expected, actual)).toEqual([
      'table Gone: in schema.prisma but not in the database',
      'table audit: in the database but not in schema.prisma',
      'members: unique index (team_id, email) in schema.prisma but not in the database',
      'members: index (email) "members_email_idx" in the database but not in schema.prisma',
      'column teams.extra: in the database but not in schema.prisma',
      'column teams.website: schema.prisma says nullable, the database says NOT NULL',
    ]);
  });
});
