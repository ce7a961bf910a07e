/** Each organization works in the operation space and may also run a construction (developer's sales) space. */
export enum CrmSpace {
  OPERATION = 'OPERATION',
  CONSTRUCTION = 'CONSTRUCTION',
}
