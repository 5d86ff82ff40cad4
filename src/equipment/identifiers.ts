// How device identifiers compare (SPEC, rule catalogue): serials and MACs in any notation.

/** Trimmed, upper-cased, without spaces, '-', '.', '/', '_'; null when nothing is left. */
export function normalizeSerial(serial: string | null | undefined): string | null {
  if (serial == null) return null
  const s = serial.trim().toUpperCase().replace(/[\s\-./_]+/g, '')
  return s === '' ? null : s
}

/** The 12 hex digits of a MAC address, lower case, whatever the notation; null when not a valid MAC. */
export function normalizeMac(mac: string | null | undefined): string | null {
  if (mac == null) return null
  const hex = mac.trim().toLowerCase().replace(/[\s:\-.]/g, '')
  return /^[0-9a-f]{12}$/.test(hex) ? hex : null
}

/** A MAC address as people write it, «44:19:B6:B5:27:59», from its 12 hex digits (any notation); null when not a valid MAC. */
export function displayMac(mac: string | null | undefined): string | null {
  const hex = normalizeMac(mac)
  return hex === null ? null : hex.toUpperCase().match(/../g)!.join(':')
}
