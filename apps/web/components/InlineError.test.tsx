// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { InlineError } from './InlineError';

afterEach(cleanup);

describe('InlineError', () => {
  it('announces the message as an alert, with its id and test id', () => {
    render(<InlineError message="Wrong password" id="login-error" data-testid="login-error" />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Wrong password');
    expect(alert.id).toBe('login-error');
    expect(alert.className).toBe('form-error');
    expect(alert.dataset.testid).toBe('login-error');
  });

  it.each([null, undefined, ''])('renders nothing for %s', (message) => {
    const { container } = render(<InlineError message={message} />);
    expect(container.innerHTML).toBe('');
  });
});
