/** Where the user is in the app; a plain value, no router library needed for two levels. */

/** The tabs of a case, in keyboard order (Ctrl+1 … Ctrl+6). */
export const CASE_TABS = ['evidence', 'faces', 'runs', 'compare', 'reports', 'audit'] as const;
export type CaseTab = (typeof CASE_TABS)[number];

/** The case list, or one case with a tab open. */
export type Route =
  { readonly kind: 'cases' } | { readonly kind: 'case'; readonly caseId: string; readonly tab: CaseTab };

/** Human labels of the case tabs. */
export const TAB_LABELS: Readonly<Record<CaseTab, string>> = {
  evidence: 'Evidence',
  faces: 'Faces',
  runs: 'Runs',
  compare: 'Compare',
  reports: 'Reports',
  audit: 'Audit',
};
