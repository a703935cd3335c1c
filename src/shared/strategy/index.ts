/** The strategy author's API (`import type { Strategy } from 'tapedeck/strategy'`). */
export type * from './types';
