import { globalPool } from './global-pool.js';

export const globalavgpool = globalPool;
