// Every workload, in the order `npm run bench` runs them; add a workload here (one file
// per workload). Both the bench and the child process that runs one workload read this.
import type { Workload } from '../lib/context';
import { activationWorkload } from './activation';
import { coresWorkload } from './cores';
import { kernelWorkload } from './kernel';
import { languageWorkload } from './language';
import { liveOverheadWorkload } from './liveOverhead';
import { matmulWorkload } from './matmul';
import { mlpWorkload } from './mlp';
import { rendererWorkload } from './renderer';
import { tutorialWorkload } from './tutorial';
import { userPathWorkload } from './userPath';

export const WORKLOADS: Workload[] = [
  userPathWorkload,
  coresWorkload,
  tutorialWorkload,
  mlpWorkload,
  matmulWorkload,
  kernelWorkload,
  liveOverheadWorkload,
  rendererWorkload,
  activationWorkload,
  languageWorkload,
];
