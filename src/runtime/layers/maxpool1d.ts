import { poolLowering } from './pool.js';

export const maxpool1d = poolLowering('maxPooling1d', 1);
