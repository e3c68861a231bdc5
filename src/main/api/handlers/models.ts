import type { ModelService } from '../../services/model-service';
import type { Handlers } from '../router';

/** The contract's model calls: models, providers, measured cost, benchmark. */
export function modelHandlers(models: ModelService): Pick<Handlers, 'models.list' | 'models.benchmark'> {
  return {
    'models.list': () => models.list(),
    'models.benchmark': (input) => models.benchmark(input),
  };
}
