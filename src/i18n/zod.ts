// zod as every module of Sverka uses it: with zod's own Russian messages (its `ru` locale) for the checks
// that carry no text of their own — a rule file's wrong type, an unknown key, a value outside an enum — so a
// person never meets zod's English. Import `z` from here, not from 'zod': the locale is set before any check.
import { z } from 'zod'
import { ru } from 'zod/locales'

z.config(ru())

export { z }
