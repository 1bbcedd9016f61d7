import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** Trims surrounding spaces from a string, so "  " is caught as empty. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

/** May be left out, but not sent as null (the column has a default and cannot be empty). */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}

/** A required, trimmed, non-empty string of at most `max` characters. */
export function RequiredText(max: number): PropertyDecorator {
  return applyDecorators(Trim(), IsString(), IsNotEmpty(), MaxLength(max));
}

/** An optional string; null or "" clears it. */
export function OptionalText(max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value)),
    IsOptional(),
    IsString(),
    MaxLength(max),
  );
}

/** Text that may be left out or empty, but not null (a NOT NULL column with '' as default). */
export function DescriptionText(max: number): PropertyDecorator {
  return applyDecorators(OptionalNotNull(), Trim(), IsString(), MaxLength(max));
}

/**
 * Digits, spaces, dots, dashes, brackets and a leading +. Deliberately loose: directories hold
 * short numbers (3949, 3230) and extensions that no phone library accepts as valid numbers.
 */
export function PhoneNumber(): PropertyDecorator {
  return applyDecorators(
    OptionalText(30),
    Matches(/^\+?[0-9][0-9 .()-]*$/, { message: '$property must be a phone number (digits, spaces, . - ( ) and a leading +)' }),
  );
}

export function OptionalEmail(): PropertyDecorator {
  return applyDecorators(OptionalText(254), IsEmail());
}

/** Free-text search words; every word must match, accents and case ignored. */
export function SearchText(): PropertyDecorator {
  return applyDecorators(IsOptional(), IsString(), MaxLength(200));
}

export function Keywords(): PropertyDecorator {
  return applyDecorators(
    OptionalNotNull(),
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? value.map((item: unknown) => (typeof item === 'string' ? item.trim() : item)) : value,
    ),
    IsArray(),
    ArrayMaxSize(50),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    MaxLength(100, { each: true }),
  );
}

/** A nested object validated by its own class. */
export function Nested(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsObject(), ValidateNested(), Type(type));
}
