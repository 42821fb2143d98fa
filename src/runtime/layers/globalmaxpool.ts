import { globalPool } from './global-pool.js';

export const globalmaxpool = globalPool;
