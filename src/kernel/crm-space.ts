import { registerEnumType } from '@nestjs/graphql';

/** Each organization works in the operation space and may also run a construction (developer's sales) space. */
export enum CrmSpace {
  OPERATION = 'OPERATION',
  CONSTRUCTION = 'CONSTRUCTION',
}

registerEnumType(CrmSpace, {
  name: 'CrmSpace',
  description: 'OPERATION (эксплуатация) or CONSTRUCTION (строительство)',
});
