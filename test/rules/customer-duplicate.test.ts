import { ruleTester } from './rule-tester.ts'

const c = (code: string, name: string, phone: string | null, inn: string | null = null, kind = 'PERSON') => ({ code, name, phone, inn, kind })

ruleTester('customer-duplicate', {
  valid: [
    { name: 'namesakes with other phones and INNs', data: { customers: [
      c('C-2', 'Иванов Иван Иванович', '+7 916 000-00-02', '771234567890'), c('C-3', 'Иванов Иван Иванович', '8 (916) 000-00-03', '771234567891')] } },
    { name: 'a family sharing one phone under different names', data: { customers: [
      c('C-2', 'Иванова Мария Петровна', '8 916 000-00-01'), c('C-3', 'Иванов Пётр Иванович', '79160000001')] } },
    { name: 'company namesakes with other phones', data: { customers: [
      c('C-2', 'ООО «Ромашка»', '+7 495 111-22-33', null, 'COMPANY'), c('C-3', 'ООО «Ромашка»', '+7 495 111-22-34', null, 'COMPANY')] } },
    { name: 'no phone matches nothing', data: { customers: [c('C-2', 'Сидоров Сидор', null), c('C-3', 'Сидоров Сидор', null)] } },
  ],
  invalid: [
    { name: 'the same INN', data: { customers: [c('C-2', 'Петров П. П.', null, '7701234567'), c('C-3', 'ПЕТРОВ ПЁТР', '+7 900 000-00-09', '7701234567')] },
      findings: [{ entities: ['C-2', 'C-3'], data: { count: 2, keys: 'C-2, C-3', matchedBy: 'inn' } }] },
    { name: 'case, word order and ё with the same phone in another notation', data: { customers: [
      c('C-2', 'иван иванович иванов', '8(916)0000001'), c('C-3', 'Иванов Иван Иванович', '+7-916-000-00-01')] },
      findings: [{ entities: ['C-1', 'C-2', 'C-3'], data: { count: 3, keys: 'C-1, C-2, C-3', matchedBy: 'name+phone' }, marketCode: null }] },
    { name: 'legal form spelled out, other quotes', data: { customers: [
      c('C-2', 'ООО «Ромашка»', '+7 495 111-22-33', null, 'COMPANY'), c('C-3', 'Общество с ограниченной ответственностью "Ромашка"', '8 495 1112233', null, 'COMPANY')] },
      findings: [{ entities: ['C-2', 'C-3'], data: { count: 2, keys: 'C-2, C-3', matchedBy: 'name+phone' } }] },
    { name: 'INN and name+phone chain into one group', data: { customers: [
      c('C-2', 'Семёнов Семён', '+7 916 555-55-55', '500100732259'), c('C-3', 'семенов семен', '89165555555'), c('C-4', 'Другое Имя', null, '500100732259')] },
      findings: [{ entities: ['C-2', 'C-3', 'C-4'], data: { count: 3, keys: 'C-2, C-3, C-4', matchedBy: 'inn, name+phone' } }] },
  ],
})
