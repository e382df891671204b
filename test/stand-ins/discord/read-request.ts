import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  /** The form field, `files[0]`. */
  readonly field: string;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly text: string;
}

export interface RequestBody {
  readonly json: unknown;
  readonly files: readonly UploadedFile[];
  readonly contentType: string;
}

async function rawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A REST body as Discord reads it: JSON, or multipart with `payload_json` plus `files[n]`
 * (what @discordjs/rest sends with attachments). Node's own `Response` parses the form.
 */
export async function readRequestBody(req: IncomingMessage): Promise<RequestBody> {
  const contentType = req.headers['content-type'] ?? '';
  const raw = await rawBody(req);
  if (raw.length === 0) return { json: undefined, files: [], contentType };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    let json: unknown;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = JSON.parse(value);
        continue;
      }
      const bytes = Buffer.from(await value.arrayBuffer());
      files.push({
        field,
        filename: value.name,
        contentType: value.type,
        size: bytes.length,
        text: bytes.toString('utf8'),
      });
    }
    return { json, files, contentType };
  }
  if (contentType.startsWith('application/json'))
    return { json: JSON.parse(raw.toString('utf8')), files: [], contentType };
  throw new Error(`unsupported Content-Type ${JSON.stringify(contentType)}`);
}
