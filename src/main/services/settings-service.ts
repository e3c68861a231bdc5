/**
 * The examiner's settings, kept in `<dataDir>/settings.json` (not in a case: they belong to the workstation's
 * user). The examiner's name goes into every audit event from the moment it is set.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExaminerName, type Settings } from '../../shared/contract/settings';
import { FacetError } from '../../shared/errors';
import type { AuditService } from './audit-service';

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

  /** Stores the examiner's name (null clears it); events from now on record it. */
  set(examiner: string | null): Settings {
    if (this.readOnly) throw new FacetError('conflict', 'Settings cannot be changed by a read-only process.');
    this.stored = { ...this.stored, examiner };
    const file = join(this.dataDir, 'settings.json');
    writeFileSync(`${file}.tmp`, `${JSON.stringify(this.stored, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    this.audit.setExaminer(this.effective());
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
