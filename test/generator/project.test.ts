import { createCommandFor, QUESTIONS } from '../../generators/app/command.js';
import { type Answers, toProjectModel } from '../../generators/app/project.js';
import { slugFor } from '../../generators/container/node.js';

/** Every question at its default: the model's input, whatever the question table holds. */
const answers = Object.fromEntries(QUESTIONS.map((q) => [q.key, q.default({ destination: '/tmp/my-api' })])) as unknown as Answers;

describe('the project model', () => {
  it.each([
    ['my-api', 'my-api'],
    ['@acme/orders-api', 'orders-api'],
    ['orders.api_v2', 'orders-api-v2'],
    ['-_.', 'api'],
    [`a${'b'.repeat(60)}`, `a${'b'.repeat(49)}`],
    [`${'a'.repeat(49)}.b`, 'a'.repeat(49)],
  ])('one slug rule for images, volumes, compose and Kubernetes: %s -> %s', (name, slug) => {
    expect(slugFor(name)).toBe(slug);
    // A DNS label (Kubernetes) that is also a valid image name and compose project name.
    expect(slug).toMatch(/^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/);
  });

  it('derives the flags templates branch on', () => {
    expect(toProjectModel(answers, createCommandFor(answers))).toMatchObject({
      sqlite: true,
      token: true,
      distroless: false,
      githubCi: true,
      nodeBin: 'node',
      appUid: 1000,
    });
    const changed = { ...answers, runtime: 'distroless', persistence: 'none', auth: 'none', ci: 'none' } as const;
    const other = toProjectModel(changed, createCommandFor(changed));
    expect(other).toMatchObject({
      sqlite: false,
      token: false,
      distroless: true,
      githubCi: false,
      nodeBin: '/nodejs/bin/node',
      appUid: 65532,
    });
  });
});
