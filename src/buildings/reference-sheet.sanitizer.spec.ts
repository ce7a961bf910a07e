import { sanitizeReferenceSheet } from './reference-sheet.sanitizer';

describe('sanitizeReferenceSheet', () => {
  it('keeps the formatting a dispatcher reads', () => {
    const html =
      '<h2>Аварийные службы</h2><ul><li><b>Лифт:</b> <a href="tel:+74951234567">+7 495 123-45-67</a></li></ul><table><tr><td colspan="2">Код домофона 1234</td></tr></table>';
    const clean = sanitizeReferenceSheet(html);
    expect(clean).toContain('<h2>Аварийные службы</h2>');
    expect(clean).toContain('<a href="tel:+74951234567" rel="noopener noreferrer">');
    expect(clean).toContain('<td colspan="2">Код домофона 1234</td>');
  });

  it.each([
    ['<p>ok</p><script>alert(1)</script>', '<p>ok</p>'],
    ['<p onclick="steal()">ok</p>', '<p>ok</p>'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'],
    ['<img src=x onerror=alert(1)><p>ok</p>', '<p>ok</p>'],
    ['<style>body{}</style><p>ok</p>', '<p>ok</p>'],
  ])('strips what could run in a browser: %s', (input, expected) => {
    expect(sanitizeReferenceSheet(input)).toBe(expected);
  });
});
