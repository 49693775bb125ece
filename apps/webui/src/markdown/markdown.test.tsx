import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Markdown, safeUrl } from './markdown.js';

afterEach(cleanup);

describe('Markdown: GFM as React elements, never raw HTML', () => {
  it('renders GFM: tables, task lists, strikethrough, autolinks, fenced code with its language', () => {
    const { container } = render(
      <Markdown
        text={[
          '| a | b |',
          '| - | - |',
          '| 1 | 2 |',
          '',
          '- [x] done',
          '- [ ] todo',
          '',
          '~~old~~ see https://example.com/page',
          '',
          '```python',
          'print("hi")',
          '```',
        ].join('\n')}
      />,
    );
    expect([...container.querySelectorAll('td')].map((cell) => cell.textContent)).toEqual([
      '1',
      '2',
    ]);
    expect(container.querySelectorAll('input[type="checkbox"]').length).toBe(2);
    expect(container.querySelector('del')!.textContent).toBe('old');
    expect(container.querySelector('a')!.getAttribute('href')).toBe('https://example.com/page');
    expect(container.querySelector('.code-block__lang')!.textContent).toBe('python');
    expect(container.querySelector('.code-block code')!.textContent).toBe('print("hi")');
  });

  it('shows raw HTML as text: no element, no handler, no script', () => {
    const html =
      '<img src=x onerror="alert(1)"><script>alert(2)</script><iframe src="https://evil.example"></iframe><b onclick="x()">bold</b>';
    const { container } = render(<Markdown text={`before ${html} after`} />);
    for (const tag of ['img', 'script', 'iframe', 'b'])
      expect(container.querySelector(tag)).toBeNull();
    expect(container.querySelector('[onerror], [onclick]')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(container.textContent).toContain('<script>alert(2)</script>');
  });

  it('keeps only safe link targets, and opens them in a new tab without an opener', () => {
    const { container } = render(
      <Markdown
        text={[
          '[js](javascript:alert(1))',
          '[JS upper](JAVASCRIPT:alert(1))',
          '[data](data:text/html,<script>alert(1)</script>)',
          '[vb](vbscript:msgbox)',
          '[web](https://example.com)',
          '[mail](mailto:a@example.com)',
          '[rel](/api/health)',
        ].join(' ')}
      />,
    );
    const links = [...container.querySelectorAll('a')];
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['web', 'https://example.com'],
      ['mail', 'mailto:a@example.com'],
      ['rel', '/api/health'],
    ]);
    for (const link of links) {
      expect(link.getAttribute('target')).toBe('_blank');
      expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    }
    expect(container.querySelectorAll('.md-dead-link').length).toBe(4);
  });

  it('turns images into links (a remote image would be fetched unasked)', () => {
    const { container } = render(<Markdown text="![chart](https://example.com/c.png)" />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('a')!.getAttribute('href')).toBe('https://example.com/c.png');
  });

  it('safeUrl: web, mail and relative addresses only', () => {
    expect(safeUrl('https://a.example/x?y=1')).toBe('https://a.example/x?y=1');
    expect(safeUrl('mailto:x@example.com')).toBe('mailto:x@example.com');
    expect(safeUrl('#anchor')).toBe('#anchor');
    expect(safeUrl(' javascript:alert(1)')).toBe('');
    expect(safeUrl('data:image/png;base64,AAAA')).toBe('');
    expect(safeUrl('file:///etc/passwd')).toBe('');
    expect(safeUrl('irc://example.com')).toBe('');
  });
});
