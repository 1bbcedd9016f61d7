import { ApiHeader } from '@nestjs/swagger';

/** Documents the If-Match header read by @ExpectedVersion(). */
export const ApiIfMatch = (): MethodDecorator =>
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The version last read, e.g. `"3"` (or send `version` in the body); a stale one is refused with 409 `stale_version`.',
  });
