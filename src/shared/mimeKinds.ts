// How an output's MIME type is stored in a .dlnb file: JSON values as JSON, text as
// text, anything else (images) as base64.

/** Error outputs are JSON objects ({ name, message, stack }) under this type. */
export const ERROR_MIME = 'application/vnd.code.notebook.error';
export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json') || mime === ERROR_MIME;
}

export function isTextMime(mime: string): boolean {
  return (
    mime.startsWith('text/') ||
    mime === STDOUT_MIME ||
    mime === STDERR_MIME ||
    mime === 'image/svg+xml' ||
    mime === 'application/javascript'
  );
}
