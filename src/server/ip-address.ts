/** An IP address read from text: its version and its canonical text (IPv4 dotted decimal, IPv6 RFC 5952). */
export interface IpAddress {
  readonly version: 4 | 6;
  /** IPv4: 4 octets; IPv6: 8 groups of 16 bits. */
  readonly parts: readonly number[];
  readonly text: string;
}

/**
 * Reads an IP address as clients and proxies write it: IPv4 dotted decimal, or IPv6 in any of its forms
 * (`2001:db8::1` and `2001:0DB8:0:0:0:0:0:1` are one address), with or without brackets, a zone (`%eth0`) or a
 * port (`[::1]:443`, `192.0.2.1:443`). An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is its IPv4 address.
 * Anything else is `undefined`.
 */
export function parseIp(value: string): IpAddress | undefined {
  let text = value.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed) text = bracketed[1] as string;
  else if (/^[\d.]+:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  text = text.replace(/%[\w.-]+$/, '');
  if (!text.includes(':')) {
    const octets = ipv4Octets(text);
    return octets && { version: 4, parts: octets, text: octets.join('.') };
  }
  const groups = ipv6Groups(text);
  if (groups === undefined) return undefined;
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const octets = [groups[6] as number, groups[7] as number].flatMap((group) => [group >> 8, group & 0xff]);
    return { version: 4, parts: octets, text: octets.join('.') };
  }
  return { version: 6, parts: groups, text: ipv6Text(groups) };
}

/** The canonical text of an IP address (see {@link parseIp}), or `undefined` when `value` is not one. */
export function canonicalIp(value: string): string | undefined {
  return parseIp(value)?.text;
}

/**
 * The rate-limit key of a client: an IPv4 address as it is; an IPv6 address as its network of `ipv6Prefix`
 * bits (default /64, what one subscriber or host gets: every address in it is the same client), written
 * `2001:db8:1:2::/64`. Text that is no IP address (a resolver of your own may return a user id) is the key as it is.
 */
export function clientKey(value: string, ipv6Prefix = 64): string {
  const address = parseIp(value);
  if (address === undefined) return value;
  if (address.version === 4 || ipv6Prefix >= 128) return address.text;
  const network = address.parts.map((group, index) => {
    const bitsLeft = ipv6Prefix - index * 16;
    if (bitsLeft >= 16) return group;
    if (bitsLeft <= 0) return 0;
    return group & (0xffff << (16 - bitsLeft)) & 0xffff;
  });
  return `${ipv6Text(network)}/${ipv6Prefix}`;
}

function ipv4Octets(text: string): number[] | undefined {
  const pieces = text.split('.');
  if (pieces.length !== 4 || !pieces.every((piece) => /^\d{1,3}$/.test(piece))) return undefined;
  const octets = pieces.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string, last: boolean): number[] | undefined => {
    if (half === '') return [];
    const pieces = half.split(':');
    const groups: number[] = [];
    for (const [index, piece] of pieces.entries()) {
      if (last && index === pieces.length - 1 && piece.includes('.')) {
        const octets = ipv4Octets(piece);
        if (octets === undefined) return undefined;
        groups.push(((octets[0] as number) << 8) | (octets[1] as number));
        groups.push(((octets[2] as number) << 8) | (octets[3] as number));
      } else if (/^[0-9a-f]{1,4}$/i.test(piece)) groups.push(parseInt(piece, 16));
      else return undefined;
    }
    return groups;
  };
  const head = parse(halves[0] as string, halves.length === 1);
  const tail = halves.length === 2 ? parse(halves[1] as string, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

/** RFC 5952: lower case, no leading zeros, the longest run (of two or more) of zero groups as `::`. */
function ipv6Text(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start += 1) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length += 1;
    if (length > bestLength) {
      bestStart = start;
      bestLength = length;
    }
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
