/**
 * The examiner's settings, kept in `<dataDir>/settings.json` (not in a case: they belong to the workstation's
 * user). The examiner's name goes into every audit event from the moment it is set, and a change of it is itself
 * an audit event (`settings.examiner-changed`, from and to) in the chain of every open case: those are the cases
 * whose later events carry the new name.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExaminerName, type Settings } from '../../shared/contract/settings';
import { FacetError } from '../../shared/errors';
import type { Db } from '../db/database';
import type { AuditService } from './audit-service';

/** The audit action of a change of the examiner's name (payload: from, to, and the override in effect if any). */
export const EXAMINER_CHANGED = 'settings.examiner-changed';

interface Stored {
  readonly examiner?: string | null;
}

/** Reads and writes the settings file; an override (CLI flag, FACET_EXAMINER) wins for this process. */
export class SettingsService {
  private stored: Stored;

  constructor(
    private readonly dataDir: string,
    private readonly audit: AuditService,
    private readonly osAccount: string,
    private readonly override: string | undefined,
    private readonly readOnly: boolean,
    /** The database whose open cases record a change of the name (none: nothing to record it in). */
    private readonly db: Db | null = null,
  ) {
    this.stored = this.read();
    this.audit.setExaminer(this.effective());
  }

  get(): Settings {
    const examiner = this.effective();
    return {
      examiner,
      osAccount: this.osAccount,
      examinerSource: this.override !== undefined ? 'override' : examiner !== null ? 'settings' : 'none',
    };
  }

  /**
   * Stores the examiner's name (null clears it); events from now on record it. A change is audited in every open
   * case (actor: the OS account; examiner: the name now in effect; payload: from, to), in the same transaction
   * that writes the settings file, so the change and its events are kept together or not at all. Saving the same
   * name again changes nothing and records nothing.
   */
  set(examiner: string | null): Settings {
    if (this.readOnly) throw new FacetError('conflict', 'Settings cannot be changed by a read-only process.');
    const from = this.stored.examiner ?? null;
    if (from === examiner) return this.get();
    const previous = this.stored;
    const apply = () => {
      this.stored = { ...previous, examiner };
      this.audit.setExaminer(this.effective());
      if (this.db) {
        const open = this.db.prepare("SELECT id FROM cases WHERE status = 'open' ORDER BY rowid").all() as {
          id: string;
        }[];
        for (const c of open) {
          this.audit.append({
            caseId: c.id,
            actor: this.osAccount,
            action: EXAMINER_CHANGED,
            subject: 'settings/examiner',
            payload: {
              from,
              to: examiner,
              ...(this.override !== undefined ? { override: this.override } : {}),
            },
          });
        }
      }
      const file = join(this.dataDir, 'settings.json');
      writeFileSync(`${file}.tmp`, `${JSON.stringify(this.stored, null, 2)}\n`);
      renameSync(`${file}.tmp`, file);
    };
    try {
      if (this.db) this.db.transaction(apply).immediate();
      else apply();
    } catch (e) {
      this.stored = previous;
      this.audit.setExaminer(this.effective());
      throw e;
    }
    return this.get();
  }

  private effective(): string | null {
    return this.override ?? this.stored.examiner ?? null;
  }

  /** The stored settings; a missing or unreadable file is no settings (the name is asked for again). */
  private read(): Stored {
    const file = join(this.dataDir, 'settings.json');
    if (!existsSync(file)) return {};
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Stored;
      const name = ExaminerName.safeParse(raw.examiner);
      return { examiner: name.success ? name.data : null };
    } catch {
      return {};
    }
  }
}
