import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/main/db/database';
import { CaseService } from '../../../src/main/services/case-service';

describe('CaseService', () => {
  it('creates cases and lists them newest first', () => {
    const db = openDatabase(':memory:');
    let t = Date.parse('2026-01-01T00:00:00Z');
    const service = new CaseService(db, () => new Date((t += 1000)));
    const a = service.create({ name: 'First' });
    const b = service.create({ name: 'Second' });
    expect(a.id).not.toBe(b.id);
    expect(service.list().map((c) => c.name)).toEqual(['Second', 'First']);
    expect(service.list()[0]).toEqual(b);
    db.close();
  });
});
