// The demo reference data: markets, equipment types, the product catalogue and
// the device models behind EQUIPMENT products (how their serials and MACs look).

export interface Market { code: string; name: string }
export interface EquipmentType { code: string; name: string }

/** Families the background picks services from; one active contract per family per address keeps overlaps out. */
export type ServiceGroup = 'inet' | 'tv' | 'phone' | 'mob' | 'cctv' | 'adsl' | 'extra' | 'biz-inet' | 'biz-extra' | 'catv'

export interface Product {
  sku: string
  name: string
  kind: 'SERVICE' | 'EQUIPMENT'
  /** Device type: what an EQUIPMENT product is, or what a SERVICE needs (null: none). */
  equipmentType: string | null
  markets: readonly string[]
  status: 'ACTIVE' | 'DISCONTINUED'
  validFrom: string
  validTo: string | null
  group?: ServiceGroup
  /** Relative popularity inside its group. */
  weight?: number
}

/** How a device model writes its serial number and which MAC vendor prefix it carries. */
export interface DeviceModel {
  sku: string
  type: string
  /** Canonical serial from a unique 32-bit core (SIM cards: from a unique decimal core). */
  serial: (core: number) => string
  /** Vendor OUI (6 hex digits), or null when the device has no MAC. */
  oui: string | null
}

export const MARKETS: readonly Market[] = [
  { code: 'MSK', name: 'Москва и Московская область' },
  { code: 'SPB', name: 'Санкт-Петербург и Ленинградская область' },
  { code: 'KZN', name: 'Казань и Республика Татарстан' },
  { code: 'NSK', name: 'Новосибирск и Новосибирская область' },
  { code: 'EKB', name: 'Екатеринбург и Свердловская область' },
]

export const EQUIPMENT_TYPES: readonly EquipmentType[] = [
  { code: 'ROUTER', name: 'Wi-Fi роутер' },
  { code: 'ONT', name: 'Оптический терминал (ONT)' },
  { code: 'STB', name: 'ТВ-приставка' },
  { code: 'MODEM', name: 'ADSL-модем' },
  { code: 'CAMERA', name: 'IP-камера' },
  { code: 'SIM', name: 'SIM-карта' },
]

const ALL = MARKETS.map((m) => m.code)

function service(
  sku: string, name: string, equipmentType: string | null, group: ServiceGroup, weight: number,
  validFrom: string, opts: { markets?: string[]; status?: Product['status']; validTo?: string } = {},
): Product {
  return {
    sku, name, kind: 'SERVICE', equipmentType, group, weight, validFrom,
    markets: opts.markets ?? ALL, status: opts.status ?? 'ACTIVE', validTo: opts.validTo ?? null,
  }
}

function equipment(sku: string, name: string, type: string, validFrom: string, opts: { status?: Product['status']; validTo?: string } = {}): Product {
  return { sku, name, kind: 'EQUIPMENT', equipmentType: type, markets: ALL, status: opts.status ?? 'ACTIVE', validFrom, validTo: opts.validTo ?? null }
}

export const PRODUCTS: readonly Product[] = [
  service('INET-100', 'Домашний интернет 100 Мбит/с', 'ROUTER', 'inet', 2, '2015-01-01'),
  service('INET-300', 'Домашний интернет 300 Мбит/с', 'ROUTER', 'inet', 3, '2018-03-01'),
  service('INET-500', 'Домашний интернет 500 Мбит/с', 'ROUTER', 'inet', 3, '2020-06-01'),
  service('INET-1000', 'Домашний интернет 1 Гбит/с', 'ONT', 'inet', 1, '2022-09-01', { markets: ['MSK', 'SPB', 'EKB'] }),
  service('INET-50', 'Домашний интернет 50 Мбит/с (архивный)', 'ROUTER', 'inet', 1, '2012-01-01', { status: 'DISCONTINUED', validTo: '2021-12-31' }),
  service('INET-200-PROMO', 'Интернет 200 Мбит/с «Весна»', 'ROUTER', 'inet', 1, '2024-03-01', { markets: ['MSK', 'SPB', 'KZN'], validTo: '2025-08-31' }),
  service('GPON-300', 'Оптика 300 Мбит/с', 'ONT', 'inet', 2, '2019-01-01'),
  service('GPON-500', 'Оптика 500 Мбит/с', 'ONT', 'inet', 2, '2020-01-01', { markets: ['MSK', 'SPB', 'KZN', 'EKB'] }),
  service('GPON-1000', 'Оптика 1 Гбит/с', 'ONT', 'inet', 1, '2023-02-01', { markets: ['MSK', 'SPB'] }),
  service('ADSL-20', 'Интернет ADSL 20 Мбит/с', 'MODEM', 'adsl', 1, '2010-01-01', { markets: ['KZN', 'NSK', 'EKB'], status: 'DISCONTINUED', validTo: '2020-12-31' }),
  service('BIZ-INET-100', 'Интернет для бизнеса 100 Мбит/с', 'ROUTER', 'biz-inet', 2, '2016-01-01'),
  service('BIZ-GPON-1000', 'Интернет для бизнеса 1 Гбит/с', 'ONT', 'biz-inet', 1, '2021-04-01', { markets: ['MSK', 'SPB', 'NSK', 'EKB'] }),
  service('TV-BASE', 'Цифровое ТВ «Базовый»', 'STB', 'tv', 3, '2015-01-01'),
  service('TV-EXT', 'Цифровое ТВ «Расширенный»', 'STB', 'tv', 2, '2017-05-01'),
  service('TV-PREM', 'Цифровое ТВ «Премиум»', 'STB', 'tv', 1, '2019-09-01', { markets: ['MSK', 'SPB', 'KZN', 'EKB'] }),
  service('TV-KIDS', 'Цифровое ТВ «Детский»', 'STB', 'tv', 1, '2021-06-01', { markets: ['MSK', 'SPB', 'NSK'] }),
  // Withdrawn from sale without an end date: the status alone never makes a finding.
  service('TV-START', 'Цифровое ТВ «Старт»', 'STB', 'tv', 1, '2014-01-01', { status: 'DISCONTINUED' }),
  service('CATV', 'Кабельное ТВ (аналоговое)', null, 'catv', 1, '2008-01-01', { status: 'DISCONTINUED', validTo: '2022-06-30' }),
  service('PHONE', 'Домашняя телефония', null, 'phone', 3, '2010-01-01'),
  service('PHONE-UNLIM', 'Телефония «Безлимит»', null, 'phone', 1, '2019-02-01', { markets: ['MSK', 'SPB'] }),
  service('VATS', 'Виртуальная АТС', null, 'biz-extra', 2, '2020-01-01'),
  service('MOB-BASE', 'Мобильная связь «Базовый»', 'SIM', 'mob', 2, '2018-01-01'),
  service('MOB-PLUS', 'Мобильная связь «Плюс»', 'SIM', 'mob', 1, '2021-03-01', { markets: ['MSK', 'SPB', 'KZN', 'NSK'] }),
  service('CCTV-HOME', 'Видеонаблюдение «Дом»', 'CAMERA', 'cctv', 1, '2019-04-01'),
  service('CCTV-BIZ', 'Видеонаблюдение для бизнеса', 'CAMERA', 'biz-extra', 1, '2020-02-01', { markets: ['MSK', 'SPB', 'EKB'] }),
  service('STATIC-IP', 'Статический IP-адрес', null, 'extra', 1, '2015-01-01'),
  service('ANTIVIRUS', 'Антивирус Kaspersky Standard', null, 'extra', 1, '2018-01-01'),
  service('KINO', 'Онлайн-кинотеатр «Премьер»', null, 'extra', 1, '2022-01-01'),
  equipment('EQ-RT-KN-GIGA', 'Роутер Keenetic Giga', 'ROUTER', '2017-01-01'),
  equipment('EQ-RT-TPL-C6', 'Роутер TP-Link Archer C6', 'ROUTER', '2018-01-01'),
  equipment('EQ-RT-ZTE-H298', 'Роутер ZTE H298A', 'ROUTER', '2019-01-01'),
  equipment('EQ-ONT-HW-8245', 'Оптический терминал Huawei HG8245H', 'ONT', '2017-01-01'),
  equipment('EQ-ONT-ZTE-F670', 'Оптический терминал ZTE F670L', 'ONT', '2020-01-01'),
  equipment('EQ-STB-ELTX-711', 'ТВ-приставка Eltex NV-711', 'STB', '2016-01-01'),
  equipment('EQ-STB-SML-482', 'ТВ-приставка SML-482 HD', 'STB', '2018-01-01'),
  equipment('EQ-MDM-DL-2640', 'ADSL-модем D-Link DSL-2640U', 'MODEM', '2010-01-01', { status: 'DISCONTINUED', validTo: '2019-12-31' }),
  equipment('EQ-CAM-HIK-2043', 'IP-камера Hikvision DS-2CD2043', 'CAMERA', '2019-01-01'),
  equipment('EQ-CAM-DAH-1230', 'IP-камера Dahua IPC-HFW1230', 'CAMERA', '2019-01-01'),
  equipment('EQ-SIM-USIM', 'SIM-карта USIM 128K', 'SIM', '2017-01-01'),
  equipment('EQ-SIM-TRIPLE', 'SIM-карта «Трипл» (мини/микро/нано)', 'SIM', '2020-01-01'),
]

const hex8 = (core: number) => core.toString(16).toUpperCase().padStart(8, '0')

/** ICCID: 19 digits with a Luhn check digit; the decimal core is unique per device. */
function iccid(core: number): string {
  const body = '8970199' + String(core).padStart(11, '0')
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9 }
    sum += d
  }
  return body + String((10 - (sum % 10)) % 10)
}

// Serial prefixes differ from each other at equal length, and every hex core is
// 8 digits, so two models never produce the same normalised serial.
export const DEVICE_MODELS: readonly DeviceModel[] = [
  { sku: 'EQ-RT-KN-GIGA', type: 'ROUTER', oui: '50FF20', serial: (c) => { const h = hex8(c); return `SN-${h.slice(0, 4)}-${h.slice(4)}` } },
  { sku: 'EQ-RT-TPL-C6', type: 'ROUTER', oui: '98DAC4', serial: (c) => `TPL${hex8(c)}` },
  { sku: 'EQ-RT-ZTE-H298', type: 'ROUTER', oui: '34E0CF', serial: (c) => `ZTEH${hex8(c)}` },
  { sku: 'EQ-ONT-HW-8245', type: 'ONT', oui: '485702', serial: (c) => `HWTC${hex8(c)}` },
  { sku: 'EQ-ONT-ZTE-F670', type: 'ONT', oui: 'F4B8A7', serial: (c) => `ZTEG${hex8(c)}` },
  { sku: 'EQ-STB-ELTX-711', type: 'STB', oui: 'E0D9E3', serial: (c) => `ELTX-${hex8(c)}` },
  { sku: 'EQ-STB-SML-482', type: 'STB', oui: '001A79', serial: (c) => `SML${hex8(c)}` },
  { sku: 'EQ-MDM-DL-2640', type: 'MODEM', oui: '1C7EE5', serial: (c) => { const h = hex8(c); return `QB${h.slice(0, 2)}-${h.slice(2)}` } },
  { sku: 'EQ-CAM-HIK-2043', type: 'CAMERA', oui: '4419B6', serial: (c) => `HIK-${hex8(c)}` },
  { sku: 'EQ-CAM-DAH-1230', type: 'CAMERA', oui: '3CEF8C', serial: (c) => `DAH${hex8(c)}` },
  { sku: 'EQ-SIM-USIM', type: 'SIM', oui: null, serial: iccid },
  { sku: 'EQ-SIM-TRIPLE', type: 'SIM', oui: null, serial: iccid },
]

export function modelsOfType(type: string): DeviceModel[] {
  return DEVICE_MODELS.filter((m) => m.type === type)
}
