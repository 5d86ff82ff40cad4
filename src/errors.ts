// Error classes with a stable `code`: expected failures the caller (CLI, GraphQL) can map.
import { COMMON_RU } from './i18n/ru-errors.ts'
export class SverkaError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** Bad input from a user or a file: one clear line, exit code 2. */
export class InputError extends SverkaError {
  constructor(message: string, options?: { cause?: unknown }) { super('BAD_INPUT', message, options) }
}

/** Bad input in one named field of a record (a pre-write check): the field and why it was refused. */
export class FieldError extends InputError {
  constructor(readonly field: string, readonly reason: string) { super(`${field}: ${reason}`) }
}

/** The embedded database is held by another process. */
export class DatabaseLockedError extends SverkaError {
  constructor(message: string) { super('DATABASE_LOCKED', message) }
}

/** The PostgreSQL server of DATABASE_URL cannot be reached or refuses the connection. */
export class DatabaseUnreachableError extends SverkaError {
  constructor(message: string) { super('DATABASE_UNREACHABLE', message) }
}

export class NotFoundError extends SverkaError {
  constructor(message: string) { super('NOT_FOUND', message) }
}

export class ConflictError extends SverkaError {
  constructor(message: string) { super('CONFLICT', message) }
}

/** A feature the SPEC names that this build does not have yet. */
export class NotImplementedError extends SverkaError {
  constructor(message: string) { super('NOT_IMPLEMENTED', message) }
}

/** One problem with one input field: which field (a dotted path), a stable code and a sentence. */
export interface FieldProblem { field: string | null; code: string; message: string }

/** Input refused with every problem found, field by field (GraphQL answers it as a result, not an exception). */
export class ValidationFailed extends InputError {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ') || COMMON_RU.invalidInput)
  }
}

/** A request without valid credentials. */
export class AuthenticationError extends SverkaError {
  constructor(message: string) { super('UNAUTHENTICATED', message) }
}

/** An authenticated caller asking for what their role or markets do not allow. */
export class ForbiddenError extends SverkaError {
  constructor(message: string) { super('FORBIDDEN', message) }
}
