import { poolLowering } from './pool.js';

export const avgpool2d = poolLowering('averagePooling2d', 2);
