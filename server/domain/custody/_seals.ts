/**
 * Blind seal checks (R5.3, decision record 006): whoever must type the seal number they see on a packet must
 * not be able to read it from the system first. A seal is hidden from
 * - the receiver of the packet's open handover offer, until they confirm or decline it;
 * - the invigilators of the packet's room (for its session), until the packet has been opened.
 * Everyone else who may see the packet reads its seal: the giver (who applied or holds it), custodians who
 * are not party to an open offer (they keep the seal register), supervisors. Spent seals (opened, replaced)
 * are no secret.
 */
import type { Packet } from './_types.ts'

/** The people a packet's blind checks concern, as the store knows them. */
export interface SealParties {
  /** The receiver of the packet's open handover offer, if there is one. */
  offeredTo: string | null
  /** Account ids of the invigilators assigned to the packet's room for its session. */
  roomInvigilators: readonly string[]
}

/** A packet as one viewer may see it: `sealHidden` says the current seal was taken out. */
export type ScreenedPacket = Packet & { sealHidden: boolean }

/** True when `viewerId` has a blind check of this packet's current seal still to make. */
export function sealHiddenFrom(packet: Packet, viewerId: string, parties: SealParties): boolean {
  if (packet.sealNumber === null) return false
  if (parties.offeredTo === viewerId) return true
  return packet.openedAt === null && packet.roomId !== null && parties.roomInvigilators.includes(viewerId)
}

/** The packet without its current seal (sealNumber null, the seal left out of `seals`), or as it is. */
export function screenPacket(packet: Packet, hidden: boolean): ScreenedPacket {
  if (!hidden || packet.sealNumber === null) return { ...packet, sealHidden: false }
  const seal = packet.sealNumber
  return { ...packet, sealNumber: null, seals: packet.seals.filter((s) => s !== seal), sealHidden: true }
}

/**
 * A copy of `value` with every string equal to `seal` replaced by null: for records that repeat the seal
 * (a handover's seal seen by the giver). hideSeal({ giverSealSeen: 'S-1' }, 'S-1') → { giverSealSeen: null }.
 */
export function hideSeal<T>(value: T, seal: string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.trim().toUpperCase() === seal ? null : v
    if (Array.isArray(v)) return v.map(walk)
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    return v
  }
  return walk(value) as T
}
