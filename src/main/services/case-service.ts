import { randomUUID } from 'node:crypto';
import type { Case } from '../../shared/contract';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import { AUDIT_FORMAT } from './audit-coverage';
import { AuditService } from './audit-service';

interface CaseRow {
  id: string;
  name: string;
  created_at: string;
  status: 'open' | 'closed';
  updated_at?: string | null;
  closed_at?: string | null;
}

const toCase = (r: CaseRow): Case => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
  status: r.status,
  updatedAt: r.updated_at ?? null,
  closedAt: r.closed_at ?? null,
});

/** Options shared by the services: who acts, and the audit trail their changes go to. */
export interface ServiceContext {
  readonly audit?: AuditService;
  /** The examiner recorded as the actor of each change. */
  readonly actor?: string;
}

/** Owns the cases table: listing, creating, renaming, closing and reopening cases, each change audited. */
export class CaseService {
  private readonly audit: AuditService;
  private readonly actor: string;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
    ctx: ServiceContext = {},
  ) {
    this.audit = ctx.audit ?? new AuditService(db, now);
    this.actor = ctx.actor ?? 'examiner';
  }

  /** All cases, newest first. */
  list(): Case[] {
    const rows = this.db
      .prepare('SELECT * FROM cases ORDER BY created_at DESC, rowid DESC')
      .all() as CaseRow[];
    return rows.map(toCase);
  }

  /** One case; not-found if there is none. */
  get(caseId: string): Case {
    const row = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(caseId) as CaseRow | undefined;
    if (!row) throw new FacetError('not-found', `No case with id ${caseId}.`);
    return toCase(row);
  }

  /** Throws unless the case exists and is open (closed cases take no new work). */
  requireOpen(caseId: string): Case {
    const c = this.get(caseId);
    if (c.status !== 'open') throw new FacetError('conflict', `Case "${c.name}" is closed; reopen it first.`);
    return c;
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
      .transaction(() => {
        this.db
          .prepare(
            'INSERT INTO cases (id, name, created_at, status) VALUES (@id, @name, @created_at, @status)',
          )
          .run(row);
        this.audit.append({
          caseId: row.id,
          actor: this.actor,
          action: 'case.created',
          subject: row.id,
          time: row.created_at,
          payload: { name: row.name, auditFormat: AUDIT_FORMAT },
        });
      })
      .immediate();
    return this.get(row.id);
  }

  /** Renames a case. */
  rename(caseId: string, name: string): Case {
    return this.change(caseId, 'case.renamed', (c, t) => {
      this.db.prepare('UPDATE cases SET name = ?, updated_at = ? WHERE id = ?').run(name, t, caseId);
      return { from: c.name, to: name };
    });
  }

  /** Closes a case: it keeps everything but takes no new evidence or runs. */
  close(caseId: string): Case {
    return this.change(caseId, 'case.closed', (c, t) => {
      if (c.status === 'closed') throw new FacetError('conflict', `Case "${c.name}" is already closed.`);
      this.db
        .prepare("UPDATE cases SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ?")
        .run(t, t, caseId);
      return {};
    });
  }

  /** Reopens a closed case. */
  reopen(caseId: string): Case {
    return this.change(caseId, 'case.reopened', (c, t) => {
      if (c.status === 'open') throw new FacetError('conflict', `Case "${c.name}" is already open.`);
      this.db
        .prepare("UPDATE cases SET status = 'open', closed_at = NULL, updated_at = ? WHERE id = ?")
        .run(t, caseId);
      return {};
    });
  }

  private change(
    caseId: string,
    action: string,
    apply: (c: Case, time: string) => Record<string, string>,
  ): Case {
    this.db
      .transaction(() => {
        const time = this.now().toISOString();
        const payload = apply(this.get(caseId), time);
        this.audit.append({ caseId, actor: this.actor, action, subject: caseId, time, payload });
      })
      .immediate();
    return this.get(caseId);
  }
}
