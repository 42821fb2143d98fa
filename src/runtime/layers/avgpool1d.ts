import { poolLowering } from './pool.js';

export const avgpool1d = poolLowering('averagePooling1d', 1);
