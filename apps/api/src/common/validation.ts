import { BadRequestException, ValidationError as ClassValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '@guichet/core/errors/domain-error';

/** Flattens nested class-validator errors into `a.b[0].c` paths, one entry per broken rule. */
export function flattenValidationErrors(errors: ClassValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ field: path, message });
    if (error.children?.length) out.push(...flattenValidationErrors(error.children, path));
  }
  return out;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      return new BadRequestException({
        code: 'validation_failed',
        message: `Invalid request: ${[...new Set(fields.map((f) => f.field))].join(', ')}`,
        errors: fields,
      });
    },
  });
}
