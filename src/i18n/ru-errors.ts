// The Russian texts of the errors the server gives people: API callers (support agents' screens, NSI
// specialists) and operators starting it. Texts only: the code that throws them picks one and fills it in.
// The `code` beside each error (BAD_INPUT, NOT_FOUND, …), enum values, rule ids, keys, option and command
// names stay as they are — a person types them back, a machine matches them — and come in as parameters.
// What stays English (log lines, internal invariant errors, library messages): docs/spec-readings.md.
import { FINDING_STATUS_RU } from './ru.ts'

/** «'a', 'b'» → «a», «b»: identifiers a person types back, each in quotes. */
export const quotedRu = (ids: readonly string[]) => ids.map((id) => `«${id}»`).join(', ')

/** A finding status in words, for a message («принято»); an unknown value as it is. */
const statusRu = (status: string) => `«${FINDING_STATUS_RU[status] ?? status}»`
const statusesRu = (statuses: readonly string[]) => statuses.map(statusRu).join(', ')

/** What a finding's transition does, in the infinitive: «нельзя принять находку …». */
export const TRANSITION_RU: Record<string, string> = {
  acknowledge: 'принять', start: 'взять в работу', resolve: 'устранить', waive: 'исключить', reopen: 'переоткрыть', assign: 'назначить',
}
const transitionRu = (name: string) => TRANSITION_RU[name] ?? name

// ─── common ───

const COMMON_NONE_IMPORT = (importHint: string) => `ни одного — сначала загрузите ${importHint}`

export const COMMON_RU = {
  /** ValidationFailed without a single problem (should not happen, but the text is read) */
  invalidInput: 'неверные входные данные',
  unknownRule: (ids: readonly string[], known: readonly string[]) =>
    `${ids.length > 1 ? 'нет таких правил' : 'нет такого правила'}: ${quotedRu(ids)} (есть: ${known.join(', ')})`,
  unknownMarket: (market: string, known: readonly string[], importHint: string) =>
    `нет рынка «${market}» (есть: ${known.length ? known.join(', ') : COMMON_NONE_IMPORT(importHint)})`,
  anotherProcess: 'другом процессе',
  /** a date the user typed in an option or argument */
  badDate: (option: string, value: string) => `${option}: нужна дата ГГГГ-ММ-ДД (YYYY-MM-DD), получено «${value}»`,
} as const

// ─── findings and their workflow ───

export const FINDING_RU = {
  notFound: (ref: string) => `нет находки «${ref}»`,
  resolveNeedsComment: 'чтобы устранить находку, нужен комментарий: что сделано',
  waiveNeedsReason: 'чтобы исключить находку, нужна причина',
  waiverExpiryPast: (until: string | null) => `срок исключения должен быть в будущем, получено ${until ?? 'неверная дата'}`,
  commentNeedsText: 'комментарий не может быть пустым',
  actorRequired: (action: string, field: string) => `${transitionRu(action)}: нужно указать, кто это делает (${field})`,
  supportLine: (line: unknown) => `линия поддержки — 1, 2 или 3, получено ${String(line)}`,
  unknownGroup: (group: string, known: readonly string[]) =>
    `нет ответственной группы «${group}» (есть: ${known.length ? known.join(', ') : 'ни одной'})`,
  wrongStatus: (action: string, fingerprint: string, status: string, from: readonly string[]) =>
    `нельзя ${transitionRu(action)} находку ${fingerprint}: её статус ${statusRu(status)} (можно в статусах: ${statusesRu(from)})`,
  changedMeanwhile: (fingerprint: string) => `находку ${fingerprint} тем временем изменили; повторите`,
} as const

// ─── rules, overrides, the catalogue of rules ───

export const RULE_RU = {
  notFound: (id: string) => `нет правила «${id}»`,
  unknown: (id: string, known: readonly string[]) => `нет правила «${id}» (есть: ${known.join(', ')})`,
  switchedOff: (ids: readonly string[], enableCommand: string) =>
    `${ids.length > 1 ? 'правила выключены' : 'правило выключено'}: ${quotedRu(ids)} (включить: ${enableCommand})`,
  unknownSeverity: (value: string, known: readonly string[]) => `неизвестная важность «${value}» (допустимо: ${known.join(', ')})`,
  badOverride: (id: string, problems: string) => `изменение правила ${id}: ${problems}`,
  badRuleFiles: (problems: string) => `ошибки в файлах правил: ${problems}`,
  cannotReadFolder: (dir: string, reason: string) => `не удалось прочитать папку правил ${dir}: ${reason}`,
} as const

/** zod's type names as people say them. */
const TYPE_RU: Record<string, string> = { string: 'строка', number: 'число', int: 'целое число', boolean: 'да или нет', array: 'список', object: 'объект', date: 'дата' }

/** The checks of a rule file's own fields (rules/*.yaml), beyond zod's Russian defaults. */
export const RULE_FILE_RU = {
  idTaken: (id: string, file: string) => `«${id}» уже задан в ${file}`,
  cannotLoad: (reason: string) => `не загружается: ${reason}`,
  noDefaultExport: (call: string) => `нет экспорта по умолчанию из ${call}`,
  yamlLine: (line: number | string, reason: string) => `строка ${line}: ${reason}`,
  notMapping: 'ожидается набор полей правила',
  idNotFileName: (id: string, file: string) => `«${id}» не совпадает с именем файла ${file}`,
  customNeedsModule: (kind: string, language: string, fn: string) => `вид «${kind}» — только для правила на ${language} с функцией ${fn}`,
  unknownKind: (kind: string, known: readonly string[]) => `неизвестный вид «${kind}»; допустимо: ${known.join(', ')}`,
  required: 'обязательное поле',
  unknownKey: 'неизвестное поле',
  expected: (value: string) => `ожидается ${value}`,
  oneOf: (values: readonly string[]) => `ожидается одно из: ${values.join(', ')}`,
  /** `type` is zod's name of the type: string, number, boolean, array, object */
  expectedType: (type: string) => `ожидается ${TYPE_RU[type] ?? type}`,
  badId: 'строчные латинские буквы и цифры, слова через «-»',
  valuesOrOther: (values: string, other: string) => `укажите либо ${values}, либо ${other}`,
  badPattern: 'не регулярное выражение',
  noRelation: (subject: string, related: string, known: readonly string[]) =>
    `у записи «${subject}» нет связи с «${related}»; допустимо: ${known.join(', ')}`,
  unknownRelatedField: (name: string, subject: string, related: string) =>
    `неизвестное поле «${name}»; ожидается ${subject}.<поле> или ${related}.<поле>`,
  unknownField: (name: string, entity: string, known: readonly string[]) =>
    `у записи «${entity}» нет поля «${name}»; допустимо: ${known.join(', ')}`,
} as const

/** The search's arguments. */
export const SEARCH_RU = {
  emptyText: 'текст поиска не может быть пустым',
  textTooLong: (max: number) => `текст поиска не длиннее ${max} символов`,
  types: (types: readonly string[]) => `поиск охватывает только ${types.join(', ')}`,
  whole: (argument: string) => `${argument} — целое число`,
  atLeastOne: (argument: string) => `${argument} — не меньше 1`,
  atMost: (argument: string, max: number) => `${argument} — не больше ${max}`,
} as const

// ─── audit runs ───

export const AUDIT_RU = {
  running: (runId: string, owner: string | null, heartbeatSeconds: number | null) =>
    `аудит ${runId} уже выполняется в ${owner ?? COMMON_RU.anotherProcess}`
    + (heartbeatSeconds === null ? '' : ` (последний сигнал ${heartbeatSeconds} с назад)`) + ': дважды одновременно не запускается',
  markedMeanwhile: (runId: string, status: string | null, error: string | null) =>
    `аудит ${runId} тем временем ` + (status === null ? 'удалён' : `получил статус ${status}`) + (error ? ` (${error})` : '')
    + '; его результаты отброшены, находки остались прежними',
  jobRunning: (runId: string, owner: string | null) =>
    `аудит ${runId} этого задания уже выполняется в ${owner ?? COMMON_RU.anotherProcess}: дважды одновременно не запускается`,
  notFound: (runId: string) => `нет аудита «${runId}»`,
  /** why a RUNNING run was marked FAILED: its process stopped (the run's `error`) */
  dead: {
    since: (at: string) => `нет сигнала с ${at}`,
    sinceStart: (at: string) => `нет сигнала с начала в ${at}`,
    stopped: (who: string | null, since: string) => 'процесс, выполнявший аудит' + (who ? ` (${who})` : '') + `, остановился: ${since}`,
    reopened: (stopped: string, by: string) => `${stopped}; встроенную базу открыли снова (${by}), а открыть её может только один процесс`,
    givenUp: (stopped: string, seconds: number) => `${stopped} (ожидание прекращено через ${seconds} с)`,
    gone: (stopped: string, pid: number, host: string) => `${stopped}; процесс ${pid} больше не выполняется на ${host}`,
  },
  tooManyRules: (max: number) => `не больше ${max} правил`,
  marketEmpty: 'не может быть пустым: чтобы проверить все рынки, не указывайте рынок',
  keyMarketRequired: (markets: readonly string[]) => `ключ ограничен рынками ${markets.join(', ')}: укажите один из них`,
  keyMarketOutside: (markets: readonly string[], market: string) => `ключ ограничен рынками ${markets.join(', ')}; «${market}» не из них`,
  noMarket: (market: string) => `нет рынка «${market}»`,
  unknownRules: (ids: readonly string[]) => `${ids.length > 1 ? 'нет таких правил' : 'нет такого правила'}: ${quotedRu(ids)}`,
  switchedOff: (ids: readonly string[]) => `${ids.length > 1 ? 'правила выключены' : 'правило выключено'}: ${quotedRu(ids)}`,
} as const

// ─── rechecks of single records (incremental) ───

export const RECHECK_RU = {
  planShape: (shape: string) => `план перепроверки: ожидается ${shape}`,
  planNotObject: (id: string) => `план перепроверки: правило ${id} — не объект`,
  planSubject: (id: string, subject: string) => `план перепроверки: правило ${id}: неизвестный тип записи «${subject}»`,
  planLists: (id: string, keys: string, groups: string) => `план перепроверки: правило ${id}: ${keys} и ${groups} — списки строк`,
  planWhole: (id: string, whole: string, values: string) => `план перепроверки: правило ${id}: ${whole} — только ${values}`,
  unknownRecordType: (type: string, expected: readonly string[]) => `неизвестный тип записи «${type}» (допустимо: ${expected.join(', ')})`,
  unknownField: (type: string, expected: readonly string[]) => `нет такого поля у записи типа «${type}» (есть: ${expected.join(', ')})`,
  textOrNull: (empty: string) => `только текст или ${empty}`,
  unknownEntityType: (type: string, expected: readonly string[]) => `перепроверка: неизвестный тип записи «${type}» (допустимо: ${expected.join(', ')})`,
  noKey: (type: string) => `перепроверка: запись типа «${type}» без ключа`,
  unknownReferenced: (what: string, keys: readonly string[]) => `${what}: нет ${quotedRu(keys)}`,
} as const

// ─── access: API keys, authentication, permissions ───

export const ACCESS_RU = {
  unknownRole: (role: string, roles: readonly string[]) => `неизвестная роль «${role}» (допустимо: ${roles.join(', ')})`,
  scopedCreatesScoped: (markets: readonly string[]) =>
    `ключ, ограниченный рынками ${markets.join(', ')}, создаёт только ключи, ограниченные некоторыми из них: укажите рынки`,
  unknownMarkets: (codes: readonly string[], importHint: string) => `неизвестный рынок: ${codes.join(', ')}; сначала загрузите ${importHint}`,
  keyNotFound: (idOrPrefix: string) => `нет ключа API ${idOrPrefix}`,
  keyAmbiguous: (count: number, prefix: string) => `с ${prefix} начинаются ключи: ${count}; отзовите ключ по его номеру`,
  /** no Authorization header; `header` is how to send one, `command` how to create a key */
  authRequired: (header: string, command: string) => `нужна аутентификация: передайте ${header} (ключ создаёт ${command})`,
  authRequiredShort: 'нужна аутентификация',
  fieldNeedsKey: 'это поле доступно только с ключом API',
  malformedHeader: (header: string, expected: string) => `неверный заголовок ${header}: ожидается ${expected}`,
  unknownOrRevoked: 'неизвестный или отозванный ключ API',
  forbiddenCatalogue: (markets: readonly string[]) =>
    `запрещено: ключ, ограниченный рынками ${markets.join(', ')}, не может менять общий для всех рынков справочник (рынки, типы оборудования, продукты)`,
  forbiddenShared: (markets: readonly string[], field: string) =>
    `запрещено: ключ, ограниченный рынками ${markets.join(', ')}, не может вызывать ${field}: это меняет то, что общее для всех рынков`,
  forbiddenRole: (role: string, field: string) => `запрещено: ключ с ролью ${role} не может вызывать ${field}`,
  forbiddenIntake: (role: string, permission: string) => `роль ${role} не может регистрировать инциденты и жалобы (нужно право ${permission})`,
  forbiddenDashboard: (role: string) => `роль ${role} не может открыть панель очередей`,
  forbiddenMetrics: (role: string, permission: string, example: string) => `роль ${role} не может читать метрики (нужно право ${permission}, например у ключа ${example})`,
  metricsAllMarkets: (markets: readonly string[]) => `ключ ограничен рынками ${markets.join(', ')}, а метрики считают все рынки: нужен ключ без ограничения рынками`,
  dashboardOtherSite: 'изменения очередей принимаются только со страницы самой панели',
  /** the lines of the answer of a server without a queue dashboard */
  noDashboard: (variable: string, health: string, metrics: string) => [
    `Очереди заданий этого сервера работают внутри процесса (не задана ${variable}): панели очередей нет.`,
    `Глубина очередей и сбойные задания: ${health} (или ${metrics}).`,
  ],
} as const

// ─── schedules and subscriptions ───

export const JOBS_RU = {
  scheduleNotFound: (id: string | number) => `нет расписания ${id}`,
  noJobs: (command: string) => `этот сервер не выполняет заданий: запустите его командой ${command}`,
  notQueued: (reason: string) => `аудит не поставлен в очередь (${reason}); повторите`,
  scheduleExists: (name: string) => `расписание «${name}» уже есть`,
  subscriptionNotFound: (id: string | number) => `нет подписки ${id}`,
  subscriptionDeleted: (id: string | number) => `подписку ${id} тем временем удалили`,
  albumNotAudit: (name: string) => `«${name}» — расписание альбома отчётов: оно отправляет письмо, а не запускает проверку`,
  subscriptionInUse: (id: string | number, schedules: string) => `подписку ${id} отправляет расписание альбома отчётов (${schedules}): сначала удалите его или смените подписку`,
  albumSubscriptionInactive: (id: string | number) => `подписка ${id} выключена`,
  albumNoRecipients: (id: string | number) => `у подписки ${id} нет получателей, а у её группы — адреса`,
  /** the job queue's Redis does not answer; `reason` is the client's own words */
  redisUnreachable: (url: string, reason: string) => `Redis по адресу ${url} не отвечает: ${reason}`,
} as const

// ─── incidents, links, responsible groups, intake ───

export const INCIDENT_RU = {
  notFound: (ref: string) => `нет инцидента «${ref}»`,
  alreadyLinked: (incident: string, fingerprint: string) => `инцидент ${incident} уже связан с находкой ${fingerprint}`,
  notLinked: (incident: string, fingerprint: string) => `инцидент ${incident} не связан с находкой ${fingerprint}`,
  groupExists: (code: string) => `ответственная группа «${code}» уже есть`,
  groupNotFound: (code: string) => `нет ответственной группы «${code}»`,
  cannotReadFile: (what: string, file: string, reason: string) => `не удалось прочитать файл настроек (${what}) ${file}: ${reason}`,
  notText: 'должно быть строкой',
  tooLong: (max: number) => `не длиннее ${max} символов`,
  oneOf: (field: string, values: readonly string[]) => `${field}: одно из значений ${values.join(', ')}`,
  describeSomething: (fields: readonly string[]) => `укажите описание или хотя бы одно из полей: ${fields.join(', ')}`,
  groupsUnknown: (file: string, problems: string, section: string) => `${file}: ${problems} (перечислите её в разделе ${section} или создайте через API)`,
} as const

// ─── the configuration files of incidents: rules/routing.yaml, rules/sla.yaml ───

export const CONFIG_RU = {
  code: 'нужен код: буквы, цифры, «-», «_», «.»',
  listedTwice: (code: string, at: string) => `«${code}» уже указан в ${at}`,
  sameRoute: (at: string) => `совпадает ровно с тем, что выбирает ${at}`,
  date: 'нужна дата ГГГГ-ММ-ДД (YYYY-MM-DD)',
  notCalendarDate: 'нет такого дня в календаре',
  hoursPositive: 'нужно число рабочих часов больше 0',
  utcOffset: (example: string) => `нужно смещение часового пояса, например «${example}»`,
  openingHours: (form: string) => `нужны часы работы вида «${form}», открытие раньше закрытия`,
  resolveShorter: (acknowledge: string) => `не может быть короче, чем ${acknowledge}`,
} as const

// ─── the GraphQL layer: scalars, search, limits ───

export const GRAPHQL_RU = {
  dateTime: (scalar: string, standard: string) => `${scalar}: нужна строка даты и времени по ${standard}`,
  date: (scalar: string, got: string) => `${scalar}: нужна дата ГГГГ-ММ-ДД (YYYY-MM-DD), получено ${got}`,
  dateString: (scalar: string) => `${scalar}: нужна строка с датой ГГГГ-ММ-ДД (YYYY-MM-DD)`,
  badSearch: (problems: string) => `неверный поиск: ${problems}`,
  sinceBeforeUntil: (since: string, until: string) => `${since} должно быть раньше ${until}`,
  queryTooDeep: (depth: number, limit: number) => `глубина запроса ${depth} больше допустимой (${limit})`,
  introspectionTooDeep: (depth: number, limit: number) => `глубина запроса схемы ${depth} больше допустимой (${limit})`,
  tooLarge: (bytes: number, limit: number) => `тело запроса слишком большое: ${bytes} байт (не больше ${limit})`,
  notFound: 'не найдено',
  pageMin: 'не меньше 0',
  pageMax: (max: number) => `не больше ${max}`,
  tooManyValues: (max: number) => `не больше ${max} значений`,
  keyTooLong: (field: string, max: number) => `${field}: не длиннее ${max} символов`,
  /** what a lookup argument must be, when nothing comparable is left of it */
} as const

// ─── HTTP: the REST intake, the control endpoint, CORS ───

export const HTTP_RU = {
  noEndpoint: (path: string, known: string) => `нет такого адреса: ${path} (есть ${known})`,
  sendJson: (contentType: string) => `передайте тело запроса в JSON (${contentType})`,
  notUtf8: (encoding: string) => `тело запроса — не текст в кодировке ${encoding}`,
  notJson: 'тело запроса — не JSON',
  notObject: 'тело запроса должно быть объектом JSON',
  wrongControlToken: 'неверный токен управления',
  onlyMethod: (method: string) => `только ${method}`,
  pathTakes: (path: string, method: string) => `${path}: только ${method}`,
  tooLarge: (what: string) => `${what}: слишком большой`,
  noControlRequest: (url: string) => `нет такой команды управления: ${url}`,
  controlFailed: 'сервер не смог это выполнить; подробности в его журнале',
  controlUnreachable: (command: string, pid: number, dir: string, url: string, reason: string) =>
    `${command} (процесс ${pid}) занимает ${dir}, но не отвечает по адресу ${url}: ${reason}`,
  notOrigin: (variable: string, entry: string, form: string, example: string) =>
    `${variable}: ${entry} — не источник запросов; ожидается ${form}, например ${example} (через запятую)`,
  noAnswerWithin: (ms: number) => `нет ответа за ${ms} мс`,
  checkFailed: 'не удалось (причина в журнале сервера)',
} as const

// ─── the database: its URL, the lock of the embedded one, an unreachable server ───

export const DATABASE_RU = {
  notUrl: (variable: string, form: string) => `${variable} — не адрес сервера; ожидается ${form} (или не задавайте её, чтобы работать со встроенной базой)`,
  notPostgres: (variable: string, scheme: string | null, form: string) =>
    `${variable}: адрес ` + (scheme ? `со схемой ${scheme}` : 'без схемы') + `, а не адрес PostgreSQL; ожидается ${form}`,
  locked: (dir: string, pid: number, command: string, since: string, variable: string, besideServe: string | null) =>
    `встроенная база в ${dir} занята процессом ${pid} («${command}», с ${since}); `
    + `остановите этот процесс или укажите в ${variable} другую папку`
    + (besideServe ? ` (${besideServe} работает рядом с запущенным сервером)` : ''),
  lockRace: (file: string) => `не удалось заблокировать ${file}: другой процесс сверки как раз открывает эту базу`,
  refused: (target: string, reason: string) => `PostgreSQL по адресу ${target} отказал в подключении: ${reason}`,
  unreachable: (target: string, reason: string) => `не удаётся подключиться к PostgreSQL по адресу ${target}: ${reason}`,
  /** why a connection failed, by the system's error code */
  reasons: {
    ENOTFOUND: 'нет такого хоста',
    EAI_AGAIN: 'имя хоста сейчас не удаётся разрешить',
    ECONNREFUSED: 'в подключении отказано (запущен ли там PostgreSQL и слушает ли он этот порт?)',
    ETIMEDOUT: 'истекло время ожидания подключения',
    EHOSTUNREACH: 'нет маршрута до хоста',
    ENETUNREACH: 'сеть недоступна',
    ECONNRESET: 'подключение сброшено',
    ENOENT: 'там нет сокета PostgreSQL',
  } as Record<string, string>,
  noAnswer: (seconds: number) => `нет ответа за ${seconds} с`,
} as const
