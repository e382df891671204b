/** Turns text that may hold credentials into text that may be posted to chat or written to a file. */
export type Redactor = (text: string) => string;
