import { useEffect, useState, type FormEvent } from 'react';
import type { Case } from '../../../../shared/contract';
import { call } from '../../lib/api';

/** The case list with a form to create a case. */
export function CasesView() {
  const [cases, setCases] = useState<readonly Case[] | null>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    call('cases.list', {}).then(
      (list) => live && setCases(list),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [version]);

  const onCreate = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('cases.create', { name });
      setName('');
      setVersion((v) => v + 1);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="cases" aria-labelledby="cases-title">
      <h2 id="cases-title">Cases</h2>
      <form className="case-create" onSubmit={onCreate}>
        <label htmlFor="case-name">New case</label>
        <input
          id="case-name"
          value={name}
          placeholder="Case name, e.g. 2026-0413 Riverside burglary"
          onChange={(e) => setName(e.target.value)}
          maxLength={200}
        />
        <button type="submit" disabled={busy || name.trim() === ''}>
          Create case
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {cases === null ? (
        <p className="muted">Loading…</p>
      ) : cases.length === 0 ? (
        <p className="muted">No cases yet. Create one to start.</p>
      ) : (
        <table className="case-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Created</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id} data-case-id={c.id}>
                <td>{c.name}</td>
                <td>{new Date(c.createdAt).toLocaleString()}</td>
                <td>{c.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
