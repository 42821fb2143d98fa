import { poolLowering } from './pool.js';

export const maxpool2d = poolLowering('maxPooling2d', 2);
