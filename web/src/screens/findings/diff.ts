// Which characters differ between two values of a field (duplicates: «SN-00123» and «SN-0O123»): a small
// longest-common-subsequence diff. Pure: test/web/diff.test.ts.

export interface Part { text: string; same: boolean }

/** `a` split into runs that also occur in `b` (same) and those that do not. Long values fall back to whole-value compare. */
export function charDiff(a: string, b: string): Part[] {
  if (a === b) return a ? [{ text: a, same: true }] : []
  if (a.length * b.length > 250_000) return [{ text: a, same: false }]
  const n = a.length, m = b.length
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => Array.from({ length: m + 1 }, () => 0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  }
  const parts: Part[] = []
  const push = (ch: string, same: boolean) => {
    const last = parts[parts.length - 1]
    if (last && last.same === same) last.text += ch
    else parts.push({ text: ch, same })
  }
  let i = 0, j = 0
  while (i < n) {
    if (j < m && a[i] === b[j]) { push(a[i], true); i++; j++ }
    else if (j < m && lcs[i][j + 1] >= lcs[i + 1][j]) j++
    else { push(a[i], false); i++ }
  }
  return parts
}

/** The fields of records shown side by side: for each field name, whether its values differ between the records. */
export function differingFields(records: ReadonlyArray<Record<string, string | null | undefined>>): Set<string> {
  const names = new Set(records.flatMap((r) => Object.keys(r)))
  const differ = new Set<string>()
  for (const name of names) {
    const values = new Set(records.map((r) => (r[name] ?? '').trim()))
    if (values.size > 1) differ.add(name)
  }
  return differ
}
