/** The two checksums PNG needs: CRC-32 over each chunk (ISO 3309, PNG §5.5) and Adler-32 closing the zlib stream (RFC 1950 §8.2). */

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32 (reflected polynomial 0xEDB88320). Example: crc32(new TextEncoder().encode('123456789')) === 0xcbf43926 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/** Adler-32. Example: adler32(new TextEncoder().encode('Wikipedia')) === 0x11e60398 */
export function adler32(bytes: Uint8Array): number {
  const MOD = 65521
  let a = 1
  let b = 0
  // 5552 is the most bytes that can be summed before b could pass 2^32 (RFC 1950 reference code, NMAX).
  for (let start = 0; start < bytes.length; start += 5552) {
    const end = Math.min(start + 5552, bytes.length)
    for (let i = start; i < end; i++) {
      a += bytes[i]!
      b += a
    }
    a %= MOD
    b %= MOD
  }
  return ((b << 16) | a) >>> 0
}
