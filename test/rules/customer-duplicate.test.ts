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
    { name: 'a slip in a name with another phone is a namesake', data: { customers: [
      c('C-2', 'Павлова Ирина Дмитриевна', '+7 916 000-00-02'), c('C-3', 'Павлояа Ирина Дмитриевна', '+7 916 000-00-03')] } },
    { name: 'one phone: two words apart, another first letter, the other gender are other people', data: { customers: [
      c('C-2', 'Петрова Анна Ивановна', '+7 916 000-00-04'), c('C-3', 'Петрува Ана Ивановна', '+7 916 000-00-04'),
      c('C-4', 'Смирнова Анна Петровна', '+7 916 000-00-05'), c('C-5', 'Смирнова Инна Петровна', '+7 916 000-00-05'),
      c('C-6', 'Ким Евгений', '+7 916 000-00-06'), c('C-7', 'Ким Евгения', '+7 916 000-00-06'),
      c('C-8', 'Павлов Саша', '+7 916 000-00-07'), c('C-9', 'Павлова Саша', '+7 916 000-00-07')] } },
    { name: 'no phone matches nothing', data: { customers: [c('C-2', 'Сидоров Сидор', null), c('C-3', 'Сидоров Сидор', null)] } },
  ],
  invalid: [
    { name: 'the same INN', data: { customers: [c('C-2', 'Петров П. П.', null, '7701234567'), c('C-3', 'ПЕТРОВ ПЁТР', '+7 900 000-00-09', '7701234567')] },
      findings: [{ entities: ['C-2', 'C-3'], data: { count: 2, keys: 'C-2, C-3', matchedBy: 'inn', explanation: 'совпадают: ИНН; ключ сравнения «ИНН 7701234567»' } }] },
    { name: 'case, word order and ё with the same phone in another notation', data: { customers: [
      c('C-2', 'иван иванович иванов', '8(916)0000001'), c('C-3', 'Иванов Иван Иванович', '+7-916-000-00-01')] },
      findings: [{ entities: ['C-1', 'C-2', 'C-3'], data: { count: 3, keys: 'C-1, C-2, C-3', matchedBy: 'name+phone',
        explanation: 'совпадают: телефон, имя; ключ сравнения «телефон 79160000001»' }, marketCode: null }] },
    { name: 'legal form spelled out, other quotes', data: { customers: [
      c('C-2', 'ООО «Ромашка»', '+7 495 111-22-33', null, 'COMPANY'), c('C-3', 'Общество с ограниченной ответственностью "Ромашка"', '8 495 1112233', null, 'COMPANY')] },
      findings: [{ entities: ['C-2', 'C-3'], data: { count: 2, keys: 'C-2, C-3', matchedBy: 'name+phone',
        explanation: 'совпадают: телефон, имя; ключ сравнения «телефон 74951112233»' } }] },
    { name: 'one slip in one word with the same phone', data: { customers: [
      c('C-2', 'Павлова Ирина Дмитриевна', '+7 916 111-11-11'), c('C-3', 'Павлояа Ирина Дмитриевна', '89161111111'),
      c('C-4', 'Петрова Анна Ивановна', '+7 916 222-22-22'), c('C-5', 'Петрува Анна Ивановна', '+7 916 222-22-22'),
      c('C-6', 'КОЗЛОВ СИРГЕЙ ИВАНОВИЧ', '+7 916 333-33-33'), c('C-7', 'Козлов Сергей Иванович', '+7 916 333-33-33')] },
      findings: [
        { entities: ['C-2', 'C-3'], data: { count: 2, keys: 'C-2, C-3', matchedBy: 'name+phone',
          explanation: 'совпадают: телефон; различаются: имя павлояа ↔ павлова: буква «я» вместо «в»; ключ сравнения «телефон 79161111111»' } },
        { entities: ['C-4', 'C-5'] },
        { entities: ['C-6', 'C-7'], data: { count: 2, keys: 'C-6, C-7', matchedBy: 'name+phone',
          explanation: 'совпадают: телефон; различаются: имя сергей ↔ сиргей: буква «е» вместо «и»; ключ сравнения «телефон 79163333333»' } }] },
    { name: 'a letter missing at the end of a name whose surname or patronymic says the gender, or of a patronymic', data: { customers: [
      c('C-2', 'Тихомирова Светлана Павловна', '+7 984 830-84-58'), c('C-3', 'Тихомирова Светлан Павловна', '8(984)8308458'),
      c('C-4', 'Морозова Зоя Васильевна', '+7 939 035-33-70'), c('C-5', 'Морозова Зоя Васильевн', '8 939 035-33-70')] },
      findings: [{ entities: ['C-2', 'C-3'] }, { entities: ['C-4', 'C-5'] }] },
    { name: 'a slip in a spelled-out legal form', data: { customers: [
      c('C-2', 'АО «Импульс Пятигорск»', '+7 968 776-50-37', null, 'COMPANY'), c('C-3', '«Импульс Пятигорск» Акционерное ощество', '8 968 776-50-37', null, 'COMPANY'),
      c('C-4', 'ПАО «Феникс Уфа»', '+7 957 787-25-89', null, 'COMPANY'), c('C-5', 'Пуубличное акционерное общество "Феникс Уфа"', '+79577872589', null, 'COMPANY')] },
      findings: [{ entities: ['C-2', 'C-3'], data: { count: 2, keys: 'C-2, C-3', matchedBy: 'name+phone',
        explanation: 'совпадают: телефон; различаются: имя ощество ↔ общество: пропущена буква «б»; ключ сравнения «телефон 79687765037»' } },
      { entities: ['C-4', 'C-5'] }] },
    { name: 'no chaining: a name two slips from the centre stays out', data: { customers: [
      c('C-2', 'Петрова Анна Ивановна', '+7 916 444-44-44'), c('C-3', 'Петрова Анна Ивановна', '+7 916 444-44-44'),
      c('C-4', 'Петрува Анна Ивановна', '+7 916 444-44-44'), c('C-5', 'Петрувв Анна Ивановна', '+7 916 444-44-44')] },
      findings: [{ entities: ['C-2', 'C-3', 'C-4'], data: { count: 3, keys: 'C-2, C-3, C-4', matchedBy: 'name+phone',
        explanation: 'совпадают: телефон; различаются: имя петрува ↔ петрова: буква «у» вместо «о»; ключ сравнения «телефон 79164444444»' } }] },
    { name: 'INN and name+phone chain into one group', data: { customers: [
      c('C-2', 'Семёнов Семён', '+7 916 555-55-55', '500100732259'), c('C-3', 'семенов семен', '89165555555'), c('C-4', 'Другое Имя', null, '500100732259')] },
      findings: [{ entities: ['C-2', 'C-3', 'C-4'], data: { count: 3, keys: 'C-2, C-3, C-4', matchedBy: 'inn, name+phone',
        explanation: 'совпадают: ИНН, телефон, имя; ключ сравнения «ИНН 500100732259, телефон 79165555555»' } }] },
  ],
})
