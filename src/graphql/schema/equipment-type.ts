// Equipment types (router, set-top box, …): catalogue, seen by every key.
import { builder } from '../builder.ts'

export const EquipmentTypeRef = builder.prismaObject('EquipmentType', {
  description: 'A kind of device; products of kind EQUIPMENT are one, services may need one',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'business key, e.g. ROUTER' }),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})
