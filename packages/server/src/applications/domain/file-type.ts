/** Upload types decided by their bytes (magic numbers), never by name or client header. */
export type UploadType = 'application/pdf' | 'image/jpeg' | 'image/png' | 'application/ofd';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

function startsWith(data: Uint8Array, bytes: readonly number[]): boolean {
  if (data.length < bytes.length) return false;
  return bytes.every((b, i) => data[i] === b);
}

function contains(data: Uint8Array, ascii: string): boolean {
  const needle = [...ascii].map((c) => c.charCodeAt(0));
  outer: for (let i = 0; i + needle.length <= data.length; i++) {
    for (let j = 0; j < needle.length; j++) if (data[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** PDF, JPEG, PNG, or OFD (GB/T 33190: a ZIP package whose root holds OFD.xml); undefined otherwise. */
export function sniffUploadType(data: Uint8Array): UploadType | undefined {
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(data, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) && contains(data, 'OFD.xml')) return 'application/ofd';
  return undefined;
}

/** Longest stored file name, in characters (code points). */
export const MAX_FILENAME_CHARS = 200;

/**
 * The name an upload is stored and shown under: the last path segment (a browser may send
 * `C:\…\x.pdf`), without control characters (a NUL cannot be stored in a text column), trimmed,
 * at most 200 characters (cut between code points, never inside a surrogate pair); `upload` when nothing is left.
 */
export function cleanUploadFilename(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim();
  return [...clean].slice(0, MAX_FILENAME_CHARS).join('') || 'upload';
}
