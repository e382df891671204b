import type { PathSegment } from './config-issue.js';

/** An issue before it is placed in the file: its path is still a list of segments. */
export interface Finding {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly hint?: string;
}

export function finding(path: readonly PathSegment[], message: string, hint?: string): Finding {
  return hint === undefined ? { path, message } : { path, message, hint };
}
