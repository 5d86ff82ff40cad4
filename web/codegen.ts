// Typed GraphQL operations for the console, from the repository's schema.graphql: `npm run web:codegen`
// writes web/src/gql/ (committed); test/web/codegen.test.ts regenerates in memory and fails on drift.
import { generate } from '@graphql-codegen/cli'
import type { CodegenConfig } from '@graphql-codegen/cli'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('..', import.meta.url))
export const GENERATED_DIR = 'web/src/gql/'

export const config: CodegenConfig = {
  cwd: repo,
  schema: 'schema.graphql',
  documents: ['web/src/**/*.{ts,tsx}', `!${GENERATED_DIR}**`],
  silent: true,
  errorsOnly: true,
  generates: {
    [GENERATED_DIR]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { enumsAsTypes: true, useTypeImports: true, skipTypename: false, scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown' } },
    },
  },
}

/** The generated files, path relative to the repository → content. */
export async function generatedFiles(): Promise<Map<string, string>> {
  const files = await generate(config, false) as Array<{ filename: string; content: string }>
  return new Map(files.map((f) => [relative(repo, join(repo, f.filename)), f.content]))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [path, content] of await generatedFiles()) {
    mkdirSync(dirname(join(repo, path)), { recursive: true })
    writeFileSync(join(repo, path), content)
  }
  console.log(`${GENERATED_DIR} written`)
}
