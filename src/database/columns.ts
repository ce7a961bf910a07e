import { ValueTransformer } from 'typeorm';

/** `numeric` values stay exact: PostgreSQL returns them as strings and so do we (the Decimal scalar). */
export const decimalTransformer: ValueTransformer = {
  to: (value: string | null | undefined) => value,
  from: (value: string | null) => value,
};
