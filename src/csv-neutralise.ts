// Formula starts in CSV text (OWASP, «CSV Injection»): what the one CSV writer (src/csv.ts) and the console's report
// downloads (web/src/screens/reports/tables.ts) both do to text from the data. Imports nothing, so the console may
// bundle it: the only server file web/ is allowed to import (.dependency-cruiser.cjs, .oxlintrc.json).

// OWASP's formula starts (=, +, -, @, tab, CR) and their full-width forms, which Apple Numbers folds to them
const FORMULA_START = '=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20'

// Where a spreadsheet may start a cell inside a text: at its start, and after each `,`, `;`, CR or LF
// in it — a reader that splits on the separator the file does not use (Excel splits on the locale's
// list separator, `;` in ru-RU, whatever the file's) or that loses track of the quotes starts a new
// cell there; quote marks right after such a place may be read as quoting and dropped.
const CELL_START = new RegExp(`(?<=^|[,;\\r\\n])"*(?=[${FORMULA_START}])`, 'g')

/**
 * The text with a `'` before every formula start a spreadsheet could see at the start of a cell
 * (OWASP, «CSV Injection»): `=1+1` → `'=1+1`, `Z;=cmd` → `Z;'=cmd`. Anything else is left as it is.
 */
export function neutralise(text: string): string {
  return text.replace(CELL_START, "$&'")
}
