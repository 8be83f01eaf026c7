import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018;
 * reference https://prng.di.unimi.it/xoshiro128starstar.c): 128 bits of state, 32-bit outputs,
 * fast in JS with Math.imul. Not for secrets, only for a seating draw anyone can replay.
 */
export interface Prng {
  /** The next 32-bit output, as an unsigned integer. */
  nextU32(): number
  /** A uniform integer in [0, n), 1 <= n <= 2^32 (rejection sampling, so no modulo bias). */
  below(n: number): number
  /** A uniform float in [0, 1) with 32 bits of precision. */
  unit(): number
}

/** xoshiro128** from an explicit state of four 32-bit words (not all zero). */
export function xoshiro128ss(state: readonly [number, number, number, number]): Prng {
  let s0 = state[0] >>> 0,
    s1 = state[1] >>> 0,
    s2 = state[2] >>> 0,
    s3 = state[3] >>> 0
  if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zero')
  const nextU32 = (): number => {
    const x = Math.imul(s1, 5)
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << 11) | (s3 >>> 21)
    return result
  }
  return {
    nextU32,
    below(n) {
      if (!Number.isInteger(n) || n < 1 || n > 0x1_0000_0000) throw new RangeError(`"n" expected an integer 1..2^32, got ${n}`)
      // Largest multiple of n that fits in 32 bits; outputs at or above it are redrawn.
      const limit = 0x1_0000_0000 - (0x1_0000_0000 % n)
      let x = nextU32()
      while (x >= limit) x = nextU32()
      return x % n
    },
    unit: () => nextU32() / 0x1_0000_0000,
  }
}

/**
 * The seating draw's generator for a seed text: state = the first 16 bytes of SHA-256(UTF-8(seed))
 * read as four little-endian 32-bit words. Publishing the seed lets anyone replay the draw.
 */
export function prngFromSeed(seed: string): Prng {
  const h = sha256(utf8ToBytes(seed))
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength)
  const state: [number, number, number, number] = [v.getUint32(0, true), v.getUint32(4, true), v.getUint32(8, true), v.getUint32(12, true)]
  // A zero state has probability 2^-128; fall back to the next words rather than fail.
  if ((state[0] | state[1] | state[2] | state[3]) === 0) {
    return xoshiro128ss([v.getUint32(16, true) || 1, v.getUint32(20, true), v.getUint32(24, true), v.getUint32(28, true)])
  }
  return xoshiro128ss(state)
}
