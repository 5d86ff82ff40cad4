// The keys stored beside an address's normalized form (city|type|street|house|корпус|строение|flat), as the import
// derives them (src/addresses/parse.ts): what a data migration must leave consistent.
export function keysOf(normalized: string): { houseKey: string; streetKey: string; blockKey: string } {
  const f = normalized.split('|')
  return { streetKey: f.slice(0, 3).join('|'), houseKey: f.slice(0, 6).join('|'), blockKey: [...f.slice(0, 2), ...f.slice(3)].join('|') }
}
