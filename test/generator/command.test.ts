import { QUESTIONS, UsageError, nameFromDirectory, npmNameProblem, parseGivenAnswers } from '../../generators/app/command.js';

describe('npm package names', () => {
  it.each(['my-api', '@acme/orders-api', 'a', 'x.y_z-1'])('accepts %s', (name) => {
    expect(npmNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['', 'empty'],
    ['My-Api', 'uppercase'],
    ['.hidden', 'lowercase letters'],
    ['_private', 'lowercase letters'],
    ['has space', 'lowercase letters'],
    ['node_modules', 'reserved'],
    ['http', 'core module'],
    ['tilde~name', 'lowercase letters'],
    ['-dash', 'lowercase letters'],
    ['a'.repeat(215), 'longer than 214'],
  ])('rejects %j because it is %s', (name, reason) => {
    expect(npmNameProblem(name)).toContain(reason);
  });

  it('derives a name from the directory, falling back to my-api', () => {
    expect(nameFromDirectory('/tmp/Orders API')).toBe('orders-api');
    expect(nameFromDirectory('/work/billing')).toBe('billing');
    expect(nameFromDirectory('/')).toBe('my-api');
    expect(nameFromDirectory('/tmp/___')).toBe('my-api');
  });
});

describe('flag values', () => {
  it('parses good values into typed answers', () => {
    expect(parseGivenAnswers({ port: '8088', node: '22', workshop: false, name: ' demo ' })).toEqual({
      port: 8088,
      node: '22',
      workshop: false,
      name: 'demo',
    });
  });

  it.each([
    [{ port: '0' }, '--port "0" is not allowed: use a whole number from 1 to 65535.'],
    [{ port: '65536' }, '--port "65536"'],
    [{ port: '80.5' }, '--port "80.5"'],
    [{ port: 'http' }, '--port "http"'],
    [{ node: '20' }, '--node "20" is not allowed: use one of 22, 24, 26.'],
    [{ runtime: 'alpine' }, '--runtime "alpine" is not allowed: use one of slim, distroless.'],
    [{ persistence: 'mysql' }, 'use one of sqlite, postgres, none'],
    [{ auth: 'basic' }, 'use one of token, none'],
    [{ ci: 'circleci' }, 'use one of github, gitlab, none'],
    [{ name: 'Bad Name' }, '--name "Bad Name" is not a valid npm package name'],
    [{ description: 'two\nlines' }, '--description'],
  ])('rejects %j naming the flag, the value and what is allowed', (given, message) => {
    expect(() => parseGivenAnswers(given)).toThrow(UsageError);
    expect(() => parseGivenAnswers(given)).toThrow(message);
  });

  it('declares one question per answer, each with a parseable default', () => {
    const keys = QUESTIONS.map((q) => q.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const question of QUESTIONS) {
      const fallback = question.default({ destination: '/tmp/some-api' });
      expect(question.parse(fallback)).toEqual(fallback);
    }
  });
});
