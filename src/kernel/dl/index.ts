// Placeholder with the agreed factory signature; the learning kit replaces it.
import type { LossHistory } from '../panel/lossHistory';

export interface LearningKitDeps {
  history: LossHistory;
}

export function createLearningKit(deps: LearningKitDeps) {
  return { history: deps.history };
}

export type LearningKit = ReturnType<typeof createLearningKit>;
