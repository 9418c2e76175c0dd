/**
 * WORKSHOP.md on the main engine, the classic image store: the default project twice in a
 * row on one generated project, and the variant that differs in every way the guide branches
 * on once. A room runs the guide twice, and the second pass must pass like the first from what
 * Clean up left; the default project has the most state to leave behind (a named volume, a
 * token, the exercises' files). The containerd image store has a suite of its own
 * (workshop-containerd.test.ts). The doc-test itself is test/support/workshop-doc.ts.
 */
import { DEFAULTS, DISTROLESS, describeWorkshop } from '../support/workshop-doc.js';

const CLASSIC = { label: 'classic' };

describe(`WORKSHOP.md (${DEFAULTS.label}, classic image store)`, () => describeWorkshop(CLASSIC, DEFAULTS, 2));
describe(`WORKSHOP.md (${DISTROLESS.label}, classic image store)`, () => describeWorkshop(CLASSIC, DISTROLESS, 1));
