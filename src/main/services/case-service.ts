import { randomUUID } from 'node:crypto';
import type { Case } from '../../shared/contract';
import type { Db } from '../db/database';

interface CaseRow {
  id: string;
  name: string;
  created_at: string;
  status: 'open' | 'closed';
}

const toCase = (r: CaseRow): Case => ({ id: r.id, name: r.name, createdAt: r.created_at, status: r.status });

/** Owns the cases table: listing and creating cases. */
export class CaseService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** All cases, newest first. */
  list(): Case[] {
    const rows = this.db
      .prepare('SELECT * FROM cases ORDER BY created_at DESC, rowid DESC')
      .all() as CaseRow[];
    return rows.map(toCase);
  }

  /** Creates an open case with the given (already validated) name. */
  create(input: { name: string }): Case {
    const row: CaseRow = {
      id: randomUUID(),
      name: input.name,
      created_at: this.now().toISOString(),
      status: 'open',
    };
    this.db
      .prepare('INSERT INTO cases (id, name, created_at, status) VALUES (@id, @name, @created_at, @status)')
      .run(row);
    return toCase(row);
  }
}
