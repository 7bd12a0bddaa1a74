/**
 * Where one RESP2/RESP3 value that starts at `at` ends in `buf` (the offset after it), or -1
 * while it is incomplete. Enough of the protocol to relay replies one by one; nothing decoded.
 */
export function valueEnd(buf: Buffer, at: number): number {
  const lineEnd = buf.indexOf('\r\n', at);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buf[at] ?? 0);
  const n = Number(buf.toString('latin1', at + 1, lineEnd));
  const next = lineEnd + 2;
  switch (type) {
    case '$': // bulk string, verbatim string, bulk error: a length, then that many bytes
    case '=':
    case '!':
      if (n < 0) return next;
      return buf.length >= next + n + 2 ? next + n + 2 : -1;
    case '*': // array, set, push: that many values
    case '~':
    case '>':
      return n < 0 ? next : valuesEnd(buf, next, n);
    case '%': // map: that many pairs
      return valuesEnd(buf, next, 2 * n);
    case '|': {
      // attributes come before the value they describe: both are one reply
      const end = valuesEnd(buf, next, 2 * n);
      return end < 0 ? -1 : valueEnd(buf, end);
    }
    default: // + - : _ , # ( are one line
      return next;
  }
}

function valuesEnd(buf: Buffer, at: number, count: number): number {
  let pos = at;
  for (let i = 0; i < count; i++) {
    if (pos >= buf.length) return -1;
    pos = valueEnd(buf, pos);
    if (pos < 0) return -1;
  }
  return pos;
}

/** A client's command (an array of bulk strings) as strings, with where it ends; undefined while incomplete. */
export function readCommand(buf: Buffer, at: number): { args: string[]; end: number } | undefined {
  const end = valueEnd(buf, at);
  if (end < 0) return undefined;
  const args: string[] = [];
  let pos = buf.indexOf('\r\n', at) + 2;
  while (pos < end) {
    const lineEnd = buf.indexOf('\r\n', pos);
    const len = Number(buf.toString('latin1', pos + 1, lineEnd));
    args.push(buf.toString('utf8', lineEnd + 2, lineEnd + 2 + len));
    pos = lineEnd + 2 + len + 2;
  }
  return { args, end };
}
