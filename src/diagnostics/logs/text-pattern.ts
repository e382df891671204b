/**
 * What a line filter needs of a pattern, whatever engine runs it: whether it occurs somewhere in
 * a text, and its source to show back. Chat users' patterns run on a linear-time engine
 * (`compileUserPattern`); the matcher does not care which.
 */
export interface TextPattern {
  test(text: string): boolean;
  readonly source: string;
}
