import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, problemTitle } from '@guichet/core/errors/problem';

class FieldErrorDoc {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;
}

/** RFC 9457 problem details as this API writes them. */
export class ProblemDoc {
  @ApiProperty({ example: 'urn:guichet:problem:validation_failed' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiPropertyOptional({ example: 'Invalid request: email' })
  detail?: string;

  @ApiPropertyOptional({ example: '/api/v1/users' })
  instance?: string;

  @ApiProperty({ example: 'validation_failed', description: 'Stable machine-readable code' })
  code: string;

  @ApiProperty({ example: '6f1c2a7e-3c1d-4a55-9b0a-2f1e7c9d1b20', description: 'Also in the logs and the X-Request-Id header' })
  correlationId: string;

  @ApiPropertyOptional({ type: [FieldErrorDoc] })
  errors?: FieldErrorDoc[];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` lists each bad field',
  401: 'Missing, invalid or expired credentials',
  403: 'Authenticated, but the role or key scope does not allow this',
  404: 'Not found, or not in the caller’s sites',
  409: 'Conflict: stale version, duplicate, or a concurrent change won',
  422: 'Well-formed but breaks a business rule',
  429: 'Too many attempts; see Retry-After',
};

/** Documents the problem+json responses a route can return. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDoc),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? problemTitle(status),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDoc) } } },
      }),
    ),
  );
}
