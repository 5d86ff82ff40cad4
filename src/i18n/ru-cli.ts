// The Russian texts of the `sverka` command line: `--help` (commander's own words included), usage errors,
// every line a person reads on stdout or stderr, and the errors the commands refuse their options with.
// Names a person types back — commands, options, environment variables, roles — come in as `${…}` so that
// they stay as they are. What a machine reads stays out of here: `audit --format json|csv`, the key that
// `apikey create` prints alone on its line, exit codes. test/i18n/catalogue.test.ts keeps this file Russian.
import { countRu } from './ru.ts'

// ─── commander's own words ───

/** The headings of `--help`, by commander's English title. */
export const HELP_TITLE_RU: Record<string, string> = {
  'Usage:': 'Запуск:',
  'Options:': 'Параметры:',
  'Commands:': 'Команды:',
  'Arguments:': 'Аргументы:',
  'Global Options:': 'Общие параметры:',
}

export const HELP_RU = {
  helpOption: 'показать справку по команде',
  helpCommand: 'показать справку по команде',
  version: 'показать номер версии',
  /** shown under a usage error */
  afterError: (help: string) => `(справка: ${help})`,
  /** what `--help` adds after an option's description */
  defaultValue: (value: string) => `по умолчанию: ${value}`,
  choices: (values: string) => `варианты: ${values}`,
  preset: (value: string) => `без значения: ${value}`,
  env: (name: string) => `из переменной ${name}`,
} as const

/** Commander's usage errors, as the person who mistyped reads them. */
export const USAGE_RU = {
  unknownOption: (flag: string) => `неизвестный параметр «${flag}»`,
  unknownCommand: (name: string) => `неизвестная команда «${name}»`,
  didYouMean: (names: string) => `(возможно, имелось в виду ${names}?)`,
  missingArgument: (name: string) => `не указан обязательный аргумент «${name}»`,
  optionArgumentMissing: (flags: string) => `у параметра «${flags}» не указано значение`,
  requiredOption: (flags: string) => `не указан обязательный параметр «${flags}»`,
  tooManyArguments: (expected: number, got: number) => `лишние аргументы: ожидается ${expected}, получено ${got}`,
  tooManyArgumentsOf: (command: string, expected: number, got: number) => `лишние аргументы у команды «${command}»: ожидается ${expected}, получено ${got}`,
  conflictingOptions: (a: string, b: string) => `${a} нельзя указывать вместе с ${b}`,
  invalidOptionValue: (flags: string, value: string) => `недопустимое значение «${value}» параметра «${flags}»`,
} as const

// ─── the commands: descriptions in `--help` ───

export const COMMAND_RU = {
  program: 'Сверка: аудит согласованности нормативно-справочной информации (справочники, проверки на коллизии, находки ↔ инциденты)',
  serve: (path: string) => `API GraphQL по адресу ${path} (в браузере — GraphiQL); на пустой базе — демонстрационные данные и первый ключ администратора`,
  servePort: 'порт',
  serveHost: 'сетевой интерфейс',
  serveNoDemo: 'пустую базу оставить пустой (ключ администратора всё равно создаётся)',
  worker: (redis: string, database: string) => `только обработчики заданий (промышленный режим: нужны ${redis} и ${database})`,
  workerConcurrency: (env: string) => `заданий одновременно на очередь (по умолчанию 1 для аудитов, 4 для остальных; ${env})`,
  import: (rejects: string) => `загрузить CSV-файлы из каталога (добавление или обновление по бизнес-ключу); отклонённые строки — в ${rejects}`,
  importDir: (files: string) => `каталог с файлами ${files}`,
  importRejects: (rejects: string) => `куда записать отклонённые строки (по умолчанию ${rejects})`,
  importEncoding: (encodings: string) => `кодировка: ${encodings} (по умолчанию определяется для каждого файла)`,
  album: (env: string) => `отправить альбом отчётов подписки сейчас (по ${env} или в папку исходящих писем)`,
  albumSubscription: 'номер подписки (получатели, рынок, группа)',
  albumPeriod: (periods: string) => `период: ${periods} (по умолчанию месяц)`,
  albumDay: 'день периода, YYYY-MM-DD (по умолчанию — последний полный период до сегодня)',
  albumTimeZone: (zone: string) => `часовой пояс недель и месяцев (по умолчанию ${zone})`,
  merge: (fromFindings: string) => `объединить записи-дубли (адреса или клиентов) в одну: остаётся одна запись, ключи остальных становятся её псевдонимами; с ${fromFindings} — все однозначные группы находок правила`,
  mergeKeys: 'бизнес-ключи объединяемых записей (два или больше)',
  mergeType: (types: string) => `тип записей: ${types}`,
  mergeSurvivor: 'какая запись остаётся (по умолчанию предлагается: самая полная, затем с наибольшим числом связей, затем самая старая)',
  mergeField: (example: string) => `взять значение поля у участника, например ${example} (можно повторять)`,
  mergeFromFindings: 'объединить все однозначные группы открытых находок этого правила дублей',
  mergeMarket: 'только находки этого рынка',
  mergeLimit: 'объединить не больше стольких групп',
  mergeReport: 'записать отчёт по группам в файл CSV',
  mergeDryRun: 'только показать, что будет сделано; ничего не менять',
  mergeJson: 'вывести результат в JSON',
  mergeAsOf: 'дата повторной проверки, YYYY-MM-DD (по умолчанию сегодня)',
  mergeConcurrency: (n: number) => `объединений одновременно (только PostgreSQL, по умолчанию ${n}; встроенная база — по одному)`,
  audit: 'выполнить аудит сейчас, сохранить запуск и находки, вывести отчёт или записать его в файл',
  auditRules: 'идентификаторы правил через запятую (по умолчанию все включённые правила)',
  auditMarket: 'проверить только один рынок',
  auditAsOf: 'дата, на которую проверять, YYYY-MM-DD (по умолчанию сегодня)',
  auditFormat: (formats: string) => `формат: ${formats}`,
  auditOut: 'записать отчёт в файл, а не в стандартный вывод',
  auditFailOn: (severities: string) => `код выхода 1, если есть открытые находки этой важности или выше (${severities})`,
  rules: (validate: string) => `показать каталог правил (с сохранёнными изменениями); ${validate} проверяет файлы правил`,
  rulesValidate: 'проверить файлы правил в каталоге: по строке на ошибку, код выхода 2, если есть ошибки',
  rulesEnable: 'включить правило (сохраняется в базе)',
  rulesDisable: 'выключить правило (сохраняется в базе); его находки остаются как есть',
  rulesSet: 'изменить важность или параметры правила (параметры проверяются по виду правила)',
  rulesSeverity: (severities: string) => `${severities} (в любом регистре)`,
  rulesParams: 'параметры — объект JSON, накладывается на параметры из файла правила',
  rulesReset: 'сбросить сохранённые изменения правила: снова действует файл правила',
  seed: (groundTruth: string) => `записать демонстрационный набор данных на русском с заложенными коллизиями (CSV для импорта и ${groundTruth})`,
  seedScale: 'число адресов',
  seedSeed: 'начальное значение генератора (то же значение — те же файлы)',
  seedOut: 'каталог для файлов',
  seedAsOf: 'дата, на которую заложенные коллизии действуют (YYYY-MM-DD)',
  seedCollisions: 'доля записей в коллизиях: 0.05 или 5% (по умолчанию около 0,4 %)',
  apikey: (serve: string) => `управление ключами API (хранятся только их хеши); работает и при запущенном ${serve}`,
  apikeyCreate: 'создать ключ и показать его один раз',
  apikeyMarkets: 'коды рынков через запятую, которыми ограничен ключ',
  apikeyName: 'для кого или для чего ключ',
  apikeyList: 'список ключей (сами ключи не показываются)',
  apikeyRevoke: 'отозвать ключ по номеру или префиксу',
} as const

// ─── the command line: tables and the lines around them ───

export const CLI_RU = {
  /** after `sverka album`: the subject, to whom, and the .eml file in outbox mode */
  albumSent: (subject: string, recipients: string) => `Отправлено: «${subject}» — ${recipients}`,
  albumFile: (path: string) => `Письмо записано в ${path}`,
  importHead: ['файл', 'строк', 'добавлено', 'обновлено', 'без изменений', 'отклонено', 'примечание'],
  importTotal: (rows: number, seconds: string, perSecond: number) => `${countRu(rows, 'строка', 'строки', 'строк')} за ${seconds} с (${perSecond.toLocaleString('ru-RU')} строк/с)`,
  importNoChanges: 'Изменений нет: всё уже хранится так, как в этих файлах.',
  importRejected: (n: number, file: string) => `отклонённых строк: ${n}, записаны в ${file}`,
  /** the progress bar's detail: rows read of the current file */
  importProgressRows: (rows: string) => `строк: ${rows}`,
  importNothingRead: (dir: string, rejects: string) => `импорт: из ${dir} ничего не прочитано; см. ${rejects}`,
  recheckNotRun: (why: string) => `повторная проверка не выполнена: ${why}; изменения учтёт следующий аудит`,
  recheckSkipped: (why: string) => `повторная проверка пропущена: ${why}`,
  recheckQueued: (records: number) => `повторная проверка поставлена в очередь (записей: ${records})`,
  recheckDone: (c: { new: number; resolved: number; reopened: number }) =>
    `повторная проверка: новых ${c.new} · устранено ${c.resolved} · переоткрыто ${c.reopened}`,
  recheckFailed: (error: string) => `повторная проверка не удалась: ${error}; импорт сохранён, изменения учтёт следующий аудит`,
  rulesHead: ['правило', 'важность', 'вид', 'включено', 'название', ''],
  on: 'да',
  off: 'нет',
  overridden: (fields: string) => `(изменено: ${fields})`,
  /** what a stored override changes, as in `(изменено: …)` */
  overrideField: { enabled: 'включение', severity: 'важность', params: 'параметры' } as Record<string, string>,
  noRules: 'в каталоге нет правил',
  ruleState: (enabled: boolean, severity: string, params: string) => `${enabled ? 'включено' : 'выключено'}, важность ${severity}, параметры ${params}`,
  overrideDropped: 'изменения сброшены',
  rulesInvalid: (invalid: number, total: number) => `файлов правил с ошибками: ${invalid} из ${total}`,
  rulesValid: (total: number) => `файлов правил: ${total}, ошибок нет`,
  auditHead: (id: string, asOf: string, rules: number, seconds: string) => `Аудит ${id} на ${asOf}: правил ${rules}, ${seconds} с`,
  auditCounts: (c: { new: number; open: number; resolved: number; reopened: number }) =>
    `новых ${c.new} · открытых ${c.open} · устранено ${c.resolved} · переоткрыто ${c.reopened}`,
  auditNoFindings: 'Открытых находок нет.',
  auditWritten: (file: string, c: { new: number; open: number; resolved: number; reopened: number }) =>
    `отчёт записан в ${file}: новых ${c.new} · открытых ${c.open} · устранено ${c.resolved} · переоткрыто ${c.reopened}`,
  auditFailing: (n: number, severity: string) => `открытых находок важности ${severity} и выше: ${n}`,
  progressAudit: 'аудит',
  progressImport: 'импорт',
  progressSeed: 'данные',
  seedProgress: (done: string, total: string) => `${done} из ${total} адресов`,
  seedFile: (file: string, rows: string) => `${file} строк: ${rows}`,
  seedPlanted: (planted: number, rules: number, asOf: string, groundTruth: string) =>
    `заложено коллизий: ${planted}, правил: ${rules} (на ${asOf}); эталон — в ${groundTruth}`,
  seedCollisionRate: (percent: string) => `записей в коллизиях: ${percent} %`,
  seedDone: (seconds: string) => `готово за ${seconds} с`,
} as const

/** Why a survivor was proposed (src/merge/types.ts SurvivorReason). */
const SURVIVOR_REASON_RU: Record<string, string> = {
  chosen: 'выбрана вручную',
  complete: 'самая полная запись',
  links: 'больше всего связей',
  oldest: 'самая старая запись',
  key: 'наименьший ключ',
}

/** Why `--from-findings` left a group alone (src/merge/bulk.ts SkipReason). */
const SKIP_REASON_RU: Record<string, string> = {
  review: 'группа разбита правилом на части, нужен разбор',
  overlap: 'участник есть в другой открытой находке правила',
  missing: 'участника уже нет',
  distinct: 'участники отмечены «не дубликат»',
  limit: 'сверх лимита',
}

const MOVE_TYPE_RU: Record<string, string> = { contract: 'договор', equipment: 'оборудование', incident: 'инцидент' }
const MOVE_FIELD_RU: Record<string, string> = { customer: 'клиент', address: 'адрес' }

/** `sverka merge`: the preview, the merge done, the report of `--from-findings`. */
export const MERGE_RU = {
  survivorReason: (reason: string) => SURVIVOR_REASON_RU[reason] ?? reason,
  skipReason: (reason: string) => SKIP_REASON_RU[reason] ?? reason,
  moveType: (type: string) => MOVE_TYPE_RU[type] ?? type,
  moveField: (field: string) => MOVE_FIELD_RU[field] ?? field,
  previewHead: (type: string) => `Предпросмотр объединения (тип записей: ${type}); ничего не изменено`,
  survivor: (key: string, reason: string) => `Остаётся: ${key} (${reason})`,
  survivorChosen: (key: string, proposed: string, reason: string) => `Остаётся: ${key} (выбрана вручную; предлагалась ${proposed}: ${reason})`,
  membersHead: ['участник', 'заполнено полей', 'договоров', 'устройств', 'инцидентов', 'создан'],
  fieldsTitle: 'Поля записи после объединения (* — у участников разные значения):',
  fieldsHead: ['поле', 'значение', 'от', ''],
  movesTitle: (n: number) => `Переносится на остающуюся запись: ${n}`,
  movedTitle: (n: number) => `Перенесено на остающуюся запись: ${n}`,
  movesHead: ['запись', 'ключ', 'поле', 'было'],
  noMoves: 'Переносить нечего.',
  resolvingTitle: (n: number) => `Будут устранены находки: ${n}`,
  appearingTitle: (n: number) => `Появятся находки: ${n}`,
  findingsHead: ['правило', 'важность', 'записи'],
  done: (id: string, survivor: string, members: string) => `Объединение ${id}: остаётся ${survivor}, объединены ${members}`,
  resolvedTitle: (n: number) => `Устранены находки: ${n}`,
  causedTitle: (n: number) => `Появились находки: ${n}`,
  recheckQueued: 'повторная проверка поставлена в очередь',
  bulkHead: (rule: string, market: string | null, dryRun: boolean) =>
    `Объединение по находкам правила ${rule}` + (market ? ` (рынок ${market})` : '') + (dryRun ? ': пробный запуск, ничего не изменено' : ''),
  bulkCounts: (c: { groups: number; merged: number; planned: number; skipped: number; failed: number }, dryRun: boolean) =>
    `групп ${c.groups} · ` + (dryRun ? `будет объединено ${c.planned}` : `объединено ${c.merged}`) + ` · пропущено ${c.skipped} · не удалось ${c.failed}`,
  bulkSkipped: (parts: string) => `пропущены: ${parts}`,
  bulkRecheck: (r: { resolved: number; created: number; reopened: number; rules: number; changes: number }, groups: number, merged: number) =>
    `повторная проверка (правил ${r.rules}, записей ${r.changes}): устранено ${r.resolved} · новых ${r.created} · переоткрыто ${r.reopened}; находки объединённых групп устранены: ${groups} из ${merged}`,
  bulkTimings: (t: { select: string; merge: string; recheck: string; total: string }, dryRun: boolean) =>
    `время: отбор ${t.select} с · ${dryRun ? 'предпросмотр' : 'объединение'} ${t.merge} с · повторная проверка ${t.recheck} с · всего ${t.total} с`,
  bulkGroupsHead: ['находка', 'итог', 'остаётся', 'участники', 'причина'],
  outcome: { merged: 'объединено', planned: 'будет объединено', skipped: 'пропущено', failed: 'не удалось' } as Record<string, string>,
  bulkNoGroups: 'Открытых находок этого правила нет.',
  bulkWritten: (file: string) => `отчёт по группам записан в ${file}`,
  progress: 'объединение',
} as const

/** `sverka merge --from-findings`: what it refuses before merging anything. */
export const BULK_RU = {
  unknownRule: (rule: string, rules: readonly string[]) => `нет правила «${rule}»; правила дублей: ${rules.join(', ')}`,
  notDuplicateRule: (rule: string, rules: readonly string[]) => `правило «${rule}» не ищет дубли адресов или клиентов; правила дублей: ${rules.join(', ')}`,
  badLimit: (value: string) => `лимит групп: нужно целое число ≥ 1, получено «${value}»`,
} as const

/** `sverka apikey`: the table of `list` and the lines of `create` and `revoke`. */
export const APIKEY_RU = {
  head: ['номер', 'префикс', 'роль', 'рынки', 'название', 'состояние'],
  allMarkets: 'все рынки',
  active: 'действует',
  revokedAt: (at: string) => `отозван ${at}`,
  none: 'ключей нет',
  markets: (codes: string) => `рынки ${codes}`,
  created: (id: number, role: string, markets: string) => `создан ключ №${id} (${role}, ${markets}); он показан только один раз`,
  byServer: (serve: string, pid: number) => `(создан запущенным ${serve}, процесс ${pid}, который держит каталог данных)`,
  revoked: (id: number, prefix: string) => `ключ №${id} (${prefix}…) отозван`,
} as const

/** `sverka serve`: the first start and the lines whoever starts it reads (test/helpers/serve.ts reads them too). */
export const SERVE_RU = {
  emptyDatabase: (embedded: boolean) => (embedded ? 'Встроенная база пуста' : 'База пуста'),
  loadingDemo: (empty: string, noDemo: string) => `${empty}: загружаются демонстрационные данные (генерация, импорт, аудит; с ${noDemo} база остаётся пустой)…`,
  demoCsv: (dir: string, command: string) => `CSV демонстрационных данных сохранены в ${dir} (их можно загрузить снова: ${command} ${dir}).`,
  demoLoaded: (rows: number, findings: number, asOf: string) => `Демонстрационные данные загружены: записей ${rows}, открытых находок ${findings} (на ${asOf}).`,
  noDemo: (empty: string, noDemo: string, importCommand: string) => `${empty}: без демонстрационных данных (${noDemo}); загрузите свои данные командой ${importCommand}.`,
  /** the name the first key is stored under */
  firstKeyName: 'первый запуск',
  console: (url: string, signedIn: boolean) => `Консоль Сверки: ${url} (в браузере${signedIn ? '; на этой машине откроется уже с ключом' : ''})`,
  url: (url: string) => `API GraphQL Сверки: ${url} (в браузере — GraphiQL)`,
  key: (role: string, key: string) => `Ключ API роли ${role} (показан один раз, хранится только его хеш): ${key}`,
  header: (header: string) => `Передавайте его в заголовке  ${header}`,
  headerInGraphiql: '(в GraphiQL на этой машине он уже подставлен)',
  keysShownOnce: 'Ключи API показываются только при создании. Нужен ключ? В другом терминале, пока этот сервер работает:',
  sameDatabase: (env: string) => `(с тем же ${env})`,
  thenHeaders: (tab: string, json: string) => `затем в GraphiQL, на вкладке ${tab}: ${json}`,
  stopping: (signal: string) => `${signal}: остановка`,
} as const

/** `sverka worker`. */
export const WORKER_RU = {
  ready: (redis: string, queues: string) => `Обработчик заданий Сверки готов, очередь на ${redis}: ${queues}`,
  stopping: (signal: string) => `${signal}: активные задания завершаются, затем остановка`,
  retrying: (line: string, seconds: number, attempt: number) => `${line}; новая попытка через ${seconds} с (попытка ${attempt})`,
} as const

/** The errors the commands refuse an option with, before anything is opened. */
export const OPTION_ERROR_RU = {
  port: (option: string, value: string) => `${option}: нужен номер порта (0–65535), получено «${value}»`,
  wholeAtLeastOne: (option: string, value: string) => `${option}: нужно целое число ≥ 1, получено «${value}»`,
  whole: (option: string, value: string) => `${option}: нужно целое число, получено «${value}»`,
  share: (option: string, value: string, maxPercent: string) => `${option}: нужна доля больше 0 и не больше ${maxPercent} % (например 0.05 или 5%), получено «${value}»`,
  period: (option: string, value: string, periods: string) => `${option}: неизвестный период «${value}» (допустимы: ${periods})`,
  subscriptionId: (option: string, value: string) => `${option}: нужен номер подписки, получено «${value}»`,
  date: (option: string, value: string) => `${option}: нужна дата в виде YYYY-MM-DD, получено «${value}»`,
  format: (value: string, formats: string) => `неизвестный формат «${value}» (допустимы: ${formats})`,
  severity: (value: string, option: string, severities: string) => `неизвестная важность «${value}» для ${option} (допустимы: ${severities})`,
  noRuleIds: (option: string, value: string) => `${option}: нужен хотя бы один идентификатор правила, получено «${value}»`,
  noMarket: (option: string) => `${option}: нужен код рынка`,
  noDirectory: (option: string, dir: string) => `${option}: каталога ${dir} нет`,
  encoding: (value: string, encodings: string) => `неизвестная кодировка «${value}» (допустимы: ${encodings})`,
  rulesSetNothing: (command: string, severity: string, params: string) => `${command}: укажите ${severity} или ${params}`,
  paramsNotJson: (option: string, error: string) => `${option}: не объект JSON: ${error}`,
  noRuleFiles: (command: string, dir: string) => `${command}: в каталоге ${dir} нет файлов правил`,
  mergeNeedsKeys: (keys: string, fromFindings: string) => `укажите ${keys} (два или больше) или ${fromFindings}`,
  mergeKeysWithFindings: (fromFindings: string) => `ключи записей не указываются вместе с ${fromFindings}: группы берутся из находок`,
  mergeNeedsType: (option: string, types: string) => `${option}: укажите тип записей (${types})`,
  mergeType: (option: string, value: string, types: string) => `${option}: неизвестный тип записей «${value}» (допустимы: ${types})`,
  mergeField: (option: string, value: string) => `${option}: нужно ПОЛЕ=КЛЮЧ, получено «${value}»`,
  mergeOnlyExplicit: (option: string, fromFindings: string) => `${option} не указывается вместе с ${fromFindings}`,
  mergeOnlyBulk: (option: string, fromFindings: string) => `${option} указывается только с ${fromFindings}`,
  workerNeedsRedis: (command: string, env: string, serve: string) =>
    `${command}: нужна переменная ${env} (сервер очереди заданий); без очереди задания выполняет ${serve} (встроенный режим)`,
  workerNeedsDatabase: (command: string, env: string, serve: string) =>
    `${command}: нужна переменная ${env}: встроенную базу нельзя делить с ${serve}`,
} as const
