// A record's page: what changed goes into the update, the whole edited record into checkConflicts
// (web/src/screens/record/edit.ts).
import { describe, expect, it } from 'vitest'
import { candidateInput, changedInput, problemField, valuesOf } from '../../web/src/screens/record/edit.ts'

const device = {
  __typename: 'Equipment' as const, inventoryNo: 'INV-1', serial: 'SN-1', mac: null, macDisplay: null, equipmentStatus: 'INSTALLED' as const,
  installedAt: '2026-05-31', removedAt: null, product: { sku: 'EQ-ONT', name: 'ONT' }, contract: { number: 'D-1' }, equipmentAddress: { code: 'A-1' },
}

describe('record editing', () => {
  it('reads a device into form values', () => {
    expect(valuesOf(device)).toEqual({ inventoryNo: 'INV-1', serial: 'SN-1', mac: '', status: 'INSTALLED', product: 'EQ-ONT', contract: 'D-1', address: 'A-1', installedAt: '2026-05-31', removedAt: '' })
    expect(valuesOf(null)).toEqual({})
  })

  it('sends only the changed fields, trimmed; an emptied optional field is cleared (null)', () => {
    const stored = valuesOf(device)
    expect(changedInput('equipment', stored, stored)).toEqual({})
    expect(changedInput('equipment', stored, { ...stored, serial: ' SN-2 ', contract: '', mac: '  ' })).toEqual({ serial: 'SN-2', contract: null })
  })

  it('checks the whole record as it would be, under its key, leaving out empty fields', () => {
    const stored = valuesOf(device)
    expect(candidateInput('equipment', 'INV-1', { ...stored, serial: 'SN-2' })).toEqual({
      equipment: { inventoryNo: 'INV-1', serial: 'SN-2', status: 'INSTALLED', product: 'EQ-ONT', contract: 'D-1', address: 'A-1', installedAt: '2026-05-31' },
    })
    expect(candidateInput('address', 'A-9', { text: 'Москва, Тверская 1', city: '' })).toEqual({ address: { code: 'A-9', text: 'Москва, Тверская 1' } })
  })

  it('finds the field a problem is about, however the server writes its path', () => {
    expect(problemField('input.serial')).toBe('serial')
    expect(problemField('input.equipment.serial')).toBe('serial')
    expect(problemField(null)).toBeNull()
  })
})
