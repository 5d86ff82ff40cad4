// Writes the independent labelled set (test/quality/generate.ts) for a look by hand or another tool:
// `npx tsx scripts/quality/generate.ts --out DIR [--addresses 10000] [--customers 5000] [--seed 20261205]`.
import { writeQualitySet } from '../../test/quality/generate.ts'

const args = process.argv.slice(2)
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const out = option('--out')
if (!out) {
  console.error('usage: tsx scripts/quality/generate.ts --out DIR [--addresses N] [--customers M] [--seed S]')
  process.exit(2)
}
const options = { seed: Number(option('--seed') ?? 20261205), addresses: Number(option('--addresses') ?? 10_000), customers: Number(option('--customers') ?? 5_000) }
const labels = writeQualitySet(options, out)
console.log(`${out}: ${Object.keys(labels.addresses).length} addresses, ${Object.keys(labels.customers).length} customers, labels.json (seed ${options.seed})`)
