import { CasesView } from './features/cases/CasesView';

/** The workstation shell: header and the current view. */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Facet SR</h1>
        <span className="app-tagline">
          Face super-resolution workstation · results are investigative aids, not evidence of identity
        </span>
      </header>
      <main className="app-main">
        <CasesView />
      </main>
    </div>
  );
}
