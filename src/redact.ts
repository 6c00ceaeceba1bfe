// Pure: the one redaction for every URL the project prints, logs or stores. A URL carries secrets in
// two places: its userinfo (postgres://user:password@host, https://token@host) and its query or
// fragment (?password=, ?token=, ?sig=, #access_token=). Both are masked wherever a URL appears in a
// text (an error message quotes one as easily as a field holds one), and the rest is left exactly as
// written, so a masked URL still says which host and database it was.

export const MASK = '***';

/** A scheme and everything up to whitespace or a character that cannot be part of a URL in a text. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'<>`\\]+)/gi;

/**
 * Query and fragment parameters whose value is a secret by name: password, passwd, pwd, token, key
 * (api_key, sslkey, apikey), secret, sig/signature (signed URLs), auth, credential, session, crumb
 * (Yahoo's), cookie.
 */
const SECRET_NAME = /pass|pwd|token|key|secret|sig|auth|cred|session|crumb|cookie/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Every URL in `text` with its user and password and its secret-named parameters masked:
 * `postgres://bubble:pw@db:5432/x?sslmode=require&password=pw` ->
 * `postgres://***:***@db:5432/x?sslmode=require&password=***`.
 */
export function redactUrl(text: string): string {
  return text.replace(URL_IN_TEXT, (_whole, scheme: string, rest: string) => scheme + redactAfterScheme(rest));
}

function redactAfterScheme(rest: string): string {
  // The userinfo ends at the last '@' before the query: a password with an unescaped '/' or '@' in it
  // (which libpq users write) is still masked whole, at the cost of masking a path that holds an '@'.
  const queryAt = firstIndexOf(rest, '?#');
  const at = rest.lastIndexOf('@', queryAt === -1 ? rest.length : queryAt);
  let out = rest;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    out = (userinfo.includes(':') ? `${MASK}:${MASK}` : MASK) + rest.slice(at);
  }
  return redactParams(out);
}

function firstIndexOf(text: string, chars: string): number {
  for (let i = 0; i < text.length; i++) if (chars.includes(text[i]!)) return i;
  return -1;
}

/** name=value pairs after '?' or '#' (separated by '&' or ';'): secret-named values masked. */
function redactParams(text: string): string {
  const start = firstIndexOf(text, '?#');
  if (start === -1) return text;
  const head = text.slice(0, start + 1);
  const tail = text.slice(start + 1);
  return head + tail.replace(/([^&;=#?]+)=([^&;#]*)/g, (pair, name: string, value: string) => (value && isSecretName(safeDecode(name)) ? `${name}=${MASK}` : pair));
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
