/**
 * The append-only triggers (C6) are part of what `audit verify` checks: with them dropped (or replaced by ones that
 * do nothing), events and signatures can be edited in place, so their absence is reported even when the chain
 * still verifies. The expected definitions are read from the migrations' own text.
 */
import type { Db } from '../db/database';
import { migrations } from '../db/migrations';

const norm = (sql: string): string => sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();

/** Every trigger the migrations create, by name, with its normalised SQL. */
export const EXPECTED_TRIGGERS: ReadonlyMap<string, string> = new Map(
  migrations.flatMap((m) =>
    [...m.sql.matchAll(/CREATE TRIGGER (\w+)[\s\S]*?END;/g)].map((t) => [t[1]!, norm(t[0])] as const),
  ),
);

/** The names of the expected triggers that are missing or whose definition differs. */
export function missingTriggers(db: Db): string[] {
  const live = new Map(
    (
      db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all() as Array<{
        name: string;
        sql: string | null;
      }>
    ).map((t) => [t.name, norm(t.sql ?? '')]),
  );
  return [...EXPECTED_TRIGGERS].filter(([name, sql]) => live.get(name) !== sql).map(([name]) => name);
}
