// Responsible groups: who a finding is routed to (by market and equipment type), and on which support line.
import { builder } from '../builder.ts'

export const ResponsibleGroupRef = builder.prismaObject('ResponsibleGroup', {
  description: 'A group responsible for findings, on a support line (1, 2 or 3)',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'business key' }),
    name: t.exposeString('name'),
    supportLine: t.exposeInt('supportLine', { description: 'the line it works on by default: 1, 2 or 3' }),
  }),
})
