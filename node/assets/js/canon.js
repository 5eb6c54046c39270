// Canonical JSON as spec/encoding.md section 1 defines it: RFC 8785 (JCS)
// restricted to objects, arrays, strings, safe integers, true and false, at
// most 16 levels deep. One module for every page that signs (the field app,
// the report form), pinned by spec/vectors/ in node/tests/browser.
//
// The encoder refuses what the spec refuses rather than repairing it: a
// `null`, a fraction, an integer beyond 2^53-1, -0, a lone surrogate or a
// value of another type is an error naming its path, so a mistake in a form
// cannot become a signed event with a different meaning.

/** The deepest nesting of objects and arrays an event may have. */
export const MAX_DEPTH = 16;

/** An error in a value given to `canonical`, with the JSON path where it is. */
export class CanonError extends Error {
  constructor(path, what) {
    super(`${path || '(top)'}: ${what}`);
    this.path = path;
    this.what = what;
  }
}

/** The canonical text of `value` (a string; `utf8` gives its bytes). */
export function canonical(value) {
  return encode(value, '', 0);
}

/** The canonical bytes of `value`: UTF-8 of `canonical(value)`. */
export function canonicalBytes(value) {
  return utf8(canonical(value));
}

/** UTF-8 bytes of a string. */
export function utf8(text) {
  return new TextEncoder().encode(text);
}

function encode(value, path, depth) {
  switch (typeof value) {
    case 'string':
      return string(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new CanonError(path, `${value} is not an integer between -(2^53-1) and 2^53-1`);
      }
      if (Object.is(value, -0)) throw new CanonError(path, '-0 has no canonical form');
      return String(value);
    case 'object':
      if (value === null) throw new CanonError(path, 'null is not allowed (leave an optional field out)');
      if (depth + 1 > MAX_DEPTH) throw new CanonError(path, `nested deeper than ${MAX_DEPTH} levels`);
      if (Array.isArray(value)) {
        return `[${value.map((v, i) => encode(v, `${path}[${i}]`, depth + 1)).join(',')}]`;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
        throw new CanonError(path, 'only plain objects, arrays, strings, integers and booleans can be signed');
      }
      return object(value, path, depth + 1);
    default:
      throw new CanonError(path, `a ${typeof value} cannot be signed`);
  }
}

function object(value, path, depth) {
  // JavaScript compares strings by UTF-16 code units, which is exactly the
  // order RFC 8785 section 3.2.3 asks for.
  const names = Object.keys(value).sort();
  const members = [];
  for (const name of names) {
    const v = value[name];
    if (v === undefined) throw new CanonError(`${path}.${name}`, 'undefined is not allowed (leave the field out)');
    members.push(`${string(name, path)}:${encode(v, `${path}.${name}`, depth)}`);
  }
  return `{${members.join(',')}}`;
}

function string(text, path) {
  if (!text.isWellFormed()) throw new CanonError(path, 'a string holds a lone surrogate (not valid UTF-8)');
  // ECMAScript's JSON.stringify of a well-formed string is RFC 8785's string
  // form: only ", \ and controls below U+0020 are escaped, the controls with
  // the short forms \b \t \n \f \r or \u00xx in lowercase hex.
  return JSON.stringify(text);
}
