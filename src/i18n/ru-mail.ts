// The Russian texts of the e-mails Sverka sends: the discrepancy list after an audit (src/notify/render.ts)
// — subject, introduction, section titles, empty sections, table and CSV column names, the workbook's sheet —
// and the scope a subscription covers (src/notify/digest.ts), how a run is named (its trigger, the time zone),
// and the link line of an escalation notice (src/notify/notifications.ts). Texts only: the renderer picks and fills them.
// test/i18n/catalogue.test.ts keeps this file Russian.

/** A noun's three forms for a count: one (1, 21), few (2–4, 22–24), many (5–20, 25…); picked by `pluralRu` (ru.ts). */
export type PluralForms = readonly [one: string, few: string, many: string]

export const DIGEST_RU = {
  subject: (counts: { new: string; open: string; resolved: number }, scope: string) =>
    `Сверка: ${counts.new}, ${counts.open}, ${counts.resolved} устранено — ${scope}`,
  /** the subject's counted words: «1 новое, 3 открытых» */
  newForms: ['новое', 'новых', 'новых'] as PluralForms,
  openForms: ['открытое', 'открытых', 'открытых'] as PluralForms,
  /** the run by its time («13 января 2026 г. в 03:00 МСК») and what started it (RUN_TRIGGER_RU) */
  intro: (scope: string, when: string, trigger: string) => `Сверка, ${scope}: итоги проверки от ${when} (${trigger}).`,
  /** counts come in ready for their format (plain text, or HTML with <b>) */
  counts: (fresh: string, open: string, resolved: string) => `Новых: ${fresh}. Открытых всего: ${open}. Устранено: ${resolved}.`,
  /** after an open finding in the plain-text list */
  age: (days: number) => `${days} дн.`,
  footer: 'Полный список — во вложении (CSV, открывается в Excel).',
  /** the run's id, small, under the footer: for whoever looks the run up */
  runId: (id: string) => `Проверка ${id}`,
  /** under a finding in the plain-text list: its page in the console */
  link: (url: string) => `Открыть в консоли: ${url}`,
  /** the HTML table's last column (when links are on) and its link's word */
  htmlLinkColumn: 'В консоли',
  htmlLinkText: 'открыть',
  /** the columns of a section's table in the HTML part; the last one's title depends on the section */
  htmlColumns: ['Важность', 'Правило', 'Объекты', 'Сообщение', 'Впервые'],
  htmlAgeColumn: 'Возраст, дн.',
  htmlResolvedColumn: 'Устранено',
  /** the workbook's sheet */
  sheet: 'Расхождения',
} as const

/** The sections of the list, in the order shown: title and the line of an empty section. */
export const DIGEST_SECTION_RU = {
  NEW: { title: 'Новые с прошлого письма', empty: 'Новых расхождений нет.', label: 'новое' },
  OPEN: { title: 'По-прежнему открыты', empty: 'Других открытых расхождений нет.', label: 'открыто' },
  RESOLVED: { title: 'Устранены с прошлого письма', empty: 'Устранённых нет.', label: 'устранено' },
} as const

/** The attachment's header row (CSV and workbook); the last column is the finding's page in the console (empty without a base URL). */
export const DIGEST_CSV_COLUMNS_RU = ['Раздел', 'Правило', 'Важность', 'Статус', 'Объекты', 'Сообщение', 'Впервые', 'Возраст, дней', 'Ссылка'] as const

/** What started an audit run (AuditRun.trigger), as the digest's header says it: «по расписанию «Ночная»». */
export const RUN_TRIGGER_RU = {
  SCHEDULE: (schedule: string | null) => (schedule ? `по расписанию «${schedule}»` : 'по расписанию'),
  CLI: 'вручную, из командной строки',
  API: 'вручную, из консоли или API',
  INCREMENTAL: 'после импорта',
} as const

/** The name of a time zone after a time, where Russian has one of its own; other zones show their offset (GMT+5). */
export const TIME_ZONE_RU: Record<string, string> = {
  'Europe/Moscow': 'МСК',
}

/** An escalation notice's last line: the finding's page in the console. */
export const NOTICE_RU = {
  /** the plain-text part's last line */
  link: (url: string) => `Открыть в консоли: ${url}`,
  /** the HTML part's link */
  linkText: 'Открыть в консоли',
} as const

/** What a subscription covers, as the e-mail names it: «группа NSI-MSK, рынок MSK», or every market. */
export const SCOPE_RU = {
  group: (code: string) => `группа ${code}`,
  market: (code: string) => `рынок ${code}`,
  all: 'все рынки',
} as const

/** The reports album mailed by an album schedule (src/notify/album.ts, album-render.ts): subject, summary, workbook. */
export const ALBUM_RU = {
  /** «за ноябрь 2026 г.», «за неделю с 23.11.2026 по 29.11.2026» */
  subject: (period: string, scope: string) => `Сверка: альбом отчётов ${period} — ${scope}`,
  month: (monthYear: string) => `за ${monthYear}`,
  week: (first: string, last: string) => `за неделю с ${first} по ${last}`,
  /** the trend's axis: a month («ноя 26») or a week by its Monday («23.11») */
  monthsShort: ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
  title: (period: string) => `Альбом отчётов ${period}`,
  scope: (scope: string) => `Охват: ${scope}.`,
  scoreHeading: 'Оценка качества данных',
  scoreAsOf: (asOf: string, finished: string) => `По последней полной проверке периода: данные на ${asOf}, проверка завершена ${finished}.`,
  noScore: 'В этом периоде не было успешной полной проверки: оценки нет.',
  /** the score table's columns */
  scoreColumns: ['Рынок', 'Оценка, %', 'Изменение к прошлому периоду, п. п.', 'Записей', 'Без расхождений'],
  total: 'Итого',
  noMarketRow: 'без рынка',
  /** a change with no score to compare with */
  noChange: '—',
  trendTitle: 'Оценка качества данных, %',
  trendTotal: 'Итого',
  trendAlt: (periods: number) => `Динамика оценки качества за ${periods} периодов`,
  worstHeading: 'Где работа застревает: три худших участка',
  worstColumns: ['Группа', 'Линия', 'Поступило', 'Просрочено сейчас', 'Подтверждено в срок, %', 'Решено в срок, %'],
  noWorst: 'Просроченных и поступивших за период находок нет.',
  noGroup: 'без группы',
  countsHeading: 'Открытые находки сейчас',
  counts: (open: string, critical: string, over30: string, breaches: string) =>
    `Открытых: ${open}, из них критичных: ${critical}; старше 30 дней: ${over30}; нарушают сроки: ${breaches}.`,
  footer: 'Все отчёты — во вложении: книга Excel, по листу на отчёт.',
  generated: (at: string) => `Сформировано ${at}.`,
  /** the workbook's sheets (at most 31 characters each) and their header rows */
  sheets: {
    quality: 'Оценка качества',
    trend: 'Динамика оценки',
    matrix: 'Находки по правилам и рынкам',
    aging: 'Возраст находок',
    hotspots: 'Причины инцидентов',
    bottlenecks: 'Узкие места',
    breaches: 'Нарушения сроков',
  },
  columns: {
    quality: ['Проверка', 'Данные на', 'Завершена', 'Рынок', 'Название рынка', 'Тип записей', 'Записей', 'Без расхождений', 'С расхождениями', 'Оценка'],
    trend: ['Период с', 'Период по', 'Данные на', 'Итого'],
    matrix: ['Правило', 'Название правила', 'Рынок', 'Критичных', 'Высоких', 'Средних', 'Низких', 'Всего'],
    aging: ['Правило', 'Название правила', 'До 1 дня', '1–7 дней', '7–30 дней', 'Больше 30 дней', 'Всего'],
    hotspots: ['Разрез', 'Правило или рынок', 'Инцидентов', 'Жалоб', 'Находок'],
    bottlenecks: ['Группа', 'Название группы', 'Линия', 'Поступило', 'Подтверждено в срок', 'Доля подтверждённых в срок', 'Решено в срок', 'Доля решённых в срок',
      'Подтверждение: медиана, ч', 'Подтверждение: 90 % за, ч', 'Решение: медиана, ч', 'Решение: 90 % за, ч', 'Просрочено сейчас', 'Среди трёх худших'],
    breaches: ['Правило', 'Важность', 'Статус', 'Рынок', 'Группа', 'Линия', 'Уровень эскалации', 'Подтвердить до', 'Решить до', 'Подтверждение опаздывает, ч', 'Решение опаздывает, ч', 'Сообщение', 'Находка'],
  },
  allTypes: 'все типы',
  hotspotByRule: 'правило',
  hotspotByMarket: 'рынок',
} as const
