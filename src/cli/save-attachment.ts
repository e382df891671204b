import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a reply's attachment (an escalation bundle, a long log) under the temp dir, named
 * with the time and a filename stripped to safe characters; returns the path written.
 */
export async function saveAttachment(filename: string, content: string): Promise<string> {
  const dir = join(tmpdir(), 'tas-chatops');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${Date.now()}-${filename.replace(/[^\w.-]/g, '_')}`);
  await writeFile(path, content);
  return path;
}
