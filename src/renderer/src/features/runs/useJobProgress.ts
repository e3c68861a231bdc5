/** Follows 'job.progress' events from main: the latest progress of each job. */
import { useEffect, useState } from 'react';
import type { JobProgress } from '../../../../shared/contract';
import { onEvent } from '../../lib/api';

/** Latest progress per job id, updated as events arrive. */
export function useJobProgress(): ReadonlyMap<string, JobProgress> {
  const [jobs, setJobs] = useState<ReadonlyMap<string, JobProgress>>(new Map());
  useEffect(
    () =>
      onEvent('job.progress', (p) => {
        setJobs((prev) => new Map(prev).set(p.jobId, p));
      }),
    [],
  );
  return jobs;
}
