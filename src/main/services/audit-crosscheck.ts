/**
 * The verifier's row check (C6 step 4): every stored row of a case, column by column, against what the case's
 * verified chain says it holds (audit-coverage.ts). Reads only.
 */
import type { Db } from '../db/database';
import {
  CASE_ROWS,
  CASE_TABLES,
  COVERAGE,
  outputKey,
  type CaseTable,
  type ExpectedRow,
  type Replayed,
} from './audit-coverage';
import { canonicalJson, type JsonValue } from './canonical-json';

type Cell = string | number | null;
type Row = Record<string, Cell>;

/** The first row or column that disagrees with the chain: table, row id and column. */
export interface RowMismatch {
  readonly table: CaseTable;
  readonly id: string;
  readonly column?: string;
  readonly reason: string;
}

/** The covered columns of a table that a chain of this format vouches for, and those it cannot (older format). */
export function checkedColumns(table: CaseTable, format: number): { checked: string[]; unchecked: string[] } {
  const checked: string[] = [];
  const unchecked: string[] = [];
  for (const [col, rule] of Object.entries(COVERAGE[table] ?? {})) {
    if ('exempt' in rule) continue;
    ((rule.since ?? 1) <= format ? checked : unchecked).push(col);
  }
  return { checked, unchecked };
}

const show = (text: string): string => (text.length > 80 ? `${text.slice(0, 77)}...` : text);

/** Compares one stored row with its expected row; the first differing column, or null. */
function compareRow(
  table: CaseTable,
  row: Row,
  exp: ExpectedRow,
  columns: readonly string[],
): RowMismatch | null {
  const id = String(row.id);
  for (const col of columns) {
    const cell = exp[col];
    if (!cell) return { table, id, column: col, reason: `no audit event records ${col}` };
    const rule = COVERAGE[table]![col]!;
    let stored: JsonValue = row[col] ?? null;
    if ('json' in rule && rule.json && typeof stored === 'string') {
      try {
        stored = JSON.parse(stored) as JsonValue;
      } catch {
        return { table, id, column: col, reason: `${col} in the row is not JSON` };
      }
    }
    const a = canonicalJson(stored);
    const b = canonicalJson(cell.value);
    if (a !== b) {
      return {
        table,
        id,
        column: col,
        reason: `${col} in the row (${show(a)}) differs from the audit event's (${show(b)}) (event ${cell.seq}, ${cell.action})`,
      };
    }
  }
  return null;
}

/** Checks every row of a case against the replayed chain; returns the first mismatch and the unchecked columns. */
export function crossCheckRows(
  db: Db,
  caseId: string,
  replayed: Replayed,
): { mismatch: RowMismatch | null; unchecked: string[]; rows: Record<CaseTable, Row[]> } {
  const unchecked: string[] = [];
  const rows = {} as Record<CaseTable, Row[]>;
  for (const table of CASE_TABLES) rows[table] = db.prepare(CASE_ROWS[table]).all(caseId) as Row[];
  for (const table of CASE_TABLES) {
    const { checked, unchecked: skip } = checkedColumns(table, replayed.format);
    unchecked.push(...skip.map((c) => `${table}.${c}`));
    const expected = replayed.rows[table];
    const seen = new Set<string>();
    for (const row of rows[table]) {
      const key =
        table === 'outputs'
          ? outputKey(replayed.format, {
              id: row.id ?? null,
              runId: row.run_id ?? null,
              kind: row.kind ?? null,
              index: row.idx ?? null,
            })
          : String(row.id);
      const exp = expected.get(key);
      if (!exp) {
        return {
          mismatch: { table, id: String(row.id), column: 'id', reason: 'no audit event records this row' },
          unchecked,
          rows,
        };
      }
      seen.add(key);
      const m = compareRow(table, row, exp, checked);
      if (m) return { mismatch: m, unchecked, rows };
    }
    for (const [key, exp] of expected) {
      if (seen.has(key)) continue;
      // A row moved out of the case (its case_id or run_id changed) still names the column that moved it.
      const moved = exp.id
        ? (db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(exp.id.value) as Row | undefined)
        : undefined;
      const m = moved ? compareRow(table, moved, exp, checked) : null;
      const first = Object.values(exp)[0]!;
      return {
        mismatch: m ?? {
          table,
          id: String(exp.id?.value ?? key),
          reason: `event ${first.seq} (${first.action}) records this row, but it is missing from the table`,
        },
        unchecked,
        rows,
      };
    }
  }
  return { mismatch: null, unchecked, rows };
}
