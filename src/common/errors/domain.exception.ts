import { ErrorCode, FieldError, BilingualMessage } from './error-code';

/**
 * Every error a module raises on purpose. The GraphQL error formatter turns it into
 * `{ message: ru, extensions: { code, messageEn, fields? } }`; anything else becomes INTERNAL.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly text: BilingualMessage,
    readonly fields?: FieldError[],
    readonly details?: Record<string, unknown>,
  ) {
    super(text.en);
  }
}

export class NotFoundException extends DomainException {
  /** `path` names the input field that carried the id, when the id came inside an input. */
  constructor(entity: BilingualMessage, id?: string, path?: string) {
    const text = {
      ru: `${entity.ru} не найден(а)${id ? ` (id ${id})` : ''}`,
      en: `${entity.en} not found${id ? ` (id ${id})` : ''}`,
    };
    super(ErrorCode.NOT_FOUND, text, path ? [{ path, message: text.ru, messageEn: text.en }] : undefined);
  }
}

export class BadInputException extends DomainException {
  constructor(fields: FieldError[], text?: BilingualMessage) {
    super(
      ErrorCode.BAD_USER_INPUT,
      text ?? {
        ru: `Проверьте поля: ${fields.map((f) => `${f.path} — ${f.message}`).join('; ')}`,
        en: `Invalid input: ${fields.map((f) => `${f.path}: ${f.messageEn}`).join('; ')}`,
      },
      fields,
    );
  }

  static field(path: string, ru: string, en: string): BadInputException {
    return new BadInputException([{ path, message: ru, messageEn: en }]);
  }
}

export class ConflictException extends DomainException {
  constructor(text: BilingualMessage, fields?: FieldError[]) {
    super(ErrorCode.CONFLICT, text, fields);
  }
}

export class ForbiddenException extends DomainException {
  constructor(
    text: BilingualMessage = { ru: 'Недостаточно прав для этого действия', en: 'You are not allowed to do this' },
  ) {
    super(ErrorCode.FORBIDDEN, text);
  }
}

export class UnauthenticatedException extends DomainException {
  constructor(text: BilingualMessage = { ru: 'Требуется вход в систему', en: 'Authentication required' }) {
    super(ErrorCode.UNAUTHENTICATED, text);
  }
}
