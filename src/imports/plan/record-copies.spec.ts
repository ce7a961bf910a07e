import { withoutNulls } from './record-copies';

describe('withoutNulls', () => {
  it('keeps filled fields in their order and leaves out null, undefined and empty arrays', () => {
    const kept = withoutNulls({ a: 1, b: null, c: undefined, d: [], e: ['x'], f: '', g: false, h: 0 });
    expect(kept).toEqual({ a: 1, e: ['x'], f: '', g: false, h: 0 });
    expect(Object.keys(kept)).toEqual(['a', 'e', 'f', 'g', 'h']);
  });
});
